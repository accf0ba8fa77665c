"""The project model every layer shares: required modules, distro targets and findings.

Everything here is a frozen dataclass; layers pass these values around and never
mutate them.  Parsing lives in :mod:`vendaudit.gomod`, lookups in
:mod:`vendaudit.distros`, judgement in :mod:`vendaudit.analysis`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from vendaudit.descriptor import UnknownDistro, descriptor_for, descriptors, distro_names
from vendaudit.versions.packaged import PackagedVersion

__all__ = [
    "DistroPackage",
    "ExcludedEntry",
    "Finding",
    "KeepEntry",
    "MatchKind",
    "ModVersion",
    "Module",
    "PackagedVersion",
    "Project",
    "QueueEntry",
    "Target",
    "TargetStatus",
    "UpdateEntry",
    "Verdict",
]


@dataclass(frozen=True, slots=True)
class ModVersion:
    """A module path with an optional version (``""`` when the version is absent)."""

    path: str
    version: str = ""


@dataclass(frozen=True, slots=True)
class Module:
    """One module the main module requires (a line of ``require``)."""

    path: str
    version: str
    indirect: bool = False
    replace: ModVersion | None = None
    """The effective replacement from go.mod (``version == ""``: a local directory)."""
    explicit: bool | None = None
    """``## explicit`` in vendor/modules.txt; ``None`` when there is no modules.txt."""
    packages: tuple[str, ...] = ()
    """Vendored package import paths from vendor/modules.txt."""
    go_version: str | None = None
    """The ``go`` annotation of modules.txt (the dependency's own go directive)."""

    @property
    def key(self) -> str:
        """``path@version``, the node name used by the graph."""
        return f"{self.path}@{self.version}"

    @property
    def required_version(self) -> str:
        """The version that must be met: a same-path ``replace`` pin wins over ``require``."""
        rep = self.replace
        if rep is not None and rep.path == self.path and rep.version:
            return rep.version
        return self.version

    @property
    def is_fork(self) -> bool:
        """Replaced by another module or a local directory (not a same-path version pin)."""
        rep = self.replace
        return rep is not None and not (rep.path == self.path and rep.version)


@dataclass(frozen=True, slots=True)
class Project:
    """A Go project as vendaudit sees it: manifest, main module and required modules."""

    manifest: str
    """Path of the go.mod / vendor.mod that was read."""
    main_module: str
    go: str
    modules: tuple[Module, ...]
    modules_txt: str | None = None
    """Path of vendor/modules.txt when one was read."""
    sums: str | None = None
    """Path of go.sum / vendor.sum when present."""


@dataclass(frozen=True, slots=True, order=True)
class Target:
    """One distribution release to audit against, e.g. ``debian:sid`` or ``fedora:43``."""

    distro: str
    """A registered distro name (:mod:`vendaudit.descriptor`): ``debian``, ``fedora``…"""
    release: str
    """Suite, codename or release number: ``sid``, ``noble``, ``rawhide``, ``43``, ``10``."""

    @property
    def id(self) -> str:
        """The ``distro:release`` spelling used on the command line and in reports."""
        return f"{self.distro}:{self.release}"

    @property
    def family(self) -> str:
        """The plan family its registered descriptor declares: ``deb`` (Debian, Ubuntu),
        ``rpm`` (Fedora, EPEL, RPM-like plug-ins); ``rpm`` for an unregistered name."""
        try:
            return descriptor_for(self.distro).family
        except UnknownDistro:
            return "rpm"

    @classmethod
    def parse(cls, text: str) -> Target:
        """Parse ``distro:release`` for a registered distro; ``ValueError`` says what fits."""
        distro, sep, release = text.strip().partition(":")
        distro = distro.lower()
        if not sep or not release or distro not in distro_names():
            forms = [f for d in descriptors() for f in d.target_forms]
            expected = " or ".join([", ".join(forms[:-1]), forms[-1]] if len(forms) > 1 else forms)
            raise ValueError(f"invalid target {text!r}: expected {expected}")
        return cls(distro, release)

    def __str__(self) -> str:
        return self.id


class MatchKind(StrEnum):
    """How a Go module was mapped to a distro package (reported with every match)."""

    EXACT = "exact"
    """The module path is itself an import path the package declares."""
    MAJOR = "major"
    """The same path with another major-version spelling (``/vN``, ``.vN``, version major)."""
    PREFIX = "prefix"
    """The longest declared import path that is a ``/``-prefix of the module path."""
    PACKAGE = "package"
    """A package of the module is provided (Fedora ``golang(<pkg>)``)."""
    PREFIX_MAJOR = "prefix-major"
    """A prefix crossing the module's final ``/vN``: the covering source's upstream major
    is N (go.etcd.io/etcd/server/v3 in src:etcd 3.5.x)."""
    PREFIX_SUBMODULE = "prefix-submodule"
    """A prefix crossing the final ``/vN`` of a sub-module below the repository root the
    source ships whole: the /vN is the sub-module's own major
    (aws-sdk-go-v2/internal/endpoints/v2 in golang-github-aws-aws-sdk-go-v2 1.x)."""
    BINARY = "binary"
    """No declared path matches, but a ``-dev`` binary carries the module's (or its
    repository root's) dh-make-golang name (containerd/api in src:containerd)."""

    @property
    def covers(self) -> bool:
        """The package covers the module as part of a larger tree: its version is another's."""
        return self in _COVERING


_COVERING = frozenset(
    {MatchKind.PREFIX, MatchKind.PREFIX_MAJOR, MatchKind.PREFIX_SUBMODULE, MatchKind.BINARY}
)


@dataclass(frozen=True, slots=True)
class DistroPackage:
    """A distro package that provides (part of) a module, as found in one target."""

    source: str
    binary: str
    version: PackagedVersion
    import_path: str
    """The declared import path (Go-Import-Path / golang-ipath) that matched."""
    match: MatchKind
    major: int
    """Go major version this package provides (1 for v0/v1)."""
    own_version: bool = True
    """False when the package's version is another module's (a source carrying several
    projects, e.g. docker.io declaring github.com/moby/buildkit); prefix matches are
    never judged by their own version either."""
    cycle: str = ""
    """Why this package cannot be a Build-Depends of the audited project (its source
    Build-Depends on one of the project's own binaries); empty when it can."""

    @property
    def versions_this_module(self) -> bool:
        """The package's version is the matched module's own, so it can be compared.

        Not so for a source carrying another project (``own_version`` False) nor for a
        prefix match, whose version is the covering source's.
        """
        return self.own_version and not self.match.covers


class Verdict(StrEnum):
    """The judgement of one module in one target, best first."""

    SATISFIED = "satisfied"
    OUTDATED = "outdated"
    OTHER_MAJOR = "other-major"
    MISSING = "missing"
    REPLACED = "replaced"
    UNKNOWN = "unknown"
    """The lookup failed: never to be read as missing."""


@dataclass(frozen=True, slots=True)
class Finding:
    """The verdict for one module in one target, with the package it rests on."""

    module: Module
    target: Target
    verdict: Verdict
    package: DistroPackage | None = None
    reason: str = ""
    by_date: bool = False
    """True when a snapshot's date (not its version string) decided the verdict."""
    behind: str = ""
    """For ``outdated``: how far behind, in words ("2 minor versions", "143 days")."""


@dataclass(frozen=True, slots=True)
class KeepEntry:
    """A vendored directory that stays, with a docker.io-style marker (``~``, ``~F~``, ``~C~``)."""

    path: str
    marker: str
    reason: str


@dataclass(frozen=True, slots=True)
class ExcludedEntry:
    """A vendored directory excluded without a Build-Depends: nothing built needs it."""

    path: str
    reason: str
    """Why no build needs it: not compiled at all, or imported only by excluded modules."""


@dataclass(frozen=True, slots=True)
class UpdateEntry:
    """A packaged module whose package must first reach the required version."""

    module: str
    needed: str
    package: str
    packaged: str
    behind: str
    """Human text: how far behind (versions, or days for snapshots)."""
    by_date: bool = False


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """A module to package, in dependency order (leaves first)."""

    module: str
    version: str
    name: str
    """Suggested package name (dh-make-golang rule on Debian, goname on Fedora)."""
    unblocks: int = 0
    """How many other modules (transitively) wait for this one."""
    cycle: tuple[str, ...] = ()
    """Members of the dependency cycle this module is part of, if any."""


@dataclass(frozen=True, slots=True)
class TargetStatus:
    """How loading one target went: where the data came from, or why it failed."""

    target: Target
    provenance: str = ""
    """URL or file the data came from, and how it was verified."""
    notes: tuple[str, ...] = ()
    """Caveats the user must see (e.g. "InRelease signature not checked: gpgv missing")."""
    error: str | None = None
    """Why the target could not be loaded; every verdict is then ``unknown``."""
    packages: int = 0
    """How many Go source/binary packages the index holds (a sanity figure)."""
