"""Build the distro backends from the command line's options and load every target.

This is the only place that knows which backend serves which target, so the CLI stays
wiring and the backends stay independent of each other.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from vendaudit.distros.interface import DistroBackend, DistroError, Failed, Loaded, LoadResult
from vendaudit.fetch import Cache, Fetcher
from vendaudit.model import Target
from vendaudit.progress import NULL_PROGRESS, Progress

logger = logging.getLogger(__name__)

__all__ = ["LookupOptions", "load_targets", "make_backends"]


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


def make_backends(
    fetcher: Fetcher,
    cache: Cache | None,
    options: LookupOptions,
    progress: Progress = NULL_PROGRESS,
) -> list[DistroBackend]:
    """The backends, in the order they are asked whether they support a target."""
    from vendaudit.distros.debian import DebianArchiveBackend, FtpMasterBackend
    from vendaudit.distros.fedora import FedoraRepodataBackend

    mirrors = dict(options.mirrors)
    deb_mirrors = {k: v for k, v in mirrors.items() if k in ("debian", "ubuntu")}
    local_deb = {k: v for k, v in options.local_indexes.items() if Target.parse(k).family == "deb"}
    local_rpm = {k: v for k, v in options.local_indexes.items() if Target.parse(k).family == "rpm"}
    backends: list[DistroBackend] = []
    if options.debian_backend == "api":
        backends.append(FtpMasterBackend(fetcher, base=mirrors.get("ftp-master")))
    backends.append(
        DebianArchiveBackend(
            fetcher,
            mirrors=deb_mirrors or None,
            local_indexes=local_deb or None,
            apt_lists=options.apt_lists,
            cache=cache,
            allow_unsigned=options.allow_unsigned,
            keyrings=options.keyrings or None,
            progress=progress,
        )
    )
    backends.append(
        FedoraRepodataBackend(
            fetcher,
            mirror=mirrors.get("fedora") or mirrors.get("epel"),
            local_indexes=local_rpm or None,
            dnf_cache=options.dnf_cache,
            cache=cache,
            progress=progress,
        )
    )
    return backends


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
