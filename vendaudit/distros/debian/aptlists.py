"""Find a suite's Sources indexes in apt's lists directory (``/var/lib/apt/lists``).

apt names each file after its URL with ``/`` turned into ``_``:
``deb.debian.org_debian_dists_sid_main_source_Sources.lz4`` next to
``deb.debian.org_debian_dists_sid_InRelease``.  The suite in the name is the one written
in sources.list (``sid`` or ``unstable``), so a target matches either that spelling or the
InRelease's ``Suite``/``Codename``; the InRelease's ``Origin`` keeps ``debian:*`` targets
away from Ubuntu lists and back.  Only ``deb-src`` lines produce Sources files, which is
why the error message for an empty match says how to add one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path

from vendaudit.distros.debian.inrelease import Release, parse_release
from vendaudit.distros.debian.sources import DebianIndexError
from vendaudit.model import Target

__all__ = ["DEFAULT_LISTS_DIR", "AptSuite", "find_apt_suites"]

DEFAULT_LISTS_DIR = Path("/var/lib/apt/lists")
"""Where apt keeps downloaded indexes (``Dir::State::lists``)."""

_SOURCES_NAME = re.compile(
    r"^(?P<prefix>.+?)_dists_(?P<suite>[^_]+)_(?P<component>.+)_source_Sources"
    r"(?P<ext>\.(?:xz|gz|bz2|lz4|zst))?$"
)


@dataclass(frozen=True, slots=True)
class AptSuite:
    """One suite of one mirror as apt stored it: its Sources files and its Release file."""

    prefix: str
    """The mirror part of the file names, e.g. ``deb.debian.org_debian``."""
    suite: str
    """The suite as spelled in the file names (sources.list)."""
    sources: tuple[tuple[str, Path], ...]
    """(component, Sources file) pairs, sorted by component."""
    release_file: Path | None
    """The sibling ``InRelease`` (or ``Release``) file, when apt kept one."""
    release: Release | None


def _release_for(lists_dir: Path, prefix: str, suite: str) -> tuple[Path | None, Release | None]:
    for name in ("InRelease", "Release"):
        path = lists_dir / f"{prefix}_dists_{suite}_{name}"
        if path.is_file():
            try:
                return path, parse_release(path.read_bytes())
            except (OSError, DebianIndexError) as exc:
                raise DebianIndexError(f"{path}: {exc}") from exc
    return None, None


def _date_key(suite: AptSuite) -> float:
    if suite.release is None or not suite.release.date:
        return 0.0
    try:
        return parsedate_to_datetime(suite.release.date).timestamp()
    except (TypeError, ValueError):
        return 0.0


def find_apt_suites(lists_dir: Path, target: Target) -> list[AptSuite]:
    """Every mirror's copy of ``target``'s suite in ``lists_dir``, newest InRelease first."""
    groups: dict[tuple[str, str], dict[str, Path]] = {}
    try:
        names = sorted(p.name for p in lists_dir.iterdir())
    except OSError as exc:
        raise DebianIndexError(f"{lists_dir}: cannot list apt's lists ({exc})") from exc
    for name in names:
        match = _SOURCES_NAME.match(name)
        if match is None:
            continue
        key = (match["prefix"], match["suite"])
        # One file per component; should apt have left two compressions, the first wins.
        groups.setdefault(key, {}).setdefault(match["component"], lists_dir / name)
    found: list[AptSuite] = []
    for (prefix, suite), files in groups.items():
        release_file, release = _release_for(lists_dir, prefix, suite)
        spellings = {suite}
        if release is not None:
            spellings |= {release.suite, release.codename}
            if release.origin and release.origin.lower() != target.distro:
                continue
        if target.release not in spellings:
            continue
        found.append(AptSuite(prefix, suite, tuple(sorted(files.items())), release_file, release))
    found.sort(key=_date_key, reverse=True)
    return found
