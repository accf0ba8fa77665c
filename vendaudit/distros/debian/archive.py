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
import threading
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from debian.debian_support import version_compare

from vendaudit.distros.debian.aptlists import AptSuite, find_apt_suites
from vendaudit.distros.debian.compression import decompress, iter_decompress
from vendaudit.distros.debian.entries import SourceEntry
from vendaudit.distros.debian.index import DebianIndex
from vendaudit.distros.debian.indexcache import (
    Parse,
    ParsedIndex,
    built_index,
    parse_cached,
    parse_cached_file,
)
from vendaudit.distros.debian.inrelease import (
    Release,
    SignatureResult,
    check_index_hash,
    default_keyrings,
    parse_release,
    verify_signature,
)
from vendaudit.distros.debian.sources import DebianIndexError, parse_sources_chunks
from vendaudit.distros.interface import (
    DistroBackend,
    DistroDataError,
    DistroError,
    DistroUnreachable,
    fetch_for,
)
from vendaudit.fetch import (
    Cache,
    Fetched,
    Fetcher,
    FetchError,
    NotFound,
    OfflineMiss,
    Unreachable,
    Verify,
)
from vendaudit.model import Target, TargetStatus
from vendaudit.progress import NULL_PROGRESS, Progress

if TYPE_CHECKING:
    from vendaudit.distros.debian.applications import GoApplication

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

MIN_GO_SOURCES: dict[str, int] = {"debian": 300, "ubuntu": 300}
"""Fewest Go sources a release suite's index may hold (bookworm has ~2100, sid ~3500;
Ubuntu's main+universe ~2000): fewer is a broken or hostile mirror, not an archive that
stopped packaging Go.  Update suites (``-updates``, ``-backports``…) and experimental are
legitimately small and exempt; ``min_go_sources`` overrides per distro."""
_DROP = 0.5
"""A release suite whose Go sources fell below this share of the last good load fails."""
_COUNT_NAMESPACE = "debian-go-count-v1"

# Best compression first: smallest download, and all three are always listed by dak/Launchpad.
_VARIANTS = (".xz", ".gz", ".bz2", ".zst", "")
_SIG_NAMESPACE = "debian-inrelease-sig-v1"
_APPS_NAMESPACE = "debian-go-applications-v1"
"""Derived cache of :func:`list_go_applications` per index file (bump on rule changes)."""


def merge_entries(groups: Sequence[Sequence[SourceEntry]]) -> list[SourceEntry]:
    """Merge several components' entries, keeping each source's highest version."""
    best: dict[str, SourceEntry] = {}
    for entries in groups:
        for entry in entries:
            seen = best.get(entry.source)
            if seen is None or version_compare(entry.version, seen.version) > 0:
                best[entry.source] = entry
    return list(best.values())


def _merged(groups: Sequence[ParsedIndex]) -> tuple[list[SourceEntry], str]:
    """:func:`merge_entries` of parsed components, with a key naming the merged entries.

    The key hashes the components' ``digest`` (their serialised entries) in order, so a
    warm run keys its built index without hashing the entries themselves (~30 ms on sid).
    """
    key = hashlib.sha256("\n".join(g.digest for g in groups).encode()).hexdigest()
    return merge_entries([g.entries for g in groups]), key


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
        allow_unsigned: bool = False,
        min_go_sources: Mapping[str, int] | None = None,
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
        self.allow_unsigned = allow_unsigned or not verify
        self.min_go_sources = {**MIN_GO_SOURCES, **(min_go_sources or {})}
        self.progress = progress
        # Per thread: targets load concurrently through one backend.
        self._recording = threading.local()

    def supports(self, target: Target) -> bool:
        """Debian and Ubuntu targets."""
        return target.distro in ("debian", "ubuntu")

    def load(self, target: Target) -> DebianIndex:
        """The index of ``target``; raises :class:`DistroError` (never returns partial data)."""
        return self.load_with_status(target)[0]

    def load_with_status(self, target: Target) -> tuple[DebianIndex, TargetStatus]:
        """The index and the status line for the report (provenance, notes, package count)."""
        entries, provenance, notes, key = self._load_entries(target)
        # Built once per distinct entry list, then read back from the cache (indexcache).
        index = built_index(
            target, entries, provenance, tuple(notes), self.cache, DebianIndex, key=key
        )
        # The index may add notes of its own (shared -dev binaries); report them all.
        status = TargetStatus(target, provenance, tuple(index.notes), packages=len(entries))
        return index, status

    def load_applications(self, target: Target) -> tuple[tuple[GoApplication, ...], str]:
        """The Go applications of ``target`` (see :mod:`.applications`) and the provenance.

        The very index files :meth:`load` verifies (signature, hashes, size floors) are
        the ones listed: they are recorded on their way through :meth:`_parse`, so no
        second download and no second trust path exists.
        """
        sink: list[tuple[bytes | Path, str, str]] = []
        self._recording.sink = sink
        try:
            _, provenance, _, _ = self._load_entries(target)
        finally:
            self._recording.sink = None
        best: dict[str, GoApplication] = {}
        for raw, name, digest in sink:
            for app in self._applications(target, raw, name, digest):
                seen = best.get(app.source)
                if seen is None or version_compare(app.version, seen.version) > 0:
                    best[app.source] = app
        return tuple(best[n] for n in sorted(best)), provenance

    def _applications(
        self, target: Target, raw: bytes | Path, name: str, digest: str = ""
    ) -> tuple[GoApplication, ...]:
        """One index file's applications, from the derived cache when it was listed before.

        ``digest`` is the raw bytes' SHA256 the index load already knew (for an unchanged
        apt list it never read the file): a cache hit then reads nothing at all.
        """
        # Only the archive sweep lists applications: a report never imports the lister.
        from vendaudit.distros.debian.applications import (
            dump_applications,
            list_go_applications,
            load_applications,
        )

        data: bytes | None = None
        if not digest:
            data = self._read(target, raw, name)
            digest = hashlib.sha256(data).hexdigest()
        key = digest
        if self.cache is not None:
            blob = self.cache.get_derived(_APPS_NAMESPACE, key)
            apps = load_applications(blob) if blob is not None else None
            if apps is not None:
                return apps
        if data is None:
            data = self._read(target, raw, name)
        try:
            apps = list_go_applications(decompress(data, name))
        except DebianIndexError as exc:
            raise DebianIndexError(f"{target.id}: {exc}") from exc
        if self.cache is not None:
            self.cache.put_derived(_APPS_NAMESPACE, key, dump_applications(apps))
        return apps

    @staticmethod
    def _read(target: Target, raw: bytes | Path, name: str) -> bytes:
        try:
            return raw.read_bytes() if isinstance(raw, Path) else raw
        except OSError as exc:
            raise DistroError(f"{target.id}: cannot read index {name}: {exc}") from exc

    # -- shared steps ---------------------------------------------------------------------

    def _load_entries(self, target: Target) -> tuple[list[SourceEntry], str, list[str], str]:
        """The Go entries, provenance, notes and entries key (see :func:`_merged`)."""
        if target.id in self.local_indexes:
            return self._load_local(target, self.local_indexes[target.id])
        if self.apt_lists is not None:
            return self._load_apt_lists(target, self.apt_lists)
        return self._load_mirror(target)

    def _parse(self, target: Target, raw: bytes | Path, name: str) -> ParsedIndex:
        """Parse (or find in the cache) downloaded bytes or a local file."""
        sink: list[tuple[bytes | Path, str, str]] | None = getattr(self._recording, "sink", None)
        task = f"{target.id}: {name.rsplit('/', 1)[-1]}"
        self.progress.start(task)
        try:
            if isinstance(raw, Path):
                parsed = parse_cached_file(raw, self.cache, _parse_raw(name))
            else:
                parsed = parse_cached(raw, self.cache, _parse_raw(name))
            if sink is not None:
                sink.append((raw, name, parsed.raw_sha256))
            return parsed
        except OSError as exc:
            raise DistroError(f"{target.id}: cannot read index {name}: {exc}") from exc
        except DebianIndexError as exc:
            raise DebianIndexError(f"{target.id}: {exc}") from exc
        finally:
            self.progress.done(task)

    def _trust(
        self, target: Target, data: bytes, release: Release, what: str, *, apt: bool = False
    ) -> tuple[str, list[str]]:
        """A short trust label for the provenance, and the notes the user must see.

        Like apt: with gpgv and the archive keyring at hand, a missing or bad signature
        refuses the data (:class:`DistroDataError`); so does a signature that cannot be
        checked at all, since data nobody verified must not decide verdicts.  Only
        ``allow_unsigned`` (``--allow-unsigned``) gets past, and the notes say so.  apt's
        own lists (``apt=True``) were verified by apt when it downloaded them, with apt's
        keyrings: there only a signature found bad here is refused.
        """
        notes: list[str] = []
        if not self.verify:
            label = "signature not checked"
            notes.append(f"{what}: signature not checked (verification disabled)")
        else:
            sig = self._signature(target, data, what)
            if sig.good:
                label = "signature good"
            elif self.allow_unsigned:
                label = "NOT signature-verified: accepted by --allow-unsigned"
                notes.append(f"{what}: {sig.detail}; accepted only because of --allow-unsigned")
            elif apt and not sig.checked:
                label = "signature not checked here; verified by apt"
                notes.append(f"{what}: {sig.detail}; trusting apt, which verified it")
            elif sig.checked:
                raise DistroDataError(
                    f"{target.id}: {what}: {sig.detail}; refused "
                    "(--allow-unsigned accepts it anyway)"
                )
            else:
                raise DistroDataError(
                    f"{target.id}: {what}: {sig.detail}; refused like apt does "
                    "(install gpgv and the archive keyring, give --keyring PATH, "
                    "or --allow-unsigned)"
                )
        if release.expired(datetime.now(UTC)):
            notes.append(f"{what}: expired (Valid-Until {release.valid_until}); data may be stale")
        return label, notes

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
        if result.good and self.cache is not None:
            self.cache.put_derived(_SIG_NAMESPACE, key, result.detail.encode())
        return result

    def _check_size(self, target: Target, count: int, where: str) -> None:
        """Refuse a release suite's index with suspiciously few Go sources (see
        :data:`MIN_GO_SOURCES`): below the floor, or a large drop since the last load."""
        if "-" in target.release or target.release in ("experimental", "rc-buggy"):
            return
        floor = self.min_go_sources.get(target.distro, 0)
        if count < floor:
            raise DistroDataError(
                f"{target.id}: {where} has only {count} Go sources (a {target.distro} "
                f"release has at least {floor}); refusing a truncated or hostile index"
            )
        if self.cache is None:
            return
        key = f"{where}|{target.id}"
        blob = self.cache.get_derived(_COUNT_NAMESPACE, key)
        last = int(blob) if blob is not None and blob.strip().isdigit() else 0
        if last >= 100 and count < last * _DROP:
            raise DistroDataError(
                f"{target.id}: {where} has {count} Go sources, down from {last} at the "
                "last good load; refusing a truncated or hostile index"
            )
        self.cache.put_derived(_COUNT_NAMESPACE, key, str(count).encode())

    # -- local files ----------------------------------------------------------------------

    def _load_local(
        self, target: Target, paths: Sequence[Path]
    ) -> tuple[list[SourceEntry], str, list[str], str]:
        groups = [self._parse(target, path, str(path)) for path in paths]
        provenance = ", ".join(f"file {p}" for p in paths) + " (not verified)"
        entries, key = _merged(groups)
        return entries, provenance, [], key

    # -- apt's lists ----------------------------------------------------------------------

    def _load_apt_lists(
        self, target: Target, lists_dir: Path
    ) -> tuple[list[SourceEntry], str, list[str], str]:
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
            label, more = self._trust(
                target, data, suite.release, str(suite.release_file), apt=True
            )
            notes += more
            trust = f"InRelease {suite.release.date or 'undated'}; SHA256 verified; {label}"
        files = ", ".join(str(p) for _, p in suite.sources)
        entries, key = _merged(groups)
        return entries, f"apt lists {files} ({trust})", notes, key

    def _apt_component(self, target: Target, suite: AptSuite, comp: str, path: Path) -> ParsedIndex:
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
        return parsed

    # -- a mirror -------------------------------------------------------------------------

    def _get(
        self,
        target: Target,
        url: str,
        *,
        missing: str = "",
        kind: str = "default",
        immutable: bool = False,
        verify: Verify | None = None,
    ) -> Fetched:
        """GET ``url`` mapping fetch errors to distro errors; ``missing`` words a 404."""
        return fetch_for(
            self.fetcher,
            target,
            url,
            missing=missing,
            kind=kind,
            immutable=immutable,
            verify=verify,
        )

    def _load_mirror(self, target: Target) -> tuple[list[SourceEntry], str, list[str], str]:
        base = self.mirrors.get(target.distro, DEFAULT_MIRRORS["debian"])
        dists = f"{base}/dists/{target.release}"
        inrelease_url = f"{dists}/InRelease"
        self.progress.note(f"{target.id}: reading {inrelease_url}")
        checked: dict[str, tuple[Release, str, list[str]]] = {}

        def verify(data: bytes) -> None:
            # Runs before the body is cached, and on a cached body before it is reused:
            # an InRelease that does not parse, is unsigned or badly signed, or is for
            # another suite is never stored.
            checked["r"] = self._check_inrelease(target, data, inrelease_url)

        self._get(
            target,
            inrelease_url,
            missing=f"suite not found at {base} (HTTP 404: {inrelease_url})",
            kind="inrelease",
            verify=verify,
        )
        release, label, notes = checked["r"]
        groups = []
        picked = []
        for comp in self.components.get(target.distro, ("main",)):
            path, url, raw = self._fetch_component(target, dists, release, comp)
            try:
                groups.append(self._parse(target, raw, path))
            except DistroError:
                # Hash-verified yet unparsable: do not keep it for the next run either.
                self.fetcher.forget(url)
                raise
            picked.append(path)
        entries, key = _merged(groups)
        self._check_size(target, len(entries), dists)
        provenance = (
            f"{dists}/ {', '.join(picked)} (InRelease {release.date or 'undated'}; "
            f"SHA256 verified; {label})"
        )
        return entries, provenance, notes, key

    def _check_inrelease(
        self, target: Target, data: bytes, url: str
    ) -> tuple[Release, str, list[str]]:
        """Parse and trust-check an InRelease (see :meth:`_trust`); raise if refused."""
        try:
            release = parse_release(data)
        except DebianIndexError as exc:
            raise DebianIndexError(f"{target.id}: {url}: {exc}") from exc
        label, notes = self._trust(target, data, release, url)
        # Like apt: a validly signed InRelease of *another* suite (a stale or hostile
        # mirror replaying bookworm for sid) must not pass as this suite.
        names = {release.suite, release.codename} - {""}
        if names and target.release not in names:
            raise DebianIndexError(
                f"{target.id}: {url} is for suite {release.suite or '?'} "
                f"(codename {release.codename or '?'}), not {target.release}"
            )
        return release, label, notes

    def _fetch_component(
        self, target: Target, dists: str, release: Release, comp: str
    ) -> tuple[str, str, bytes]:
        """The best listed compression of ``comp``'s Sources that the mirror has,
        hash-checked before it is cached: (path, URL, bytes)."""
        listed = [
            f"{comp}/source/Sources{ext}"
            for ext in _VARIANTS
            if f"{comp}/source/Sources{ext}" in release.sha256
        ]
        if not listed:
            raise DebianIndexError(f"{target.id}: {dists}/InRelease lists no {comp}/source/Sources")
        if self.fetcher.offline:
            # Offline, any listed compression an earlier run cached is as good as the best.
            listed.sort(key=lambda p: not self._cached(dists, release, p))
        for path in listed:
            got = self._fetch_index(target, dists, release, path)
            if got is not None:
                return path, *got
        raise DistroError(
            f"{target.id}: {dists}/{listed[0]} is listed in InRelease but missing "
            f"(HTTP 404 for every listed compression)"
        )

    def _urls(self, dists: str, release: Release, path: str) -> list[tuple[str, bool]]:
        """(URL, immutable) to try for ``path``: by-hash first when the suite offers it."""
        urls = [(f"{dists}/{path}", False)]
        if release.acquire_by_hash:
            digest = release.sha256[path][0]
            urls.insert(0, (f"{dists}/{path.rsplit('/', 1)[0]}/by-hash/SHA256/{digest}", True))
        return urls

    def _cached(self, dists: str, release: Release, path: str) -> bool:
        cache = self.fetcher.cache
        return cache is not None and any(
            cache.get_response(url) is not None for url, _ in self._urls(dists, release, path)
        )

    def _fetch_index(
        self, target: Target, dists: str, release: Release, path: str
    ) -> tuple[str, bytes] | None:
        """One index file, by hash when the suite offers it (immutable: never revalidated),
        verified against InRelease before it is cached.  None when the mirror (or, offline,
        the cache) does not have it."""

        def verify(raw: bytes) -> None:
            try:
                check_index_hash(release, path, raw)
            except DebianIndexError as exc:
                raise DebianIndexError(f"{target.id}: {dists}/{path}: {exc}") from exc

        urls = self._urls(dists, release, path)
        bad: DistroError | None = None
        for url, immutable in urls:
            try:
                fetched = self.fetcher.get(url, immutable=immutable, kind="index", verify=verify)
                return url, fetched.content
            except DebianIndexError as exc:
                # A bad by-hash copy: the plain URL (cached apart) still gets a chance.
                bad = exc
            except (NotFound, OfflineMiss):
                logger.info("%s: not available", url)
            except Unreachable as exc:
                raise DistroUnreachable(f"{target.id}: {exc}") from exc
            except FetchError as exc:
                raise DistroError(f"{target.id}: {exc}") from exc
        if bad is not None:
            raise bad
        return None
