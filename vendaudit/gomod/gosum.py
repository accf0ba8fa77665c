"""Read go.sum / vendor.sum as the go command does, and compute go.mod ``h1:`` hashes.

Each non-blank line is ``<module path> <version>[/go.mod] <hash>``: exactly three fields
(split like Go's ``strings.Fields``), or the go command refuses the file with
``malformed go.sum:\\n<file>:<line>: wrong number of fields N``.  The hash of an empty go.mod,
written by an old bug, is dropped on read as Go drops it.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from vendaudit.gomod.errors import GoSumError
from vendaudit.gomod.lexer import fields

__all__ = ["EMPTY_GO_MOD_HASH", "GoSum", "GoSumEntry", "go_mod_hash", "hash1", "parse_gosum"]

EMPTY_GO_MOD_HASH = "h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY="
"""``h1:`` of a tree holding one empty go.mod; Go drops such lines (old bug)."""


@dataclass(frozen=True, slots=True)
class GoSumEntry:
    """One go.sum line."""

    path: str
    version: str
    """The version without the ``/go.mod`` suffix."""
    go_mod: bool
    """True for a ``<version>/go.mod`` line (hash of the go.mod file only)."""
    hash: str
    """``h1:<base64>`` (other algorithms are kept verbatim)."""
    line: int


@dataclass(frozen=True, slots=True)
class GoSum:
    """A parsed go.sum, entries in file order."""

    filename: str
    entries: tuple[GoSumEntry, ...] = ()

    def lookup(self, path: str, version: str, go_mod: bool = True) -> list[str]:
        """All hashes recorded for ``path@version`` (its go.mod when ``go_mod``), file order."""
        return [
            e.hash
            for e in self.entries
            if e.path == path and e.version == version and e.go_mod == go_mod
        ]


def _decode(raw: bytes, filename: str, lineno: int) -> str:
    if b"\x00" in raw:
        raise GoSumError(f"{filename}:{lineno}: unexpected NUL byte (binary file?)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise GoSumError(f"{filename}:{lineno}: invalid UTF-8") from None


def parse_gosum(data: bytes, filename: str) -> GoSum:
    """Parse go.sum ``data`` read from ``filename`` (named in errors).

    Raises :class:`GoSumError` with Go's message on the first line that does not have
    exactly three fields, and for undecodable input (which Go would not diagnose).
    """
    entries: list[GoSumEntry] = []
    for lineno, raw in enumerate(data.split(b"\n"), start=1):
        f = fields(_decode(raw, filename, lineno))
        if not f:
            continue
        if len(f) != 3:
            raise GoSumError(
                f"malformed go.sum:\n{filename}:{lineno}: wrong number of fields {len(f)}"
            )
        if f[2] == EMPTY_GO_MOD_HASH:
            continue
        version, go_mod = f[1], False
        if version.endswith("/go.mod"):
            version, go_mod = version[: -len("/go.mod")], True
        entries.append(GoSumEntry(f[0], version, go_mod, f[2], lineno))
    return GoSum(filename, tuple(entries))


def hash1(files: dict[str, bytes]) -> str:
    """dirhash ``Hash1``: ``h1:`` + base64(SHA-256 of the sorted per-file summary).

    The summary has one line per file, sorted by name: hex SHA-256 of the content, two
    spaces, the name, newline.  Names must not contain newlines (Go rejects them too).
    """
    summary = hashlib.sha256()
    for name in sorted(files):
        if "\n" in name:
            raise ValueError(f"dirhash: filename with newline: {name!r}")
        summary.update(f"{hashlib.sha256(files[name]).hexdigest()}  {name}\n".encode())
    return "h1:" + base64.b64encode(summary.digest()).decode("ascii")


def go_mod_hash(content: bytes) -> str:
    """The go.sum hash of a ``<version>/go.mod`` line for a go.mod with this ``content``."""
    return hash1({"go.mod": content})
