"""The vulnerability model: OSV entries, module matches and the per-target join.

A leaf module (it imports nothing from vendaudit), so the report view-model can carry a
:class:`SecurityView` without depending on the fetching or matching code.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "Affected",
    "DistroCell",
    "Entry",
    "Event",
    "IndexVuln",
    "ModuleVuln",
    "Range",
    "SecurityVerdict",
    "SecurityView",
    "UnvendorAdvice",
]


@dataclass(frozen=True, slots=True)
class Event:
    """One OSV range event: ``introduced`` or ``fixed`` at a version (no ``v``, or ``0``)."""

    kind: str
    """``introduced``, ``fixed``, ``last_affected`` or ``limit`` (OSV names)."""
    version: str


@dataclass(frozen=True, slots=True)
class Range:
    """One ``affected[].ranges[]`` element."""

    type: str
    """``SEMVER`` for the Go database; other types are ignored by matching, as govulncheck does."""
    events: tuple[Event, ...]


@dataclass(frozen=True, slots=True)
class Affected:
    """One ``affected[]`` element: a module (``package.name``) and its ranges."""

    module: str
    ecosystem: str
    ranges: tuple[Range, ...]


@dataclass(frozen=True, slots=True)
class Entry:
    """One OSV entry of the Go vulnerability database (``ID/GO-YYYY-NNNN.json``)."""

    id: str
    modified: str
    summary: str
    aliases: tuple[str, ...]
    affected: tuple[Affected, ...]
    withdrawn: str | None = None
    """The withdrawal time: such entries are never reported."""
    url: str = ""
    """``database_specific.url`` (the pkg.go.dev page)."""


@dataclass(frozen=True, slots=True)
class IndexVuln:
    """One ``index/modules.json`` vuln of a module: id, modified and the latest fix."""

    id: str
    modified: str
    fixed: str | None
    """Without the ``v``, as the index spells it; None when no version fixes it."""


@dataclass(frozen=True, slots=True)
class ModuleVuln:
    """A required module whose version an entry affects (govulncheck's module mode)."""

    module: str
    """The required module path, as go.mod spells it."""
    version: str
    """The version that was checked (the replacement's, when replaced)."""
    checked_path: str
    """The path looked up: the replacement path for a non-local replacement."""
    id: str
    aliases: tuple[str, ...]
    summary: str
    fixed: str | None
    """The earliest fixing version after ``version`` (with ``v``), None when there is none."""
    url: str = ""


class SecurityVerdict(StrEnum):
    """Does unvendoring onto the distro's package close a vulnerability?"""

    FIXED_IN_DISTRO = "fixed-in-distro"
    """The packaged copy is at or past the fix: unvendoring closes it."""
    AFFECTED_IN_DISTRO = "affected-in-distro"
    """The packaged copy is affected too."""
    NOT_PACKAGED = "not-packaged"
    """No package provides the module (at its major version)."""
    NO_FIX_YET = "no-fix-yet"
    """No version fixes the entry."""
    UNKNOWN = "unknown"
    """The target failed, or the versions cannot be ordered: never read as fixed."""


@dataclass(frozen=True, slots=True)
class DistroCell:
    """The verdict of one (module, entry) in one target, with the package it rests on."""

    target: str
    verdict: SecurityVerdict
    package: str = ""
    """The binary package (``golang-foo-bar-dev``), when one provides the module."""
    packaged: str = ""
    """The distro's version string (``1.4.2-1``)."""
    reason: str = ""


@dataclass(frozen=True, slots=True)
class UnvendorAdvice:
    """One ranked line of the plan: unvendor this module first, it fixes these entries."""

    target: str
    module: str
    fixes: tuple[str, ...]
    """Entry ids with their first alias: ``GO-2025-1234 (CVE-2025-1)``."""
    package: str
    packaged: str

    def text(self) -> str:
        """``unvendor M first: fixes GO-… (CVE-…); pkg 1.2-1 in sid is fixed``."""
        release = self.target.split(":", 1)[-1]
        return (
            f"unvendor {self.module} first: fixes {', '.join(self.fixes)}; "
            f"{self.package} {self.packaged} in {release} is fixed"
        )


@dataclass(frozen=True, slots=True)
class SecurityView:
    """The security section of a report: findings, their join and the ranked advice."""

    database: str
    """Where the data came from (``https://vuln.go.dev``, ``file:///…``)."""
    modified: str
    """``index/db.json``'s ``modified``; empty when the database could not be read."""
    findings: tuple[tuple[ModuleVuln, tuple[DistroCell, ...]], ...]
    """Sorted by module path, then entry id; cells in report target order."""
    advice: tuple[UnvendorAdvice, ...] = ()
    notes: tuple[str, ...] = ()
    error: str | None = None
    """Why no findings could be computed (offline with an empty cache...): vulns unknown."""

    @property
    def ids(self) -> frozenset[tuple[str, str]]:
        """``(module, entry id)`` pairs found (``vendaudit diff`` compares these)."""
        return frozenset((v.module, v.id) for v, _ in self.findings)
