"""What a Debian/Ubuntu index says about Go: one entry per source package."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SourceEntry:
    """A source package that declares ``Go-Import-Path`` (highest non-ESO version only)."""

    source: str
    version: str
    """Debian version as in the archive (epoch and revision included)."""
    binaries: tuple[str, ...]
    """All binary package names from the ``Binary`` field, in archive order."""
    import_paths: tuple[str, ...]
    """``Go-Import-Path`` split on commas, stripped, empties dropped, first = DH_GOPKG."""
