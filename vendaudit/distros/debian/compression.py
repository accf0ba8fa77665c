"""Decompress an archive index by magic bytes (the file name is the fallback and the label).

Mirrors serve ``Sources.xz``/``.gz``/``.bz2``; apt keeps its lists as lz4 frames
(``Acquire::GzipIndexes`` plus apt's default compressor order) or gz; users may hand us
``.zst`` or plain files.  Magic bytes win over the extension because apt's list names do
not always say what is inside; a name that promises compression on data that is not
compressed is an error rather than a silent pass-through.  The decompression itself is
the shared streaming one of :mod:`vendaudit.distros.compression`.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from vendaudit.distros.compression import decompress_errors, format_of, iter_decompressed
from vendaudit.distros.debian.sources import DebianIndexError

__all__ = ["EXTENSIONS", "compression_of", "decompress", "iter_decompress"]

EXTENSIONS: dict[str, str] = {
    ".xz": "xz",
    ".gz": "gz",
    ".bz2": "bz2",
    ".lz4": "lz4",
    ".zst": "zst",
}
"""File name suffix → compression kind (anything else is plain)."""


def compression_of(data: bytes, name: str) -> str:
    """``xz``, ``gz``, ``bz2``, ``lz4``, ``zst`` or ``plain``: magic bytes first, then name."""
    kind = format_of(data)
    if kind is not None:
        return kind
    for suffix, kind in EXTENSIONS.items():
        if name.endswith(suffix):
            return kind
    return "plain"


def decompress(data: bytes, name: str) -> bytes:
    """The uncompressed content of ``data``; ``name`` (a file name or URL) labels errors.

    Raises :class:`DebianIndexError` ("<name>: truncated or corrupt xz data") when the data
    does not decompress.
    """
    return b"".join(iter_decompress(data, name))


def iter_decompress(data: bytes, name: str, chunk_size: int = 1 << 22) -> Iterator[bytes]:
    """:func:`decompress` as consecutive chunks (xz, bz2 and lz4 chunks at most
    ``chunk_size``), so a caller can parse while memory stays at about one chunk.
    """
    kind = compression_of(data, name)
    if kind == "plain" or not data:
        yield data
        return
    label = name.rsplit("/", 1)[-1] or name
    try:
        yield from iter_decompressed(io.BytesIO(data), kind, chunk_size=chunk_size)
    except decompress_errors() as exc:
        raise DebianIndexError(f"{label}: truncated or corrupt {kind} data ({exc})") from exc
