"""Cache of parsed Sources indexes, so a warm run neither decompresses nor re-parses.

The key is the SHA256 of the index bytes *as fetched or read* (still compressed), so
looking an index up costs one hash of ~12 MB instead of a ~1 s xz decompression.  Next to
the entries the blob records the SHA256 and size of the *uncompressed* data: apt's lists
are recompressed lz4 whose bytes InRelease does not list, and this lets a warm run still
check them against InRelease's plain ``Sources`` line without decompressing.

The blob is compact JSON (a few hundred KB for sid); ``json.loads`` of it takes a few ms.
A blob that does not decode is treated as a miss: a cache problem never fails a run.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from vendaudit.distros.debian.entries import SourceEntry
from vendaudit.fetch import Cache

logger = logging.getLogger(__name__)

__all__ = [
    "NAMESPACE",
    "ParsedIndex",
    "dump_index",
    "load_index",
    "parse_cached",
    "parse_cached_file",
]

NAMESPACE = "debian-go-index-v1"
"""Cache namespace; bump the suffix whenever :func:`parse_sources` output changes."""
_STAT_NAMESPACE = "debian-file-sha256-v1"

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


def dump_index(index: ParsedIndex) -> bytes:
    """Serialise ``index`` as compact JSON."""
    doc = {
        "plain_sha256": index.plain_sha256,
        "plain_size": index.plain_size,
        "entries": [
            [e.source, e.version, list(e.binaries), list(e.import_paths)] for e in index.entries
        ],
    }
    return json.dumps(doc, separators=(",", ":")).encode()


def load_index(blob: bytes) -> ParsedIndex | None:
    """The inverse of :func:`dump_index`; None when the blob is damaged."""
    try:
        doc = json.loads(blob)
        entries = tuple(
            SourceEntry(str(src), str(ver), tuple(bins), tuple(paths))
            for src, ver, bins, paths in doc["entries"]
        )
        return ParsedIndex(entries, str(doc["plain_sha256"]), int(doc["plain_size"]), True)
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
        return hit
    plain_sha256, plain_size, entries = parse(raw)
    index = ParsedIndex(tuple(entries), plain_sha256, plain_size)
    if cache is not None:
        cache.put_derived(NAMESPACE, key, dump_index(index))
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
        hit = _lookup(cache, digest.decode("ascii", "replace")) if digest else None
        if hit is not None:
            return hit
    raw = path.read_bytes()
    index = parse_cached(raw, cache, parse)
    if cache is not None:
        cache.put_derived(_STAT_NAMESPACE, stat_key, hashlib.sha256(raw).hexdigest().encode())
    return index
