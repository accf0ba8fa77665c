"""Read a Go file's package clause and imports, and choose a directory's files like go/build.

Only the file *header* is read (comments, ``package``, the ``import`` declarations up to
the first other declaration), with a small regex tokenizer in the spirit of go/build's
``readGoInfo``.  Files are read in 8 KiB chunks so that large generated files cost one
small read.  The package walk over main module + vendor/ lives in
:mod:`vendaudit.analysis.packages`.
"""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass
from pathlib import Path

from vendaudit.analysis.buildconstraint import (
    BuildConstraintError,
    BuildContext,
    good_os_arch_file,
    should_build,
)

__all__ = [
    "GoFileHeader",
    "ImportParseError",
    "PackageFiles",
    "parse_header",
    "read_header",
    "scan_dir",
]

_CHUNK = 8192

# Whitespace, semicolons and comments are skipped in one match (licence headers are long);
# then one token: a string, an identifier or punctuation.
_SKIP = re.compile(r"(?:[ \t\r\n;\ufeff]+|//[^\n]*|/\*.*?\*/)*", re.S)
_TOKEN = re.compile(
    r"""
     (?P<str>"(?:[^"\\\n]|\\.)*")
    |(?P<raw>`[^`]*`)
    |(?P<id>[^\W\d]\w*)
    |(?P<p>[().])
    """,
    re.X,
)


class ImportParseError(ValueError):
    """The header of a Go file is not syntactically valid (go/build: a bad file)."""


class _Incomplete(Exception):
    """The chunk ended inside the header: read more of the file."""


@dataclass(frozen=True, slots=True)
class GoFileHeader:
    """What vendaudit needs from one .go file."""

    package: str
    imports: tuple[str, ...]
    text: str
    """The text that was parsed (at least the whole header), for build-constraint checks."""


def _unquote(tok: str) -> str:
    if tok[0] == "`":
        return tok[1:-1]
    body = tok[1:-1]
    if "\\" not in body:
        return body
    # Go's escapes are a subset of Python's for the characters import paths can hold.
    return codecs.decode(body, "unicode_escape")


def parse_header(text: str, *, at_eof: bool = True) -> GoFileHeader:
    """Parse the package clause and imports of Go source ``text``.

    With ``at_eof=False`` the text is a prefix of the file; if the header may continue past
    its end, the private ``_Incomplete`` is raised (see :func:`read_header`).
    """
    pos = 0
    end = len(text)

    def next_token() -> tuple[str, str] | None:
        nonlocal pos
        pos = _SKIP.match(text, pos).end()  # type: ignore[union-attr]  # always matches
        if pos >= end:
            if not at_eof:
                raise _Incomplete
            return None
        m = _TOKEN.match(text, pos)
        if m is None:
            if not at_eof:
                raise _Incomplete  # e.g. an unterminated /* at the end of the chunk
            raise ImportParseError(f"syntax error at offset {pos}")
        if m.end() == end and not at_eof:
            raise _Incomplete  # the token may continue past the chunk
        pos = m.end()
        return m.lastgroup or "", m.group()

    def expect_string() -> str:
        tok = next_token()
        if tok is None or tok[0] not in ("str", "raw"):
            raise ImportParseError("expected import path string")
        return _unquote(tok[1])

    tok = next_token()
    if tok != ("id", "package"):
        raise ImportParseError("expected 'package'")
    name = next_token()
    if name is None or name[0] != "id":
        raise ImportParseError("expected package name")
    imports: list[str] = []
    while True:
        tok = next_token()
        if tok != ("id", "import"):
            break
        tok = next_token()
        if tok == ("p", "("):
            while True:
                tok = next_token()
                if tok == ("p", ")"):
                    break
                if tok is not None and tok[0] in ("id", "p") and tok[1] != "(":
                    imports.append(expect_string())  # named, dot or blank import
                elif tok is not None and tok[0] in ("str", "raw"):
                    imports.append(_unquote(tok[1]))
                else:
                    raise ImportParseError("bad import spec")
        elif tok is not None and (tok[0] == "id" or tok == ("p", ".")):
            imports.append(expect_string())
        elif tok is not None and tok[0] in ("str", "raw"):
            imports.append(_unquote(tok[1]))
        else:
            raise ImportParseError("bad import declaration")
    return GoFileHeader(name[1], tuple(imports), text[:pos])


def read_header(path: str | os.PathLike[str]) -> GoFileHeader:
    """Read just enough of a .go file to parse its header (one 8 KiB read usually)."""
    with open(path, "rb") as fh:
        data = fh.read(_CHUNK)
        if len(data) == _CHUNK:
            try:
                return parse_header(data.decode("utf-8", "replace"), at_eof=False)
            except _Incomplete:
                data += fh.read()
    return parse_header(data.decode("utf-8", "replace"))


@dataclass(frozen=True, slots=True)
class PackageFiles:
    """The files go/build would compile in one directory, and their imports."""

    dir: str
    name: str
    """Package name (of the non-test files; ``""`` when there are none)."""
    files: tuple[str, ...]
    imports: tuple[str, ...]
    test_imports: tuple[str, ...] = ()
    """Imports of ``_test.go`` files (internal and external tests); only with ``tests``."""
    bad: tuple[str, ...] = ()
    """Files skipped because their header did not parse (``file: reason``)."""


def scan_dir(directory: str, ctx: BuildContext, *, tests: bool = False) -> PackageFiles | None:
    """Select a directory's Go files for ``ctx`` (go/build ``Import``); None if there are none.

    Skips ``_*``/``.*`` files, non-matching ``_GOOS``/``_GOARCH`` suffixes, files whose
    build constraints fail, ``package documentation`` files, and cgo files when cgo is off.
    """
    try:
        with os.scandir(directory) as it:
            entries = sorted(e.name for e in it if e.name.endswith(".go") and e.is_file())
    except OSError:
        return None
    files: list[str] = []
    imports: set[str] = set()
    test_imports: set[str] = set()
    bad: list[str] = []
    name = ""
    for fname in entries:
        if fname[0] in "_." or not good_os_arch_file(fname, ctx):
            continue
        is_test = fname.endswith("_test.go")
        if is_test and not tests:
            continue
        full = os.path.join(directory, fname)
        try:
            header = read_header(full)
            if not should_build(header.text, ctx):
                continue
        except (ImportParseError, BuildConstraintError, OSError) as exc:
            bad.append(f"{fname}: {exc}")
            continue
        if header.package == "documentation":
            continue
        if "C" in header.imports and not ctx.match_tag("cgo"):
            continue  # go/build puts cgo files in IgnoredGoFiles when cgo is disabled
        files.append(fname)
        if is_test:
            test_imports.update(header.imports)
        else:
            name = name or header.package
            imports.update(header.imports)
    if not files:
        return None
    return PackageFiles(
        directory,
        name,
        tuple(files),
        tuple(sorted(imports)),
        tuple(sorted(test_imports)),
        tuple(bad),
    )


def is_std(import_path: str) -> bool:
    """Standard-library path: no dot in the first element (``search.IsStandardImportPath``)."""
    return "." not in import_path.split("/", 1)[0]


def relative_dir(root: Path, import_path: str, prefix: str) -> Path:
    """Directory of ``import_path`` under ``root`` given the module path ``prefix`` it is in."""
    rest = import_path[len(prefix) :].lstrip("/")
    return root / rest if rest else root
