"""Module-level matching, exactly as govulncheck's module mode does it.

golang/vuln (``internal/semver``, ``internal/vulncheck``): a module is looked up by its path,
or by its replacement's path when go.mod replaces it with another module; an entry affects
it when one ``affected[]`` element names that path (ecosystem ``Go``) and that element's
ranges contain the version.  Ranges: none at all, or no ``SEMVER`` range, means every version
(govulncheck's ``Affects``); within a ``SEMVER`` range the events are sorted by version
(``introduced: 0`` first) and walked: ``introduced`` opens (``0`` is the beginning of time),
``fixed`` closes.  Versions are compared with Go's semver rules
(:func:`vendaudit.versions.semver.compare`): pre-releases before releases, so a
pseudo-version ``v1.0.4-0.2018…`` is before ``v1.0.4``; ``+incompatible`` is build
metadata and ignored.  OSV versions have no ``v``; govulncheck strips a ``v`` or ``go``
prefix and adds ``v``, and so do we.

Not checked: the ``stdlib`` and ``toolchain`` pseudo-modules.  govulncheck checks them at
the version of the Go toolchain that runs it; a manifest only names a minimum (``go``
directive) and, optionally, a ``toolchain`` — neither is the Go that will build the
distro package (the distro's golang-go is), so matching them would be a guess.
Local directory replacements are not looked up (their path is a directory, as in govulncheck).
Withdrawn entries are skipped.  Platforms as govulncheck's ``matchesPlatform``: an affected
element whose every ``ecosystem_specific.imports`` entry names GOOS/GOARCH lists that exclude
the platform is dropped; the platform is ``linux`` (distro packages are Linux builds) and every
architecture (a distro builds them all), unless a caller passes another.
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
    "on_platform",
    "wanted_ids",
]

PSEUDO_MODULES = frozenset({"stdlib", "toolchain"})
"""Entries on these name the Go distribution, not a module: never matched (see above)."""


def go_semver(v: str) -> str:
    """``1.2.3`` / ``v1.2.3`` / ``go1.2.3`` → ``v1.2.3`` (govulncheck's canonical prefix)."""
    if v.startswith("go"):
        v = v[2:]
    elif v.startswith("v"):
        v = v[1:]
    return "v" + v


def _less(a: str, b: str) -> bool:
    return semver.compare(go_semver(a), go_semver(b)) < 0


def _sort_key(event_version: str, kind: str) -> tuple[int, str]:
    return (0, "") if kind == "introduced" and event_version == "0" else (1, event_version)


def _cmp_events(a: tuple[int, str], b: tuple[int, str]) -> int:
    if a[0] != b[0]:
        return a[0] - b[0]
    if a[0] == 0:
        return 0
    return semver.compare(go_semver(a[1]), go_semver(b[1]))


def _cmp_event_objs(x: Event, y: Event) -> int:
    return _cmp_events(_sort_key(x.version, x.kind), _sort_key(y.version, y.kind))


def contains(r: Range, version: str) -> bool:
    """govulncheck's ``ContainsSemver``: is ``version`` inside this SEMVER range?"""
    if r.type != "SEMVER":
        return False
    if not r.events:
        return True
    ordered = sorted(r.events, key=functools.cmp_to_key(_cmp_event_objs))
    affected = False
    for e in ordered:
        if not affected and e.kind == "introduced":
            affected = e.version == "0" or not _less(version, e.version)
        elif affected and e.kind == "fixed":
            affected = _less(version, e.version)
    return affected


def affects(ranges: Sequence[Range], version: str) -> bool:
    """govulncheck's ``Affects``: no ranges, or no SEMVER range, means every version."""
    semver_ranges = [r for r in ranges if r.type == "SEMVER"]
    if not semver_ranges:
        return True
    return any(contains(r, version) for r in semver_ranges)


def earliest_fix(ranges: Sequence[Range], version: str) -> str | None:
    """The smallest ``fixed`` event after ``version`` (with ``v``), None when none exists.

    For grpc at v1.57.0 (fixed in 1.56.3, 1.57.1, 1.58.3) that is v1.57.1: the upgrade that
    closes the range ``version`` is in, which is what govulncheck reports as "Fixed in".
    """
    fixes = [
        go_semver(e.version)
        for r in ranges
        if r.type == "SEMVER"
        for e in r.events
        if e.kind == "fixed" and _less(version, e.version)
    ]
    if not fixes:
        return None
    return min(fixes, key=functools.cmp_to_key(semver.compare))


def checked_as(module: Module) -> tuple[str, str] | None:
    """``(path, version)`` govulncheck looks up for a required module; None: not looked up.

    A replacement by another module (or a same-path pin) is looked up at the replacement;
    a local directory replacement is not looked up at all.
    """
    rep = module.replace
    if rep is None:
        return module.path, module.version
    if not rep.version:
        return None
    return rep.path, rep.version


def wanted_ids(
    index: Mapping[str, Sequence[IndexVuln]], path: str, version: str
) -> tuple[str, ...]:
    """The entry ids worth fetching for ``path@version`` (govulncheck's index filter).

    An index vuln whose latest fix the version already reaches cannot affect it.
    """
    return tuple(v.id for v in index.get(path, ()) if v.fixed is None or _less(version, v.fixed))


def _component(value: str, allowed: Sequence[str]) -> bool:
    return not value or not allowed or value in allowed


def on_platform(a: Affected, goos: str = "linux", goarch: str = "") -> bool:
    """govulncheck's platform filter: no imports listed, or one that matches (``""``: any)."""
    if not a.platforms:
        return True
    return any(_component(goos, os_) and _component(goarch, arch) for os_, arch in a.platforms)


def _affecting(entry: Entry, path: str, version: str, goos: str, goarch: str) -> Affected | None:
    for a in entry.affected:
        if a.module != path or a.ecosystem not in ("Go", ""):
            continue
        if affects(a.ranges, version) and on_platform(a, goos, goarch):
            return a
    return None


def match_module(
    module: Module, entries: Iterable[Entry], goos: str = "linux", goarch: str = ""
) -> list[ModuleVuln]:
    """The entries among ``entries`` that affect ``module`` on the platform, sorted by id."""
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
        a = _affecting(entry, path, version, goos, goarch)
        if a is None:
            continue
        out.append(
            ModuleVuln(
                module=module.path,
                version=version,
                checked_path=path,
                id=entry.id,
                aliases=entry.aliases,
                summary=entry.summary,
                fixed=earliest_fix(a.ranges, version),
                url=entry.url,
            )
        )
    return sorted(out, key=lambda m: m.id)
