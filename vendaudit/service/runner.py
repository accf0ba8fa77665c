"""Run watched projects: read every manifest, load each target's index once, audit, store.

The audit itself is the ``report`` command's (same lookups, verdicts, dates, plans); this
module only batches it over many projects and records each result as one run.

NOTE(service): until ``vendaudit.api`` (issue #11) lands, :func:`_audit_one` reaches into
``vendaudit.cli.report``'s helpers; it is the one place to switch over.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from vendaudit import __version__
from vendaudit.distros.interface import LoadResult
from vendaudit.distros.registry import LookupOptions
from vendaudit.fetch import Cache, Fetcher
from vendaudit.model import Target
from vendaudit.progress import NULL_PROGRESS, Progress
from vendaudit.report import Report
from vendaudit.service.manifests import ManifestFetchError, ReadManifest, read_watched_manifest
from vendaudit.service.store import Store, WatchedProject, utcnow

__all__ = ["RunOutcome", "RunSettings", "run_projects"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunSettings:
    """How a watch run looks things up: the ``report`` command's source options."""

    lookup: LookupOptions = field(default_factory=LookupOptions)
    tag_dates: bool = True
    graph: str = "auto"
    only_satisfied: bool = False
    direct_only: bool = False
    licenses: bool | None = None
    vendor_check: bool = True


@dataclass(frozen=True, slots=True)
class RunOutcome:
    """What happened to one project in a watch run."""

    project: str
    run_id: int
    report: Report | None
    error: str | None


def run_projects(
    store: Store,
    watched: Sequence[WatchedProject],
    settings: RunSettings,
    fetcher: Fetcher,
    cache: Cache | None,
    progress: Progress = NULL_PROGRESS,
) -> list[RunOutcome]:
    """Audit every project in ``watched`` and store one run each.

    Every target any project names is loaded once, in parallel, before the first audit;
    a project whose manifest cannot be read gets a failed run and does not stop the others.
    """
    from vendaudit.distros.registry import load_targets, make_backends

    started = utcnow()
    read: dict[str, ReadManifest | ManifestFetchError] = {}
    for project in watched:
        try:
            ok = read_watched_manifest(project.manifest, project.modules_txt, fetcher)
            if settings.vendor_check:
                _check_vendor(ok)
            read[project.name] = ok
        except ManifestFetchError as exc:
            read[project.name] = exc
    wanted: list[Target] = []
    for project in watched:
        for tid in project.targets:
            target = Target.parse(tid)
            if target not in wanted and not isinstance(read[project.name], ManifestFetchError):
                wanted.append(target)
    loaded_targets = load_targets(wanted, make_backends(fetcher, cache, settings.lookup, progress))
    by_id = {result.status.target.id: result for result in loaded_targets}

    outcomes: list[RunOutcome] = []
    for project in watched:
        got = read[project.name]
        if isinstance(got, ManifestFetchError):
            run_id = store.record_run(
                project.name,
                None,
                manifest_hash=None,
                targets=project.targets,
                started_at=started,
                error=str(got),
            )
            outcomes.append(RunOutcome(project.name, run_id, None, str(got)))
            continue
        results = [by_id[Target.parse(t).id] for t in project.targets]
        report = _audit_one(got, results, settings, fetcher)
        run_id = store.record_run(
            project.name,
            report,
            manifest_hash=got.sha256,
            targets=project.targets,
            started_at=started,
        )
        outcomes.append(RunOutcome(project.name, run_id, report, None))
    return outcomes


def _check_vendor(got: ReadManifest) -> None:
    """Refuse an inconsistent vendor/modules.txt as ``report`` does (Go's own messages)."""
    from vendaudit.cli.modules import vendor_inconsistency

    if got.loaded.files.modules_txt is None:
        return
    problem = vendor_inconsistency(got.loaded.files)
    if problem is not None:
        raise ManifestFetchError(problem)


def _audit_one(
    got: ReadManifest,
    results: Sequence[LoadResult],
    settings: RunSettings,
    fetcher: Fetcher,
) -> Report:
    """The ``report`` command's audit of one loaded project against loaded targets."""
    import typer

    from vendaudit.analysis.audit import audit
    from vendaudit.cli import report as cli_report
    from vendaudit.report import build_report

    loaded = got.loaded
    project = loaded.project
    findings = audit(project, results)
    statuses = [cli_report._relevant_notes(r, project) for r in results]
    if settings.tag_dates:
        findings = cli_report._settle_by_dates(findings, fetcher)
    try:
        graph = cli_report._graph(loaded, cli_report.GraphChoice(settings.graph), fetcher)
    except typer.Exit:
        # The report command exits on a bad Go environment; a watch run just goes without.
        logger.warning("%s: no dependency graph (see `vendaudit report`)", project.manifest)
        graph = None
    plans = cli_report._plans(
        loaded, findings, statuses, graph, settings.only_satisfied, settings.direct_only
    )
    license_report = None
    vendor = cli_report._vendor_dir(project)
    if vendor is not None and settings.licenses is not False:
        from vendaudit.licenses import detect_licenses

        license_report = detect_licenses(vendor, project.modules)
    return build_report(
        project,
        statuses,
        findings,
        plans,
        graph_edges=graph.edges() if graph is not None else [],
        licenses=license_report,
        generated_at=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        tool_version=__version__,
    )
