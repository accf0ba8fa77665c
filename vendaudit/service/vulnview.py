"""Vulnerabilities across the watch list: one view model for the ``/vulns`` page and its API.

Built from the findings of every project's newest successful run
(:meth:`~vendaudit.service.store.Store.vuln_uses`) and those runs' checks, so a project
that was not checked, or whose check failed, is listed as such — never counted as clean.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from vendaudit.service.store import RunSummary, VulnUse, WatchedProject
from vendaudit.vulns.model import SecurityVerdict

__all__ = ["EntryAcross", "VulnOverview", "use_json", "vuln_overview", "vuln_overview_json"]

FIXED = SecurityVerdict.FIXED_IN_DISTRO


@dataclass(frozen=True, slots=True)
class EntryAcross:
    """One database entry and every (project, module, target) of the watch list it affects."""

    id: str
    aliases: tuple[str, ...]
    summary: str
    url: str
    uses: tuple[VulnUse, ...]

    @property
    def projects(self) -> tuple[str, ...]:
        """The affected projects, by name."""
        return tuple(sorted({u.project for u in self.uses}))

    @property
    def fixable_projects(self) -> tuple[str, ...]:
        """Projects where unvendoring onto some target's package closes the entry."""
        return tuple(sorted({u.project for u in self.uses if u.verdict is FIXED}))

    def fixable_in(self, target: str) -> tuple[str, ...]:
        """Projects where unvendoring onto ``target``'s package closes the entry."""
        return tuple(
            sorted({u.project for u in self.uses if u.target == target and u.verdict is FIXED})
        )

    def packages_in(self, target: str) -> tuple[str, ...]:
        """``package version`` of the fixed copies in ``target``."""
        return tuple(
            sorted(
                {
                    f"{u.package} {u.packaged}"
                    for u in self.uses
                    if u.target == target and u.verdict is FIXED and u.package
                }
            )
        )

    @property
    def modules(self) -> tuple[str, ...]:
        """``module@version`` as the projects require them."""
        return tuple(sorted({f"{u.module}@{u.version}" for u in self.uses}))

    @property
    def fixed(self) -> tuple[str, ...]:
        """The fixing versions (one per affected version; empty when none exists)."""
        return tuple(sorted({u.fixed for u in self.uses if u.fixed}))


@dataclass(frozen=True, slots=True)
class VulnOverview:
    """Entries ranked by how many projects unvendoring would fix, and who was checked."""

    entries: tuple[EntryAcross, ...]
    targets: tuple[str, ...]
    checked: tuple[str, ...]
    """Projects whose newest successful run checked, and the check worked."""
    unknown: tuple[tuple[str, str], ...]
    """``(project, reason)``: the newest run's check failed; its vulnerabilities are unknown."""
    not_checked: tuple[str, ...]
    """Projects never run, or whose newest successful run did not check."""
    ranked_by: str | None = None
    """The target the ranking counts fixes in (None: any target)."""


def vuln_overview(
    uses: Sequence[VulnUse],
    watched: Sequence[WatchedProject],
    latest: Mapping[str, Sequence[RunSummary]],
    target: str | None = None,
) -> VulnOverview:
    """Group ``uses`` by entry and rank: most projects fixable by unvendoring first.

    ``target`` counts only fixes in that target (a Debian team ranking for sid alone).
    """
    by_entry: dict[str, list[VulnUse]] = {}
    for u in uses:
        by_entry.setdefault(u.entry_id, []).append(u)
    entries = [
        EntryAcross(eid, us[0].aliases, us[0].summary, us[0].url, tuple(us))
        for eid, us in by_entry.items()
    ]

    def fixable(e: EntryAcross) -> int:
        return len(e.fixable_in(target) if target is not None else e.fixable_projects)

    entries.sort(key=lambda e: (-fixable(e), -len(e.projects), e.id))
    checked: list[str] = []
    unknown: list[tuple[str, str]] = []
    not_checked: list[str] = []
    targets: list[str] = []
    for p in watched:
        runs = latest.get(p.name, ())
        security = runs[0].security if runs else None
        if security is None:
            not_checked.append(p.name)
        elif not security.known:
            unknown.append((p.name, security.error or "unknown"))
        else:
            checked.append(p.name)
            targets += [t for t in runs[0].targets if t not in targets]
    targets += [t for t in dict.fromkeys(u.target for u in uses) if t not in targets]
    return VulnOverview(
        tuple(entries),
        tuple(targets),
        tuple(checked),
        tuple(unknown),
        tuple(not_checked),
        target,
    )


def use_json(u: VulnUse) -> dict[str, Any]:
    """One finding of one project in one target."""
    return {
        "project": u.project,
        "run": u.run_id,
        "module": u.module,
        "version": u.version,
        "id": u.entry_id,
        "fixed": u.fixed,
        "target": u.target,
        "verdict": u.verdict.value,
        "package": u.package,
        "packaged": u.packaged,
        "reason": u.reason,
    }


def vuln_overview_json(view: VulnOverview) -> dict[str, Any]:
    """``/api/v1/vulns``: the ranked entries with their findings, and who was checked."""
    return {
        "schema_version": 1,
        "kind": "vendaudit-vulns",
        "ranked_by": view.ranked_by,
        "checked": list(view.checked),
        "unknown": [{"project": p, "error": e} for p, e in view.unknown],
        "not_checked": list(view.not_checked),
        "entries": [
            {
                "id": e.id,
                "aliases": list(e.aliases),
                "summary": e.summary,
                "url": e.url,
                "projects": list(e.projects),
                "fixable_projects": list(e.fixable_projects),
                "uses": [use_json(u) for u in e.uses],
            }
            for e in view.entries
        ],
    }
