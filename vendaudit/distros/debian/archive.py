"""The Debian/Ubuntu backend over the archive's own Sources indexes.

Three ways to get a suite's Sources, tried in this order for a target:

1. ``local_indexes`` (``--index debian:sid=PATH``, repeatable): files in any compression,
   merged, not verified;
2. ``apt_lists`` (``--apt-lists [DIR]``): apt's downloaded lists, verified against the
   sibling InRelease like apt does (:mod:`~vendaudit.distros.debian.aptlists`);
3. a mirror: ``dists/<suite>/InRelease`` (signature checked with gpgv when possible), then
   the best compression of ``<component>/source/Sources`` it lists, hash-checked.

Every index goes through the parsed-index cache (:mod:`~vendaudit.distros.debian.indexcache`)
so a warm run does not decompress or parse.  :meth:`DebianArchiveBackend.load_with_status`
returns the :class:`TargetStatus` too (provenance, notes, package count); :meth:`load` is
the :class:`DistroBackend` method and puts the same provenance and notes on the index.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from debian.debian_support import version_compare

from vendaudit.distros.debian.aptlists import AptSuite, find_apt_suites
from vendaudit.distros.debian.compression import iter_decompress
from vendaudit.distros.debian.entries import SourceEntry
from vendaudit.distros.debian.index import DebianIndex
from vendaudit.distros.debian.indexcache import Parse, ParsedIndex, parse_cached, parse_cached_file
from vendaudit.distros.debian.inrelease import (
    Release,
    SignatureResult,
    check_index_hash,
    default_keyrings,
    parse_release,
    verify_signature,
)
from vendaudit.distros.debian.sources import DebianIndexError, parse_sources_chunks
from vendaudit.distros.interface import DistroBackend, DistroError, DistroUnreachable, fetch_for
from vendaudit.fetch import Cache, Fetched, Fetcher, FetchError, NotFound, OfflineMiss, Unreachable
from vendaudit.model import Target, TargetStatus
from vendaudit.progress import NULL_PROGRESS, Progress

logger = logging.getLogger(__name__)

__all__ = ["DEFAULT_COMPONENTS", "DEFAULT_MIRRORS", "DebianArchiveBackend", "merge_entries"]

DEFAULT_MIRRORS: dict[str, str] = {
    "debian": "https://deb.debian.org/debian",
    "ubuntu": "http://archive.ubuntu.com/ubuntu",
}
"""Mirror base URL per distro (``--mirror`` overrides)."""
DEFAULT_COMPONENTS: dict[str, tuple[str, ...]] = {
    "debian": ("main",),
    # Most of Ubuntu's Go libraries are synced from Debian into universe.
    "ubuntu": ("main", "universe"),
}
"""Archive components read per distro."""

# Best compression first: smallest download, and all three are always listed by dak/Launchpad.
_VARIANTS = (".xz", ".gz", ".bz2", ".zst", "")
_SIG_NAMESPACE = "debian-inrelease-sig-v1"


def merge_entries(groups: Sequence[Sequence[SourceEntry]]) -> list[SourceEntry]:
    """Merge several components' entries, keeping each source's highest version."""
    best: dict[str, SourceEntry] = {}
    for entries in groups:
        for entry in entries:
            seen = best.get(entry.source)
            if seen is None or version_compare(entry.version, seen.version) > 0:
                best[entry.source] = entry
    return list(best.values())


def _parse_raw(name: str) -> Parse:
    """Stream-decompress and parse, hashing the uncompressed data on the way."""

    def parse(raw: bytes) -> tuple[str, int, list[SourceEntry]]:
        digest = hashlib.sha256()
        size = 0

        def chunks() -> Iterator[bytes]:
            nonlocal size
            for chunk in iter_decompress(raw, name):
                digest.update(chunk)
                size += len(chunk)
                yield chunk

        entries = parse_sources_chunks(chunks())
        return digest.hexdigest(), size, entries

    return parse


class DebianArchiveBackend(DistroBackend):
    """Loads ``debian:*`` and ``ubuntu:*`` targets from Sources indexes (see module doc)."""

    def __init__(
        self,
        fetcher: Fetcher,
        *,
        mirrors: Mapping[str, str] | None = None,
        components: Mapping[str, tuple[str, ...]] | None = None,
        local_indexes: Mapping[str, Sequence[Path]] | None = None,
        apt_lists: Path | None = None,
        cache: Cache | None = None,
        verify: bool = True,
        keyrings: Mapping[str, Sequence[Path]] | None = None,
        progress: Progress = NULL_PROGRESS,
    ) -> None:
        self.fetcher = fetcher
        self.mirrors = {**DEFAULT_MIRRORS, **{k: v.rstrip("/") for k, v in (mirrors or {}).items()}}
        self.components = {**DEFAULT_COMPONENTS, **(components or {})}
        self.local_indexes = {k: tuple(v) for k, v in (local_indexes or {}).items()}
        self.apt_lists = apt_lists
        # The fetcher's cache doubles as the parsed-index cache unless one is given.
        self.cache = cache if cache is not None else fetcher.cache
        self.verify = verify
        self.keyrings = dict(keyrings or {})
        self.progress = progress

    def supports(self, target: Target) -> bool:
        """Debian and Ubuntu targets."""
        return target.distro in ("debian", "ubuntu")

    def load(self, target: Target) -> DebianIndex:
        """The index of ``target``; raises :class:`DistroError` (never returns partial data)."""
        return self.load_with_status(target)[0]

    def load_with_status(self, target: Target) -> tuple[DebianIndex, TargetStatus]:
        """The index and the status line for the report (provenance, notes, package count)."""
        if target.id in self.local_indexes:
            entries, provenance, notes = self._load_local(target, self.local_indexes[target.id])
        elif self.apt_lists is not None:
            entries, provenance, notes = self._load_apt_lists(target, self.apt_lists)
        else:
            entries, provenance, notes = self._load_mirror(target)
        index = DebianIndex(target, entries, provenance, tuple(notes))
        # The index may add notes of its own (shared -dev binaries); report them all.
        status = TargetStatus(target, provenance, tuple(index.notes), packages=len(entries))
        return index, status

    # -- shared steps ---------------------------------------------------------------------

    def _parse(self, target: Target, raw: bytes | Path, name: str) -> ParsedIndex:
        """Parse (or find in the cache) downloaded bytes or a local file."""
        task = f"{target.id}: {name.rsplit('/', 1)[-1]}"
        self.progress.start(task)
        try:
            if isinstance(raw, Path):
                return parse_cached_file(raw, self.cache, _parse_raw(name))
            return parse_cached(raw, self.cache, _parse_raw(name))
        except OSError as exc:
            raise DistroError(f"{target.id}: cannot read index {name}: {exc}") from exc
        except DebianIndexError as exc:
            raise DebianIndexError(f"{target.id}: {exc}") from exc
        finally:
            self.progress.done(task)

    def _signature(self, target: Target, data: bytes, what: str) -> SignatureResult:
        """gpgv's verdict on an InRelease; good verdicts are cached by content and keyring."""
        rings = tuple(self.keyrings.get(target.distro, default_keyrings(target.distro)))
        stamp = "|".join(f"{r}:{r.stat().st_mtime_ns}" for r in rings if r.is_file())
        key = f"{hashlib.sha256(data).hexdigest()}|{stamp}"
        if self.cache is not None and stamp:
            blob = self.cache.get_derived(_SIG_NAMESPACE, key)
            if blob is not None:
                return SignatureResult(True, True, blob.decode("utf-8", "replace"))
        result = verify_signature(data, rings)
        if result.checked and not result.good:
            raise DebianIndexError(f"{target.id}: {what}: {result.detail}")
        if result.good and self.cache is not None:
            self.cache.put_derived(_SIG_NAMESPACE, key, result.detail.encode())
        return result

    def _trust(
        self, target: Target, data: bytes, release: Release, what: str
    ) -> tuple[str, list[str]]:
        """A short trust label for the provenance, and the notes the user must see."""
        notes: list[str] = []
        if not self.verify:
            label = "signature not checked"
            notes.append(f"{what}: signature not checked (verification disabled)")
        else:
            sig = self._signature(target, data, what)
            label = "signature good" if sig.good else "signature not checked"
            if not sig.checked:
                notes.append(f"{what}: {sig.detail}")
        if release.expired(datetime.now(UTC)):
            notes.append(f"{what}: expired (Valid-Until {release.valid_until}); data may be stale")
        return label, notes

    # -- local files ----------------------------------------------------------------------

    def _load_local(
        self, target: Target, paths: Sequence[Path]
    ) -> tuple[list[SourceEntry], str, list[str]]:
        groups = []
        for path in paths:
            groups.append(self._parse(target, path, str(path)).entries)
        provenance = ", ".join(f"file {p}" for p in paths) + " (not verified)"
        return merge_entries(groups), provenance, []

    # -- apt's lists ----------------------------------------------------------------------

    def _load_apt_lists(
        self, target: Target, lists_dir: Path
    ) -> tuple[list[SourceEntry], str, list[str]]:
        try:
            suites = find_apt_suites(lists_dir, target)
        except DebianIndexError as exc:
            raise DebianIndexError(f"{target.id}: {exc}") from exc
        if not suites:
            raise DistroError(
                f"{target.id}: no Sources for suite {target.release!r} in {lists_dir} "
                f"(add a 'deb-src' line for it to apt's sources and run apt-get update)"
            )
        suite = suites[0]
        notes = [
            f"{target.id}: also found in apt lists as {other.prefix}; using {suite.prefix}"
            for other in suites[1:]
        ]
        groups = [self._apt_component(target, suite, comp, path) for comp, path in suite.sources]
        if suite.release is None or suite.release_file is None:
            notes.append(f"{target.id}: no InRelease beside the apt lists; index not verified")
            trust = "not verified"
        else:
            data = suite.release_file.read_bytes()
            label, more = self._trust(target, data, suite.release, str(suite.release_file))
            notes += more
            trust = f"InRelease {suite.release.date or 'undated'}; SHA256 verified; {label}"
        files = ", ".join(str(p) for _, p in suite.sources)
        return merge_entries(groups), f"apt lists {files} ({trust})", notes

    def _apt_component(
        self, target: Target, suite: AptSuite, comp: str, path: Path
    ) -> tuple[SourceEntry, ...]:
        parsed = self._parse(target, path, str(path))
        if suite.release is not None:
            # apt recompresses lists, so compare the uncompressed data with the plain line.
            listed = suite.release.sha256.get(f"{comp}/source/Sources")
            if listed is None:
                raise DebianIndexError(
                    f"{target.id}: {comp}/source/Sources not listed in {suite.release_file}"
                )
            if (parsed.plain_sha256, parsed.plain_size) != listed:
                raise DebianIndexError(
                    f"{target.id}: {path} does not match {suite.release_file} "
                    f"(SHA256/size differ; run apt-get update again)"
                )
        return parsed.entries

    # -- a mirror -------------------------------------------------------------------------

    def _get(self, target: Target, url: str, *, missing: str = "") -> Fetched:
        """GET ``url`` mapping fetch errors to distro errors; ``missing`` words a 404."""
        return fetch_for(self.fetcher, target, url, missing=missing)

    def _load_mirror(self, target: Target) -> tuple[list[SourceEntry], str, list[str]]:
        base = self.mirrors.get(target.distro, DEFAULT_MIRRORS["debian"])
        dists = f"{base}/dists/{target.release}"
        inrelease_url = f"{dists}/InRelease"
        self.progress.note(f"{target.id}: reading {inrelease_url}")
        fetched = self._get(
            target, inrelease_url, missing=f"suite not found at {base} (HTTP 404: {inrelease_url})"
        )
        try:
            release = parse_release(fetched.content)
        except DebianIndexError as exc:
            raise DebianIndexError(f"{target.id}: {inrelease_url}: {exc}") from exc
        label, notes = self._trust(target, fetched.content, release, inrelease_url)
        # Like apt: a validly signed InRelease of *another* suite (a stale or hostile
        # mirror replaying bookworm for sid) must not pass as this suite.
        names = {release.suite, release.codename} - {""}
        if names and target.release not in names:
            raise DebianIndexError(
                f"{target.id}: {inrelease_url} is for suite {release.suite or '?'} "
                f"(codename {release.codename or '?'}), not {target.release}"
            )
        groups = []
        picked = []
        for comp in self.components.get(target.distro, ("main",)):
            path, raw = self._fetch_component(target, dists, release, comp)
            groups.append(self._parse(target, raw, path).entries)
            picked.append(path)
        provenance = (
            f"{dists}/ {', '.join(picked)} (InRelease {release.date or 'undated'}; "
            f"SHA256 verified; {label})"
        )
        return merge_entries(groups), provenance, notes

    def _fetch_component(
        self, target: Target, dists: str, release: Release, comp: str
    ) -> tuple[str, bytes]:
        """The best listed compression of ``comp``'s Sources that the mirror has, hash-checked."""
        listed = [
            f"{comp}/source/Sources{ext}"
            for ext in _VARIANTS
            if f"{comp}/source/Sources{ext}" in release.sha256
        ]
        if not listed:
            raise DebianIndexError(f"{target.id}: {dists}/InRelease lists no {comp}/source/Sources")
        for path in listed:
            raw = self._fetch_index(target, dists, release, path)
            if raw is None:
                # Partial mirrors may drop a compression; the next listed one is as good.
                continue
            try:
                check_index_hash(release, path, raw)
            except DebianIndexError as exc:
                if release.acquire_by_hash:
                    # A by-hash copy is cached forever; a bad one must not poison every
                    # later run, so the plain URL (revalidated, cached apart) gets a chance.
                    plain = self._get(target, f"{dists}/{path}").content
                    if plain != raw:
                        try:
                            check_index_hash(release, path, plain)
                            return path, plain
                        except DebianIndexError:
                            pass
                raise DebianIndexError(f"{target.id}: {dists}/{path}: {exc}") from exc
            return path, raw
        raise DistroError(
            f"{target.id}: {dists}/{listed[0]} is listed in InRelease but missing "
            f"(HTTP 404 for every listed compression)"
        )

    def _fetch_index(self, target: Target, dists: str, release: Release, path: str) -> bytes | None:
        """One index file, by hash when the suite offers it (immutable: never revalidated).

        None when the mirror answers 404 for it.
        """
        if release.acquire_by_hash:
            digest = release.sha256[path][0]
            url = f"{dists}/{path.rsplit('/', 1)[0]}/by-hash/SHA256/{digest}"
            try:
                return self.fetcher.get(url, immutable=True).content
            except (NotFound, OfflineMiss):
                logger.info("%s: by-hash file not available, trying %s", url, path)
            except Unreachable as exc:
                raise DistroUnreachable(f"{target.id}: {exc}") from exc
            except FetchError as exc:
                raise DistroError(f"{target.id}: {exc}") from exc
        try:
            return self._get(target, f"{dists}/{path}", missing="404").content
        except DistroError as exc:
            if isinstance(exc.__cause__, NotFound):
                return None
            raise
