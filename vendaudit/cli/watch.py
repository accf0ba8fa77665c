"""``vendaudit watch``: the watch list (add, list, remove) and running it into the database."""

from __future__ import annotations

import functools
import inspect
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import urlsplit

import typer

from vendaudit.cli.app import ExitCode, app, fail

if TYPE_CHECKING:
    from vendaudit.api import AuditOptions
    from vendaudit.distros.registry import LookupOptions
    from vendaudit.service import Store
    from vendaudit.service.runner import RunSettings
    from vendaudit.vulns.model import SecurityView

watch_app = typer.Typer(
    help="Keep projects × targets under watch; `watch run` stores a run of each.",
    no_args_is_help=True,
)
app.add_typer(watch_app, name="watch")

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="VENDAUDIT_DB",
        help="SQLite file or postgresql:// URL (default: vendaudit.sqlite3 in the user data dir).",
    ),
]

# The `report` options that say where distro data comes from and how far a run goes.
SOURCE_OPTIONS = (
    "index",
    "apt_lists",
    "dnf_cache",
    "mirror",
    "debian_backend",
    "cache_dir",
    "offline",
    "tag_dates",
    "graph",
    "only_satisfied",
    "direct_only",
    "licenses",
    "progress",
    "allow_unsigned",
    "keyring",
    "timeout",
    "vendor_check",
)
# Not `debian_source`: it names one project's own Debian source, not a source of data.

VULN_OPTIONS = ("vulns", "govulndb")
# `report`'s vulnerability check, for the commands that store runs (watch run, serve).


def _with_options(names: tuple[str, ...], func: Callable[..., None]) -> Callable[..., None]:
    from vendaudit.cli.report import report_cmd

    theirs = inspect.signature(report_cmd, eval_str=True).parameters
    own = inspect.signature(func, eval_str=True)
    params = [p for p in own.parameters.values() if p.name != "sources"]
    params += [theirs[name].replace(kind=inspect.Parameter.KEYWORD_ONLY) for name in names]

    @functools.wraps(func)
    def command(**kwargs: Any) -> None:
        sources = {name: kwargs.pop(name) for name in names}
        func(**kwargs, sources=sources)

    command.__signature__ = own.replace(parameters=params)  # type: ignore[attr-defined]
    return command


def with_source_options(func: Callable[..., None]) -> Callable[..., None]:
    """Give a command ``report``'s source options (same flags, help and env vars).

    The options are taken from ``report``'s own signature, so the two commands can never
    drift apart; the command receives them as one ``sources`` dict.
    """
    return _with_options(SOURCE_OPTIONS, func)


def with_run_options(func: Callable[..., None]) -> Callable[..., None]:
    """:func:`with_source_options` plus ``report``'s ``--vulns``/``--govulndb``."""
    return _with_options(SOURCE_OPTIONS + VULN_OPTIONS, func)


def lookup_from(sources: dict[str, Any]) -> LookupOptions:
    """Where distro data comes from, for the parsed source options."""
    from vendaudit.cli.report import parse_indexes, parse_keyrings, parse_mirrors
    from vendaudit.distros.registry import LookupOptions

    return LookupOptions(
        mirrors=parse_mirrors(sources["mirror"]),
        local_indexes=parse_indexes(sources["index"]),
        apt_lists=sources["apt_lists"],
        dnf_cache=sources["dnf_cache"],
        debian_backend=sources["debian_backend"].value,
        allow_unsigned=sources["allow_unsigned"],
        keyrings=parse_keyrings(sources["keyring"]),
    )


def audit_options_from(sources: dict[str, Any]) -> AuditOptions:
    """How each project is audited, for the parsed source options."""
    from vendaudit import api

    return api.AuditOptions(
        tag_dates=sources["tag_dates"],
        graph=api.GraphChoice(sources["graph"]),
        only_satisfied=sources["only_satisfied"],
        direct_only=sources["direct_only"],
        licenses=sources["licenses"],
        on_warning=_warn,
        vulns=sources.get("vulns", False),
        govulndb=sources.get("govulndb"),
    )


def settings_from(sources: dict[str, Any]) -> RunSettings:
    """The run settings for the parsed source options."""
    from vendaudit.service.runner import RunSettings

    return RunSettings(
        lookup=lookup_from(sources),
        audit=audit_options_from(sources),
        vendor_check=sources["vendor_check"],
    )


def _security_headline(view: SecurityView) -> str:
    if view.error is not None:
        return "vulnerabilities unknown"
    n = len({v.module for v, _ in view.findings})
    return f"{n} vulnerable module{'s' if n != 1 else ''}"


def _warn(message: str) -> None:
    sys.stderr.write(message.rstrip("\n") + "\n")


def open_store(db: str | None) -> Store:
    """Open the database or exit 3 with one line."""
    try:
        from vendaudit.service import Store, StoreError
    except ImportError as exc:
        fail(
            f"vendaudit: the service needs its extra: pip install 'vendaudit[service]' ({exc})",
            ExitCode.USAGE,
        )

    try:
        return Store.open(db)
    except StoreError as exc:
        fail(f"vendaudit: {exc}", ExitCode.BAD_INPUT)


def _manifest_spec(manifest: str) -> str:
    """A local manifest as an absolute path (validated now); a URL as given (https only)."""
    from vendaudit.service.manifests import is_url

    if is_url(manifest):
        parts = urlsplit(manifest)
        loopback = parts.hostname in ("127.0.0.1", "localhost", "::1")
        if parts.scheme != "https" and not loopback:
            fail(f"vendaudit: {manifest}: only https:// manifests can be watched", ExitCode.USAGE)
        return manifest
    from vendaudit.cli.common import load_or_fail

    loaded = load_or_fail(manifest)
    return str(loaded.files.path.resolve())


@watch_app.command("add")
def add_cmd(
    manifest: Annotated[
        str, typer.Argument(help="go.mod / vendor.mod (or its directory), or an https URL.")
    ],
    name: Annotated[str, typer.Option("--name", "-n", help="The project's name in the service.")],
    distro: Annotated[
        list[str],
        typer.Option("--distro", "-d", help="Targets, comma-separated (debian:sid,fedora:43)."),
    ],
    modules_txt: Annotated[
        str | None,
        typer.Option("--modules-txt", help="modules.txt path or URL (default: beside it)."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Watch MANIFEST under NAME against the given targets (re-adding updates it)."""
    from vendaudit.cli.report import parse_targets

    targets = [t.id for t in parse_targets(distro)]
    if not targets:
        fail("vendaudit: watch add: give --distro (e.g. --distro debian:sid)", ExitCode.USAGE)
    if not name.strip() or "/" in name:
        fail(f"vendaudit: --name {name!r}: must be non-empty and contain no '/'", ExitCode.USAGE)
    spec = _manifest_spec(manifest)
    mt = modules_txt
    if mt is not None and "://" not in mt:
        mt = str(Path(mt).resolve())
    store = open_store(db)
    try:
        project = store.add_project(name.strip(), spec, targets, mt)
    finally:
        store.close()
    typer.echo(f"watching {project.name}: {project.manifest} ({', '.join(project.targets)})")


@watch_app.command("list")
def list_cmd(
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """List watched projects with their targets and latest run."""
    store = open_store(db)
    try:
        watched = store.projects()
        latest = store.latest_runs(1)
    finally:
        store.close()
    if fmt == "json":
        doc = [
            {
                "name": p.name,
                "manifest": p.manifest,
                "modules_txt": p.modules_txt,
                "targets": list(p.targets),
                "last_run": latest[p.name][0].finished_at if latest.get(p.name) else None,
            }
            for p in watched
        ]
        typer.echo(json.dumps(doc, indent=2))
        return
    if fmt != "table":
        fail(f"vendaudit: --format: unknown value {fmt!r} (one of table, json)", ExitCode.USAGE)
    if not watched:
        typer.echo("no projects watched (add one: vendaudit watch add MANIFEST --name N -d T)")
    for p in watched:
        last = latest[p.name][0].finished_at if latest.get(p.name) else "never run"
        typer.echo(f"{p.name}\t{','.join(p.targets)}\t{last}\t{p.manifest}")


@watch_app.command("remove")
def remove_cmd(name: Annotated[str, typer.Argument()], db: DbOption = None) -> None:
    """Stop watching NAME and delete its history."""
    from vendaudit.service import UnknownProject

    store = open_store(db)
    try:
        store.remove_project(name)
    except UnknownProject as exc:
        fail(f"vendaudit: {exc}", ExitCode.BAD_INPUT)
    finally:
        store.close()
    typer.echo(f"removed {name}")


@watch_app.command("run")
@with_run_options
def run_cmd(
    names: Annotated[
        list[str] | None, typer.Argument(help="Projects to run (default: every one).")
    ] = None,
    db: DbOption = None,
    *,
    sources: dict[str, Any],
) -> None:
    """Audit watched projects (all, or NAMES) and store one run each."""
    from vendaudit.service import UnknownProject

    settings = settings_from(sources)
    store = open_store(db)
    try:
        try:
            watched = [store.project(n) for n in names] if names else store.projects()
        except UnknownProject as exc:
            fail(f"vendaudit: {exc}", ExitCode.BAD_INPUT)
        if not watched:
            fail("vendaudit: no projects watched", ExitCode.BAD_INPUT)
        outcomes = execute(store, watched, settings, sources)
    finally:
        store.close()
    failed = [o for o in outcomes if o.error is not None]
    if failed:
        raise typer.Exit(int(ExitCode.BAD_INPUT))


def execute(
    store: Store, watched: Sequence[Any], settings: RunSettings, sources: dict[str, Any]
) -> list[Any]:
    """Run ``watched`` with the CLI's fetcher and progress; one summary line each on stderr."""

    from vendaudit.cli.common import make_fetcher, make_progress
    from vendaudit.service.runner import run_projects

    prog = make_progress(sources["progress"])
    fetcher, cache = make_fetcher(
        cache_dir=sources["cache_dir"],
        offline=sources["offline"],
        progress=prog,
        run_timeout=sources["timeout"],
    )
    with prog, fetcher:
        outcomes = run_projects(store, watched, settings, fetcher, cache, prog)
    for o in outcomes:
        if o.error is not None:
            sys.stderr.write(f"{o.project}: run {o.run_id} failed: {o.error}\n")
            continue
        assert o.report is not None
        heads = [f"{tid}: {o.report.summary_for(tid).headline()}" for tid in o.report.target_ids]
        if o.report.security is not None:
            heads.append(_security_headline(o.report.security))
        sys.stderr.write(f"{o.project}: run {o.run_id}: {'; '.join(heads)}\n")
    return outcomes
