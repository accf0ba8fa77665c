"""The distro lookup layer's small interface: a backend loads an index per target.

A backend (Debian Sources, ftp-master API, Fedora repodata…) turns a :class:`Target`
into a :class:`DistroIndex`; the index answers "which packages provide this module".
Loading may fail (network, bad data): that raises :class:`DistroError`, and the audit
turns it into the ``unknown`` verdict for every module of that target — never
``missing``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass

from vendaudit.fetch import (
    Fetched,
    Fetcher,
    FetchError,
    NotFound,
    OfflineMiss,
    TooLarge,
    Unreachable,
    Verify,
)
from vendaudit.model import DistroPackage, Module, Target, TargetStatus

__all__ = [
    "DistroBackend",
    "DistroDataError",
    "DistroError",
    "DistroIndex",
    "DistroUnreachable",
    "Failed",
    "LoadResult",
    "Loaded",
    "fetch_for",
]


class DistroError(Exception):
    """A target's data could not be loaded; the message says which and why."""


class DistroUnreachable(DistroError):
    """The service or mirror could not be reached (network, timeout, 5xx)."""


class DistroDataError(DistroError):
    """The service answered, but with data that cannot be used (truncated, malformed)."""


def fetch_for(
    fetcher: Fetcher,
    target: Target,
    url: str,
    *,
    immutable: bool = False,
    missing: str = "",
    kind: str = "default",
    verify: Verify | None = None,
) -> Fetched:
    """``fetcher.get(url)`` with fetch errors as distro errors naming ``target``.

    ``missing`` words a 404/410 (default: the fetch error); the fetch error stays the
    ``__cause__``, so a caller can still tell a :class:`NotFound` apart.  ``kind`` and
    ``verify`` are :meth:`Fetcher.get`'s; what ``verify`` raises propagates unchanged.
    """
    try:
        return fetcher.get(url, immutable=immutable, kind=kind, verify=verify)
    except OfflineMiss as exc:
        raise DistroError(f"{target.id}: offline and the cache lacks {url}") from exc
    except Unreachable as exc:
        raise DistroUnreachable(f"{target.id}: {exc}") from exc
    except NotFound as exc:
        raise DistroError(f"{target.id}: {missing or exc}") from exc
    except TooLarge as exc:
        raise DistroDataError(f"{target.id}: {exc}") from exc
    except FetchError as exc:
        raise DistroError(f"{target.id}: {exc}") from exc


class DistroIndex(ABC):
    """The Go view of one target's packages."""

    target: Target
    provenance: str
    """Where the data came from, for the report (URL or file, and how it was verified)."""
    notes: tuple[str, ...] = ()
    """Things the user must know, e.g. "InRelease signature not checked: gpgv missing"."""

    @property
    def packages(self) -> int:
        """How many Go packages the index holds: a sanity figure for the report (default 0)."""
        return 0

    @abstractmethod
    def lookup(self, module: Module) -> list[DistroPackage]:
        """Packages that provide ``module`` (any major), best match first; [] if none."""

    def notes_for(self, modules: Sequence[Module]) -> tuple[str, ...]:
        """The notes that matter for a project requiring ``modules`` (default: all)."""
        return tuple(self.notes)

    def binary_names(self) -> frozenset[str]:
        """Every binary package name the index knows (default: none known)."""
        return frozenset()

    def build_cycle(
        self, package: DistroPackage, main_module: str, project_source: str | None = None
    ) -> str:
        """Why ``package`` cannot be built before the audited project ("" when it can).

        The project is the distro source packaging ``main_module`` (or ``project_source``
        when given).  Default: no build-dependency data, so no cycle is known.
        """
        return ""


class DistroBackend(ABC):
    """Loads :class:`DistroIndex` objects for the targets it supports."""

    @abstractmethod
    def supports(self, target: Target) -> bool:
        """True when this backend can load ``target``."""

    @abstractmethod
    def load(self, target: Target) -> DistroIndex:
        """Load the index for ``target``; raise :class:`DistroError` on failure."""


@dataclass(frozen=True, slots=True)
class Loaded:
    """A target whose index loaded."""

    target: Target
    index: DistroIndex

    @property
    def status(self) -> TargetStatus:
        """Where the data came from, with every note of the index."""
        index = self.index
        return TargetStatus(
            self.target,
            provenance=index.provenance,
            notes=tuple(index.notes),
            packages=index.packages,
        )


@dataclass(frozen=True, slots=True)
class Failed:
    """A target that could not be loaded: its verdicts are all ``unknown``, never ``missing``."""

    target: Target
    error: str
    """Why, starting with the target id (the :class:`DistroError` text)."""

    @property
    def status(self) -> TargetStatus:
        """The status line saying why loading failed."""
        return TargetStatus(self.target, error=self.error)


LoadResult = Loaded | Failed
"""What loading one target gives: narrow it with ``isinstance`` or ``match``."""
