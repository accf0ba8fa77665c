"""Run watched projects: read every manifest, load each target's index once, audit, store.

The audit itself is the ``report`` command's (same lookups, verdicts, dates, plans); this
module only batches it over many projects and records each result as one run.

NOTE(service): until ``vendaudit.api`` (issue #11) lands, :func:`_audit_one` reaches into
``vendaudit.cli.report``'s helpers; it is the one place to switch over.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from vendaudit import api
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
    """How a watch run looks things up and audits: the ``report`` command's options."""

    lookup: LookupOptions = field(default_factory=LookupOptions)
    audit: api.AuditOptions = field(default_factory=api.AuditOptions)
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

    Every target any project names is loaded once (:func:`vendaudit.api.load_targets`)
    before the first audit; a project whose manifest cannot be read, or whose audit cannot
    run, gets a failed run and does not stop the others.
    """
    started = utcnow()
    read: dict[str, ReadManifest | ManifestFetchError] = {}
    for project in watched:
        try:
            read[project.name] = read_watched_manifest(
                project.manifest, project.modules_txt, fetcher, vendor_check=settings.vendor_check
            )
        except ManifestFetchError as exc:
            read[project.name] = exc
    wanted: list[Target] = []
    for project in watched:
        if isinstance(read[project.name], ManifestFetchError):
            continue
        wanted += [t for t in map(Target.parse, project.targets) if t not in wanted]
    loaded = api.load_targets(wanted, settings.lookup, progress=progress, fetcher=(fetcher, cache))

    outcomes: list[RunOutcome] = []
    for project in watched:
        got = read[project.name]
        report: Report | None = None
        error: str | None = None
        if isinstance(got, ManifestFetchError):
            error = str(got)
        else:
            # The project's own targets, in its order, over the indexes loaded once.
            mine = loaded.subset([Target.parse(t) for t in project.targets])
            try:
                report = api.audit(got.loaded, mine, settings.audit)
            except api.AuditError as exc:
                error = str(exc)
        run_id = store.record_run(
            project.name,
            report,
            manifest_hash=None if isinstance(got, ManifestFetchError) else got.sha256,
            targets=project.targets,
            started_at=started,
            error=error,
        )
        outcomes.append(RunOutcome(project.name, run_id, report, error))
    return outcomes
