"""List a suite's Go applications from its verified Sources index and fetch their manifests."""

from __future__ import annotations

from pathlib import Path

from vendaudit.distros.debian.applications import GO_BUILD_DEPENDS, GoApplication
from vendaudit.distros.interface import DistroError
from vendaudit.distros.registry import LookupOptions, make_backends
from vendaudit.fetch import Fetcher, default_cache_dir
from vendaudit.model import Target
from vendaudit.sweep.debsources import DEFAULT_BASE, ManifestResult, fetch_manifests

__all__ = ["SweepListingError", "fetch_applications", "list_applications", "rule_text"]


class SweepListingError(Exception):
    """The suite's applications could not be listed (no Debian target, index failed)."""


def rule_text(target: Target, provenance: str) -> str:
    """The exact selection rule, for every output of the sweep."""
    names = ", ".join(sorted(GO_BUILD_DEPENDS))
    return (
        f"sources of {target.id} ({provenance}) whose Build-Depends, Build-Depends-Arch or "
        f"Build-Depends-Indep name one of {names}, and that build at least one binary not "
        f"ending in -dev; Extra-Source-Only stanzas skipped, highest version per source"
    )


def list_applications(
    targets: tuple[Target, ...],
    fetcher: Fetcher,
    lookup: LookupOptions,
    apps_from: str | None = None,
) -> tuple[Target, tuple[GoApplication, ...], str]:
    """The suite (``apps_from`` or the first Debian/Ubuntu target), its applications, the rule."""
    from vendaudit.distros.debian import DebianArchiveBackend

    try:
        target = Target.parse(apps_from) if apps_from else None
    except ValueError as exc:
        raise SweepListingError(f"--apps-from: {exc}") from exc
    if target is None:
        target = next((t for t in targets if t.family == "deb"), None)
    if target is None or target.family != "deb":
        raise SweepListingError("listing applications needs a Debian or Ubuntu suite")
    backend = next(
        b
        for b in make_backends(fetcher, fetcher.cache, lookup)
        if isinstance(b, DebianArchiveBackend)
    )
    try:
        apps, provenance = backend.load_applications(target)
    except DistroError as exc:
        raise SweepListingError(f"cannot list the applications of {target.id}: {exc}") from exc
    return target, apps, rule_text(target, provenance)


def fetch_applications(
    targets: tuple[Target, ...],
    fetcher: Fetcher,
    lookup: LookupOptions,
    *,
    apps_from: str | None = None,
    base: str = DEFAULT_BASE,
    rate: float = 8.0,
    dest: Path | None = None,
) -> tuple[list[ManifestResult], str]:
    """Every application's manifest (fetched into ``dest``, default the cache), and the rule."""
    _, apps, rule = list_applications(targets, fetcher, lookup, apps_from)
    if dest is None:
        root = fetcher.cache.root if fetcher.cache is not None else default_cache_dir()
        dest = root / "sweep-manifests"
    return fetch_manifests(fetcher, apps, dest, base=base, rate=rate), rule
