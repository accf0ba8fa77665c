"""Compare two reports: what improved, what regressed, what changed in the plans.

A nightly CI job keeps yesterday's JSON report and diffs it with today's; ``has_regression``
drives ``vendaudit diff --fail-on-regression``.  Transitions to or from ``unknown`` are
neither better nor worse: a distro mirror being down says nothing about packaging.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, assert_never

from vendaudit.model import Verdict
from vendaudit.plans import Plan
from vendaudit.report.model import (
    ATTENTION,
    SCHEMA_VERSION,
    VERDICT_ORDER,
    ModuleRow,
    PackageInfo,
    Report,
)
from vendaudit.versions import semver
from vendaudit.vulns.model import SecurityView

__all__ = [
    "Direction",
    "ModuleChange",
    "PlanChange",
    "ReportDiff",
    "Transition",
    "VersionBump",
    "diff_reports",
    "render_diff",
    "render_diff_json",
]


class Direction(StrEnum):
    """Which way a verdict moved."""

    BETTER = "better"
    WORSE = "worse"
    UNAVAILABLE = "unavailable"
    """One side is ``unknown``: the data, not the packaging, changed."""


@dataclass(frozen=True, slots=True)
class Transition:
    """A module whose verdict changed in one target."""

    module: str
    target: str
    old: Verdict
    new: Verdict
    direction: Direction
    package: PackageInfo | None
    """The package the new verdict rests on."""

    def line(self) -> str:
        """One human sentence, e.g. ``regressed in debian:sid: x/y outdated → missing``."""
        arrow = f"{self.module} {self.old.value} → {self.new.value}"
        match self.direction:
            case Direction.BETTER if self.new is Verdict.SATISFIED and self.package:
                pkg = self.package
                return (
                    f"now satisfiable in {self.target}: {pkg.binary} {pkg.version} ({self.module})"
                )
            case Direction.BETTER:
                return f"improved in {self.target}: {arrow}"
            case Direction.WORSE:
                return f"regressed in {self.target}: {arrow}"
            case Direction.UNAVAILABLE:
                return f"data unavailable in {self.target}: {arrow}"
            case _:  # pragma: no cover
                assert_never(self.direction)


@dataclass(frozen=True, slots=True)
class ModuleChange:
    """A module that appeared or disappeared, with its verdicts in the report that has it."""

    path: str
    version: str
    verdicts: tuple[tuple[str, Verdict], ...]

    def needs_work(self, targets: frozenset[str]) -> list[str]:
        """Targets (among ``targets``) where this module needs packaging work."""
        return [t for t, v in self.verdicts if v in ATTENTION and t in targets]


@dataclass(frozen=True, slots=True)
class VersionBump:
    """A module required at another version."""

    module: str
    old: str
    new: str

    @property
    def downgrade(self) -> bool:
        """True when the new requirement is lower than the old one (Go's semver order)."""
        return semver.compare(self.new, self.old) < 0


@dataclass(frozen=True, slots=True)
class PlanChange:
    """Lines added to and removed from one field of one target's plan."""

    target: str
    field: str
    added: tuple[str, ...]
    removed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReportDiff:
    """Everything that changed between two reports."""

    old_generated_at: str
    new_generated_at: str
    targets_added: tuple[str, ...]
    targets_removed: tuple[str, ...]
    modules_added: tuple[ModuleChange, ...]
    modules_removed: tuple[ModuleChange, ...]
    version_bumps: tuple[VersionBump, ...]
    transitions: tuple[Transition, ...]
    plan_changes: tuple[PlanChange, ...]
    common_targets: frozenset[str] = frozenset()
    vulns_new: tuple[str, ...] = ()
    """``GO-… module@version`` found now and not last time (both runs checked: ``--vulns``)."""
    vulns_fixed: tuple[str, ...] = ()
    """Found last time, gone now (the module moved past the fix, or left)."""

    def of(self, direction: Direction) -> list[Transition]:
        """Transitions in one direction."""
        return [t for t in self.transitions if t.direction is direction]

    def regressions(self) -> list[str]:
        """Human lines for everything that got worse, new unpackaged modules included."""
        lines = [t.line() for t in self.of(Direction.WORSE)]
        for m in self.modules_added:
            lines += [
                f"new module needs packaging in {t}: {m.path} {m.version} ({dict(m.verdicts)[t]})"
                for t in m.needs_work(self.common_targets)
            ]
        lines += [f"new vulnerability: {v}" for v in self.vulns_new]
        return lines

    @property
    def has_regression(self) -> bool:
        """True when anything got worse in a target both reports audited."""
        return bool(self.regressions())

    @property
    def is_empty(self) -> bool:
        """True when the reports say the same thing."""
        return not any(
            (
                self.targets_added,
                self.targets_removed,
                self.modules_added,
                self.modules_removed,
                self.version_bumps,
                self.transitions,
                self.plan_changes,
                self.vulns_new,
                self.vulns_fixed,
            )
        )


def diff_reports(old: Report, new: Report) -> ReportDiff:
    """Compare ``old`` with ``new`` (both schema_version 1)."""
    old_t, new_t = old.target_ids, new.target_ids
    common = [t for t in new_t if t in old_t]
    old_m = {m.path: m for m in old.modules}
    new_m = {m.path: m for m in new.modules}

    def change(row: ModuleRow, targets: list[str]) -> ModuleChange:
        cells = [(t, row.result(t)) for t in targets]
        return ModuleChange(row.path, row.version, tuple((t, c.verdict) for t, c in cells if c))

    transitions: list[Transition] = []
    bumps: list[VersionBump] = []
    for path in sorted(old_m.keys() & new_m.keys()):
        a, b = old_m[path], new_m[path]
        if a.version != b.version:
            bumps.append(VersionBump(path, a.version, b.version))
        for tid in common:
            ca, cb = a.result(tid), b.result(tid)
            if ca is None or cb is None or ca.verdict is cb.verdict:
                continue
            transitions.append(
                Transition(
                    path,
                    tid,
                    ca.verdict,
                    cb.verdict,
                    _direction(ca.verdict, cb.verdict),
                    cb.package,
                )
            )
    plan_changes: list[PlanChange] = []
    for tid in common:
        plan_changes += _plan_changes(tid, old.plan(tid), new.plan(tid))
    return ReportDiff(
        old_generated_at=old.generated_at,
        new_generated_at=new.generated_at,
        targets_added=tuple(t for t in new_t if t not in old_t),
        targets_removed=tuple(t for t in old_t if t not in new_t),
        modules_added=tuple(
            change(new_m[p], list(new_t)) for p in sorted(new_m.keys() - old_m.keys())
        ),
        modules_removed=tuple(
            change(old_m[p], list(old_t)) for p in sorted(old_m.keys() - new_m.keys())
        ),
        version_bumps=tuple(bumps),
        transitions=tuple(transitions),
        plan_changes=tuple(plan_changes),
        common_targets=frozenset(common),
        **_vuln_changes(old, new),
    )


def _vuln_changes(old: Report, new: Report) -> dict[str, tuple[str, ...]]:
    """New and fixed vulnerabilities, when both reports checked and both checks worked."""
    a, b = old.security, new.security
    if a is None or b is None or a.error is not None or b.error is not None:
        return {}

    def keyed(view: SecurityView) -> dict[tuple[str, str], str]:
        return {(v.module, v.id): f"{v.id} {v.module}@{v.version}" for v, _ in view.findings}

    ka, kb = keyed(a), keyed(b)
    return {
        "vulns_new": tuple(kb[k] for k in sorted(kb.keys() - ka.keys())),
        "vulns_fixed": tuple(ka[k] for k in sorted(ka.keys() - kb.keys())),
    }


def _direction(old: Verdict, new: Verdict) -> Direction:
    # Progress follows the verdicts' declared order (best first); `unknown` is no step on it.
    if Verdict.UNKNOWN in (old, new):
        return Direction.UNAVAILABLE
    better = VERDICT_ORDER.index(new) < VERDICT_ORDER.index(old)
    return Direction.BETTER if better else Direction.WORSE


def _plan_changes(tid: str, old: Plan, new: Plan) -> list[PlanChange]:
    out: list[PlanChange] = []
    a, b = old.diff_fields(), new.diff_fields()
    for name in dict.fromkeys([*a, *b]):
        # Set look-ups: Files-Excluded alone can list thousands of directories.
        old_lines, new_lines = a.get(name, []), b.get(name, [])
        old_set, new_set = set(old_lines), set(new_lines)
        added = tuple(x for x in new_lines if x not in old_set)
        removed = tuple(x for x in old_lines if x not in new_set)
        if added or removed:
            out.append(PlanChange(tid, name, added, removed))
    return out


def render_diff(diff: ReportDiff, *, markdown: bool = False) -> str:
    """The diff as plain text, or as Markdown for a CI job summary."""
    return _render_text(diff, markdown=markdown)


def render_diff_json(diff: ReportDiff) -> str:
    """The diff as indented JSON text (ends with a newline)."""
    return json.dumps(_to_json(diff), indent=2, ensure_ascii=False) + "\n"


def _sections(diff: ReportDiff) -> list[tuple[str, list[str]]]:
    plan = [
        f"{c.target} {c.field}: "
        + ", ".join([f"+{x}" for x in c.added] + [f"-{x}" for x in c.removed])
        for c in diff.plan_changes
    ]
    return [
        ("Regressions", diff.regressions()),
        ("Improvements", [t.line() for t in diff.of(Direction.BETTER)]),
        ("Data unavailable", [t.line() for t in diff.of(Direction.UNAVAILABLE)]),
        ("Modules added", [f"{m.path} {m.version}" for m in diff.modules_added]),
        ("Modules removed", [f"{m.path} {m.version}" for m in diff.modules_removed]),
        (
            "Version bumps",
            [f"{b.module} {b.old} → {b.new}" for b in diff.version_bumps if not b.downgrade],
        ),
        # A downgrade is rarer and deserves a look (a revert, a replace gone wrong).
        (
            "Version downgrades",
            [f"{b.module} {b.old} → {b.new}" for b in diff.version_bumps if b.downgrade],
        ),
        ("Targets added", list(diff.targets_added)),
        ("Targets removed", list(diff.targets_removed)),
        ("Plan changes", plan),
        ("Vulnerabilities fixed", list(diff.vulns_fixed)),
    ]


def _render_text(diff: ReportDiff, *, markdown: bool) -> str:
    head = f"vendaudit diff: {diff.old_generated_at} → {diff.new_generated_at}"
    out = [f"## {head}" if markdown else head, ""]
    if diff.is_empty:
        out.append("No changes.")
        return "\n".join(out) + "\n"
    verdict = "regressions found" if diff.has_regression else "no regressions"
    out += [f"**{verdict}**" if markdown else verdict, ""]
    for title, lines in _sections(diff):
        if not lines:
            continue
        out.append(f"### {title}" if markdown else f"{title}:")
        if markdown:
            out.append("")
        out += [f"- {_md(x)}" if markdown else f"  {x}" for x in lines]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _md(text: str) -> str:
    # Module paths contain `_` and `*` rarely but `<` never legitimately; keep HTML out.
    return text.replace("<", "&lt;")


def _to_json(diff: ReportDiff) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "vendaudit-diff",
        "old": {"generated_at": diff.old_generated_at},
        "new": {"generated_at": diff.new_generated_at},
        "has_regression": diff.has_regression,
        "regressions": diff.regressions(),
        "targets_added": list(diff.targets_added),
        "targets_removed": list(diff.targets_removed),
        "modules_added": [_module_json(m) for m in diff.modules_added],
        "modules_removed": [_module_json(m) for m in diff.modules_removed],
        "version_bumps": [
            {"module": b.module, "old": b.old, "new": b.new, "downgrade": b.downgrade}
            for b in diff.version_bumps
        ],
        "transitions": [
            {
                "module": t.module,
                "target": t.target,
                "old": t.old.value,
                "new": t.new.value,
                "direction": t.direction.value,
                "package": (
                    {"binary": t.package.binary, "version": t.package.version}
                    if t.package
                    else None
                ),
                "line": t.line(),
            }
            for t in diff.transitions
        ],
        "plan_changes": [
            {
                "target": c.target,
                "field": c.field,
                "added": list(c.added),
                "removed": list(c.removed),
            }
            for c in diff.plan_changes
        ],
        **(
            {"vulns_new": list(diff.vulns_new), "vulns_fixed": list(diff.vulns_fixed)}
            if diff.vulns_new or diff.vulns_fixed
            else {}
        ),
    }


def _module_json(m: ModuleChange) -> dict[str, Any]:
    return {"path": m.path, "version": m.version, "results": {t: v.value for t, v in m.verdicts}}
