"""Build the :class:`~vendaudit.report.model.Report` view-model, once, from audit results."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from typing import Protocol

from vendaudit.model import Finding, Project, Target, TargetStatus, Verdict
from vendaudit.plans import Plan, empty_plan
from vendaudit.report.model import (
    LicenseRow,
    LicenseView,
    ModuleRow,
    PackageInfo,
    ProjectInfo,
    ReplaceInfo,
    Report,
    ResultCell,
    TargetRow,
    TargetSummary,
    ToolInfo,
)

__all__ = ["LicenseReportLike", "ModuleLicenseLike", "build_report", "generated_now"]

TOOL_NAME = "vendaudit"


class ModuleLicenseLike(Protocol):
    """What the report reads from ``vendaudit.licenses.ModuleLicense``."""

    @property
    def path(self) -> str:
        """Module path."""

    @property
    def spdx(self) -> str | None:
        """SPDX identifier, ``None`` when not recognised."""

    @property
    def files(self) -> Sequence[str]:
        """Licence files the detector read."""

    @property
    def detector(self) -> str:
        """Which detector decided."""

    @property
    def note(self) -> str:
        """Free-text caveat."""

    @property
    def copyright(self) -> Sequence[str]:
        """Copyright statements found in the licence/NOTICE files."""


class LicenseReportLike(Protocol):
    """What the report reads from ``vendaudit.licenses.LicenseReport``.

    A Protocol, so the report layer never imports the licence layer (not even to type-check).
    """

    @property
    def per_module(self) -> Sequence[ModuleLicenseLike]:
        """One entry per vendored module."""

    @property
    def expression(self) -> str:
        """The combined SPDX expression."""

    @property
    def unrecognised(self) -> Sequence[str]:
        """Modules whose licence text was not recognised."""

    @property
    def missing(self) -> Sequence[str]:
        """Modules with no licence file."""


def build_report(
    project: Project,
    statuses: Sequence[TargetStatus],
    findings: Sequence[Finding],
    plans: Mapping[str, Plan],
    *,
    graph_edges: Sequence[tuple[str, str]] = (),
    licenses: LicenseReportLike | None = None,
    generated_at: str | None = None,
    tool_version: str,
) -> Report:
    """Assemble the report every renderer reads.

    Targets keep the order of ``statuses`` (the user's ``--distro`` order); targets that only
    appear in ``findings`` or ``plans`` follow.  Modules are sorted by path and carry a result
    for every target: a missing finding becomes ``unknown`` (with the target's error when it
    failed), so no renderer ever has to guess.
    """
    targets = _targets(statuses, findings, plans)
    by_key = {(f.module.path, f.target.id): f for f in findings}
    modules = {m.path: m for m in project.modules}
    for f in findings:
        modules.setdefault(f.module.path, f.module)

    rows: list[ModuleRow] = []
    for path in sorted(modules):
        mod = modules[path]
        cells = tuple((t.id, _cell(by_key.get((path, t.id)), t)) for t in targets)
        rows.append(
            ModuleRow(
                path=mod.path,
                version=mod.version,
                indirect=mod.indirect,
                replace=(
                    ReplaceInfo(mod.replace.path, mod.replace.version) if mod.replace else None
                ),
                results=cells,
            )
        )

    summary = tuple(
        (t.id, TargetSummary.of([dict(r.results)[t.id].verdict for r in rows])) for t in targets
    )
    # A failed target gets an empty plan of its family: every target has exactly one.
    target_plans = tuple(plans[t.id] if t.id in plans else empty_plan(t.target) for t in targets)
    return Report(
        tool=ToolInfo(TOOL_NAME, tool_version),
        generated_at=generated_at if generated_at is not None else generated_now(),
        project=ProjectInfo(
            manifest=project.manifest,
            main_module=project.main_module,
            go=project.go,
            modules_txt=project.modules_txt,
        ),
        targets=tuple(targets),
        modules=tuple(rows),
        plans=target_plans,
        summary=summary,
        graph_edges=tuple(sorted(set(graph_edges))),
        licenses=_licenses(licenses) if licenses is not None else None,
    )


def _targets(
    statuses: Sequence[TargetStatus], findings: Sequence[Finding], plans: Mapping[str, Plan]
) -> list[TargetRow]:
    rows: dict[str, TargetRow] = {}
    for st in statuses:
        rows.setdefault(st.target.id, _target_row(st.target, st))
    # One Finding per (module, target): build a row only for a target not seen yet, not
    # (as setdefault would) one per finding.
    for target in dict.fromkeys([f.target for f in findings] + [p.target for p in plans.values()]):
        if target.id not in rows:
            rows[target.id] = _target_row(target, None)
    return list(rows.values())


def _target_row(target: Target, status: TargetStatus | None) -> TargetRow:
    return TargetRow(
        id=target.id,
        distro=target.distro,
        release=target.release,
        source=status.provenance if status else "",
        notes=tuple(status.notes) if status else (),
        error=status.error if status else None,
        packages=status.packages if status else 0,
    )


def _cell(finding: Finding | None, target: TargetRow) -> ResultCell:
    if finding is None:
        # The lead's engine emits a Finding for every (module, target); this is a safety
        # net so a gap shows as "unknown" rather than silently as "satisfied" or "missing".
        reason = target.error or "no result recorded for this target"
        return ResultCell(Verdict.UNKNOWN, None, reason, False)
    pkg = finding.package
    info = (
        PackageInfo(
            source=pkg.source,
            binary=pkg.binary,
            version=pkg.version.distro_version,
            go_version=pkg.version.go_version,
            import_path=pkg.import_path,
            match=pkg.match.value,
        )
        if pkg is not None
        else None
    )
    return ResultCell(finding.verdict, info, finding.reason, finding.by_date)


def _licenses(lic: LicenseReportLike) -> LicenseView:
    return LicenseView(
        per_module=tuple(
            sorted(
                (
                    LicenseRow(
                        m.path, m.spdx, tuple(m.files), m.detector, m.note, tuple(m.copyright)
                    )
                    for m in lic.per_module
                ),
                key=lambda r: r.path,
            )
        ),
        expression=lic.expression,
        unrecognised=tuple(lic.unrecognised),
        missing=tuple(lic.missing),
    )


def generated_now() -> str:
    """A report's ``generated_at``: now in UTC, or ``SOURCE_DATE_EPOCH`` when it is set.

    SOURCE_DATE_EPOCH (reproducible-builds.org) lets CI produce byte-identical reports.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = (
        dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        if epoch and epoch.isdigit()
        else dt.datetime.now(dt.UTC)
    )
    return when.replace(microsecond=0).isoformat().replace("+00:00", "Z")
