"""The audit as a library call: what ``vendaudit report``, the service and the sweep run.

Load the distro indexes once, then audit any number of projects against them::

    from vendaudit import api

    with api.load_targets(["debian:sid", "debian:trixie"], api.LookupOptions(apt_lists=...)) as t:
        for manifest in manifests:
            report = api.audit(api.load_project(manifest), t, api.AuditOptions(tag_dates=False))

:func:`audit` returns the :class:`~vendaudit.report.Report` view-model every renderer reads
(``ReportFormat.JSON.render(report)``); it never writes to stdout or exits.  Failures are
typed: a bad manifest raises :class:`~vendaudit.gomod.errors.ManifestError` (``file:line:
message``), a graph that cannot be built :class:`GraphUnavailable`, a bad Go environment
:class:`GoEnvironmentError`; a distro that cannot be loaded is *data* (every verdict of that
target ``unknown``, the reason in ``report.targets``), never an exception.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from vendaudit import __version__
from vendaudit.model import Finding, Project, QueueEntry, Target, TargetStatus
from vendaudit.progress import NULL_PROGRESS, Progress

if TYPE_CHECKING:
    from vendaudit.analysis.goenv import GoEnv
    from vendaudit.analysis.graph import ModuleGraph
    from vendaudit.distros.interface import LoadResult
    from vendaudit.distros.registry import LookupOptions
    from vendaudit.fetch import Cache, Fetcher, Timeouts
    from vendaudit.gomod.project import LoadedProject
    from vendaudit.plans import Plan
    from vendaudit.report.model import Report
    from vendaudit.vulns.client import VulnDB
    from vendaudit.vulns.model import SecurityView

logger = logging.getLogger(__name__)

__all__ = [
    "AuditError",
    "AuditOptions",
    "GoEnvironmentError",
    "GraphChoice",
    "GraphUnavailable",
    "InconsistentVendoring",
    "LoadedProject",
    "LoadedTargets",
    "LookupOptions",
    "audit",
    "load_project",
    "load_targets",
    "open_fetcher",
]


def __getattr__(name: str) -> Any:
    # Re-exported lazily: the CLI reads this module's vocabularies (GraphChoice) at start-up,
    # and these pull in the fetch and manifest layers.
    if name == "LookupOptions":
        from vendaudit.distros.registry import LookupOptions

        return LookupOptions
    if name == "LoadedProject":
        from vendaudit.gomod.project import LoadedProject

        return LoadedProject
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class AuditError(Exception):
    """The audit of one project could not be run as asked; the message says why."""


class GraphUnavailable(AuditError):
    """The dependency graph asked for cannot be built (e.g. no vendor/ tree): bad input."""


class InconsistentVendoring(AuditError):
    """vendor/modules.txt disagrees with the manifest (Go's message): every plan would be wrong."""


class GoEnvironmentError(AuditError):
    """``GOPROXY``, ``GOFLAGS``… cannot be read: a usage problem of the caller."""


class GraphChoice(StrEnum):
    """Which dependency graph orders the packaging queue."""

    AUTO = "auto"
    """The vendor tree when there is one, else no graph."""
    VENDOR = "vendor"
    PROXY = "proxy"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class AuditOptions:
    """How one project is audited (every field has the CLI's default)."""

    tag_dates: bool = True
    """Ask the Go module proxy for tag dates to settle snapshot-vs-tag comparisons."""
    graph: GraphChoice = GraphChoice.AUTO
    only_satisfied: bool = False
    """Debian Build-Depends/Files-Excluded only for what builds today."""
    direct_only: bool = False
    """Debian Build-Depends only for direct requirements."""
    licenses: bool | None = None
    """Detect the vendor/ tree's licences: ``None`` means whenever the tree is present."""
    generated_at: str | None = None
    """The report's timestamp; default: now (UTC, seconds)."""
    environ: Mapping[str, str] | None = None
    """The Go environment (GOPROXY, GOFLAGS, GOOS…); default ``os.environ``."""
    debian_source: str | None = None
    """The Debian source of the audited project, for build cycles (default: the source
    whose Go-Import-Path declares the main module, e.g. docker.io for
    github.com/docker/docker)."""
    on_warning: Callable[[str], None] | None = None
    """Told about things the caller should see but that do not stop the audit."""
    vulns: bool = False
    """Check the modules against the Go vulnerability database and join with the findings."""
    govulndb: str | None = None
    """The database URL; default ``$GOVULNDB``, else https://vuln.go.dev."""


def load_project(
    manifest: str | Path, modules_txt: str | Path | None = None, *, vendor_check: bool = True
) -> LoadedProject:
    """Read a go.mod / vendor.mod (or the directory holding one) with modules.txt and sums.

    Raises :class:`~vendaudit.gomod.errors.ManifestError` with Go's ``file:line: message``,
    and (unless ``vendor_check`` is off) :class:`InconsistentVendoring` when modules.txt
    disagrees with the manifest, as ``go build -mod=vendor`` refuses it.
    """
    from vendaudit.gomod.project import load, vendor_inconsistency

    loaded = load(manifest, modules_txt=modules_txt)
    if vendor_check and loaded.files.modules_txt is not None:
        problem = vendor_inconsistency(loaded.files)
        if problem is not None:
            raise InconsistentVendoring(problem)
    return loaded


class LoadedTargets:
    """Distro indexes loaded once, to audit any number of projects against.

    Holds the :class:`~vendaudit.fetch.Fetcher` the audits still need (tag dates, proxy
    graphs): use it as a context manager, or call :meth:`close`.
    """

    def __init__(self, results: Sequence[LoadResult], fetcher: Fetcher) -> None:
        """Wrap the load results of :func:`load_targets` and the fetcher that made them."""
        self.results: tuple[LoadResult, ...] = tuple(results)
        self.fetcher = fetcher
        # One unreachable proxy is enough to know, for every project of this session.
        self.proxy_unreachable = threading.Event()
        """Set once the module proxy could not be reached: no audit asks it again."""
        self._vulndbs: dict[str, VulnDB] = {}
        self._vulndb_lock = threading.Lock()

    def subset(self, targets: Sequence[Target]) -> LoadedTargets:
        """These targets' results, in this order, sharing this session's fetcher, the
        unreachable-proxy flag and the vulnerability database clients."""
        by_id = {r.target.id: r for r in self.results}
        sub = LoadedTargets([by_id[t.id] for t in targets], self.fetcher)
        sub.proxy_unreachable = self.proxy_unreachable
        sub._vulndbs, sub._vulndb_lock = self._vulndbs, self._vulndb_lock
        return sub

    def vuln_db(self, environ: Mapping[str, str], url: str | None = None) -> VulnDB:
        """The session's client of the Go vulnerability database at ``url`` (or GOVULNDB).

        One per URL, so auditing many projects revalidates ``index/db.json`` once, not once
        per project.
        """
        from vendaudit.vulns.client import VulnDB

        db = VulnDB.from_environ(environ, self.fetcher, url=url)
        with self._vulndb_lock:
            return self._vulndbs.setdefault(db.url, db)

    @property
    def targets(self) -> tuple[Target, ...]:
        """The targets, in the order asked for."""
        return tuple(r.target for r in self.results)

    @property
    def all_failed(self) -> bool:
        """True when no target could be loaded."""
        from vendaudit.distros.interface import Failed

        return all(isinstance(r, Failed) for r in self.results)

    def close(self) -> None:
        """Close the HTTP client (if one was ever built)."""
        self.fetcher.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def open_fetcher(
    cache_dir: Path | None = None,
    offline: bool = False,
    progress: Progress = NULL_PROGRESS,
    *,
    timeouts: Timeouts | None = None,
    run_timeout: float | None = None,
) -> tuple[Fetcher, Cache]:
    """The one Fetcher a run uses, with its on-disk cache (default: the platform cache dir).

    ``timeouts`` per request (default :class:`~vendaudit.fetch.Timeouts`' own), and
    ``run_timeout`` seconds for all downloads of the run.
    """
    from vendaudit.fetch import Cache, Fetcher, default_cache_dir

    cache = Cache(cache_dir or default_cache_dir())
    # No client yet: the Fetcher builds one on first use, so local-only runs skip TLS setup.
    fetcher = Fetcher(
        None,
        cache,
        offline=offline,
        progress=progress,
        timeouts=timeouts,
        run_timeout=run_timeout,
    )
    return fetcher, cache


def load_targets(
    targets: Sequence[Target | str],
    lookup: LookupOptions | None = None,
    *,
    cache_dir: Path | None = None,
    offline: bool = False,
    progress: Progress = NULL_PROGRESS,
    fetcher: tuple[Fetcher, Cache | None] | None = None,
) -> LoadedTargets:
    """Load every target's index (downloads overlap); a failed target is data, not a raise.

    ``targets`` are :class:`~vendaudit.model.Target` values or ``distro:release`` strings
    (``ValueError`` for a bad spelling).  ``fetcher`` (a fetcher and its cache) overrides
    the pair :func:`open_fetcher` builds from ``cache_dir``/``offline``: tests inject a fake
    transport this way.
    """
    from vendaudit.distros.registry import LookupOptions, make_backends
    from vendaudit.distros.registry import load_targets as load_all

    wanted = [t if isinstance(t, Target) else Target.parse(t) for t in targets]
    client, cache = fetcher or open_fetcher(cache_dir, offline, progress)
    backends = make_backends(client, cache, lookup or LookupOptions(), progress, wanted)
    return LoadedTargets(load_all(wanted, backends), client)


def audit(
    project: LoadedProject, targets: LoadedTargets, options: AuditOptions | None = None
) -> Report:
    """Judge every required module of ``project`` in every target, plan, and build the report.

    Raises :class:`GraphUnavailable` or :class:`GoEnvironmentError` when the graph asked for
    in ``options`` cannot be built; nothing else of a run's own making.
    """
    from vendaudit.analysis.audit import audit as judge_all
    from vendaudit.report.build import build_report

    options = options or AuditOptions()
    mods = project.project
    findings = judge_all(mods, targets.results, project_source=options.debian_source)
    statuses = [_relevant_status(r, mods) for r in targets.results]
    if options.tag_dates:
        findings = _settle_by_dates(findings, targets, options)
    graph = _graph(project, targets.fetcher, options)
    from vendaudit.distros.interface import Loaded

    # The binary names each target already has: never proposed for a new package.
    taken = {r.target.id: r.index.binary_names() for r in targets.results if isinstance(r, Loaded)}
    plans = _plans(project, findings, statuses, graph, options, taken)
    vendor = vendor_tree(mods)
    license_report = None
    if vendor is not None and options.licenses is not False:
        from vendaudit.licenses import detect_licenses

        license_report = detect_licenses(vendor, mods.modules)
    report = build_report(
        mods,
        statuses,
        findings,
        plans,
        graph_edges=graph.edges() if graph is not None else [],
        licenses=license_report,
        # None: build_report stamps the time itself, honouring SOURCE_DATE_EPOCH.
        generated_at=options.generated_at,
        tool_version=__version__,
    )
    security = _security(mods, findings, statuses, targets, options) if options.vulns else None
    sums = tuple(
        (f"{e.path}@{e.version}", e.hash)
        for e in (project.sums.entries if project.sums is not None else ())
        if not e.go_mod
    )
    return dataclasses.replace(report, security=security, sums=sums)


def _security(
    project: Project,
    findings: Sequence[Finding],
    statuses: Sequence[TargetStatus],
    targets: LoadedTargets,
    options: AuditOptions,
) -> SecurityView:
    """Check against the Go vulnerability database and join with the findings.

    A database that cannot be read (offline with an empty cache, unreachable) gives a section
    whose vulnerabilities are unknown, with the reason: never a failed audit.
    """
    from vendaudit.vulns import security_view
    from vendaudit.vulns.client import scan_modules
    from vendaudit.vulns.model import SecurityView as View

    environ = options.environ if options.environ is not None else os.environ
    db = targets.vuln_db(environ, options.govulndb)
    scan = scan_modules(project.modules, db)
    if scan.error is not None:
        _warn(options, f"vulnerabilities unknown: {scan.error}")
        return View(scan.database, "", (), error=scan.error)
    notes = ("stdlib/toolchain entries are not checked: the distro's Go builds the package",)
    return security_view(
        scan.database, scan.modified, scan.vulns, scan.entries, findings, statuses, notes
    )


def _warn(options: AuditOptions, message: str) -> None:
    if options.on_warning is not None:
        options.on_warning(message)
    else:
        logger.warning("%s", message)


def _relevant_status(loaded: LoadResult, project: Project) -> TargetStatus:
    """The target's status with only the index notes that concern this project's modules."""
    from vendaudit.distros.interface import Failed

    if isinstance(loaded, Failed):
        return loaded.status
    return dataclasses.replace(loaded.status, notes=loaded.index.notes_for(project.modules))


def vendor_tree(project: Project) -> Path | None:
    """The project's vendor/ directory when its code is there (not just modules.txt)."""
    if project.modules_txt is None:
        return None
    vendor = Path(project.modules_txt).parent
    # A vendor tree is "present" when at least one vendored package directory exists.
    for module in project.modules:
        for pkg in module.packages[:1]:
            try:
                if (vendor / pkg).is_dir():
                    return vendor
            except OSError:  # ENAMETOOLONG, EACCES: that package directory is not usable
                continue
    return None


def _go_env(options: AuditOptions) -> GoEnv:
    from vendaudit.analysis.goenv import GoEnv

    return GoEnv.from_environ(os.environ if options.environ is None else options.environ)


def _graph(project: LoadedProject, fetcher: Fetcher, options: AuditOptions) -> ModuleGraph | None:
    """The module graph used to order the packaging queue, or None."""
    choice = options.graph
    vendor = vendor_tree(project.project)
    if choice is GraphChoice.NONE or (choice is GraphChoice.AUTO and vendor is None):
        return None
    # networkx is slow to import: only now that a graph is wanted.
    from vendaudit.analysis.goenv import GoEnvError
    from vendaudit.analysis.projectgraph import proxy_graph, vendor_graph

    try:
        env = _go_env(options)
    except GoEnvError as exc:
        raise GoEnvironmentError(f"go environment: {exc}") from exc
    if choice in (GraphChoice.AUTO, GraphChoice.VENDOR):
        if vendor is None:
            raise GraphUnavailable(
                f"{project.project.manifest}: --graph vendor needs a vendor/ tree beside it"
            )
        return vendor_graph(project.project, env, vendor_dir=vendor)
    return proxy_graph(project.project, fetcher, env, project.sums)


def _settle_by_dates(
    findings: list[Finding], targets: LoadedTargets, options: AuditOptions
) -> list[Finding]:
    """Turn datable "cannot compare" verdicts into satisfied/outdated (see analysis.dates)."""
    from vendaudit.analysis.dates import (
        dates_needed,
        fetch_dates,
        fetch_known,
        own_versions_needed,
        settle_by_dates,
        settle_own_versions,
    )
    from vendaudit.analysis.goenv import GoEnvError
    from vendaudit.analysis.goproxy import ProxyClient

    if not dates_needed(findings) and not own_versions_needed(findings):
        return findings
    try:
        client = ProxyClient(targets.fetcher, _go_env(options))
    except GoEnvError as exc:
        _warn(options, f"vendaudit: not asking the module proxy for dates: {exc}")
        return findings
    unreachable = targets.proxy_unreachable

    def info(path: str, version: str) -> tuple[bool | None, dt.datetime | None]:
        if unreachable.is_set():
            return None, None
        known, when, error = client.lookup_info(path, version)
        if error is not None:
            logger.info("no answer for %s@%s: %s", path, version, error)
            if error.unreachable:
                # One unreachable proxy is enough to know: do not retry it per module.
                unreachable.set()
        return known, when

    # First: is a covering package's version the module's own (otlp in
    # golang-opentelemetry-proto)?  Then dates for what is still unknown.
    own = own_versions_needed(findings)
    findings = settle_own_versions(findings, fetch_known(own, lambda p, v: info(p, v)[0]))
    wanted = dates_needed(findings)
    settled = settle_by_dates(findings, fetch_dates(wanted, lambda p, v: info(p, v)[1]))
    if unreachable.is_set():
        left = sum(1 for f in settled if dates_needed([f]))
        _warn(
            options,
            f"vendaudit: module proxy unreachable: {left} "
            f"{'verdict' if left == 1 else 'verdicts'} left unknown "
            "(use --no-tag-dates or --offline)",
        )
    return settled


def _plans(
    loaded: LoadedProject,
    findings: Sequence[Finding],
    statuses: Sequence[TargetStatus],
    graph: ModuleGraph | None,
    options: AuditOptions,
    taken: Mapping[str, frozenset[str]],
) -> dict[str, Plan]:
    """One plan per loaded target, by the planner its distro's descriptor names."""
    from vendaudit.analysis.audit import by_target
    from vendaudit.distros.registry import PlanRequest, make_plan

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
    grouped = by_target(findings)
    plans: dict[str, Plan] = {}
    for status in statuses:
        if status.error is not None:
            continue
        target = status.target
        # The planner is the target's registered descriptor's (vendaudit.descriptor).
        plans[target.id] = make_plan(
            PlanRequest(
                project,
                grouped.get(target.id, []),
                target,
                modules_txt=loaded.files.modules_txt,
                cycles=cycles,
                order=order,
                unused=unused,
                walk=graph.packages if graph is not None else None,
                only_satisfied=options.only_satisfied,
                direct_only=options.direct_only,
                taken=taken.get(target.id, frozenset()),
            )
        )
    return plans
