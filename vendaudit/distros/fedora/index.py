"""The Go view of one Fedora/EPEL target: which ``-devel`` packages provide a module.

Fedora library packages declare ``golang-ipath(<import path root>)`` once and
``golang(<package>)`` for every Go package directory (fedora.md §2a).  A module is looked
up, best match first, by

1. EXACT — ``golang-ipath(<module path>)``;
2. MAJOR — ``golang-ipath`` of the same path with another major spelling
   (``/v2`` ↔ none, ``gopkg.in/x.v2`` ↔ ``.v3``);
3. PACKAGE — ``golang(<pkg>)`` for the module's vendored packages (``Module.packages``;
   the module path itself when none are known).  How many of them each package covers is
   in :attr:`LookupResult.coverage`;
4. PREFIX — the longest ``golang-ipath`` that is a ``/``-prefix of the module path,
   never across a ``vN`` element (``x/v2/sub`` is not served by ``x``).

Status for the report: :attr:`FedoraIndex.provenance`, :attr:`FedoraIndex.notes` and
:attr:`FedoraIndex.packages` (number of Go binary packages after merging repositories).
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from vendaudit.distros.fedora.evr import evr_key, fedora_version
from vendaudit.distros.fedora.primary import RpmGoPackage
from vendaudit.distros.interface import DistroIndex
from vendaudit.model import DistroPackage, MatchKind, Module, Target
from vendaudit.versions import semver
from vendaudit.versions.modpath import covering_prefixes, path_major_number, strip_major

__all__ = ["FedoraIndex", "LookupResult", "merge_packages"]

_MAJOR_ELEM = re.compile(r"^v\d+$")


class LookupResult(list[DistroPackage]):
    """A plain list of matches, plus PACKAGE-match coverage.

    ``coverage[binary] = (provided, wanted)``: how many of the module's packages the
    binary package provides out of how many were looked up.
    """

    coverage: dict[str, tuple[int, int]]

    def __init__(self, items: Iterable[DistroPackage] = ()) -> None:
        super().__init__(items)
        self.coverage = {}


def merge_packages(groups: Iterable[Iterable[RpmGoPackage]]) -> list[RpmGoPackage]:
    """Merge repositories (release + updates…): per binary name the highest EVR wins."""
    best: dict[str, RpmGoPackage] = {}
    for group in groups:
        for pkg in group:
            cur = best.get(pkg.name)
            if cur is None or evr_key((pkg.epoch, pkg.ver, pkg.rel)) > evr_key(
                (cur.epoch, cur.ver, cur.rel)
            ):
                best[pkg.name] = pkg
    return sorted(best.values(), key=lambda p: p.name)


class FedoraIndex(DistroIndex):
    """Lookups over the merged Go packages of one target."""

    def __init__(
        self,
        target: Target,
        packages: Sequence[RpmGoPackage],
        *,
        provenance: str = "",
        notes: Sequence[str] = (),
    ) -> None:
        self.target = target
        self.provenance = provenance
        self.notes = tuple(notes)
        self.rpms: tuple[RpmGoPackage, ...] = tuple(merge_packages([packages]))
        self._ipath: dict[str, list[RpmGoPackage]] = defaultdict(list)
        self._pkg: dict[str, list[RpmGoPackage]] = defaultdict(list)
        self._by_base: dict[str, set[str]] = defaultdict(set)
        for rpm in self.rpms:
            for prov in rpm.provides:
                if prov.attr is not None:
                    continue
                table = self._ipath if prov.kind == "ipath" else self._pkg
                if rpm not in table[prov.path]:
                    table[prov.path].append(rpm)
                if prov.kind == "ipath":
                    self._by_base[strip_major(prov.path)].add(prov.path)
        newest = evr_key
        for table in (self._ipath, self._pkg):
            for rpms in table.values():
                rpms.sort(key=lambda r: newest((r.epoch, r.ver, r.rel)), reverse=True)
        self._longest = max(map(len, self._ipath), default=0)

    @property
    def packages(self) -> int:
        """How many Go binary packages the index holds (a sanity figure for the report)."""
        return len(self.rpms)

    def lookup(self, module: Module) -> list[DistroPackage]:
        """Packages providing ``module`` (see the module docstring), best first."""
        out = LookupResult()
        seen: set[str] = set()

        def add(rpm: RpmGoPackage, ipath: str, kind: MatchKind) -> None:
            if rpm.name not in seen:
                seen.add(rpm.name)
                out.append(self._to_distro(rpm, ipath, kind))

        path = module.path
        for rpm in self._ipath.get(path, ()):
            add(rpm, path, MatchKind.EXACT)
        want = path_major_number(path) or 1
        others = sorted(
            self._by_base.get(strip_major(path), set()) - {path},
            key=lambda p: abs((path_major_number(p) or 1) - want),
        )
        for other in others:
            for rpm in self._ipath[other]:
                add(rpm, other, MatchKind.MAJOR)
        wanted = module.packages or (path,)
        hits: dict[str, list[str]] = {}
        by_name: dict[str, RpmGoPackage] = {}
        for pkg in wanted:
            for rpm in self._pkg.get(pkg, ()):
                hits.setdefault(rpm.name, []).append(pkg)
                by_name[rpm.name] = rpm
        for name in sorted(hits, key=lambda n: -len(hits[n])):
            out.coverage[name] = (len(hits[name]), len(wanted))
            add(by_name[name], _common_root(hits[name]), MatchKind.PACKAGE)
        prefix = self._longest_prefix(path)
        if prefix is not None:
            for rpm in self._ipath[prefix]:
                add(rpm, prefix, MatchKind.PREFIX)
        return out

    def _longest_prefix(self, path: str) -> str | None:
        # A vN element below the candidate: x/v2/... is another module than x.
        for cand in covering_prefixes(
            path, self._longest, lambda e: _MAJOR_ELEM.match(e) is not None
        ):
            if cand in self._ipath:
                return cand
        return None

    def _to_distro(self, rpm: RpmGoPackage, ipath: str, kind: MatchKind) -> DistroPackage:
        version = fedora_version(rpm.ver, rpm.rel)
        full = rpm.commit
        if version.snapshot_date and full and full.startswith(version.snapshot_commit or ""):
            # The (commit=<sha40>) provide is the only exact commit (fedora.md §2c).
            version = dataclasses.replace(version, snapshot_commit=full)
        major = path_major_number(ipath)
        if major is None:
            gv = version.go_version
            m = semver.major(gv) if gv else ""
            major = max(int(m[1:]), 1) if m else 1
        return DistroPackage(rpm.source, rpm.name, version, ipath, kind, major)


def _common_root(paths: Sequence[str]) -> str:
    """The longest common ``/``-prefix of package paths (the provided import path)."""
    parts = [p.split("/") for p in paths]
    common: list[str] = []
    for elems in zip(*parts, strict=False):
        if len(set(elems)) != 1:
            break
        common.append(elems[0])
    return "/".join(common) or paths[0]
