"""Parse a Debian ``Sources`` index into the Go view: one :class:`SourceEntry` per source.

Only stanzas with a ``Go-Import-Path`` field matter, and they are ~7% of sid's ~40k
stanzas, so the parser does not tokenise the whole file.  It lower-cases the buffer once
(``bytes.lower`` is ASCII-only and length-preserving, so offsets stay valid), finds every
``\\ngo-import-path:`` line start with ``bytes.find``, cuts out the enclosing stanza at the
surrounding blank lines, and parses only that stanza's fields.  python-debian's deb822
parser does the same job correctly but about 20x slower on the full file (numbers in
``benchmarks/debian_index.py``).

Rules (debian.md §1.5): ``Extra-Source-Only: yes`` stanzas are old versions kept for
Built-Using and are skipped; a source listed twice keeps its highest version by dpkg
ordering; Go-Import-Path and Binary are comma lists that may span continuation lines,
start with a comma (docker.io) or end with one (fdroidcl); field names are
case-insensitive.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from debian.debian_support import Version, version_compare

from vendaudit.distros.debian.entries import SourceEntry
from vendaudit.distros.interface import DistroDataError

__all__ = [
    "DebianIndexError",
    "parse_relation_names",
    "parse_sources",
    "parse_sources_chunks",
    "split_comma_list",
]

_MARK = b"\ngo-import-path:"
_BUILD_DEPENDS = (b"\nbuild-depends:", b"\nbuild-depends-indep:", b"\nbuild-depends-arch:")
_RELATION_NAME = re.compile(r"\s*([a-z0-9][a-z0-9.+-]*)")
_FIND = re.compile(rb"\ngo-import-path:", re.IGNORECASE)


class DebianIndexError(DistroDataError):
    """A Debian index (Sources, Release, a compressed file) is malformed or does not verify."""


def split_comma_list(value: str) -> tuple[str, ...]:
    """Split a deb822 comma list: strip whitespace (newlines too), drop empty items.

    >>> split_comma_list("github.com/docker/docker\\n ,github.com/docker/cli\\n")
    ('github.com/docker/docker', 'github.com/docker/cli')
    >>> split_comma_list("mvdan.cc/fdroidcl,")
    ('mvdan.cc/fdroidcl',)
    """
    return tuple(item for item in (part.strip() for part in value.split(",")) if item)


def parse_relation_names(value: str, *, alternatives: bool = False) -> tuple[str, ...]:
    """Package names of a deb822 relation field, no qualifiers: the first alternative of
    each relation (what a build installs), or every alternative with ``alternatives``.

    >>> parse_relation_names("golang-any (>= 2:1.10~), foo:native | bar, baz [amd64] <!nocheck>")
    ('golang-any', 'foo', 'baz')
    >>> parse_relation_names("foo:native | bar, baz", alternatives=True)
    ('foo', 'bar', 'baz')
    """
    names: list[str] = []
    for item in split_comma_list(value):
        for choice in item.split("|") if alternatives else item.split("|", 1)[:1]:
            match = _RELATION_NAME.match(choice.strip())
            if match is not None:
                names.append(match.group(1))
    return tuple(dict.fromkeys(names))


def _check_looks_like_deb822(data: bytes) -> None:
    """Reject input that is clearly not a deb822 file (compressed or binary garbage)."""
    head = data[:4096]
    if b"\x00" in head:
        raise DebianIndexError("Sources: binary data (NUL bytes), not a deb822 index")
    first = head.lstrip(b"\r\n\t ").split(b"\n", 1)[0]
    if first and b":" not in first:
        shown = first[:40].decode("utf-8", "replace")
        raise DebianIndexError(f"Sources: first line {shown!r} is not a 'Field: value' line")


def field_value(stanza: bytes, lowered: bytes, name: bytes) -> bytes | None:
    """The raw value of field ``name`` (lower-case, with ``\\n`` and ``:``), continuations kept."""
    pos = lowered.find(name)
    if pos == -1:
        return None
    pos += len(name)
    end = stanza.find(b"\n", pos)
    # Continuation lines start with a space or a tab.
    while end != -1 and stanza[end + 1 : end + 2] in (b" ", b"\t"):
        end = stanza.find(b"\n", end + 1)
    return stanza[pos:] if end == -1 else stanza[pos:end]


def _text(raw: bytes, offset: int) -> str:
    try:
        return raw.decode("utf-8").strip()
    except UnicodeDecodeError as exc:
        raise DebianIndexError(
            f"Sources stanza at byte {offset}: not UTF-8 ({exc.reason})"
        ) from exc


def _entry(stanza: bytes, offset: int) -> SourceEntry | None:
    """One stanza (starting with its line's ``\\n``) to an entry; None for Extra-Source-Only."""
    lowered = stanza.lower()
    eso = field_value(stanza, lowered, b"\nextra-source-only:")
    if eso is not None and eso.strip().lower() == b"yes":
        return None
    package = _text(field_value(stanza, lowered, b"\npackage:") or b"", offset)
    if not package:
        raise DebianIndexError(f"Sources stanza at byte {offset}: no Package field")
    version = _text(field_value(stanza, lowered, b"\nversion:") or b"", offset)
    if not version:
        raise DebianIndexError(f"Sources stanza at byte {offset} ({package}): no Version field")
    try:
        Version(version)
    except ValueError as exc:  # a corrupt index must fail the target, not crash a comparison
        raise DebianIndexError(
            f"Sources stanza at byte {offset} ({package}): bad Version {version[:40]!r}"
        ) from exc
    paths = _text(field_value(stanza, lowered, _MARK) or b"", offset)
    relations = ",".join(
        _text(field_value(stanza, lowered, name) or b"", offset) for name in _BUILD_DEPENDS
    )
    return SourceEntry(
        source=package,
        version=version,
        binaries=split_comma_list(_text(field_value(stanza, lowered, b"\nbinary:") or b"", offset)),
        import_paths=split_comma_list(paths),
        build_depends=parse_relation_names(relations),
    )


def _scan(buf: bytes, limit: int, base: int, best: dict[str, SourceEntry]) -> None:
    """Parse the Go stanzas of ``buf[:limit]``; ``buf`` starts with the newline before a stanza.

    ``base`` is the offset of ``buf[0]`` in the original data (for error messages).
    """
    end = -1
    for match in _FIND.finditer(buf, 0, limit):
        pos = match.start()
        if pos < end:
            continue  # a second Go-Import-Path line in the same stanza
        # Keep the stanza's leading newline so every field, even the first, is "\nname:".
        start = buf.rfind(b"\n\n", 0, pos + 1) + 1
        end = buf.find(b"\n\n", pos + 1)
        if end == -1:
            end = len(buf)
        entry = _entry(buf[start:end], base + start + 1)
        if entry is not None:
            seen = best.get(entry.source)
            if seen is None or version_compare(entry.version, seen.version) > 0:
                best[entry.source] = entry


def parse_sources_chunks(chunks: Iterable[bytes]) -> list[SourceEntry]:
    """:func:`parse_sources` over consecutive pieces of the data (a streaming decompressor).

    Whole stanzas are parsed as soon as a chunk completes them, so memory stays at about
    one chunk instead of the ~70 MB of sid's uncompressed Sources.
    """
    best: dict[str, SourceEntry] = {}
    carry = b"\n"  # every buffer starts with the newline before its first stanza
    base = -1
    checked = False
    previous = b""
    for chunk in chunks:
        if not chunk:
            continue
        buf = carry + chunk
        if not checked and (len(buf) >= 4096 or b"\n" in buf.lstrip()):
            # Judge the first line only once it is complete.
            _check_looks_like_deb822(buf)
            checked = True
        if b"\r" in buf:
            buf = buf.replace(b"\r\n", b"\n")
        cut = buf.rfind(b"\n\n")
        if cut == -1:
            carry = buf
            continue
        _scan(buf, cut + 1, base, best)
        # The last complete stanza: what a final stanza without a blank line must match.
        previous = buf[buf.rfind(b"\n\n", 0, cut) + 1 : cut + 1]
        carry = buf[cut + 1 :]
        base += cut + 1
    if carry.strip():
        if not checked:
            _check_looks_like_deb822(carry)
        _check_complete(carry, previous)
        _scan(carry, len(carry), base, best)
    return list(best.values())


def _last_field(stanza: bytes) -> bytes:
    """The name of the last field of a stanza (``b""`` for an empty one)."""
    for line in reversed(stanza.strip(b"\n").split(b"\n")):
        if line and line[:1] not in b" \t#" and b":" in line:
            return line.split(b":", 1)[0].strip().lower()
    return b""


def _check_complete(last: bytes, previous: bytes) -> None:
    """Refuse a plain index cut mid-stanza: it would silently drop every later source.

    The archive ends every stanza, the last one too, with a blank line; a file that does not
    is either trimmed by hand (fixtures, local copies) or truncated.  A truncated one ends
    mid-line, or — a stanza loses its tail when it is cut — its last stanza lacks the
    archive's closing fields ``Directory`` and ``Section`` (all 42,990 stanzas of sid's
    Sources end with them) although the stanza before it ends that way.  Hand-made stanzas
    that only drop ``Section`` still load.
    """
    if not last.endswith(b"\n"):
        raise DebianIndexError("truncated index: the last stanza ends in the middle of a line")
    if _last_field(previous) == b"section" and not re.search(
        rb"(?im)^(section|directory)\s*:", last
    ):
        raise DebianIndexError(
            "truncated index: the last stanza has no Directory or Section field, which close "
            "every stanza before it (cut mid-stanza?)"
        )


def parse_sources(data: bytes) -> list[SourceEntry]:
    """The Go sources of one uncompressed ``Sources`` index, in first-seen order.

    Raises :class:`DebianIndexError` on malformed input (no Package/Version in a Go
    stanza, undecodable bytes, data that is not deb822 at all).
    """
    return parse_sources_chunks((data,))
