"""The report view-model: built once by :mod:`.build`, read by every renderer.

The shape mirrors the published JSON document (``schema.json``, schema_version 1) one to
one, so that JSON is a plain serialisation and :func:`vendaudit.report.json.report_from_json`
can rebuild the very same value from a stored report (``vendaudit diff`` needs that).
Counts are computed once here and never again by a renderer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from vendaudit.model import Target, Verdict
from vendaudit.plans import Plan, empty_plan

if TYPE_CHECKING:
    # Only ``report --vulns`` builds one; a plain report never imports the vulns model
    # (nine dataclasses). report.json resolves the name when it checks a stored report.
    from vendaudit.vulns.model import SecurityView

__all__ = [
    "ATTENTION",
    "SCHEMA_VERSION",
    "VERDICT_ORDER",
    "WORST_FIRST",
    "LicenseRow",
    "LicenseView",
    "ModuleRow",
    "PackageInfo",
    "ProjectInfo",
    "ReplaceInfo",
    "Report",
    "ResultCell",
    "TargetRow",
    "TargetSummary",
    "ToolInfo",
    "plural",
]

SCHEMA_VERSION = 1
"""The version of the JSON document this vendaudit writes and reads."""

VERDICT_ORDER: tuple[Verdict, ...] = tuple(Verdict)
"""Every verdict, best first: the column order of summaries."""

ATTENTION = frozenset({Verdict.OUTDATED, Verdict.OTHER_MAJOR, Verdict.MISSING})
"""Verdicts a packager has to act on (``unknown`` is a data problem, not a finding)."""

WORST_FIRST: tuple[Verdict, ...] = (
    Verdict.MISSING,
    Verdict.OUTDATED,
    Verdict.OTHER_MAJOR,
    Verdict.UNKNOWN,
    Verdict.REPLACED,
    Verdict.SATISFIED,
)
"""Every verdict, what blocks a packager first: the row order of module tables (Markdown, HTML)."""

# Headlines lead with what blocks packaging, then what merely needs work.
HEADLINE_ORDER: tuple[Verdict, ...] = (
    Verdict.MISSING,
    Verdict.OUTDATED,
    Verdict.OTHER_MAJOR,
    Verdict.REPLACED,
    Verdict.UNKNOWN,
)


def plural(n: int, noun: str) -> str:
    """``1 module``, ``2 modules`` (English count + noun; only regular plurals)."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


@dataclass(frozen=True, slots=True)
class ToolInfo:
    """The program that wrote the report."""

    name: str
    version: str


@dataclass(frozen=True, slots=True)
class ProjectInfo:
    """Which manifest was audited."""

    manifest: str
    main_module: str
    go: str
    modules_txt: str | None


@dataclass(frozen=True, slots=True)
class TargetRow:
    """One audited distro release and how loading it went."""

    id: str
    distro: str
    release: str
    source: str
    """Provenance: where the package index came from."""
    notes: tuple[str, ...]
    error: str | None
    packages: int

    @property
    def target(self) -> Target:
        """The :class:`~vendaudit.model.Target` this row describes."""
        return Target(self.distro, self.release)

    @property
    def family(self) -> str:
        """``deb`` for Debian/Ubuntu, ``rpm`` for Fedora/EPEL (``Target.family``)."""
        return self.target.family


@dataclass(frozen=True, slots=True)
class PackageInfo:
    """The distro package a verdict rests on, flattened for output."""

    source: str
    binary: str
    version: str
    """The distro's own version string (``1.4.0-1``)."""
    go_version: str | None
    import_path: str
    match: str


@dataclass(frozen=True, slots=True)
class ResultCell:
    """The verdict for one module in one target."""

    verdict: Verdict
    package: PackageInfo | None
    reason: str
    by_date: bool

    def label(self) -> str:
        """``outdated``, or ``outdated (by date)`` when a snapshot's date decided."""
        return self.verdict.value + (" (by date)" if self.by_date else "")

    def short(self) -> str:
        """Compact cell text shared by the table renderer and the graph's tooltips."""
        text = self.verdict.value
        if self.package is not None:
            text += f" {self.package.version}"
        if self.by_date:
            text += " (by date)"
        return text


@dataclass(frozen=True, slots=True)
class ReplaceInfo:
    """A ``replace`` directive's right-hand side (``version == ""``: a local directory)."""

    path: str
    version: str


@dataclass(frozen=True, slots=True)
class ModuleRow:
    """One required module with its result in every target (in report target order)."""

    path: str
    version: str
    indirect: bool
    replace: ReplaceInfo | None
    results: tuple[tuple[str, ResultCell], ...]
    """``(target id, cell)`` pairs; every report target appears exactly once."""

    def display_version(self) -> str:
        """``v1.2.3``, or ``v1.2.3 => fork v1.2.4`` when replaced (shared by table and Markdown)."""
        if self.replace is None:
            return self.version
        rep = self.replace
        return f"{self.version} => {rep.path}" + (f" {rep.version}" if rep.version else "")

    def result(self, target_id: str) -> ResultCell | None:
        """The cell for ``target_id``, or ``None`` when the target is not in the report."""
        for tid, cell in self.results:
            if tid == target_id:
                return cell
        return None


@dataclass(frozen=True, slots=True)
class TargetSummary:
    """Verdict counts for one target, precomputed for every renderer."""

    counts: tuple[tuple[Verdict, int], ...]
    """Every verdict in :data:`VERDICT_ORDER`, zeros included."""
    total: int

    def count(self, verdict: Verdict) -> int:
        """How many modules got ``verdict``."""
        return dict(self.counts).get(verdict, 0)

    def headline(self) -> str:
        """``12 missing, 3 outdated`` (non-satisfied counts), or ``all satisfied``."""
        counts = dict(self.counts)
        parts = [f"{counts[v]} {v.value}" for v in HEADLINE_ORDER if counts.get(v)]
        if parts:
            return ", ".join(parts)
        return "all satisfied" if self.total else "no modules"

    @classmethod
    def of(cls, verdicts: Sequence[Verdict]) -> TargetSummary:
        """Count ``verdicts``."""
        counts = tuple((v, sum(1 for x in verdicts if x is v)) for v in VERDICT_ORDER)
        return cls(counts=counts, total=len(verdicts))


@dataclass(frozen=True, slots=True)
class LicenseRow:
    """The licence detected for one vendored module."""

    path: str
    spdx: str | None
    files: tuple[str, ...]
    detector: str
    note: str
    copyright: tuple[str, ...] = ()
    """Copyright statements of its licence/NOTICE files (for debian/copyright)."""


@dataclass(frozen=True, slots=True)
class LicenseView:
    """The licence section of a report (optional input from :mod:`vendaudit.licenses`)."""

    per_module: tuple[LicenseRow, ...]
    expression: str
    unrecognised: tuple[str, ...]
    missing: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Report:
    """The whole report: what every renderer reads and what JSON serialises."""

    tool: ToolInfo
    generated_at: str
    project: ProjectInfo
    targets: tuple[TargetRow, ...]
    modules: tuple[ModuleRow, ...]
    """Sorted by path."""
    plans: tuple[Plan, ...]
    """One plan per target, in target order (the model's own per-family plan types)."""
    summary: tuple[tuple[str, TargetSummary], ...]
    """``(target id, counts)`` in target order."""
    graph_edges: tuple[tuple[str, str], ...] = ()
    """``(dependent, dependency)`` pairs, as ``go mod graph`` prints them."""
    licenses: LicenseView | None = None
    security: SecurityView | None = None
    """The vulnerability section (``report --vulns``); None when it was not asked for."""
    sums: tuple[tuple[str, str], ...] = ()
    """``(path@version, h1:hash)`` from go.sum for the modules (the SBOMs carry them)."""
    schema_version: int = field(default=SCHEMA_VERSION)

    @property
    def target_ids(self) -> tuple[str, ...]:
        """Target ids in report order."""
        return tuple(t.id for t in self.targets)

    def target(self, target_id: str) -> TargetRow | None:
        """The target row with this id."""
        return next((t for t in self.targets if t.id == target_id), None)

    def plan(self, target_id: str) -> Plan:
        """The plan for ``target_id`` (an empty plan of its family when none was given).

        Raises ``KeyError`` when ``target_id`` is not a target of this report.
        """
        for plan in self.plans:
            if plan.target.id == target_id:
                return plan
        row = self.target(target_id)
        if row is None:
            raise KeyError(target_id)
        return empty_plan(row.target)

    def summary_for(self, target_id: str) -> TargetSummary:
        """The precomputed counts for ``target_id``."""
        return dict(self.summary).get(target_id, TargetSummary.of(()))
