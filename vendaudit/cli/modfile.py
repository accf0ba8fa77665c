"""``vendaudit modfile FILE [--json] [--lax]``: parse one go.mod / vendor.mod file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vendaudit.cli.app import ExitCode, app, fail
from vendaudit.gomod.errors import ModFileError
from vendaudit.gomod.gojson import dumps_go, modfile_to_json
from vendaudit.gomod.lexer import to_bytes
from vendaudit.gomod.model import ModFile
from vendaudit.gomod.modfile import parse_modfile


def _summary(mf: ModFile) -> str:
    """A short human-readable description of the parsed file."""
    module = mf.module.path if mf.module else "(no module line)"
    lines = [f"module    {module}"]
    if mf.module and mf.module.deprecated:
        lines.append(f"deprecated: {mf.module.deprecated}")
    lines.append(f"go        {mf.go or '(none)'}")
    if mf.toolchain:
        lines.append(f"toolchain {mf.toolchain}")
    indirect = sum(1 for r in mf.require if r.indirect)
    lines.append(
        f"require   {len(mf.require)} ({len(mf.require) - indirect} direct, {indirect} indirect)"
    )
    local = sum(1 for r in mf.replace if r.is_local)
    lines.append(f"replace   {len(mf.replace)} ({local} to local directories)")
    for label, items in (
        ("exclude", mf.exclude),
        ("retract", mf.retract),
        ("godebug", mf.godebug),
        ("tool", mf.tool),
        ("ignore", mf.ignore),
    ):
        if items:
            lines.append(f"{label:<9} {len(items)}")
    return "\n".join(lines) + "\n"


@app.command("modfile")
def modfile_cmd(
    file: Annotated[Path, typer.Argument(help="The go.mod or vendor.mod file to parse.")],
    json_out: Annotated[
        bool,
        typer.Option("--json", help="Print the JSON that `go mod edit -json FILE` prints."),
    ] = False,
    lax: Annotated[
        bool,
        typer.Option("--lax", help="Parse leniently, as Go does for dependencies' go.mod files."),
    ] = False,
) -> None:
    """Parse a go.mod / vendor.mod file exactly like the go command and show it."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        fail(f"{file}: {exc.strerror or exc}", ExitCode.BAD_INPUT)
    try:
        mf = parse_modfile(data, str(file), lax=lax)
    except ModFileError as exc:
        fail(str(exc), ExitCode.BAD_INPUT)
    if json_out:
        text = dumps_go(modfile_to_json(mf)) + "\n"
        typer.echo(text.encode("utf-8"), nl=False)
    else:
        # Undecodable bytes in paths are written back as the raw bytes, like Go prints them.
        typer.echo(to_bytes(_summary(mf)), nl=False)
