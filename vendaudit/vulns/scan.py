"""Matching a project's modules against entries, and the outcome of one check."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from vendaudit.model import Module
from vendaudit.vulns.match import match_module
from vendaudit.vulns.model import Entry, ModuleVuln

__all__ = ["VulnScan", "find_vulns"]


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
