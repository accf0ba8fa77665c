"""Decompress an archive index by magic bytes (the file name is the fallback and the label).

Mirrors serve ``Sources.xz``/``.gz``/``.bz2``; apt keeps its lists as lz4 frames
(``Acquire::GzipIndexes`` plus apt's default compressor order) or gz; users may hand us
``.zst`` or plain files.  Magic bytes win over the extension because apt's list names do
not always say what is inside; a name that promises compression on data that is not
compressed is an error rather than a silent pass-through.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import zlib
from collections.abc import Iterator

import lz4.frame
import zstandard

from vendaudit.distros.debian.sources import DebianIndexError

__all__ = ["EXTENSIONS", "compression_of", "decompress", "iter_decompress"]

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x1f\x8b", "gz"),
    (b"BZh", "bz2"),
    (b"\x04\x22\x4d\x18", "lz4"),
    (b"\x28\xb5\x2f\xfd", "zst"),
)

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
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    for suffix, kind in EXTENSIONS.items():
        if name.endswith(suffix):
            return kind
    return "plain"


def _lz4(data: bytes) -> bytes:
    # lz4.frame.decompress stops after the first frame; a file may hold several.
    out: list[bytes] = []
    while data:
        dec = lz4.frame.LZ4FrameDecompressor()
        out.append(dec.decompress(data))
        if not dec.eof:
            raise EOFError("frame incomplete")
        data = dec.unused_data
    return b"".join(out)


def _zst(data: bytes) -> bytes:
    # decompressobj copes with frames that do not record their content size.
    out: list[bytes] = []
    while data:
        dec = zstandard.ZstdDecompressor().decompressobj()
        out.append(dec.decompress(data))
        if not dec.eof:
            raise EOFError("frame incomplete")
        data = dec.unused_data
    return b"".join(out)


_DECODERS = {
    "xz": lzma.decompress,
    "gz": gzip.decompress,
    "bz2": bz2.decompress,
    "lz4": _lz4,
    "zst": _zst,
}


def decompress(data: bytes, name: str) -> bytes:
    """The uncompressed content of ``data``; ``name`` (a file name or URL) labels errors.

    Raises :class:`DebianIndexError` ("<name>: truncated or corrupt xz data") when the data
    does not decompress.
    """
    kind = compression_of(data, name)
    if kind == "plain":
        return data
    label = name.rsplit("/", 1)[-1] or name
    try:
        return _DECODERS[kind](data)
    except (lzma.LZMAError, OSError, EOFError, ValueError, RuntimeError, zlib.error) as exc:
        raise DebianIndexError(f"{label}: truncated or corrupt {kind} data ({exc})") from exc
    except zstandard.ZstdError as exc:
        raise DebianIndexError(f"{label}: truncated or corrupt {kind} data ({exc})") from exc


def _iter_xz(data: bytes, chunk_size: int) -> Iterator[bytes]:
    while data:
        dec = lzma.LZMADecompressor()
        yield dec.decompress(data, max_length=chunk_size)
        while not dec.eof:
            if dec.needs_input:
                raise EOFError("compressed data ended before the end-of-stream marker")
            yield dec.decompress(b"", max_length=chunk_size)
        # Concatenated xz streams may follow, separated by null stream padding.
        data = dec.unused_data.lstrip(b"\0")


def iter_decompress(data: bytes, name: str, chunk_size: int = 1 << 22) -> Iterator[bytes]:
    """:func:`decompress` as consecutive chunks (xz is streamed; other formats are small or
    fast enough to come whole), so a caller can parse while memory stays at one chunk.
    """
    kind = compression_of(data, name)
    if kind != "xz":
        yield decompress(data, name)
        return
    label = name.rsplit("/", 1)[-1] or name
    try:
        yield from _iter_xz(data, chunk_size)
    except (lzma.LZMAError, EOFError) as exc:
        raise DebianIndexError(f"{label}: truncated or corrupt xz data ({exc})") from exc
