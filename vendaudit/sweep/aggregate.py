"""The archive-wide view: many applications' reports folded into "what to package next".

Pure functions of report view-models (:class:`vendaudit.report.Report`): the sweep builds
one report per application as ``vendaudit report`` would, and this module only counts.
Counting from the reports (not from a second audit) is what lets a test cross-check the
archive tables against the per-application reports one by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from vendaudit.distros.debian.naming import debian_dev_name
from vendaudit.model import Verdict
from vendaudit.report.model import Report, TargetSummary
from vendaudit.versions import InvalidGoVersion, go_compare

__all__ = [
    "ARCHIVE_SCHEMA_VERSION",
    "AppRow",
    "ArchiveView",
    "OutdatedPackage",
    "WantedModule",
    "build_archive_view",
]

ARCHIVE_SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class AppRow:
    """One application of the sweep: its counts per target, or why it was not audited."""

    source: str
    version: str
    manifest: str | None
    """The manifest file that was audited (``None`` when there was none)."""
    main_module: str
    error: str | None
    """Why the application was not audited (no go.mod, unreadable manifest, …)."""
    summary: tuple[tuple[str, TargetSummary], ...] = ()
    """``(target id, counts)`` in target order."""
    create: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """``(target id, modules to package)``, the plan's create list."""
    update: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """``(target id, packages to update first)``, the plan's update list."""
    report: str | None = None
    """The per-application report file, relative to the output directory."""


@dataclass(frozen=True, slots=True)
class WantedModule:
    """A module a target lacks, with the applications that require it."""

    module: str
    name: str
    """The binary package name to create (the plan's, else dh-make-golang's rule)."""
    apps: tuple[str, ...]
    lowest: str
    highest: str
    """Lowest and highest version the applications require (Go order)."""


@dataclass(frozen=True, slots=True)
class OutdatedPackage:
    """A packaged ``-dev`` binary that some applications need newer."""

    package: str
    packaged: str
    apps: tuple[str, ...]
    needed: tuple[tuple[str, str], ...]
    """``(module, highest version needed)`` for every module of this package that is behind."""

    @property
    def highest_needed(self) -> str:
        """``v1.4.0``, or ``module@v1.4.0, …`` when several modules of the package lag."""
        if len(self.needed) == 1:
            return self.needed[0][1]
        return ", ".join(f"{m}@{v}" for m, v in self.needed)


@dataclass(frozen=True, slots=True)
class ArchiveView:
    """The whole sweep: every application and the ranked tables per target."""

    generated_at: str
    rule: str
    """How the applications were chosen (said in every output)."""
    targets: tuple[str, ...]
    apps: tuple[AppRow, ...]
    missing: tuple[tuple[str, tuple[WantedModule, ...]], ...]
    """``(target id, modules)``, most-wanted first."""
    outdated: tuple[tuple[str, tuple[OutdatedPackage, ...]], ...]
    """``(target id, packages)``, most-needed first."""
    target_errors: tuple[tuple[str, str], ...] = ()
    """``(target id, why it could not be loaded)``: its tables are empty, not "all fine"."""
    schema_version: int = ARCHIVE_SCHEMA_VERSION

    @property
    def audited(self) -> int:
        """How many applications were audited."""
        return sum(1 for a in self.apps if a.error is None)

    def missing_for(self, target_id: str) -> tuple[WantedModule, ...]:
        """The most-wanted missing modules of ``target_id``."""
        return dict(self.missing).get(target_id, ())

    def outdated_for(self, target_id: str) -> tuple[OutdatedPackage, ...]:
        """The most-needed outdated packages of ``target_id``."""
        return dict(self.outdated).get(target_id, ())


def _go_max(a: str, b: str) -> str:
    try:
        return a if go_compare(a, b) >= 0 else b
    except InvalidGoVersion:
        return max(a, b)


def _go_min(a: str, b: str) -> str:
    try:
        return a if go_compare(a, b) <= 0 else b
    except InvalidGoVersion:
        return min(a, b)


@dataclass
class _Wanted:
    name: str
    apps: set[str]
    lowest: str
    highest: str


@dataclass
class _Lagging:
    packaged: str
    apps: set[str]
    needed: dict[str, str]


def _app_row(source: str, version: str, manifest: str, report: Report, file: str | None) -> AppRow:
    return AppRow(
        source=source,
        version=version,
        manifest=manifest,
        main_module=report.project.main_module,
        error=None,
        summary=report.summary,
        create=tuple((p.target.id, tuple(e.module for e in p.create)) for p in report.plans),
        update=tuple((p.target.id, tuple(e.package for e in p.update)) for p in report.plans),
        report=file,
    )


@dataclass(frozen=True, slots=True)
class AuditedApp:
    """What the sweep hands over per application: its report, or why there is none."""

    source: str
    version: str
    manifest: str | None
    report: Report | None
    error: str | None = None
    report_file: str | None = None


def build_archive_view(
    apps: Sequence[AuditedApp],
    targets: Sequence[str],
    *,
    rule: str,
    generated_at: str,
    target_errors: Sequence[tuple[str, str]] = (),
) -> ArchiveView:
    """Fold the per-application reports into the archive view (ranked, deterministic)."""
    failed = dict(target_errors)
    wanted: dict[str, dict[str, _Wanted]] = {t: {} for t in targets}
    lagging: dict[str, dict[str, _Lagging]] = {t: {} for t in targets}
    rows: list[AppRow] = []
    for app in sorted(apps, key=lambda a: a.source):
        if app.report is None:
            rows.append(AppRow(app.source, app.version, app.manifest, "", app.error or "?"))
            continue
        report = app.report
        rows.append(_app_row(app.source, app.version, app.manifest or "", report, app.report_file))
        for tid in targets:
            if tid in failed:
                continue
            names = {e.module: e.name for e in report.plan(tid).create}
            for row in report.modules:
                cell = row.result(tid)
                if cell is None:
                    continue
                if cell.verdict is Verdict.MISSING:
                    w = wanted[tid].get(row.path)
                    if w is None:
                        name = names.get(row.path) or debian_dev_name(row.path)
                        w = wanted[tid][row.path] = _Wanted(name, set(), row.version, row.version)
                    w.apps.add(app.source)
                    w.lowest = _go_min(w.lowest, row.version)
                    w.highest = _go_max(w.highest, row.version)
            for entry in report.plan(tid).update:
                lag = lagging[tid].get(entry.package)
                if lag is None:
                    lag = lagging[tid][entry.package] = _Lagging(entry.packaged, set(), {})
                lag.apps.add(app.source)
                seen = lag.needed.get(entry.module)
                lag.needed[entry.module] = (
                    entry.needed if seen is None else _go_max(seen, entry.needed)
                )
    missing = tuple(
        (
            tid,
            tuple(
                WantedModule(path, w.name, tuple(sorted(w.apps)), w.lowest, w.highest)
                for path, w in sorted(wanted[tid].items(), key=lambda kv: (-len(kv[1].apps), kv[0]))
            ),
        )
        for tid in targets
    )
    outdated = tuple(
        (
            tid,
            tuple(
                OutdatedPackage(
                    pkg, lag.packaged, tuple(sorted(lag.apps)), tuple(sorted(lag.needed.items()))
                )
                for pkg, lag in sorted(
                    lagging[tid].items(), key=lambda kv: (-len(kv[1].apps), kv[0])
                )
            ),
        )
        for tid in targets
    )
    return ArchiveView(
        generated_at=generated_at,
        rule=rule,
        targets=tuple(targets),
        apps=tuple(rows),
        missing=missing,
        outdated=outdated,
        target_errors=tuple(target_errors),
    )
