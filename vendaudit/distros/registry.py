"""The distro registry at work: build backends, load targets, dispatch planners.

Which distros exist is :mod:`vendaudit.descriptor`'s list (entry points
``vendaudit.distros``); this module turns a descriptor's ``"module:function"``
references into backends (:func:`make_backends`) and plans (:func:`make_plan`), importing
a distro's code only when one of its targets is used.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vendaudit.descriptor import descriptor_for, descriptors, distro_names, resolve
from vendaudit.distros.interface import DistroBackend, DistroError, Failed, Loaded, LoadResult
from vendaudit.fetch import Cache, Fetcher
from vendaudit.model import Finding, Project, QueueEntry, Target
from vendaudit.progress import NULL_PROGRESS, Progress

if TYPE_CHECKING:
    from vendaudit.gomod.modulestxt import ModulesTxt
    from vendaudit.plans import Plan

logger = logging.getLogger(__name__)

__all__ = [
    "BackendRequest",
    "LookupOptions",
    "PlanRequest",
    "load_targets",
    "make_backends",
    "make_plan",
    "parse_mirrors",
]


@dataclass(frozen=True)
class LookupOptions:
    """Where distro data comes from (all optional; defaults are the official mirrors)."""

    mirrors: Mapping[str, str] = field(default_factory=dict)
    """distro name (``debian``, ``ubuntu``, ``fedora``, ``epel``) → mirror base URL."""
    local_indexes: Mapping[str, tuple[Path, ...]] = field(default_factory=dict)
    """target id → local index files (``--index debian:sid=PATH``)."""
    apt_lists: Path | None = None
    dnf_cache: Path | None = None
    debian_backend: str = "sources"
    """``sources`` (Sources indexes) or ``api`` (ftp-master API)."""
    allow_unsigned: bool = False
    """Accept InRelease files whose signature is missing, bad or cannot be checked."""
    keyrings: Mapping[str, tuple[Path, ...]] = field(default_factory=dict)
    """distro name → keyrings replacing apt's default one (``--keyring``)."""


@dataclass(frozen=True)
class BackendRequest:
    """What a descriptor's backend factory gets: shared services and this distro's options."""

    fetcher: Fetcher
    cache: Cache | None
    options: LookupOptions
    progress: Progress
    mirrors: Mapping[str, str]
    """``--mirror`` values for this descriptor's distro names only."""
    local_indexes: Mapping[str, tuple[Path, ...]]
    """``--index`` files for this descriptor's targets only."""


@dataclass(frozen=True)
class PlanRequest:
    """What a descriptor's planner gets for one target (fields a family ignores stay unused)."""

    project: Project
    findings: Sequence[Finding]
    target: Target
    modules_txt: ModulesTxt | None = None
    cycles: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    order: Callable[[Sequence[QueueEntry]], Sequence[QueueEntry]] | None = None
    unused: Collection[str] = ()
    walk: Any = None
    """The vendor tree's package imports (``PackageImports``), when a graph was built."""
    only_satisfied: bool = False
    direct_only: bool = False
    taken: Collection[str] = ()
    """Binary names the target already has: never proposed for a new package."""


def make_backends(
    fetcher: Fetcher,
    cache: Cache | None,
    options: LookupOptions,
    progress: Progress = NULL_PROGRESS,
    targets: Sequence[Target] | None = None,
) -> list[DistroBackend]:
    """The backends of every registered distro (only those ``targets`` need, when given).

    Each descriptor's factory is imported only here, so a run against Debian never
    imports the Fedora backend.
    """
    wanted = None if targets is None else {t.distro for t in targets}
    backends: list[DistroBackend] = []
    for desc in descriptors():
        if wanted is not None and not wanted & set(desc.names):
            continue
        names = set(desc.names)
        request = BackendRequest(
            fetcher=fetcher,
            cache=cache,
            options=options,
            progress=progress,
            mirrors={k: v for k, v in options.mirrors.items() if k in names},
            local_indexes={
                k: v for k, v in options.local_indexes.items() if k.partition(":")[0] in names
            },
        )
        backends.extend(resolve(desc.backend)(request))
    return backends


def make_plan(request: PlanRequest) -> Plan:
    """The plan for ``request.target``, by the planner its descriptor names."""
    planner: Callable[[PlanRequest], Plan] = resolve(descriptor_for(request.target.distro).planner)
    return planner(request)


def parse_mirrors(values: Sequence[str]) -> dict[str, str]:
    """``--mirror URL`` (every registered distro) or ``--mirror debian=URL``."""
    out: dict[str, str] = {}
    for value in values:
        name, sep, url = value.partition("=")
        if sep and "://" not in name:
            out[name.lower()] = url.rstrip("/")
        else:
            for distro in distro_names():
                out[distro] = value.rstrip("/")
    return out


def _load_one(target: Target, backends: Sequence[DistroBackend]) -> LoadResult:
    for backend in backends:
        if not backend.supports(target):
            continue
        try:
            return Loaded(target, backend.load(target))
        except DistroError as exc:
            return Failed(target, str(exc))
    return Failed(target, f"{target.id}: no backend supports this target")


def load_targets(
    targets: Sequence[Target], backends: Sequence[DistroBackend], *, workers: int = 4
) -> list[LoadResult]:
    """Load every target (downloads overlap in threads); failures become data, not raises."""
    if len(targets) <= 1:
        return [_load_one(t, backends) for t in targets]
    with ThreadPoolExecutor(max_workers=min(workers, len(targets))) as pool:
        return list(pool.map(lambda t: _load_one(t, backends), targets))
