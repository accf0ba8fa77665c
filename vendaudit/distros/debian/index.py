"""Go module → Debian package mapping over one suite's Go sources (Go-Import-Path).

:class:`DebianIndex` answers :meth:`lookup` with every package that provides a module,
best first, each tagged with the :class:`MatchKind` that found it:

``exact``
    a source declares the module path itself in Go-Import-Path.
``major``
    a source declares the same path with another major spelling: ``x/vM`` or bare ``x``
    for ``x/vN``; ``x/vN`` for bare ``x``; gopkg.in ``x.vM`` for ``x.vN``.
``prefix``
    the longest declared path ``p`` with ``module == p`` or ``module`` under ``p + "/"``
    (one source covers many modules of a repository: aws-sdk-go-v2, otel, moby/sys).
    Prefixes never cross a major element (``foo/bar/v2`` is not under ``foo/bar``), never
    stop at a bare host or a hosting account (``github.com/foo``, ``golang.org/x``), and
    the version reported is the covering *source's* version, not the sub-module's.
``prefix-major``
    a prefix that crosses the module's final ``/vN`` because the covering source's
    upstream major is N: src:etcd 3.5.x (``go.etcd.io/etcd``) ships
    ``go.etcd.io/etcd/server/v3``, ``raft/v3``, ``client/pkg/v3`` (Debian builds in GOPATH
    mode, from the whole repository).
``prefix-submodule``
    a prefix that crosses a final ``/vN`` which is a sub-module's own major, below the
    repository root the source ships whole: ``aws-sdk-go-v2/internal/endpoints/v2`` in
    golang-github-aws-aws-sdk-go-v2 1.x.  A ``/vN`` straight after the declared path is
    never crossed (``foo/bar/v2`` is another major line of ``foo/bar``: a ``major`` match),
    nor is one in the middle of the module path.
``binary``
    no declared path matches, but a ``-dev`` binary of a Go source carries the
    dh-make-golang name of the module or of its repository root:
    ``github.com/containerd/containerd/api`` is golang-github-containerd-containerd-api-dev
    of src:containerd, whose Go-Import-Path names only ``.../containerd/v2``.  Its version is
    the source's (``import_path`` is the source's first Go-Import-Path).

Each result's ``major`` is the Go major the package really provides: the ``/vN`` (or
gopkg.in ``.vN``) of the declared path, else the Debian upstream version's major when it
is ≥ 2 (golang-github-google-go-github ``60.0.0-3`` declares bare
``github.com/google/go-github``), else 1.  The version rule applies only to the source's
first path and its aliases (same last element): docker.io ``28.5.2`` also declares
``github.com/moby/buildkit``, whose major is not 28.  Order: packages of the module's own
major first, then exact < major < prefix, then higher majors, then higher versions.

The covering kinds (``prefix*``, ``binary``) carry the covering source's version, never
the module's own: the audit judges them by the covering module's requirement, by date, or
(online) by asking the module proxy whether the packaged version is the module's own.

Build cycles: the project being audited is the Debian source whose Go-Import-Path declares
the main module (docker.io for github.com/docker/docker), or the source named explicitly.
A package whose source Build-Depends on a binary of that source cannot be one of its
Build-Depends (:meth:`DebianIndex.build_cycle`).

Sources without any ``-dev`` binary (programs only: a Go-Import-Path on ``lf`` or
``fdroidcl``) are never returned — a plan must not Build-Depend on a program — but
:meth:`DebianIndex.programs` lists them for the report.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from vendaudit.distros.debian.entries import SourceEntry
from vendaudit.distros.debian.naming import (
    debian_dev_name,
    debian_source_name,
    repository_depth,
    repository_root,
)
from vendaudit.distros.interface import DistroIndex
from vendaudit.model import DistroPackage, MatchKind, Module, PackagedVersion, Target
from vendaudit.versions.debian import debian_compare, debian_to_go
from vendaudit.versions.modpath import module_major, path_major_number, strip_major, with_major

__all__ = ["DebianIndex", "choose_binary", "is_major_element", "provided_major"]

_KIND_RANK = {
    MatchKind.EXACT: 0,
    MatchKind.MAJOR: 1,
    MatchKind.PREFIX: 2,
    MatchKind.PREFIX_MAJOR: 2,
    MatchKind.PREFIX_SUBMODULE: 3,
    MatchKind.PACKAGE: 4,
    MatchKind.BINARY: 5,
}


def is_major_element(elem: str) -> bool:
    """True for a ``vN`` path element with N ≥ 2 (no leading zero), as Go spells majors."""
    return (
        len(elem) >= 2 and elem[0] == "v" and elem[1:].isdigit() and elem[1] != "0" and elem != "v1"
    )


def _last_element(path: str) -> str:
    """The last element of ``path`` without a major suffix (``etcd`` for both etcd paths)."""
    return strip_major(path).rsplit("/", 1)[-1]


def provided_major(import_path: str, version: PackagedVersion) -> int:
    """The Go major a source provides for ``import_path`` (see the module docstring)."""
    n = path_major_number(import_path)
    if n is not None:
        return max(n, 1)
    digits = ""
    for ch in version.upstream:
        if not ch.isdigit():
            break
        digits += ch
    m = int(digits) if digits else 0
    # Date-shaped versions (jsoncolor's 20161209) are not majors: Go majors stay small.
    return m if 2 <= m < 1000 else 1


def choose_binary(
    entry: SourceEntry, module_path: str, import_path: str, major: int, kind: MatchKind
) -> str | None:
    """The ``-dev`` binary of ``entry`` that provides ``module_path``; None for programs.

    Preference: the dh-make-golang name of the module (with, then without ``-vN``; not for
    ``major`` matches, where the module's own name could pick a transitional package
    such as ``golang-github-cenkalti-backoff-dev``); the name of the declared path at the
    major the source provides (with, then without ``-vN``); ``-dev`` binaries that extend
    that name (``golang-github-golang-protobuf-1-5-dev``), the one named after the source
    first; the source's own ``<source>-dev``; the first ``-dev`` in archive order.
    """
    devs = [b for b in entry.binaries if b.endswith("-dev")]
    if not devs:
        return None
    wanted: list[str] = []
    if kind is not MatchKind.MAJOR:
        wanted += [debian_dev_name(module_path), debian_dev_name(module_path, keep_major=False)]
    declared = import_path if path_major_number(import_path) is not None else None
    declared = declared or with_major(import_path, major)
    wanted += [debian_dev_name(declared), debian_dev_name(import_path, keep_major=False)]
    for name in wanted:
        if name in devs:
            return name
    if kind.covers and module_path.startswith(import_path + "/"):
        # A sub-module packaged as its own binary of the covering source, named by the
        # rest of the path (cloud.google.com/go/compute/metadata in google-cloud:
        # golang-google-cloud-compute-metadata-dev, not golang-google-cloud-dev; etcd's
        # server/v3 in golang-etcd-server-dev).
        below = module_path[len(import_path) + 1 :]
        for sub in dict.fromkeys((below, strip_major(below))):
            rest = sub.lower().replace("/", "-").replace("_", "-")
            tail = [b for b in devs if b.endswith(f"-{rest}-dev")]
            if tail:
                return tail[0]
    own = entry.source + "-dev"
    stem = debian_source_name(import_path, keep_major=False) + "-"
    extending = [b for b in devs if b.startswith(stem)]
    if extending:
        return own if own in extending else extending[0]
    return own if own in devs else devs[0]


@dataclass(frozen=True, slots=True)
class _Decl:
    """One declared import path of one library source."""

    path: str
    entry: SourceEntry
    version: PackagedVersion
    major: int
    own: bool = True
    """The source's version is this path's own (its first path or an alias of it)."""


class _Lazy(Mapping[str, list[_Decl]]):
    """``key → make(key, raw[key])``, made on first access and kept."""

    def __init__(self, raw: dict[str, Any], make: Callable[[str, Any], list[_Decl]]) -> None:
        self._raw = raw
        self._make = make
        self._made: dict[str, list[_Decl]] = {}

    def __getitem__(self, key: str) -> list[_Decl]:
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = self._make(key, self._raw[key])
        return made

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


def _by_version_desc(a: _Decl, b: _Decl) -> int:
    return -debian_compare(a.entry.version, b.entry.version)


class DebianIndex(DistroIndex):
    """The Go view of one Debian/Ubuntu suite, built once from its Go sources."""

    def __init__(
        self,
        target: Target,
        entries: Sequence[SourceEntry],
        provenance: str,
        notes: tuple[str, ...] = (),
    ) -> None:
        """Index ``entries`` (highest non-ESO version per source, as D1's parser yields)."""
        self.target = target
        self.provenance = provenance
        self._entries = tuple(entries)
        exact: dict[str, list[_Decl]] = {}
        programs: dict[str, list[str]] = {}
        for entry in self._entries:
            if not any(b.endswith("-dev") for b in entry.binaries):
                for path in entry.import_paths:
                    programs.setdefault(path, []).append(entry.source)
                continue
            version = debian_to_go(entry.version)
            own = _last_element(entry.import_paths[0])
            for path in dict.fromkeys(entry.import_paths):
                # The source's version is the version of its first path (DH_GOPKG) and of
                # aliases of it (etcd: go.etcd.io/etcd, github.com/coreos/etcd); other
                # projects it carries (docker.io: moby/buildkit) only count their /vN.
                alias = _last_element(path) == own
                major = provided_major(path, version) if alias else path_major_number(path) or 1
                decl = _Decl(path, entry, version, major, alias)
                exact.setdefault(path, []).append(decl)
        key = functools.cmp_to_key(_by_version_desc)
        self._exact: Mapping[str, list[_Decl]] = {p: sorted(ds, key=key) for p, ds in exact.items()}
        by_base: dict[str, list[_Decl]] = {}
        for path, decls in self._exact.items():
            by_base.setdefault(strip_major(path), []).extend(decls)
        self._by_base: Mapping[str, list[_Decl]] = by_base
        self._programs = {p: tuple(s) for p, s in programs.items()}
        self.notes = notes
        self._shared_notes = self._shared_dev_notes()
        self._index_binaries()

    def _index_binaries(self) -> None:
        """Binary name → source, and source → entry (cheap: built, never cached)."""
        # Every binary of a Go source, for binary-name candidates and free names.
        self._binaries: dict[str, SourceEntry] = {}
        for entry in self._entries:
            for binary in entry.binaries:
                self._binaries.setdefault(binary, entry)
        self._by_source = {e.source: e for e in self._entries}

    def to_state(self) -> dict[str, Any]:
        """The built index as plain JSON data (entries by position), for the cross-run cache.

        :meth:`from_state` with the same entries gives back an equal index without
        converting a version, sorting or splitting a path.
        """
        pos = {id(e): i for i, e in enumerate(self._entries)}
        versions: dict[int, list[Any]] = {}
        exact = []
        for path, decls in self._exact.items():
            for d in decls:
                v = d.version
                date = v.snapshot_date.isoformat() if v.snapshot_date is not None else None
                versions[pos[id(d.entry)]] = [v.upstream, v.go_version, date, v.snapshot_commit]
            exact.append([path, [[pos[id(d.entry)], d.major, d.own] for d in decls]])
        exact_pos = {path: i for i, path in enumerate(self._exact)}
        by_base = []
        for base, decls in self._by_base.items():
            paths = list(dict.fromkeys(d.path for d in decls))
            by_base.append([base, [exact_pos[p] for p in paths]])
        return {
            "n": len(self._entries),
            "versions": [[i, *v] for i, v in sorted(versions.items())],
            "exact": exact,
            "by_base": by_base,
            "programs": [[p, list(s)] for p, s in self._programs.items()],
            "shared": [[list(others), note] for others, note in self._shared_notes],
        }

    @classmethod
    def from_state(
        cls,
        target: Target,
        entries: Sequence[SourceEntry],
        provenance: str,
        notes: tuple[str, ...],
        state: dict[str, Any],
    ) -> DebianIndex:
        """The index :meth:`to_state` described; raises ``ValueError`` on a mismatch."""
        self = cls.__new__(cls)
        self.target = target
        self.provenance = provenance
        self._entries = tuple(entries)
        if state["n"] != len(self._entries):
            raise ValueError("cached index is for other entries")
        # A run looks up a few hundred of the ~3000 paths: declarations (and their
        # versions) are made on first lookup, not all up front (most of a warm load).
        # The blob is checksummed and was written by this very code (the key holds its
        # fingerprint), so its shape is only checked here, not every value.
        rows = {int(row[0]): row for row in state["versions"]}
        versions: dict[int, PackagedVersion] = {}

        def version(i: int) -> PackagedVersion:
            got = versions.get(i)
            if got is None:
                _, upstream, go, date, commit = rows[i]
                when = dt.date.fromisoformat(date) if date is not None else None
                got = versions[i] = PackagedVersion(
                    self._entries[i].version, upstream, go, when, commit
                )
            return got

        def decls(path: str, ds: list[list[Any]]) -> list[_Decl]:
            return [_Decl(path, self._entries[i], version(i), major, own) for i, major, own in ds]

        exact = _Lazy(dict(state["exact"]), decls)
        paths = list(exact)

        def based(_base: str, ks: list[int]) -> list[_Decl]:
            return [d for k in ks for d in exact[paths[k]]]

        self._exact = exact
        self._by_base = _Lazy(dict(state["by_base"]), based)
        self._programs = {p: tuple(s) for p, s in state["programs"]}
        self.notes = notes
        self._shared_notes = tuple((tuple(o), str(n)) for o, n in state["shared"])
        self._index_binaries()
        return self

    @property
    def packages(self) -> int:
        """How many Go sources (sources declaring Go-Import-Path) the index holds."""
        return len(self._entries)

    def binary_names(self) -> frozenset[str]:
        """Every binary name of the indexed Go sources (programs and ``-dev`` alike)."""
        return frozenset(self._binaries)

    def project_sources(self, main_module: str, named: str | None = None) -> tuple[str, ...]:
        """The Debian sources of the project being audited.

        ``named`` (a source name given by the user) wins; otherwise every source whose
        Go-Import-Path declares the main module's path (either major spelling): docker.io
        for github.com/docker/docker.
        """
        if named:
            return (named,)
        decls = self._by_base.get(strip_major(main_module), ())
        return tuple(dict.fromkeys(d.entry.source for d in decls))

    def build_cycle(
        self, package: DistroPackage, main_module: str, project_source: str | None = None
    ) -> str:
        """Why ``package`` cannot be a Build-Depends of the project ("" if it can).

        The project's sources are :meth:`project_sources` of ``main_module`` and
        ``project_source``.

        src:golang-github-containerd-nydus-snapshotter Build-Depends on
        golang-github-docker-docker-dev, a binary of docker.io: docker.io cannot in turn
        Build-Depend on golang-github-containerd-nydus-snapshotter-dev.
        """
        project = self.project_sources(main_module, project_source)
        if package.source in project:
            return ""  # the project's own package: the plan words that case itself
        entry = self._by_source.get(package.source)
        if entry is None:
            return ""
        own = {
            b: src
            for src in project
            for b in (self._by_source[src].binaries if src in self._by_source else ())
        }
        for dep in entry.build_depends:
            if dep in own:
                return (
                    f"build cycle: {package.source} Build-Depends on {dep}, a binary of "
                    f"{own[dep]} (this project's source)"
                )
        return ""

    def programs(self, path: str) -> tuple[str, ...]:
        """Program-only sources (no ``-dev`` binary) that declare exactly ``path``."""
        return self._programs.get(path, ())

    def notes_for(self, modules: Sequence[Module]) -> tuple[str, ...]:
        """The general notes plus shared-binary warnings for paths these modules use."""
        paths = {m.path for m in modules}
        shared = tuple(note for others, note in self._shared_notes if paths & set(others))
        return tuple(self.notes) + shared

    def _shared_dev_notes(self) -> tuple[tuple[tuple[str, ...], str], ...]:
        """Warn where a source's one -dev binary is named for another path than it serves.

        docker.io declares github.com/docker/cli, moby/buildkit and moby/ipvs, but its only
        -dev is golang-github-docker-docker-dev: Go-Import-Path is a source field, so
        whether that binary really ships those paths cannot be told from the index.
        """
        notes: list[tuple[tuple[str, ...], str]] = []
        for entry in self._entries:
            devs = [b for b in entry.binaries if b.endswith("-dev")]
            if len(entry.import_paths) < 2 or not devs:
                continue
            others = [
                p
                for p in entry.import_paths[1:]
                if debian_dev_name(p, keep_major=False) not in devs
                and debian_dev_name(p) not in devs
                and _last_element(p) != _last_element(entry.import_paths[0])
                and not p.startswith(entry.import_paths[0] + "/")
            ]
            if others and entry.source + "-dev" not in devs:
                note = (
                    f"{entry.source} declares {', '.join(others)}, served by "
                    f"{devs[0]} (named for {entry.import_paths[0]}): check it ships them; "
                    f"the version shown for them is {entry.source}'s"
                )
                notes.append((tuple(others), note))
        return tuple(notes)

    def _prefix(self, path: str) -> list[tuple[_Decl, MatchKind]]:
        """The longest declared path covering ``path``, with the kind of each match.

        The module's own final ``/vN`` may be crossed (``prefix-major`` when the covering
        source is at major N, else ``prefix-submodule``) only when at least one element
        lies between the declared path and it; any other major element stops the search.
        """
        elems = path.split("/")
        last = len(elems) - 1
        crossed: int | None = None
        for n in range(last, 0, -1):
            if is_major_element(elems[n]):
                if n != last or n < 2:
                    # A /vN in the middle of the remainder: the module is another major
                    # line than anything declared above it.
                    return []
                crossed = int(elems[n][1:])
                continue  # elems[:last] is the bare base: a major match, not a prefix
            cand = "/".join(elems[:n])
            if n < repository_depth(cand):
                return []
            decls = self._exact.get(cand)
            if not decls:
                continue
            if crossed is None:
                return [(d, MatchKind.PREFIX) for d in decls]
            return [
                (d, MatchKind.PREFIX_MAJOR if d.major == crossed else MatchKind.PREFIX_SUBMODULE)
                for d in decls
            ]
        return []

    def _by_binary_name(self, path: str, want: int) -> list[tuple[_Decl, str]]:
        """Sources with a ``-dev`` binary named for ``path`` or its repository root."""
        exact, bare = debian_dev_name(path), debian_dev_name(path, keep_major=False)
        names = [exact, bare]
        root = repository_root(path)
        below = path[len(root) + 1 :].split("/") if path.startswith(root + "/") else []
        # Only a sub-module of the root's own major line: a /vN straight below the root
        # (otel/v2/sdk) is another major line, which the root's binary does not ship.
        if len(below) >= 1 and not any(is_major_element(e) for e in below[:-1] or below):
            names.append(debian_dev_name(root, keep_major=False))
        found: list[tuple[_Decl, str]] = []
        for name in dict.fromkeys(names):
            entry = self._binaries.get(name)
            if entry is None or not name.endswith("-dev") or not entry.import_paths:
                continue
            version = debian_to_go(entry.version)
            major = want
            if name == bare != exact:
                # foo/v12 found as golang-foo-dev: that binary's major is its source's
                # (golang-github-apache-arrow-go-dev is arrow-go/v18), never assumed v12.
                major = provided_major(entry.import_paths[0], version)
            found.append((_Decl(entry.import_paths[0], entry, version, major, False), name))
        return found

    def lookup(self, module: Module) -> list[DistroPackage]:
        """Packages that provide ``module`` (any major), best first; [] if none."""
        path = module.path
        found: list[tuple[_Decl, MatchKind]] = []
        found += [(d, MatchKind.EXACT) for d in self._exact.get(path, ())]
        found += [
            (d, MatchKind.MAJOR) for d in self._by_base.get(strip_major(path), ()) if d.path != path
        ]
        found += self._prefix(path)
        want = module_major(path, module.version)
        named: dict[str, str] = {}
        if not found:
            for decl, name in self._by_binary_name(path, want):
                found.append((decl, MatchKind.BINARY))
                named.setdefault(decl.entry.source, name)
        # A stable sort keeps each path's highest-version-first order.
        found.sort(key=lambda f: (f[0].major != want, _KIND_RANK[f[1]], -f[0].major))
        result: list[DistroPackage] = []
        seen: set[str] = set()
        for decl, kind in found:
            if decl.entry.source in seen:
                continue
            binary = named.get(decl.entry.source) if kind is MatchKind.BINARY else None
            binary = binary or choose_binary(decl.entry, path, decl.path, decl.major, kind)
            if binary is None:  # cannot happen: program-only sources are not indexed
                continue
            seen.add(decl.entry.source)
            result.append(
                DistroPackage(
                    source=decl.entry.source,
                    binary=binary,
                    version=decl.version,
                    import_path=decl.path,
                    match=kind,
                    major=decl.major,
                    own_version=decl.own and not kind.covers,
                )
            )
        return result
