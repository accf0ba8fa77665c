"""One call from a project's modules to its vulnerabilities: what the CLI and report use."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from vendaudit.model import Module
from vendaudit.vulns.client import VulnDB, VulnDBError
from vendaudit.vulns.match import match_module
from vendaudit.vulns.model import Entry, ModuleVuln

__all__ = ["VulnScan", "find_vulns", "scan_modules"]


@dataclass(frozen=True, slots=True)
class VulnScan:
    """The outcome of checking a project against one database (``error``: nothing known)."""

    database: str
    modified: str
    vulns: tuple[ModuleVuln, ...]
    entries: tuple[Entry, ...]
    error: str | None = None


def find_vulns(modules: Sequence[Module], entries: Sequence[Entry]) -> list[ModuleVuln]:
    """Every (module, entry) match, sorted by module path then entry id."""
    out = [v for m in modules for v in match_module(m, entries)]
    return sorted(out, key=lambda v: (v.module, v.id))


def scan_modules(modules: Sequence[Module], db: VulnDB) -> VulnScan:
    """Fetch what may affect ``modules`` and match it; a database failure is data, not a raise."""
    try:
        entries = tuple(db.entries_for(modules))
        modified = db.modified()
    except VulnDBError as exc:
        return VulnScan(db.url, "", (), (), error=str(exc))
    return VulnScan(db.url, modified, tuple(find_vulns(modules, entries)), entries)
