"""``vendaudit report``: the main job — audit a manifest against distro releases."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import sys
import threading
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from vendaudit import __version__
from vendaudit.cli.app import ExitCode, app, fail
from vendaudit.cli.common import (
    choice,
    load_or_fail,
    make_fetcher,
    make_progress,
    one_of,
    write_output,
)
from vendaudit.fetch import Fetcher
from vendaudit.model import Finding, Plan, Project, QueueEntry, Target, TargetStatus, Verdict
from vendaudit.report.formats import ReportFormat

if TYPE_CHECKING:
    from vendaudit.analysis.graph import ModuleGraph
    from vendaudit.distros.interface import LoadResult
    from vendaudit.gomod.project import LoadedProject
    from vendaudit.report import Report
    from vendaudit.report.policy import Policy

logger = logging.getLogger(__name__)


class DebianBackendChoice(StrEnum):
    """Where Debian data comes from."""

    SOURCES = "sources"
    API = "api"


class GraphChoice(StrEnum):
    """Which dependency graph orders the packaging queue."""

    AUTO = "auto"
    VENDOR = "vendor"
    PROXY = "proxy"
    NONE = "none"


def parse_targets(values: Sequence[str]) -> list[Target]:
    """``--distro a,b --distro c`` → targets in order, without duplicates."""
    targets: list[Target] = []
    for value in values:
        for item in value.split(","):
            if not item.strip():
                continue
            try:
                target = Target.parse(item)
            except ValueError as exc:
                fail(f"vendaudit: {exc}", ExitCode.USAGE)
            if target not in targets:
                targets.append(target)
    return targets


def parse_indexes(values: Sequence[str]) -> dict[str, tuple[Path, ...]]:
    """``--index debian:sid=PATH`` (repeatable) → target id → files."""
    out: dict[str, list[Path]] = {}
    for value in values:
        spec, sep, path = value.partition("=")
        if not sep or not path:
            fail(f"vendaudit: --index {value!r}: expected TARGET=PATH", ExitCode.USAGE)
        try:
            target = Target.parse(spec)
        except ValueError as exc:
            fail(f"vendaudit: --index {value!r}: {exc}", ExitCode.USAGE)
        p = Path(path)
        if not p.exists():
            fail(f"{p}: no such file or directory", ExitCode.BAD_INPUT)
        out.setdefault(target.id, []).append(p)
    return {k: tuple(v) for k, v in out.items()}


def parse_mirrors(values: Sequence[str]) -> dict[str, str]:
    """``--mirror URL`` (every distro) or ``--mirror debian=URL``."""
    out: dict[str, str] = {}
    for value in values:
        name, sep, url = value.partition("=")
        if sep and "://" not in name:
            out[name.lower()] = url.rstrip("/")
        else:
            for distro in ("debian", "ubuntu", "fedora", "epel"):
                out[distro] = value.rstrip("/")
    return out


def parse_keyrings(values: Sequence[str]) -> dict[str, tuple[Path, ...]]:
    """``--keyring PATH`` (Debian and Ubuntu) or ``--keyring ubuntu=PATH``, repeatable."""
    out: dict[str, list[Path]] = {}
    for value in values:
        name, sep, path = value.partition("=")
        distros = [name.lower()] if sep and name.lower() in ("debian", "ubuntu") else []
        p = Path(path if distros else value)
        if not p.is_file():
            fail(f"{p}: --keyring: no such file", ExitCode.BAD_INPUT)
        for distro in distros or ["debian", "ubuntu"]:
            out.setdefault(distro, []).append(p)
    return {k: tuple(v) for k, v in out.items()}


def _vendor_dir(project: Project) -> Path | None:
    if project.modules_txt is None:
        return None
    vendor = Path(project.modules_txt).parent
    # A vendor tree is "present" when at least one vendored package directory exists.
    for module in project.modules:
        for pkg in module.packages[:1]:
            if (vendor / pkg).is_dir():
                return vendor
    return None


def _graph(loaded: LoadedProject, choice: GraphChoice, fetcher: Fetcher) -> ModuleGraph | None:
    """The module graph used to order the packaging queue, or None."""
    project = loaded.project
    vendor = _vendor_dir(project)
    if choice is GraphChoice.NONE or (choice is GraphChoice.AUTO and vendor is None):
        return None
    # networkx is slow to import: only now that a graph is wanted.
    from vendaudit.analysis.goenv import GoEnv, GoEnvError
    from vendaudit.analysis.projectgraph import proxy_graph, vendor_graph

    try:
        env = GoEnv.from_environ(os.environ)
    except GoEnvError as exc:
        fail(f"go environment: {exc}", ExitCode.USAGE)
    if choice in (GraphChoice.AUTO, GraphChoice.VENDOR):
        if vendor is None:
            fail(f"{project.manifest}: --graph vendor needs a vendor/ tree beside it")
        return vendor_graph(project, env, vendor_dir=vendor)
    return proxy_graph(project, fetcher, env, loaded.sums)


def _relevant_notes(loaded: LoadResult, project: Project) -> TargetStatus:
    """Keep only the index notes that concern this project's modules."""
    from vendaudit.distros.interface import Failed

    if isinstance(loaded, Failed):
        return loaded.status
    return dataclasses.replace(loaded.status, notes=loaded.index.notes_for(project.modules))


def _settle_by_dates(findings: list[Finding], fetcher: Fetcher) -> list[Finding]:
    """Turn datable "cannot compare" verdicts into satisfied/outdated (see analysis.dates)."""
    from vendaudit.analysis.dates import dates_needed, fetch_dates, settle_by_dates
    from vendaudit.analysis.goenv import GoEnv, GoEnvError
    from vendaudit.analysis.goproxy import ProxyClient, ProxyError

    wanted = dates_needed(findings)
    if not wanted:
        return findings
    try:
        client = ProxyClient(fetcher, GoEnv.from_environ(os.environ))
    except GoEnvError as exc:
        sys.stderr.write(f"vendaudit: not asking the module proxy for dates: {exc}\n")
        return findings

    unreachable = threading.Event()

    def time_of(path: str, version: str) -> dt.datetime | None:
        if unreachable.is_set():
            return None
        try:
            return client.info_time(path, version)
        except ProxyError as exc:
            logger.info("no date for %s@%s: %s", path, version, exc)
            if exc.unreachable:
                # One unreachable proxy is enough to know: do not retry it per module.
                unreachable.set()
            return None

    settled = settle_by_dates(findings, fetch_dates(wanted, time_of))
    if unreachable.is_set():
        left = sum(1 for f in settled if dates_needed([f]))
        sys.stderr.write(
            f"vendaudit: module proxy unreachable: {left} "
            f"{'verdict' if left == 1 else 'verdicts'} left unknown "
            "(use --no-tag-dates or --offline)\n"
        )
    return settled


def _plans(
    loaded: LoadedProject,
    findings: Sequence[Finding],
    statuses: Sequence[TargetStatus],
    graph: ModuleGraph | None,
    only_satisfied: bool,
    direct_only: bool = False,
) -> dict[str, Plan]:
    from vendaudit.analysis.audit import by_target
    from vendaudit.distros.debian.plan import build_debian_plan
    from vendaudit.distros.fedora.plan import build_fedora_plan

    # Graph nodes are path@version; plans speak of module paths.
    cycles: dict[str, tuple[str, ...]] = {}
    unused: set[str] = set()
    order: Callable[[Sequence[QueueEntry]], Sequence[QueueEntry]] | None = None
    if graph is not None:
        # Imported only with a graph: order.py pulls in networkx, which costs ~0.3 s.
        from vendaudit.analysis.order import order_queue

        def order(entries: Sequence[QueueEntry]) -> Sequence[QueueEntry]:
            return order_queue(entries, graph)

        for node, chain in graph.cycles_with_main().items():
            cycles[node.rsplit("@", 1)[0]] = chain
        unused = {n.rsplit("@", 1)[0] for n in graph.unused()}
    project = loaded.project
    modules_txt = loaded.files.modules_txt
    grouped = by_target(findings)
    plans: dict[str, Plan] = {}
    for status in statuses:
        if status.error is not None:
            continue
        tf = grouped.get(status.target.id, [])
        if status.target.family == "deb":
            plans[status.target.id] = build_debian_plan(
                project,
                tf,
                only_satisfied=only_satisfied,
                cycles=cycles,
                order=order,
                target=status.target,
                unused=unused,
                walk=graph.packages if graph is not None else None,
                direct_only=direct_only,
            )
        else:
            plans[status.target.id] = build_fedora_plan(
                project, tf, modules_txt=modules_txt, target=status.target
            )
    return plans


@app.command("report")
def report_cmd(
    manifest: Annotated[
        Path, typer.Argument(help="go.mod or vendor.mod (or the directory holding it).")
    ],
    distro: Annotated[
        list[str],
        typer.Option(
            "--distro",
            "-d",
            envvar="VENDAUDIT_DISTRO",
            help="Targets, comma-separated: debian:sid,debian:trixie,ubuntu:noble,fedora:rawhide,"
            "fedora:43,epel:10. Defaults to the targets named by --index.",
        ),
    ] = [],  # noqa: B006 - typer reads the default, never mutates it
    modules_txt: Annotated[
        Path | None, typer.Option("--modules-txt", help="Default: vendor/modules.txt beside it.")
    ] = None,
    index: Annotated[
        list[str],
        typer.Option("--index", help="Use a local index file: TARGET=PATH (repeatable)."),
    ] = [],  # noqa: B006
    apt_lists: Annotated[
        Path | None,
        typer.Option(
            "--apt-lists",
            help="Read Sources files apt already downloaded (default dir /var/lib/apt/lists).",
        ),
    ] = None,
    dnf_cache: Annotated[
        Path | None, typer.Option("--dnf-cache", help="Read repodata from dnf's cache dir.")
    ] = None,
    mirror: Annotated[
        list[str],
        typer.Option("--mirror", envvar="VENDAUDIT_MIRROR", help="URL, or DISTRO=URL."),
    ] = [],  # noqa: B006
    debian_backend: Annotated[
        DebianBackendChoice,
        typer.Option("--debian-backend", envvar="VENDAUDIT_DEBIAN_BACKEND"),
    ] = DebianBackendChoice.SOURCES,
    cache_dir: Annotated[
        Path | None, typer.Option("--cache-dir", envvar="VENDAUDIT_CACHE_DIR")
    ] = None,
    offline: Annotated[
        bool, typer.Option("--offline", envvar="VENDAUDIT_OFFLINE", help="Use only the cache.")
    ] = False,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            envvar="VENDAUDIT_FORMAT",
            help=f"{one_of(ReportFormat)}.",
        ),
    ] = "table",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report here, not stdout.")
    ] = None,
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on",
            envvar="VENDAUDIT_FAIL_ON",
            help="Exit 1 when a module has one of these verdicts, e.g. outdated,missing.",
        ),
    ] = None,
    policy: Annotated[
        Path | None,
        typer.Option("--policy", envvar="VENDAUDIT_POLICY", help="TOML policy (ignores, fail_on)."),
    ] = None,
    only_satisfied: Annotated[
        bool,
        typer.Option(
            "--only-satisfied", help="Build-Depends/Files-Excluded only for what builds today."
        ),
    ] = False,
    direct_only: Annotated[
        bool,
        typer.Option(
            "--direct-only",
            help="Debian Build-Depends only for direct requirements (the -dev packages' "
            "Depends bring the rest, as docker.io relies on).",
        ),
    ] = False,
    graph: Annotated[
        GraphChoice,
        typer.Option(
            "--graph",
            help="Dependency graph for the packaging order: vendor tree, proxy, or none.",
        ),
    ] = GraphChoice.AUTO,
    licenses: Annotated[
        bool | None,
        typer.Option("--licenses/--no-licenses", help="Detect licenses of the vendor/ tree."),
    ] = None,
    progress: Annotated[
        bool | None,
        typer.Option("--progress/--no-progress", help="Default: on a TTY, unless CI is set."),
    ] = None,
    allow_unsigned: Annotated[
        bool,
        typer.Option(
            "--allow-unsigned",
            envvar="VENDAUDIT_ALLOW_UNSIGNED",
            help="Accept an InRelease whose signature is missing, bad or cannot be checked "
            "(the report says so). Without it such a target is refused, like apt does.",
        ),
    ] = False,
    keyring: Annotated[
        list[str],
        typer.Option(
            "--keyring",
            envvar="VENDAUDIT_KEYRING",
            help="Archive keyring for InRelease signatures: PATH, or DISTRO=PATH (repeatable; "
            "default: apt's debian-archive-keyring / ubuntu-archive-keyring).",
        ),
    ] = [],  # noqa: B006
    timeout: Annotated[
        float | None,
        typer.Option(
            "--timeout",
            envvar="VENDAUDIT_TIMEOUT",
            min=0.1,
            help="Seconds for the whole run's downloads; what is not fetched by then is "
            "reported unknown.",
        ),
    ] = None,
    vendor_check: Annotated[
        bool,
        typer.Option(
            "--vendor-check/--no-vendor-check",
            help="Refuse (exit 3, Go's messages) a vendor/modules.txt that disagrees with "
            "the manifest, as go build -mod=vendor does.",
        ),
    ] = True,
    tag_dates: Annotated[
        bool,
        typer.Option(
            "--tag-dates/--no-tag-dates",
            envvar="VENDAUDIT_TAG_DATES",
            help="Ask the Go module proxy (GOPROXY) for tag dates to settle snapshot-vs-tag "
            "comparisons; cached forever, honours --offline.",
        ),
    ] = True,
) -> None:
    """Audit MANIFEST's required modules against one or more distro releases."""
    from vendaudit.analysis.audit import audit
    from vendaudit.distros.registry import LookupOptions, load_targets, make_backends
    from vendaudit.report import build_report

    report_format = choice(ReportFormat, fmt)
    indexes = parse_indexes(index)
    targets = parse_targets(distro) or [Target.parse(t) for t in indexes]
    if not targets:
        fail("vendaudit: no target: give --distro (e.g. --distro debian:sid)", ExitCode.USAGE)
    from vendaudit.report.policy import Policy, PolicyError, parse_verdicts

    try:
        fail_verdicts = parse_verdicts([fail_on] if fail_on else [])
    except PolicyError as exc:
        fail(f"vendaudit: {exc}", ExitCode.USAGE)
    try:
        # No policy file is the empty policy: --fail-on alone decides.
        policy_obj = Policy.load(policy) if policy is not None else Policy()
    except PolicyError as exc:
        fail(str(exc))

    loaded = load_or_fail(manifest, modules_txt)
    project = loaded.project
    if vendor_check and loaded.files.modules_txt is not None:
        from vendaudit.cli.modules import vendor_inconsistency

        # An inconsistent vendor/ would make every plan line wrong: refuse it as go does.
        problem = vendor_inconsistency(loaded.files)
        if problem is not None:
            fail(f"{problem}\nvendaudit: use --no-vendor-check to audit anyway", ExitCode.BAD_INPUT)
    prog = make_progress(progress)
    fetcher, cache = make_fetcher(
        cache_dir=cache_dir, offline=offline, progress=prog, run_timeout=timeout
    )
    options = LookupOptions(
        mirrors=parse_mirrors(mirror),
        local_indexes=indexes,
        apt_lists=apt_lists,
        dnf_cache=dnf_cache,
        debian_backend=debian_backend.value,
        allow_unsigned=allow_unsigned,
        keyrings=parse_keyrings(keyring),
    )
    with prog, fetcher:
        results = load_targets(targets, make_backends(fetcher, cache, options, prog))
        findings = audit(project, results)
        statuses = [_relevant_notes(r, project) for r in results]
        if tag_dates:
            findings = _settle_by_dates(findings, fetcher)
        module_graph = _graph(loaded, graph, fetcher)
    plans = _plans(loaded, findings, statuses, module_graph, only_satisfied, direct_only)
    license_report = None
    vendor = _vendor_dir(project)
    if vendor is not None and licenses is not False:
        from vendaudit.licenses import detect_licenses

        license_report = detect_licenses(vendor, project.modules)
    edges = module_graph.edges() if module_graph is not None else []
    report = build_report(
        project,
        statuses,
        findings,
        plans,
        graph_edges=edges,
        licenses=license_report,
        generated_at=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        tool_version=__version__,
    )
    color = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    write_output(report_format.render(report, color=color), output)
    if output is not None or report_format is not ReportFormat.TABLE:
        # The table ends with the same summary; every other format keeps stdout clean.
        _summary(statuses, findings)

    if all(s.error is not None for s in statuses):
        raise typer.Exit(int(ExitCode.ALL_TARGETS_FAILED))
    failing = _failing(report, fail_verdicts, policy_obj)
    if failing:
        raise typer.Exit(int(ExitCode.FINDINGS))


def _failing(report: Report, verdicts: Sequence[Verdict], policy: Policy) -> int:
    """How many module/target results fail the policy (``--fail-on`` replaces its list)."""
    result = policy.evaluate(report, today=dt.date.today(), fail_on_cli=verdicts or None)
    for module, until, reason in result.expired:
        sys.stderr.write(f"vendaudit: policy ignore for {module} expired on {until}: {reason}\n")
    return len(result.failing)


def _summary(statuses: Sequence[TargetStatus], findings: Sequence[Finding]) -> None:
    """One pluralised line per target on stderr (the report itself is on stdout)."""
    for status in statuses:
        if status.error is not None:
            sys.stderr.write(f"{status.target.id}: failed to load: {status.error}\n")
            continue
        counts: dict[str, int] = {}
        for f in findings:
            if f.target == status.target:
                counts[f.verdict.value] = counts.get(f.verdict.value, 0) + 1
        parts = [f"{counts[v.value]} {v.value}" for v in Verdict if counts.get(v.value)]
        total = sum(counts.values())
        noun = "module" if total == 1 else "modules"
        sys.stderr.write(f"{status.target.id}: {total} {noun}: {', '.join(parts) or 'none'}\n")
        for note in status.notes:
            sys.stderr.write(f"{status.target.id}: note: {note}\n")


@app.command("render")
def render_cmd(
    report_json: Annotated[Path, typer.Argument(help="A report written by --format json.")],
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help=f"{one_of(ReportFormat)}."),
    ] = "markdown",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here, not stdout.")
    ] = None,
) -> None:
    """Render a stored JSON report in another format (no lookups, no network)."""
    from vendaudit.report import ReportFormatError, load_report

    report_format = choice(ReportFormat, fmt)
    try:
        report = load_report(report_json)
    except ReportFormatError as exc:
        fail(str(exc))
    color = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    write_output(report_format.render(report, color=color), output)
