"""Streaming decompression of distro indexes, the format told apart by magic bytes.

One mechanism for Debian ``Sources``/apt lists (xz, gz, bz2, lz4, zst) and Fedora
``primary.xml`` (gz, zst, xz, bz2).  It uses the incremental decompressor objects
because they expose ``eof``: a stream cut before its end-of-stream marker raises
:class:`EOFError` (``GzipFile``/zstd's ``stream_reader`` do not surface that reliably: a
zstd file cut inside its first block just reads as empty).  Concatenated streams
(multi-member gzip, several xz/zstd/lz4 frames) are followed, and zero padding between
or after them (xz stream padding) is skipped.

Compressed input is fed in small pieces and, where the decompressor can stop early
(xz, bz2, lz4), each output chunk is capped, so memory stays at one chunk.
"""

from __future__ import annotations

import functools
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Protocol, cast

__all__ = ["decompress_errors", "format_of", "iter_decompressed"]

_STEP = 1 << 16
"""Compressed bytes fed per call, so one read cannot expand into gigabytes at once."""

# The codecs (lzma, bz2, lz4, zstandard) are imported when a stream of theirs is read: a
# warm run finds every index parsed in the cache and decompresses nothing.


@functools.cache
def decompress_errors() -> tuple[type[Exception], ...]:
    """What :func:`iter_decompressed` raises on truncated or corrupt data.

    A function, not a constant, so naming it in an ``except`` imports the codecs only
    when something was raised.
    """
    import lzma

    import zstandard

    return (EOFError, OSError, RuntimeError, lzma.LZMAError, zlib.error, zstandard.ZstdError)


class _Decompressor(Protocol):
    """What zlib/lzma/bz2/lz4/zstd decompression objects have in common."""

    @property
    def eof(self) -> bool: ...

    @property
    def unused_data(self) -> bytes: ...

    def decompress(self, data: bytes, /) -> bytes: ...


class _Bounded(_Decompressor, Protocol):
    """lzma/bz2/lz4: can stop at ``max_length`` output and say whether it needs input."""

    @property
    def needs_input(self) -> bool: ...

    def decompress(self, data: bytes, /, max_length: int = -1) -> bytes: ...


@dataclass(frozen=True, slots=True)
class _Format:
    magic: bytes
    kind: str
    """Short name (the Debian file suffix): ``xz``, ``gz``, ``bz2``, ``lz4``, ``zst``."""
    label: str
    """Name in the truncation message."""
    factory: Callable[[], _Decompressor]
    bounded: bool
    """The decompressor is a :class:`_Bounded`."""


def _zstd() -> _Decompressor:
    import zstandard

    # decompressobj copes with frames that do not record their content size.
    return zstandard.ZstdDecompressor().decompressobj()


def _xz() -> _Decompressor:
    import lzma

    return lzma.LZMADecompressor()


def _bz2() -> _Decompressor:
    import bz2

    return bz2.BZ2Decompressor()


def _lz4() -> _Decompressor:
    import lz4.frame

    return cast(_Decompressor, lz4.frame.LZ4FrameDecompressor())


_FORMATS: tuple[_Format, ...] = (
    _Format(b"\xfd7zXZ\x00", "xz", "xz", _xz, True),
    _Format(b"\x1f\x8b", "gz", "gzip", lambda: zlib.decompressobj(wbits=31), False),
    _Format(b"BZh", "bz2", "bzip2", _bz2, True),
    _Format(b"\x04\x22\x4d\x18", "lz4", "lz4", _lz4, True),
    _Format(b"\x28\xb5\x2f\xfd", "zst", "zstd", _zstd, False),
)
_BY_KIND = {fmt.kind: fmt for fmt in _FORMATS}
_HEAD = max(len(fmt.magic) for fmt in _FORMATS)


def format_of(head: bytes) -> str | None:
    """``xz``, ``gz``, ``bz2``, ``lz4`` or ``zst`` when ``head`` starts with its magic."""
    for fmt in _FORMATS:
        if head.startswith(fmt.magic):
            return fmt.kind
    return None


def _drain(fmt: _Format, dec: _Decompressor, data: bytes, limit: int) -> Iterator[bytes]:
    if not fmt.bounded:
        yield dec.decompress(data)
        return
    bounded = cast(_Bounded, dec)
    yield bounded.decompress(data, max_length=limit)
    while not bounded.eof and not bounded.needs_input:
        yield bounded.decompress(b"", max_length=limit)


def iter_decompressed(
    raw: IO[bytes], kind: str | None = None, *, chunk_size: int = 1 << 20
) -> Iterator[bytes]:
    """Yield the decompressed content of ``raw`` chunk by chunk (non-empty chunks).

    ``kind`` forces a format (``xz``…; a caller that trusts a file name over missing magic
    bytes); otherwise the magic bytes decide and anything unrecognised is passed through
    in reads of ``chunk_size``.  xz, bz2 and lz4 chunks are at most ``chunk_size`` long.
    Raises one of :func:`decompress_errors` on truncated or corrupt data.
    """
    head = raw.read(_HEAD)
    fmt = _BY_KIND[kind] if kind is not None else _BY_KIND.get(format_of(head) or "")
    if fmt is None:
        pending = head
        while True:
            chunk = raw.read(chunk_size)
            if pending or chunk:
                yield pending + chunk
                pending = b""
            if not chunk:
                return
    dec = fmt.factory()
    data = head
    while True:
        if not data:
            data = raw.read(_STEP)
            if not data:
                break
        if dec.eof:
            data = data.lstrip(b"\x00")  # padding between or after streams
            if not data:
                continue
            dec = fmt.factory()
        for out in _drain(fmt, dec, data, chunk_size):
            if out:
                yield out
        data = dec.unused_data if dec.eof else b""
    if not dec.eof:
        raise EOFError(f"{fmt.label} stream ended before its end-of-stream marker")
