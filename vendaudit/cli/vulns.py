"""``vendaudit vulns``: the vulnerable required modules alone (no distro lookups)."""

from __future__ import annotations

import json
import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from vendaudit.cli.app import ExitCode, app, fail
from vendaudit.cli.common import choice, load_or_fail, make_fetcher, write_output
from vendaudit.cli.graph import Goarch, Goos, Tags, Tests
from vendaudit.model import Module, Project

__all__ = ["vulns_cmd"]


class VulnsFormat(StrEnum):
    """``vendaudit vulns --format`` values."""

    TABLE = "table"
    JSON = "json"


@app.command("vulns")
def vulns_cmd(
    manifest: Annotated[Path, typer.Argument(help="go.mod or vendor.mod (or its directory).")],
    modules_txt: Annotated[
        Path | None, typer.Option("--modules-txt", help="Default: vendor/modules.txt beside it.")
    ] = None,
    govulndb: Annotated[
        str | None,
        typer.Option(
            "--govulndb",
            envvar="GOVULNDB",
            help="Go vulnerability database URL (file:// works); default https://vuln.go.dev.",
        ),
    ] = None,
    cache_dir: Annotated[
        Path | None, typer.Option("--cache-dir", envvar="VENDAUDIT_CACHE_DIR")
    ] = None,
    offline: Annotated[
        bool, typer.Option("--offline", envvar="VENDAUDIT_OFFLINE", help="Use only the cache.")
    ] = False,
    fmt: Annotated[
        str, typer.Option("--format", "-f", envvar="VENDAUDIT_FORMAT", help="table or json.")
    ] = "table",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here, not stdout.")
    ] = None,
    packages: Annotated[
        list[str] | None,
        typer.Option(
            "--packages",
            help="Only modules these main packages compile in (vendor/; govulncheck: .).",
        ),
    ] = None,
    goos: Goos = None,
    goarch: Goarch = None,
    tags: Tags = "",
    tests: Tests = False,
) -> None:
    """List MANIFEST's required modules the Go vulnerability database says are affected.

    Every module with vendored packages is checked (without vendor/modules.txt: every
    required module), as govulncheck -scan module does on a tree importing them all;
    --packages (with --goos/--goarch/--tags/--tests) keeps the modules those packages
    compile in, as govulncheck does on the real tree.
    Exit 1 when one is found (as a CI gate), 4 when the database cannot be read.
    """
    from vendaudit.report.security import security_to_json, vulns_list_text
    from vendaudit.vulns import security_view
    from vendaudit.vulns.client import VulnDB, scan_modules

    out_format = choice(VulnsFormat, fmt)
    loaded = load_or_fail(manifest, modules_txt)
    modules = loaded.project.modules
    if packages:
        modules = _compiled(loaded.project, packages, goos, goarch, tags, tests)
    fetcher, _cache = make_fetcher(cache_dir=cache_dir, offline=offline)
    with fetcher:
        db = VulnDB.from_environ(os.environ, fetcher, url=govulndb)
        scan = scan_modules(modules, db)
    view = security_view(scan.database, scan.modified, scan.vulns, scan.entries, [], [])
    if scan.error is not None:
        view = type(view)(scan.database, "", (), error=scan.error)
    if out_format is VulnsFormat.JSON:
        text = json.dumps(security_to_json(view), indent=2, ensure_ascii=False) + "\n"
    else:
        text = vulns_list_text(view)
    write_output(text, output)
    if scan.error is not None:
        raise typer.Exit(int(ExitCode.ALL_TARGETS_FAILED))
    if scan.vulns:
        raise typer.Exit(int(ExitCode.FINDINGS))


def _compiled(
    project: Project,
    packages: list[str],
    goos: str | None,
    goarch: str | None,
    tags: str,
    tests: bool,
) -> tuple[Module, ...]:
    """The required modules the vendor tree compiles into ``packages``; bad input exits."""
    from vendaudit.analysis.goenv import GoEnv, GoEnvError
    from vendaudit.analysis.projectgraph import vendor_graph
    from vendaudit.api import vendor_tree

    if vendor_tree(project) is None:
        fail(f"{project.manifest}: --packages needs the vendor/ tree", ExitCode.USAGE)
    try:
        env = GoEnv.from_environ(os.environ)
    except GoEnvError as exc:
        fail(f"go environment: {exc}", ExitCode.USAGE)
    graph = vendor_graph(
        project,
        env,
        goos=goos,
        goarch=goarch,
        tags=[t for t in tags.split(",") if t],
        tests=tests,
        patterns=packages,
    )
    unused = set(graph.unused())
    return tuple(m for m in project.modules if m.key not in unused)
