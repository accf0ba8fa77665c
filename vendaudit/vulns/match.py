"""Module-level matching, exactly as govulncheck's module mode (``-scan module``) does it.

Checked against govulncheck 1.9 (benchmarks/compare_govulncheck.py, tests/vulns) and golang/vuln
(``internal/client``, ``internal/semver``, ``internal/vulncheck``):

- Which modules: govulncheck keeps the modules of the packages it loads, so a module that
  vendor/modules.txt lists without any vendored package is never checked; without a
  modules.txt every required module is.  A module replaced by another module (or a same-path
  pin) is looked up at the replacement's path and version, and reported under that path; a
  local directory replacement is not looked up (its "path" is a directory).
- Which entries: govulncheck asks the database for every entry the ``index/modules.json``
  row of that path names, with no version (an index vuln whose ``fixed`` is not valid semver
  is dropped, as its ``Less("", fixed)`` does); withdrawn entries are skipped.
- Which match: an ``affected[]`` element naming the path whose ranges contain the version
  (``Affects``): no ranges, or no ``SEMVER`` range, means every version; within a range the
  events are sorted (``introduced: 0`` first) and walked, ``introduced`` opening and ``fixed``
  closing it; ``last_affected``/``limit`` events are ignored, as there.  Versions compare by
  Go's semver rules after govulncheck's prefix rule (strip ``v`` then ``go``, add ``v``):
  pseudo-versions are pre-releases, ``+incompatible`` is build metadata.  The module mode
  applies no GOOS/GOARCH filter (``ecosystem_specific.imports`` is not read).
- "Fixed in": over the elements that affect the version (not every element naming the
  path), the smallest ``fixed`` above the version that none of their ranges re-opens
  (``earliestValidFix``), with a ``v`` added when the database spelled it without one.

Deliberate differences: an element of another ecosystem than ``Go`` (or none) is ignored
(issue #14 asks for ecosystem Go; govulncheck reads no ecosystem, the Go database has no
other); a module replaced onto a path the project also requires is checked at both versions
(govulncheck keys its modules by that path and keeps whichever its package walk meets last,
though both copies are compiled in); the ``stdlib`` and ``toolchain`` pseudo-modules are
never checked: govulncheck checks them at the Go toolchain running it, and a manifest only
names a minimum (``go`` directive) and optionally a ``toolchain``: neither is the Go that
builds the distro package.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence

from vendaudit.model import Module
from vendaudit.versions import semver
from vendaudit.vulns.model import Affected, Entry, Event, IndexVuln, ModuleVuln, Range

__all__ = [
    "PSEUDO_MODULES",
    "affects",
    "checked_as",
    "contains",
    "earliest_fix",
    "go_semver",
    "match_module",
    "wanted_ids",
]

PSEUDO_MODULES = frozenset({"stdlib", "toolchain"})
"""Entries on these name the Go distribution, not a module: never matched (see above)."""


def go_semver(v: str) -> str:
    """``1.2.3`` / ``v1.2.3`` / ``go1.2.3`` → ``v1.2.3`` (govulncheck's canonicalizeSemverPrefix).

    As there, a ``v`` and then a ``go`` are stripped (``vgo1.2`` → ``v1.2``) before ``v`` is added.
    """
    v = v.removeprefix("v").removeprefix("go")
    return "v" + v


def _cmp_versions(a: str, b: str) -> int:
    return semver.compare(go_semver(a), go_semver(b))


def _less(a: str, b: str) -> bool:
    return _cmp_versions(a, b) < 0


def _cmp_events(x: Event, y: Event) -> int:
    """govulncheck's event order: ``introduced: 0`` first, then by the event's version.

    There an event is sorted by its ``fixed`` or ``introduced`` version; a ``last_affected``
    or ``limit`` event has neither and sorts as ``""`` (which the walk then ignores).
    """
    if x.kind == "introduced" and x.version == "0":
        return 0 if y.kind == "introduced" and y.version == "0" else -1
    if y.kind == "introduced" and y.version == "0":
        return 1
    xv = x.version if x.kind in ("introduced", "fixed") else ""
    yv = y.version if y.kind in ("introduced", "fixed") else ""
    return _cmp_versions(xv, yv)


def contains(r: Range, version: str) -> bool:
    """govulncheck's ``ContainsSemver``: is ``version`` inside this SEMVER range?"""
    if r.type != "SEMVER":
        return False
    if not r.events:
        return True
    ordered = sorted(r.events, key=functools.cmp_to_key(_cmp_events))
    affected = False
    # An empty version is no event in govulncheck's struct (its fields are "" when unset).
    for e in ordered:
        if not affected and e.kind == "introduced" and e.version:
            affected = e.version == "0" or not _less(version, e.version)
        elif affected and e.kind == "fixed" and e.version:
            affected = _less(version, e.version)
    return affected


def affects(ranges: Sequence[Range], version: str) -> bool:
    """govulncheck's ``Affects``: no ranges, or no SEMVER range, means every version."""
    semver_ranges = [r for r in ranges if r.type == "SEMVER"]
    if not semver_ranges:
        return True
    return any(contains(r, version) for r in semver_ranges)


def earliest_fix(ranges: Sequence[Range], version: str) -> str | None:
    """govulncheck's ``earliestValidFix``: the smallest fix above ``version`` no range re-opens.

    ``ranges`` are those of the ``affected[]`` elements that affect the version.  For grpc at
    v1.57.0 (fixed in 1.56.3, 1.57.1, 1.58.3) that is v1.57.1; with ``[0, 1.6.0)`` and
    ``[1.6.0, 1.7.0)`` at v1.5.0 it is v1.7.0, since 1.6.0 is affected again.  A ``v`` is
    added when the database spelled the version without one.  None: no version fixes it.
    """
    fixes = [
        e.version
        for r in ranges
        if r.type == "SEMVER"
        for e in r.events
        if e.kind == "fixed" and e.version and _less(version, e.version)
    ]
    # Stable, as Go's sort.SliceStable (equal versions keep the database's order).
    fixes.sort(key=functools.cmp_to_key(_cmp_versions))
    for fix in fixes:
        if not any(contains(r, fix) for r in ranges):
            return fix if fix.startswith("v") else "v" + fix
    return None


def checked_as(module: Module) -> tuple[str, str] | None:
    """``(path, version)`` govulncheck looks up for a required module; None: not looked up.

    A replacement by another module (or a same-path pin) is looked up at the replacement;
    a local directory replacement is not looked up at all, and neither is a module that
    vendor/modules.txt lists with no vendored package (nothing of it is built).
    """
    if module.explicit is not None and not module.packages:
        return None
    rep = module.replace
    if rep is None:
        return module.path, module.version
    if not rep.version:
        return None
    return rep.path, rep.version


def wanted_ids(index: Mapping[str, Sequence[IndexVuln]], path: str) -> tuple[str, ...]:
    """The entry ids govulncheck fetches for ``path``: every one its index row names.

    It asks with no version, so its filter ``Less("", fixed)`` keeps an index vuln without a
    fix or with a valid semver fix, and drops one whose ``fixed`` is not a version.
    """
    return tuple(
        v.id for v in index.get(path, ()) if v.fixed is None or semver.is_valid(go_semver(v.fixed))
    )


def _naming(entry: Entry, path: str) -> list[Affected]:
    return [a for a in entry.affected if a.module == path and a.ecosystem in ("Go", "")]


def match_module(module: Module, entries: Iterable[Entry]) -> list[ModuleVuln]:
    """The entries among ``entries`` that affect ``module``, sorted by id."""
    checked = checked_as(module)
    if checked is None:
        return []
    path, version = checked
    if path in PSEUDO_MODULES:
        return []
    out = []
    for entry in entries:
        if entry.withdrawn is not None:
            continue
        # govulncheck keeps the elements that affect the version (affectingVulnerabilities)
        # and computes "fixed in" from those alone.
        hit = [a for a in _naming(entry, path) if affects(a.ranges, version)]
        if not hit:
            continue
        out.append(
            ModuleVuln(
                module=module.path,
                version=version,
                checked_path=path,
                id=entry.id,
                aliases=entry.aliases,
                summary=entry.summary,
                fixed=earliest_fix([r for a in hit for r in a.ranges], version),
                url=entry.url,
            )
        )
    return sorted(out, key=lambda m: m.id)
