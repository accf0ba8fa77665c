"""Cache of parsed Sources indexes, so a warm run neither decompresses nor re-parses.

The key is the SHA256 of the index bytes *as fetched or read* (still compressed), so
looking an index up costs one hash of ~12 MB instead of a ~1 s xz decompression.  Next to
the entries the blob records the SHA256 and size of the *uncompressed* data: apt's lists
are recompressed lz4 whose bytes InRelease does not list, and this lets a warm run still
check them against InRelease's plain ``Sources`` line without decompressing.

The blob is compact JSON (a few hundred KB for sid); ``json.loads`` of it takes a few ms.
A blob that does not decode is treated as a miss: a cache problem never fails a run.

:func:`built_index` caches one step further: the *built* :class:`DebianIndex` (every
Debian version read as Go, paths split by major, lists sorted, shared-binary notes), as
``DebianIndex.to_state`` data.  Building it costs ~40 ms per suite, most of a warm
target; reading it back ~5 ms.  Its key is the SHA256 of the entries themselves plus a
fingerprint of the code that builds the index, so a changed Sources file or a changed
vendaudit both miss.  The blob carries the SHA256 of its own payload: a damaged entry
(truncated, edited, bit-flipped) is dropped and rebuilt, never believed.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vendaudit.distros.debian.entries import SourceEntry
from vendaudit.fetch import Cache

if TYPE_CHECKING:
    from vendaudit.distros.debian.index import DebianIndex
    from vendaudit.model import Target

logger = logging.getLogger(__name__)

__all__ = [
    "BUILT_NAMESPACE",
    "NAMESPACE",
    "ParsedIndex",
    "built_index",
    "dump_index",
    "load_index",
    "parse_cached",
    "parse_cached_file",
]

NAMESPACE = "debian-go-index-v3"
"""Cache namespace; bump the suffix whenever :func:`parse_sources` output changes."""
_STAT_NAMESPACE = "debian-file-sha256-v1"
BUILT_NAMESPACE = "debian-built-index-v1"
"""Namespace of built indexes; keys also carry :func:`_code_fingerprint`."""
# The modules whose code decides what DebianIndex builds from the entries.
_BUILD_MODULES = (
    # ...and those that turn cached blobs into merged entries (a key may name those).
    "vendaudit.distros.debian.archive",
    "vendaudit.distros.debian.entries",
    "vendaudit.distros.debian.indexcache",
    "vendaudit.distros.debian.index",
    "vendaudit.distros.debian.naming",
    "vendaudit.versions.debian",
    "vendaudit.versions.modpath",
    "vendaudit.versions.packaged",
)

Parse = Callable[[bytes], tuple[str, int, Sequence[SourceEntry]]]
"""Decompress-and-parse: raw bytes → (uncompressed SHA256 hex, uncompressed size, entries)."""


@dataclass(frozen=True, slots=True)
class ParsedIndex:
    """A parsed index with the identity of the uncompressed data it came from."""

    entries: tuple[SourceEntry, ...]
    plain_sha256: str
    """Hex SHA256 of the uncompressed Sources data."""
    plain_size: int
    from_cache: bool = False
    """True when the entries came from the derived cache (no decompression, no parse)."""
    raw_sha256: str = ""
    """Hex SHA256 of the raw (compressed) bytes it was parsed from: the key other derived
    caches of the same file use (the application list), so they need not read it again."""
    digest: str = ""
    """Hex SHA256 of the serialised entries (:func:`dump_index`, or the cached blob they
    were read from): equal digests, equal entries, so it keys the built index cheaply."""


def dump_index(index: ParsedIndex) -> bytes:
    """Serialise ``index`` as compact JSON."""
    doc = {
        "plain_sha256": index.plain_sha256,
        "plain_size": index.plain_size,
        "entries": [
            # Build-Depends as one space-separated string: package names hold no spaces,
            # and one string per entry loads ~3x faster than a list of ~7 (sid: 21k names).
            [e.source, e.version, list(e.binaries), list(e.import_paths), " ".join(e.build_depends)]
            for e in index.entries
        ],
    }
    return json.dumps(doc, separators=(",", ":")).encode()


def load_index(blob: bytes) -> ParsedIndex | None:
    """The inverse of :func:`dump_index`; None when the blob is damaged."""
    try:
        doc = json.loads(blob)
        entries = tuple(
            SourceEntry(str(src), str(ver), tuple(bins), tuple(paths), tuple(deps.split()))
            for src, ver, bins, paths, deps in doc["entries"]
        )
        plain = str(doc["plain_sha256"]), int(doc["plain_size"])
        return ParsedIndex(entries, *plain, True, digest=hashlib.sha256(blob).hexdigest())
    except (ValueError, KeyError, TypeError) as exc:
        logger.warning("ignoring a damaged cached Debian index (%s)", exc)
        return None


def _lookup(cache: Cache | None, key: str) -> ParsedIndex | None:
    blob = cache.get_derived(NAMESPACE, key) if cache is not None else None
    return load_index(blob) if blob is not None else None


def parse_cached(raw: bytes, cache: Cache | None, parse: Parse) -> ParsedIndex:
    """The parsed form of ``raw``: from ``cache`` if present, else ``parse(raw)`` and store.

    ``parse`` returns the uncompressed data's SHA256 and size and the entries; it raises
    on bad data, and nothing is cached then.
    """
    key = hashlib.sha256(raw).hexdigest()
    hit = _lookup(cache, key)
    if hit is not None:
        return dataclasses.replace(hit, raw_sha256=key)
    plain_sha256, plain_size, entries = parse(raw)
    index = ParsedIndex(tuple(entries), plain_sha256, plain_size, raw_sha256=key)
    blob = dump_index(index)
    index = dataclasses.replace(index, digest=hashlib.sha256(blob).hexdigest())
    if cache is not None:
        cache.put_derived(NAMESPACE, key, blob)
    return index


def parse_cached_file(path: Path, cache: Cache | None, parse: Parse) -> ParsedIndex:
    """:func:`parse_cached` for a local file, skipping even the read when it is unchanged.

    apt's sid list is ~25 MB; reading and hashing it is most of a warm run.  The file's
    (path, size, mtime, inode) remembers its SHA256, so an untouched file is not read at
    all.  ``OSError`` propagates (the caller words it).
    """
    st = path.stat()
    stat_key = f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}|{st.st_ino}"
    if cache is not None:
        digest = cache.get_derived(_STAT_NAMESPACE, stat_key)
        known = digest.decode("ascii", "replace") if digest else ""
        hit = _lookup(cache, known) if known else None
        if hit is not None:
            return dataclasses.replace(hit, raw_sha256=known)
    raw = path.read_bytes()
    index = parse_cached(raw, cache, parse)
    if cache is not None:
        cache.put_derived(_STAT_NAMESPACE, stat_key, index.raw_sha256.encode())
    return index


@functools.cache
def _code_fingerprint() -> str:
    """SHA256 over the source of the modules that build the index (a code change misses)."""
    h = hashlib.sha256()
    for name in _BUILD_MODULES:
        module = sys.modules.get(name)
        path = getattr(module, "__file__", None)
        try:
            h.update(Path(path).read_bytes() if path else name.encode())
        except OSError:
            h.update(name.encode())
    return h.hexdigest()


def _entries_key(entries: Sequence[SourceEntry]) -> str:
    # Every field of every entry, whatever SourceEntry grows: a changed field misses.
    # (Not dataclasses.astuple: its deep copy costs ~50 ms on sid.)
    names = [f.name for f in dataclasses.fields(SourceEntry)]
    # repr of str/tuple values is unambiguous and ~2x faster to build than JSON.
    doc = repr([[getattr(e, n) for n in names] for e in entries])
    digest = hashlib.sha256(doc.encode()).hexdigest()
    return f"{digest}|{_code_fingerprint()}"


def _pack(state: object) -> bytes:
    payload = json.dumps(state, separators=(",", ":")).encode()
    return hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload


def _unpack(blob: bytes) -> object:
    digest, _, payload = blob.partition(b"\n")
    if hashlib.sha256(payload).hexdigest().encode() != digest:
        raise ValueError("checksum mismatch")
    return json.loads(payload)


def built_index(
    target: Target,
    entries: Sequence[SourceEntry],
    provenance: str,
    notes: tuple[str, ...],
    cache: Cache | None,
    build: type[DebianIndex] | None = None,
    *,
    key: str | None = None,
) -> DebianIndex:
    """``build(target, entries, provenance, notes)``, from ``cache`` when built before.

    ``build`` defaults to :class:`DebianIndex`; a class without ``to_state`` (a test's
    stand-in) is simply built every time.  ``key`` names ``entries`` (equal keys, equal
    entries; see ``archive._merged``); without one the entries themselves are hashed.
    """
    from vendaudit.distros.debian.index import DebianIndex

    cls = build or DebianIndex
    if cache is None or not hasattr(cls, "from_state"):
        return cls(target, entries, provenance, notes)
    key = f"{key}|{_code_fingerprint()}" if key is not None else _entries_key(entries)
    blob = cache.get_derived(BUILT_NAMESPACE, key)
    if blob is not None:
        try:
            state = _unpack(blob)
            if not isinstance(state, dict):
                raise TypeError("not an object")
            return cls.from_state(target, entries, provenance, notes, state)
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            logger.warning("%s: dropping a damaged cached Debian index (%s)", target.id, exc)
            cache.drop_derived(BUILT_NAMESPACE, key)
    index = cls(target, entries, provenance, notes)
    cache.put_derived(BUILT_NAMESPACE, key, _pack(index.to_state()))
    return index
