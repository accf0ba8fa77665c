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
    build_depends: tuple[str, ...] = ()
    """Package names in Build-Depends, -Indep and -Arch, in order, without duplicates.

    Versions, architecture qualifiers and restrictions are dropped; of ``a | b`` only
    ``a`` is kept, because Debian's buildds install the first alternative only.  The
    index uses these names to find build cycles with the audited project.
    """
