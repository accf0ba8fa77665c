"""CLI commands ``graph`` (the module graph as JSON/DOT/Mermaid/text) and ``why``.

The default ``--source auto`` reads the vendor tree when its code is there (as ``report
--graph auto`` does) and the proxy otherwise, and says which on stderr.  ``--source proxy``
builds the requirement graph from dependencies' go.mod files through
GOPROXY (cached forever; ``--offline`` uses only the cache); ``--source vendor`` reads
the package imports of the main module and vendor/ for one GOOS/GOARCH/tags.  Network
failures give a partial graph and a warning on stderr, never a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from vendaudit.analysis.goenv import GoEnv, GoEnvError
from vendaudit.cli.app import ExitCode, app, fail
from vendaudit.cli.common import load_or_fail, make_fetcher, one_of

if TYPE_CHECKING:
    # networkx is slow to import: every command module is imported at start-up, so the
    # graph machinery is imported only when a graph command runs.
    from vendaudit.analysis.graph import ModuleGraph

__all__ = ["GraphFormat", "GraphSource", "graph_cmd", "why_cmd"]


class GraphSource(StrEnum):
    """Where the edges come from (``auto``: the vendor tree when its code is there)."""

    AUTO = "auto"
    PROXY = "proxy"
    VENDOR = "vendor"


class GraphFormat(StrEnum):
    """Output formats of ``graph``."""

    JSON = "json"
    DOT = "dot"
    MERMAID = "mermaid"
    TEXT = "text"


Manifest = Annotated[Path, typer.Argument(help="go.mod or vendor.mod, or the module root.")]
ModulesTxt = Annotated[
    Path | None, typer.Option("--modules-txt", help="vendor/modules.txt to use.")
]
Source = Annotated[
    GraphSource,
    typer.Option("--source", envvar="VENDAUDIT_GRAPH_SOURCE", help=f"{one_of(GraphSource)}."),
]
Packages = Annotated[
    list[str] | None,
    typer.Option("--packages", help="Main packages (vendor source; default ./...)."),
]
Goos = Annotated[str | None, typer.Option("--goos", help="GOOS (default $GOOS or linux).")]
Goarch = Annotated[str | None, typer.Option("--goarch", help="GOARCH (default $GOARCH or amd64).")]
Tags = Annotated[str, typer.Option("--tags", help="Comma-separated build tags; cgo enables cgo.")]
Tests = Annotated[bool, typer.Option("--tests", help="Include the main packages' tests.")]
Offline = Annotated[
    bool, typer.Option("--offline", envvar="VENDAUDIT_OFFLINE", help="Use only the cache.")
]
CacheDir = Annotated[
    Path | None, typer.Option("--cache-dir", envvar="VENDAUDIT_CACHE_DIR", help="Cache dir.")
]


def _build(
    manifest: Path,
    modules_txt: Path | None,
    source: GraphSource,
    *,
    packages: list[str] | None,
    goos: str | None,
    goarch: str | None,
    tags: str,
    tests: bool,
    offline: bool,
    cache_dir: Path | None,
    any_tags: bool = False,
) -> ModuleGraph:
    """Load the project and build its graph from ``source``; bad input exits."""
    from vendaudit.analysis.projectgraph import proxy_graph, vendor_graph

    loaded = load_or_fail(manifest, modules_txt)
    project = loaded.project
    try:
        env = GoEnv.from_environ(os.environ)
    except GoEnvError as exc:
        fail(f"go environment: {exc}", ExitCode.USAGE)
    if source is GraphSource.AUTO:
        from vendaudit.api import vendor_tree

        # Like `report --graph auto`: the vendor tree is what the build compiles.
        tree = vendor_tree(project)
        source = GraphSource.VENDOR if tree is not None else GraphSource.PROXY
        where = f"the vendor tree ({tree})" if tree is not None else "the module proxy (GOPROXY)"
        sys.stderr.write(f"vendaudit: graph from {where}; --source to choose\n")
    if source is GraphSource.VENDOR:
        if project.modules_txt is None and project.modules:
            fail(f"{project.manifest}: no vendor/modules.txt: --source vendor needs vendor/")
        graph = vendor_graph(
            project,
            env,
            goos=goos,
            goarch=goarch,
            tags=[t for t in tags.split(",") if t],
            tests=tests,
            patterns=packages or ["./..."],
            any_tags=any_tags,
        )
        pg = graph.packages
        if pg is not None:
            for imp, importer in sorted(pg.missing.items()):
                sys.stderr.write(f"warning: {importer}: cannot find package {imp} in vendor/\n")
            for badfile in pg.bad_files:
                sys.stderr.write(f"warning: skipped unparsable file {badfile}\n")
            if not pg.packages:
                sys.stderr.write(
                    "warning: the vendor graph is empty: no Go package of the main module "
                    f"was found under {Path(project.manifest).parent} for "
                    f"{graph_env(goos, goarch, env)} (check --packages, --goos/--goarch, "
                    "--tags; or use --source proxy)\n"
                )
        return graph
    fetcher, _ = make_fetcher(cache_dir, offline)
    with fetcher:
        graph = proxy_graph(project, fetcher, env, loaded.sums)
    bad = graph.unavailable()
    if bad:
        sys.stderr.write(
            f"warning: {len(bad)} of {len(project.modules)} go.mod files unavailable; "
            "the graph is partial\n"
        )
        for _, err in sorted(bad.items())[:5]:
            sys.stderr.write(f"  {err.splitlines()[0]}\n")
        if len(bad) > 5:
            sys.stderr.write(f'  … and {len(bad) - 5} more (see "unavailable" in --format json)\n')
        if not offline:
            sys.stderr.write("  (network blocked? retry later, or use --offline with a cache)\n")
    if project.modules and not graph.edges():
        sys.stderr.write("warning: the proxy graph is empty: no requirement could be read\n")
    return graph


def graph_env(goos: str | None, goarch: str | None, env: GoEnv) -> str:
    """``GOOS/GOARCH`` as the vendor graph uses them (options first, then the environment)."""
    return f"{goos or env.goos}/{goarch or env.goarch}"


@app.command("graph")
def graph_cmd(
    manifest: Manifest,
    modules_txt: ModulesTxt = None,
    source: Source = GraphSource.AUTO,
    packages: Packages = None,
    goos: Goos = None,
    goarch: Goarch = None,
    tags: Tags = "",
    tests: Tests = False,
    offline: Offline = False,
    cache_dir: CacheDir = None,
    fmt: Annotated[
        GraphFormat,
        typer.Option(
            # Not VENDAUDIT_FORMAT: that is report's vocabulary (markdown, html...).
            "--format",
            envvar="VENDAUDIT_GRAPH_FORMAT",
            help=f"Output format: {one_of(GraphFormat)}.",
        ),
    ] = GraphFormat.JSON,
) -> None:
    """Print the module graph (edges among the required modules, ``used`` per module)."""
    graph = _build(
        manifest,
        modules_txt,
        source,
        packages=packages,
        goos=goos,
        goarch=goarch,
        tags=tags,
        tests=tests,
        offline=offline,
        cache_dir=cache_dir,
    )
    if fmt is GraphFormat.JSON:
        typer.echo(json.dumps(graph.to_json(), indent=2))
    elif fmt is GraphFormat.DOT:
        typer.echo(graph.to_dot(), nl=False)
    elif fmt is GraphFormat.MERMAID:
        typer.echo(graph.to_mermaid(), nl=False)
    else:
        typer.echo(graph.to_text(), nl=False)


@app.command("why")
def why_cmd(
    manifest: Manifest,
    modules: Annotated[list[str], typer.Argument(help="Module paths to explain.")],
    modules_txt: ModulesTxt = None,
    source: Source = GraphSource.AUTO,
    packages: Packages = None,
    goos: Goos = None,
    goarch: Goarch = None,
    tags: Tags = "",
    all_tags: Annotated[
        bool,
        typer.Option(
            "--all-tags/--no-all-tags",
            help="vendor source: ignore build constraints, include tests (go mod why).",
        ),
    ] = True,
    offline: Offline = False,
    cache_dir: CacheDir = None,
) -> None:
    """Show a shortest chain from the main module to each module, like ``go mod why -m``."""
    vendor_why = source is not GraphSource.PROXY and all_tags
    graph = _build(
        manifest,
        modules_txt,
        source,
        packages=packages,
        goos=goos,
        goarch=goarch,
        tags=tags,
        tests=vendor_why,
        offline=offline,
        cache_dir=cache_dir,
        any_tags=vendor_why,
    )
    from vendaudit.analysis.why import format_why, why

    typer.echo(format_why(why(graph, modules)), nl=False)
