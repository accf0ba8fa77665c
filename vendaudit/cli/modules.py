"""CLI commands ``modules`` (list the required/vendored modules) and ``vendor-check``."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

from vendaudit.cli.app import ExitCode, app, fail
from vendaudit.cli.common import load_or_fail
from vendaudit.gomod.errors import ManifestError
from vendaudit.gomod.project import read_manifests, vendor_inconsistency
from vendaudit.model import Module, Project

__all__ = ["modules_cmd", "project_to_json", "vendor_check_cmd"]

_MANIFEST_HELP = "go.mod or vendor.mod, or the module root directory."
_MODULES_TXT_HELP = "vendor/modules.txt to use (default: vendor/modules.txt beside the manifest)."


def _module_json(m: Module) -> dict[str, Any]:
    return {
        "path": m.path,
        "version": m.version,
        "indirect": m.indirect,
        "replace": None
        if m.replace is None
        else {"path": m.replace.path, "version": m.replace.version},
        "explicit": m.explicit,
        "packages": list(m.packages),
        "go_version": m.go_version,
    }


def project_to_json(p: Project) -> dict[str, Any]:
    """The ``modules --json`` document for a project."""
    return {
        "manifest": p.manifest,
        "main_module": p.main_module,
        "go": p.go,
        "modules_txt": p.modules_txt,
        "modules": [_module_json(m) for m in p.modules],
    }


def _table(p: Project) -> str:
    rows = [("MODULE", "VERSION", "FLAGS", "PKGS", "REPLACED BY")]
    for m in p.modules:
        flags = ",".join(
            f
            for f, on in (
                ("indirect", m.indirect),
                ("explicit", m.explicit),
                ("go" + (m.go_version or ""), m.go_version),
            )
            if on
        )
        repl = ""
        if m.replace is not None:
            repl = m.replace.path + (f" {m.replace.version}" if m.replace.version else "")
        rows.append((m.path, m.version, flags or "-", str(len(m.packages)), repl))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(r[:4], widths, strict=True)) + "  " + r[4]
        for r in rows
    ]
    head = f"{p.main_module} (go {p.go or 'unspecified'}) from {p.manifest}"
    tail = ("1 module" if len(p.modules) == 1 else f"{len(p.modules)} modules") + (
        f", {p.modules_txt}" if p.modules_txt else ", no modules.txt"
    )
    return "\n".join([head, *(line.rstrip() for line in lines), tail])


@app.command("modules")
def modules_cmd(
    manifest: Annotated[str, typer.Argument(help=_MANIFEST_HELP, show_default=False)],
    modules_txt: Annotated[
        str | None, typer.Option("--modules-txt", help=_MODULES_TXT_HELP, show_default=False)
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List the modules the project requires, with what vendor/modules.txt says of them."""
    project = load_or_fail(manifest, modules_txt).project
    if as_json:
        typer.echo(json.dumps(project_to_json(project), indent=2))
    else:
        typer.echo(_table(project))


@app.command("vendor-check")
def vendor_check_cmd(
    manifest: Annotated[str, typer.Argument(help=_MANIFEST_HELP, show_default=False)],
    modules_txt: Annotated[
        str | None, typer.Option("--modules-txt", help=_MODULES_TXT_HELP, show_default=False)
    ] = None,
) -> None:
    """Check go.mod against vendor/modules.txt as ``go build -mod=vendor`` does.

    Exits 0 when consistent, 3 with the go command's message when not (the four
    consistency checks, then go >= 1.17's "vendored module ... should be required").
    """
    try:
        # Validates the manifest the same way `modules` does (e.g. module line present).
        files = read_manifests(manifest, modules_txt=modules_txt)
    except ManifestError as exc:
        fail(str(exc), ExitCode.BAD_INPUT)
    problem = vendor_inconsistency(files)
    if problem is not None:
        fail(problem, ExitCode.BAD_INPUT)
    path, mt_path, mt = files.path, files.modules_txt_path, files.modules_txt
    what = str(mt_path) if mt is not None else "no vendor/modules.txt (nothing required)"
    sys.stderr.write(f"vendaudit: {path}: vendoring is consistent ({what})\n")
