"""Load Fedora/EPEL targets from RPM repodata: mirror, local files or the dnf cache.

Targets and repositories (the same URLs mdapi indexes, fedora.md §1):

* ``fedora:rawhide`` — ``fedora/linux/development/rawhide/Everything/x86_64/os``
* ``fedora:NN`` — ``fedora/linux/releases/NN/Everything/x86_64/os`` merged with
  ``fedora/linux/updates/NN/Everything/x86_64`` (highest EVR per binary wins).  A branched
  release not yet under ``releases/`` is read from ``development/NN``.  updates-testing is
  deliberately not read (it is not what users get).
* ``epel:N`` — ``epel/N/Everything/x86_64``

Per repository: repomd.xml is fetched (revalidated), the ``primary`` record's file is
fetched as immutable (its name carries its checksum), its checksum checked against
repomd, then streamed through :func:`~vendaudit.distros.fedora.primary.scan_primary`
(which also checks the open-checksum).  The parsed Go packages are cached with
``Cache.put_derived("fedora-primary-v1", "<type>:<checksum>")``, so an unchanged repo
costs one repomd.xml revalidation.

``local_indexes[target.id]`` (``--index fedora:rawhide=PATH``) replaces the mirror: each
PATH is a primary.xml[.gz|.zst|.xz] file, a ``repodata`` dir or a repository root.
``dnf_cache`` (e.g. ``/var/cache``) is searched for dnf4/libdnf5 repodata whose repomd.xml
names the target's release (``<tags><distro cpeid=…:fedora:NN>``) or, for rawhide, whose
repo id is ``rawhide``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from vendaudit.distros.fedora.index import FedoraIndex, merge_packages
from vendaudit.distros.fedora.primary import (
    GoProvide,
    PrimaryScan,
    RpmGoPackage,
    hash_name,
    scan_primary,
)
from vendaudit.distros.fedora.repomd import Repomd, RepomdRecord, parse_repomd
from vendaudit.distros.interface import (
    DistroBackend,
    DistroDataError,
    DistroError,
    DistroUnreachable,
)
from vendaudit.fetch import (
    Cache,
    Fetcher,
    FetchError,
    NotFound,
    OfflineMiss,
    TooLarge,
    Unreachable,
    Verify,
)
from vendaudit.model import Target
from vendaudit.progress import NULL_PROGRESS, Progress

__all__ = ["DEFAULT_MIRROR", "FedoraRepodataBackend", "RepoSpec"]

logger = logging.getLogger(__name__)

DEFAULT_MIRROR = "https://dl.fedoraproject.org/pub"
_DERIVED_NS = "fedora-primary-v1"
_RELEASE = re.compile(r"^(rawhide|\d+)$")
_EPEL = re.compile(r"^\d+(\.\d+)?$")
_MIN_PACKAGES = 1000
"""A real Everything repo has tens of thousands of packages; fewer suggests a broken mirror."""
MIN_PACKAGES: dict[str, int] = {"fedora": 10000, "epel": 100}
"""Fewest packages a release, rawhide or EPEL primary.xml may list (Fedora's Everything
has ~70k, EPEL 9 ~20k, a young EPEL some hundreds): fewer is a broken or hostile mirror
(repology's TooLittlePackages).  ``updates`` is exempt: it is nearly empty on release day."""
_DROP = 0.5
"""A repository whose Go packages fell below this share of the last good load fails."""
_COUNT_NS = "fedora-go-count-v1"


@dataclass(frozen=True, slots=True)
class RepoSpec:
    """One repository of a target: a label and its base URL(s), first that exists wins."""

    label: str
    urls: tuple[str, ...]


class FedoraRepodataBackend(DistroBackend):
    """:class:`DistroBackend` for ``fedora:rawhide``, ``fedora:NN`` and ``epel:N``."""

    def __init__(
        self,
        fetcher: Fetcher,
        *,
        mirror: str | None = None,
        local_indexes: Mapping[str, Sequence[Path]] | None = None,
        dnf_cache: Path | None = None,
        cache: Cache | None = None,
        min_packages: Mapping[str, int] | None = None,
        progress: Progress = NULL_PROGRESS,
    ) -> None:
        self.fetcher = fetcher
        self.min_packages = {**MIN_PACKAGES, **(min_packages or {})}
        self.mirror = (mirror or DEFAULT_MIRROR).rstrip("/")
        self.local_indexes = dict(local_indexes or {})
        self.dnf_cache = dnf_cache
        self.cache = cache if cache is not None else fetcher.cache
        self.progress = progress

    def supports(self, target: Target) -> bool:
        """Fedora ``rawhide``/``NN`` and EPEL ``N`` (or ``N.M``)."""
        if target.distro == "fedora":
            return bool(_RELEASE.match(target.release))
        return target.distro == "epel" and bool(_EPEL.match(target.release))

    def repos(self, target: Target) -> list[RepoSpec]:
        """The repositories that make up ``target`` on the mirror."""
        base = self.mirror
        if target.distro == "epel":
            return [RepoSpec("epel", (f"{base}/epel/{target.release}/Everything/x86_64/",))]
        if target.release == "rawhide":
            url = f"{base}/fedora/linux/development/rawhide/Everything/x86_64/os/"
            return [RepoSpec("rawhide", (url,))]
        n = target.release
        return [
            RepoSpec(
                "release",
                (
                    f"{base}/fedora/linux/releases/{n}/Everything/x86_64/os/",
                    f"{base}/fedora/linux/development/{n}/Everything/x86_64/os/",
                ),
            ),
            RepoSpec("updates", (f"{base}/fedora/linux/updates/{n}/Everything/x86_64/",)),
        ]

    def load(self, target: Target) -> FedoraIndex:
        """Load and merge the target's repositories; :class:`DistroError` on any failure."""
        if not self.supports(target):
            raise DistroError(f"{target.id}: not a Fedora/EPEL target this backend knows")
        local = self.local_indexes.get(target.id)
        if local:
            scans = [self._load_local(target, Path(p)) for p in local]
        else:
            found = self._dnf_cached(target)
            scans = (
                [self._load_repodata_dir(target, d, f"dnf cache {d}") for d in found]
                if found
                else [self._load_remote(target, spec) for spec in self.repos(target)]
            )
        notes: list[str] = []
        for label, scan, _ in scans:
            if not local and scan.total < _MIN_PACKAGES:
                notes.append(
                    f"{label}: only {scan.total} packages in primary.xml; the mirror may be "
                    "incomplete"
                )
        if target.distro == "fedora" and target.release != "rawhide" and not local:
            notes.append("updates-testing is not included")
        packages = merge_packages(scan.packages for _, scan, _ in scans)
        provenance = "; ".join(prov for _, _, prov in scans)
        return FedoraIndex(target, packages, provenance=provenance, notes=notes)

    # -- network ---------------------------------------------------------------------

    def _get(
        self,
        target: Target,
        url: str,
        *,
        immutable: bool = False,
        kind: str = "default",
        verify: Verify | None = None,
    ) -> bytes:
        try:
            return self.fetcher.get(url, immutable=immutable, kind=kind, verify=verify).content
        except NotFound as exc:
            raise DistroError(f"{target.id}: {exc}") from exc
        except Unreachable as exc:
            raise DistroUnreachable(f"{target.id}: {exc}") from exc
        except TooLarge as exc:
            raise DistroDataError(f"{target.id}: {exc}") from exc
        except (OfflineMiss, FetchError) as exc:
            raise DistroError(f"{target.id}: {exc}") from exc

    def _load_remote(self, target: Target, spec: RepoSpec) -> tuple[str, PrimaryScan, str]:
        errors: list[str] = []
        for base in spec.urls:
            where = f"{target.id}: {base}repodata/repomd.xml"
            try:
                repomd_bytes = self._get(
                    target,
                    base + "repodata/repomd.xml",
                    kind="repomd",
                    verify=functools.partial(_check_repomd, where=where),
                )
            except DistroError as exc:
                if isinstance(exc, DistroUnreachable) or not isinstance(exc.__cause__, NotFound):
                    raise
                errors.append(str(exc))
                continue
            repomd = parse_repomd(repomd_bytes, where)
            rec = repomd.primary()
            url = base + rec.href
            scan = self._cached_scan(rec, spec.label)
            if scan is None:
                # Content-addressed, so immutable, but only once its checksum matched.
                blob = self._get(
                    target,
                    url,
                    immutable=True,
                    kind="index",
                    verify=functools.partial(_verify, target, url, rec=rec),
                )
                try:
                    scan = self._scan(target, url, blob, rec, spec.label)
                except DistroError:
                    self.fetcher.forget(url)
                    raise
            self._check_size(target, spec.label, scan, base)
            prov = f"{spec.label}: {url} ({rec.checksum_type} verified, revision {repomd.revision})"
            return spec.label, scan, prov
        raise DistroError(" / ".join(errors) or f"{target.id}: no repository for {spec.label}")

    def _check_size(self, target: Target, label: str, scan: PrimaryScan, where: str) -> None:
        """Refuse a suspiciously small primary (see :data:`MIN_PACKAGES`)."""
        if label == "updates":
            return
        floor = self.min_packages.get(target.distro, 0)
        if scan.total < floor:
            raise DistroDataError(
                f"{target.id}: {where}: primary.xml lists only {scan.total} packages (a "
                f"{target.distro} repository has at least {floor}); refusing a truncated or "
                "hostile index"
            )
        if self.cache is None:
            return
        key = f"{where}|{target.id}"
        blob = self.cache.get_derived(_COUNT_NS, key)
        last = int(blob) if blob is not None and blob.strip().isdigit() else 0
        go = len(scan.packages)
        if last >= 100 and go < last * _DROP:
            raise DistroDataError(
                f"{target.id}: {where}: {go} Go packages, down from {last} at the last good "
                "load; refusing a truncated or hostile index"
            )
        self.cache.put_derived(_COUNT_NS, key, str(go).encode())

    def _scan(
        self, target: Target, source: str, data: bytes | IO[bytes], rec: RepomdRecord, label: str
    ) -> PrimaryScan:
        task = f"Parsing {source}"
        self.progress.start(task, rec.open_size)
        advance: Callable[[int], None] = lambda n: self.progress.advance(task, n)  # noqa: E731
        try:
            scan = scan_primary(
                data,
                source=f"{target.id}: {source}",
                repo=label,
                open_checksum=(
                    (rec.open_checksum_type or "sha256", rec.open_checksum)
                    if rec.open_checksum
                    else None
                ),
                on_progress=advance,
            )
        finally:
            self.progress.done(task)
        if self.cache is not None:
            self.cache.put_derived(_DERIVED_NS, _cache_key(rec), _dump(scan))
        return scan

    def _cached_scan(self, rec: RepomdRecord, label: str) -> PrimaryScan | None:
        if self.cache is None:
            return None
        blob = self.cache.get_derived(_DERIVED_NS, _cache_key(rec))
        if blob is None:
            return None
        try:
            return _load(blob, label)
        except (ValueError, TypeError, KeyError, IndexError):
            logger.warning("ignoring an unreadable cached Fedora index")
            return None

    # -- local files -----------------------------------------------------------------

    def _load_local(self, target: Target, path: Path) -> tuple[str, PrimaryScan, str]:
        if path.is_dir():
            return self._load_repodata_dir(target, path, str(path))
        try:
            with path.open("rb") as fh:
                scan = scan_primary(fh, source=f"{target.id}: {path}", repo=path.name)
        except OSError as exc:
            raise DistroError(f"{target.id}: cannot read {path}: {exc.strerror}") from exc
        return path.name, scan, f"local file {path} (not verified: no repomd.xml)"

    def _load_repodata_dir(
        self, target: Target, path: Path, label: str
    ) -> tuple[str, PrimaryScan, str]:
        root = path.parent if path.name == "repodata" else path
        repomd_path = root / "repodata" / "repomd.xml"
        try:
            repomd = parse_repomd(repomd_path.read_bytes(), f"{target.id}: {repomd_path}")
            rec = repomd.primary()
            primary = _inside(target, root, rec.href, repomd_path)
            digest = hashlib.new(hash_name(rec.checksum_type))
            with primary.open("rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(chunk)
            if digest.hexdigest() != rec.checksum:
                raise DistroDataError(
                    f"{target.id}: {primary}: checksum does not match repomd.xml "
                    f"({rec.checksum_type} {digest.hexdigest()} != {rec.checksum})"
                )
            scan = self._cached_scan(rec, label)
            if scan is None:
                with primary.open("rb") as fh:
                    scan = self._scan(target, str(primary), fh, rec, label)
        except OSError as exc:
            raise DistroError(f"{target.id}: cannot read {exc.filename}: {exc.strerror}") from exc
        return label, scan, f"{label}: {primary} ({rec.checksum_type} verified)"

    def _dnf_cached(self, target: Target) -> list[Path]:
        if self.dnf_cache is None or not self.dnf_cache.is_dir():
            return []
        found: list[Path] = []
        for pattern in ("*/repodata", "dnf/*/repodata", "libdnf5/*/repodata"):
            for repodata in sorted(self.dnf_cache.glob(pattern)):
                repo_id = repodata.parent.name.rsplit("-", 1)[0]
                try:
                    repomd = parse_repomd((repodata / "repomd.xml").read_bytes())
                except (OSError, DistroError):
                    continue
                if _dnf_matches(target, repo_id, repomd):
                    found.append(repodata)
        return found


def _check_repomd(data: bytes, *, where: str) -> None:
    """Parse repomd.xml and check its primary href (run before it is cached)."""
    href = parse_repomd(data, where).primary().href
    _relative_href(href, where)


def _relative_href(href: str, where: str) -> None:
    """A repomd href must be a plain relative path below the repository root."""
    parts = href.replace("\\", "/").split("/")
    if "://" in href or href.startswith("/") or ".." in parts or not href.strip():
        raise DistroDataError(
            f"{where}: location href {href[:120]!r} leaves the repository; refused"
        )


def _inside(target: Target, root: Path, href: str, repomd_path: Path) -> Path:
    """``root / href``, refused unless it resolves (symlinks followed) inside ``root``."""
    where = f"{target.id}: {repomd_path}"
    _relative_href(href, where)
    path = root / href
    try:
        inside = path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        inside = False
    if not inside:
        raise DistroDataError(f"{where}: location href {href[:120]!r} leaves {root}; refused")
    return path


def _dnf_matches(target: Target, repo_id: str, repomd: Repomd) -> bool:
    if target.release == "rawhide":
        return repo_id == "rawhide"
    if target.distro == "epel":
        ok_ids, cpe = {"epel"}, f"fedora-epel:{target.release}"
    else:
        ok_ids, cpe = {"fedora", "updates"}, f"fedora:{target.release}"
    return repo_id in ok_ids and any(c.endswith(cpe) for c in repomd.distro_cpeids)


def _verify(target: Target, url: str, blob: bytes, rec: RepomdRecord) -> None:
    try:
        digest = hashlib.new(hash_name(rec.checksum_type), blob).hexdigest()
    except ValueError as exc:
        raise DistroDataError(f"{target.id}: {url}: unknown checksum type") from exc
    if digest != rec.checksum:
        raise DistroDataError(
            f"{target.id}: {url}: checksum does not match repomd.xml "
            f"({rec.checksum_type} {digest} != {rec.checksum}); mirror out of sync or "
            "download truncated"
        )


def _cache_key(rec: RepomdRecord) -> str:
    return f"{rec.checksum_type}:{rec.checksum}"


def _dump(scan: PrimaryScan) -> bytes:
    rows = [
        [p.name, p.arch, p.epoch, p.ver, p.rel, p.source, [list(_prov(v)) for v in p.provides]]
        for p in scan.packages
    ]
    return json.dumps({"total": scan.total, "packages": rows}, separators=(",", ":")).encode()


def _prov(v: GoProvide) -> tuple[str | None, ...]:
    return (v.kind, v.path, v.attr, v.flags, v.epoch, v.ver, v.rel)


def _load(blob: bytes, label: str) -> PrimaryScan:
    data = json.loads(blob)
    packages = [
        RpmGoPackage(name, arch, epoch, ver, rel, src, tuple(GoProvide(*p) for p in provs), label)
        for name, arch, epoch, ver, rel, src, provs in data["packages"]
    ]
    return PrimaryScan(packages, int(data["total"]))
