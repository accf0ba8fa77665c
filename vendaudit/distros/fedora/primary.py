"""Stream ``primary.xml`` and keep only the packages that provide Go import paths.

A Fedora Everything primary.xml is ~250 MB uncompressed with ~80k packages, of which a
few thousand are Go ``-devel`` libraries.  So the parser

* decompresses as it reads (gzip, zstd, xz, bzip2 or plain, told apart by magic bytes;
  :mod:`vendaudit.distros.compression`),
* drives expat directly with a tiny state machine instead of building elements, so
  memory is bounded by one package's provides, not the file,
* keeps a package only if it provides ``golang-ipath(...)`` or ``golang(<import path>)``
  (``golang(x86-64)`` of the compiler is not an import path and is skipped),
* refuses any DTD or entity declaration (billion laughs, external entities): real
  repodata never has one — this is the same policy as defusedxml's ``forbid_dtd``,
* skips expat entirely for the ~95% of packages that cannot matter: a byte-level
  prefilter (:mod:`~vendaudit.distros.fedora.prefilter`) cuts the stream after each
  ``</package>`` and only counts blocks that provably are one non-Go package.  Calling
  back into Python for every element of every package was 90% of the time.

Truncated archives and malformed XML raise :class:`DistroDataError` with the source
named, so the audit reports ``unknown`` rather than a half-read index.  When the caller
passes ``open_checksum`` the decompressed bytes are hashed on the way and compared.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO
from xml.parsers import expat

from vendaudit.distros.compression import decompress_errors, iter_decompressed
from vendaudit.distros.fedora.prefilter import END_TAG, hazards, skippable
from vendaudit.distros.interface import DistroDataError

__all__ = [
    "GoProvide",
    "PrimaryScan",
    "RpmGoPackage",
    "hash_name",
    "parse_primary",
    "scan_primary",
    "source_name",
]

_COMMON = "http://linux.duke.edu/metadata/common"
_RPM = "http://linux.duke.edu/metadata/rpm"
_SEP = "\x1f"
_PACKAGE = f"{_COMMON}{_SEP}package"
_NAME = f"{_COMMON}{_SEP}name"
_ARCH = f"{_COMMON}{_SEP}arch"
_VERSION = f"{_COMMON}{_SEP}version"
_SOURCERPM = f"{_RPM}{_SEP}sourcerpm"
_PROVIDES = f"{_RPM}{_SEP}provides"
_ENTRY = f"{_RPM}{_SEP}entry"
_CHUNK = 1 << 20
# A package block still open after this many bytes is fed to expat as it arrives rather
# than held for the prefilter: bounds memory (and re-copying of the held bytes) on absurd
# or hostile input.  Real packages are a few kB; the largest well under this.
_MAX_BLOCK = 1 << 20
# XML declarations under which the prefilter's byte searches see the characters (any
# other declared encoding sends the whole document through expat).
_ASCII_COMPATIBLE = frozenset({"utf-8", "utf8", "us-ascii", "ascii"})


@dataclass(frozen=True, slots=True)
class GoProvide:
    """One Go-related provide: ``golang-ipath(<path>)`` or ``golang(<path>)[(<attr>)]``."""

    kind: str
    """``ipath`` for golang-ipath(...), ``pkg`` for golang(...)."""
    path: str
    attr: str | None = None
    """``commit=<sha>``, ``tag=..``, ``branch=..`` variants; None for the plain provide."""
    flags: str | None = None
    epoch: str | None = None
    ver: str | None = None
    rel: str | None = None


@dataclass(frozen=True, slots=True)
class RpmGoPackage:
    """A binary package that provides Go import paths (normally a ``-devel``)."""

    name: str
    arch: str
    epoch: str
    ver: str
    rel: str
    source: str
    """Source RPM name (``golang-github-docker-units`` of ``…-0.5.0-10.fc41.src.rpm``)."""
    provides: tuple[GoProvide, ...] = field(default=())
    repo: str = ""
    """Label of the repository it came from (``release``, ``updates``, a file name)."""

    @property
    def evr(self) -> str:
        """``[epoch:]version-release`` as rpm prints it."""
        epoch = f"{self.epoch}:" if self.epoch not in ("", "0") else ""
        return f"{epoch}{self.ver}-{self.rel}"

    @property
    def commit(self) -> str | None:
        """The full commit recorded by a ``golang(...)(commit=<sha>)`` provide, if any."""
        for prov in self.provides:
            if prov.attr and prov.attr.startswith("commit="):
                return prov.attr.removeprefix("commit=")
        return None


def source_name(sourcerpm: str) -> str:
    """``name-ver-rel.src.rpm`` → ``name`` (the last two ``-`` fields cut, as mdapi does)."""
    base = sourcerpm.removesuffix(".rpm")
    base = base.rsplit(".", 1)[0] if base.endswith((".src", ".nosrc")) else base
    parts = base.rsplit("-", 2)
    return parts[0] if len(parts) == 3 else base


def hash_name(checksum_type: str) -> str:
    """createrepo's checksum type → hashlib name (``sha`` is the old spelling of sha1)."""
    return "sha1" if checksum_type == "sha" else checksum_type


def _go_provide(name: str, attrs: dict[str, str]) -> GoProvide | None:
    if name.startswith("golang-ipath("):
        kind, inner = "ipath", name[len("golang-ipath(") :]
    elif name.startswith("golang("):
        kind, inner = "pkg", name[len("golang(") :]
    else:
        return None
    # Import paths cannot contain parentheses, so the first ")" closes the path and
    # whatever follows is the "(commit=...)" attribute variant.
    path, close, rest = inner.partition(")")
    if not close or ("/" not in path and "." not in path):
        return None
    attr = rest[1:-1] if rest.startswith("(") and rest.endswith(")") else None
    return GoProvide(
        kind, path, attr, attrs.get("flags"), attrs.get("epoch"), attrs.get("ver"), attrs.get("rel")
    )


class _Reject(Exception):
    """Raised inside expat callbacks to abort on a DTD or entity declaration."""


class _State:
    """The expat callbacks: collects one package at a time."""

    def __init__(self, repo: str, parser: expat.XMLParserType) -> None:
        self.repo = repo
        self.parser = parser
        # What the prefilter needs to know where expat stands (see _Prefiltered).
        self.depth = 0
        self.pkg_end_at = -1
        self.root_default: str | None = None
        self.encoding_ok = True
        self.out: list[RpmGoPackage] = []
        self.total = 0
        self.in_pkg = False
        self.in_provides = False
        self.text: list[str] | None = None
        self.name = self.arch = self.sourcerpm = ""
        self.evr: tuple[str, str, str] = ("0", "", "")
        self.provides: list[GoProvide] = []

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        if tag == _ENTRY:
            if self.in_provides:
                prov = _go_provide(attrs.get("name", ""), attrs)
                if prov is not None:
                    self.provides.append(prov)
        elif tag == _PACKAGE:
            self.in_pkg = True
            self.name = self.arch = self.sourcerpm = ""
            self.evr = ("0", "", "")
            self.provides = []
        elif not self.in_pkg:
            return
        elif tag in (_NAME, _ARCH, _SOURCERPM):
            self.text = []
        elif tag == _VERSION:
            self.evr = (attrs.get("epoch") or "0", attrs.get("ver", ""), attrs.get("rel", ""))
        elif tag == _PROVIDES:
            self.in_provides = True

    def end(self, tag: str) -> None:
        self.depth -= 1
        if self.text is not None and tag in (_NAME, _ARCH, _SOURCERPM):
            value = "".join(self.text).strip()
            self.text = None
            if tag == _NAME:
                self.name = value
            elif tag == _ARCH:
                self.arch = value
            else:
                self.sourcerpm = value
        elif tag == _PROVIDES:
            self.in_provides = False
        elif tag == _PACKAGE:
            self.pkg_end_at = self.parser.CurrentByteIndex
            self.in_pkg = False
            self.total += 1
            if self.provides and self.arch != "src":
                epoch, ver, rel = self.evr
                src = source_name(self.sourcerpm) if self.sourcerpm else self.name
                self.out.append(
                    RpmGoPackage(
                        self.name, self.arch, epoch, ver, rel, src, tuple(self.provides), self.repo
                    )
                )

    def chars(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def namespace(self, prefix: str | None, uri: str | None) -> None:
        if self.depth == 0 and prefix is None:
            self.root_default = uri

    def xml_decl(self, _version: str | None, encoding: str | None, _standalone: int) -> None:
        self.encoding_ok = encoding is None or encoding.lower() in _ASCII_COMPATIBLE


def _refuse_doctype(*_args: object) -> None:
    raise _Reject("DTD (<!DOCTYPE>) present: refused (entity expansion is not allowed)")


def _refuse_entity(*_args: object) -> None:
    raise _Reject("entity declaration present: refused (entity expansion is not allowed)")


@dataclass(frozen=True, slots=True)
class PrimaryScan:
    """What one pass over primary.xml found."""

    packages: list[RpmGoPackage]
    """Binary packages providing Go import paths, in file order."""
    total: int
    """All ``<package>`` elements seen (a sanity figure: Fedora has ~80k)."""


def parse_primary(
    data: bytes | IO[bytes],
    *,
    source: str = "primary.xml",
    repo: str = "",
    open_checksum: tuple[str, str] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> list[RpmGoPackage]:
    """Parse (possibly compressed) primary.xml into its Go packages (see :func:`scan_primary`)."""
    return scan_primary(
        data, source=source, repo=repo, open_checksum=open_checksum, on_progress=on_progress
    ).packages


class _Prefiltered:
    """Feeds decompressed chunks to expat, bypassing blocks :func:`skippable` clears.

    Expat only ever sees a subsequence of whole blocks, cut at boundaries where it was in
    the same place it would be in the full document (right after the end of a child of
    the root), so it still checks the prologue (DTD refusal), every block it is given,
    and the tail (``</metadata>``: truncation).  A block may be skipped only when
    ``clean``: the last thing expat parsed was a ``</package>`` in the common namespace
    at depth 1, ending exactly at the end of the bytes fed so far.  Skipped blocks keep
    that invariant (see the prefilter module), anything else re-establishes it or not by
    expat's own account.
    """

    def __init__(self, parser: expat.XMLParserType, state: _State) -> None:
        self.parser = parser
        self.state = state
        self.carry = b""
        self.fed = 0
        self.clean = False
        self.skipped = 0
        self.skipped_lines = 0
        """Newlines in skipped blocks, to give expat errors the document's line numbers."""

    def _parse(self, data: bytes | memoryview) -> None:
        self.parser.Parse(data, False)
        self.fed += len(data)
        st = self.state
        self.clean = (
            st.pkg_end_at == self.fed - len(END_TAG)
            and st.depth == 1
            and st.root_default == _COMMON
            and st.encoding_ok
        )

    def feed(self, chunk: bytes) -> None:
        held = len(self.carry)
        buf = self.carry + chunk if held else chunk
        view = memoryview(buf)
        pos = pending = 0  # buf[pending:pos] is decided "feed" but not fed yet
        # The carry holds no </package>: only look where a new one can be.
        if buf.find(END_TAG, max(held - len(END_TAG) + 1, 0)) >= 0:
            last = buf.rfind(END_TAG)
            marks = hazards(buf, 0, last + len(END_TAG))
        else:
            last, marks = -1, []
        k = 0
        while (cut := buf.find(END_TAG, pos, last + len(END_TAG))) >= 0:
            end = cut + len(END_TAG)
            while marks[k] < pos:
                k += 1
            if marks[k] >= end and skippable(buf, pos, end):
                if pending < pos:
                    self._parse(view[pending:pos])
                    pending = pos
                if self.clean:
                    self.skipped += 1
                    self.skipped_lines += buf.count(b"\n", pos, end)
                    pending = end
            pos = end
        if pending < pos:
            self._parse(view[pending:pos])
        rest = len(buf) - pos
        if not self.clean or rest > _MAX_BLOCK:
            # This block goes to expat whatever it holds; keep only enough bytes that a
            # </package> split across chunks is still found.
            keep = pos + max(rest - len(END_TAG) + 1, 0)
            self._parse(view[pos:keep])
            pos = keep
        self.carry = buf[pos:]

    def close(self) -> None:
        if self.carry:
            self._parse(self.carry)
            self.carry = b""
        self.parser.Parse(b"", True)


def scan_primary(
    data: bytes | IO[bytes],
    *,
    source: str = "primary.xml",
    repo: str = "",
    open_checksum: tuple[str, str] | None = None,
    on_progress: Callable[[int], None] | None = None,
    prefilter: bool = True,
) -> PrimaryScan:
    """Parse (possibly compressed) primary.xml; return its Go packages and package count.

    ``data`` is bytes or a binary stream; ``source`` names it in errors; ``repo`` labels
    every package; ``open_checksum`` = (hash name, hex) of the decompressed XML, checked
    after the last byte; ``on_progress`` gets the decompressed byte count of each chunk.
    ``prefilter=False`` hands every byte to expat (the reference path: same result, about
    ten times slower, and also reports malformed XML inside non-Go packages).
    """
    raw: IO[bytes] = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    parser = expat.ParserCreate(namespace_separator=_SEP)
    state = _State(repo, parser)
    parser.buffer_text = True
    parser.StartElementHandler = state.start
    parser.EndElementHandler = state.end
    parser.CharacterDataHandler = state.chars
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_entity
    parser.ExternalEntityRefHandler = _refuse_entity  # type: ignore[assignment]
    feeder: _Prefiltered | None = None
    if prefilter:
        parser.StartNamespaceDeclHandler = state.namespace
        parser.XmlDeclHandler = state.xml_decl
        feeder = _Prefiltered(parser, state)
    hasher = hashlib.new(hash_name(open_checksum[0])) if open_checksum else None
    try:
        for chunk in iter_decompressed(raw, chunk_size=_CHUNK):
            if hasher is not None:
                hasher.update(chunk)
            if on_progress is not None:
                on_progress(len(chunk))
            if feeder is not None:
                feeder.feed(chunk)
            else:
                parser.Parse(chunk, False)
        if feeder is not None:
            feeder.close()
        else:
            parser.Parse(b"", True)
    except _Reject as exc:
        raise DistroDataError(f"{source}: {exc}") from exc
    except expat.ExpatError as exc:
        where = str(exc)
        if feeder is not None:
            # expat counted lines in what it was given; add back the skipped ones (every
            # skipped block precedes the error).  The column is expat's.
            line = (exc.lineno or 0) + feeder.skipped_lines
            where = f"{expat.ErrorString(exc.code)}: line {line}, column {exc.offset}"
        raise DistroDataError(f"{source}: malformed or truncated XML ({where})") from exc
    except decompress_errors() as exc:
        raise DistroDataError(f"{source}: truncated or corrupt archive ({exc})") from exc
    except LookupError as exc:  # expat: an XML declaration naming an unknown encoding
        raise DistroDataError(f"{source}: unsupported XML encoding ({exc})") from exc
    if hasher is not None and open_checksum and hasher.hexdigest() != open_checksum[1].lower():
        raise DistroDataError(
            f"{source}: decompressed content does not match repomd open-checksum "
            f"({open_checksum[0]} {hasher.hexdigest()} != {open_checksum[1]})"
        )
    skipped = feeder.skipped if feeder is not None else 0
    return PrimaryScan(state.out, state.total + skipped)
