"""Go build constraints: ``//go:build`` expressions, legacy ``// +build`` lines, file names.

Restates go/build (``shouldBuild``, ``parseFileHeader``, ``goodOSArchFile``, ``matchTag``)
and go/build/constraint, so that :mod:`vendaudit.analysis.imports` picks the same files
as ``go list`` for a GOOS/GOARCH/tags combination.

Choices, documented because they change answers:

* ``cgo`` is satisfied iff :attr:`BuildContext.cgo` is true.  cmd/go defaults
  ``CGO_ENABLED=1`` only for native builds with a C compiler on PATH; vendaudit cannot
  know either, so the CLI defaults it to *off* unless ``--tags`` names ``cgo`` (or the
  environment sets ``CGO_ENABLED=1``).  Files that ``import "C"`` are dropped when cgo
  is off, exactly like go/build's ``IgnoredGoFiles``.
* ``ignore`` is just a tag nobody sets, so ``//go:build ignore`` files are excluded.
* Release tags ``go1.1`` … ``go1.<max_go_minor>`` and the compiler tag ``gc`` are set;
  ``GOAMD64=v1``-style feature tags (``amd64.v1``) are set for the baseline level.
* ``any_tags`` mimics cmd/go's ``imports.AnyTags()`` (used by ``go mod why``/tidy):
  every tag is true except ``ignore``, and every GOOS/GOARCH file name matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "KNOWN_ARCH",
    "KNOWN_OS",
    "UNIX_OS",
    "And",
    "BuildConstraintError",
    "BuildContext",
    "Expr",
    "Not",
    "Or",
    "Tag",
    "good_os_arch_file",
    "header_constraint",
    "parse_expr",
    "should_build",
]

KNOWN_OS = frozenset(
    [
        "aix",
        "android",
        "darwin",
        "dragonfly",
        "freebsd",
        "hurd",
        "illumos",
        "ios",
        "js",
        "linux",
        "nacl",
        "netbsd",
        "openbsd",
        "plan9",
        "solaris",
        "wasip1",
        "windows",
        "zos",
    ]
)
"""go/build's ``knownOS`` (file-name suffixes that are GOOS values)."""

KNOWN_ARCH = frozenset(
    [
        "386",
        "amd64",
        "amd64p32",
        "arm",
        "armbe",
        "arm64",
        "arm64be",
        "loong64",
        "mips",
        "mipsle",
        "mips64",
        "mips64le",
        "mips64p32",
        "mips64p32le",
        "ppc",
        "ppc64",
        "ppc64le",
        "riscv",
        "riscv64",
        "s390",
        "s390x",
        "sparc",
        "sparc64",
        "wasm",
    ]
)
"""go/build's ``knownArch``."""

UNIX_OS = frozenset(
    [
        "aix",
        "android",
        "darwin",
        "dragonfly",
        "freebsd",
        "hurd",
        "illumos",
        "ios",
        "linux",
        "netbsd",
        "openbsd",
        "solaris",
    ]
)
"""GOOS values that satisfy the ``unix`` tag."""

_ARCH_LEVEL_TAGS = {
    "amd64": ("amd64.v1",),
    "arm64": ("arm64.v8.0",),
    "386": ("386.sse2",),
    "arm": ("arm.5",),
    "ppc64": ("ppc64.power8",),
    "ppc64le": ("ppc64le.power8",),
    "riscv64": ("riscv64.rva20u64",),
    "wasm": (),
}


class BuildConstraintError(ValueError):
    """A ``//go:build`` line does not parse (go/build reports the file as bad)."""


@dataclass(frozen=True, slots=True)
class Tag:
    """A single build tag."""

    name: str


@dataclass(frozen=True, slots=True)
class Not:
    """``!x``."""

    x: Expr


@dataclass(frozen=True, slots=True)
class And:
    """``x && y``."""

    x: Expr
    y: Expr


@dataclass(frozen=True, slots=True)
class Or:
    """``x || y``."""

    x: Expr
    y: Expr


Expr = Tag | Not | And | Or
"""A parsed build-constraint expression."""


@dataclass(frozen=True, slots=True)
class BuildContext:
    """The GOOS/GOARCH/tags a package set is evaluated for."""

    goos: str = "linux"
    goarch: str = "amd64"
    tags: frozenset[str] = frozenset()
    cgo: bool = False
    max_go_minor: int = 27
    any_tags: bool = False
    """``imports.AnyTags()``: every tag but ``ignore`` matches (``go mod why``)."""

    def match_tag(self, name: str) -> bool:
        """go/build ``matchTag``: is the tag ``name`` satisfied in this context?"""
        if self.any_tags:
            return name != "ignore"
        if name == "cgo":
            return self.cgo
        if name in (self.goos, self.goarch, "gc"):
            return True
        if (self.goos, name) in (("android", "linux"), ("illumos", "solaris"), ("ios", "darwin")):
            return True
        if name == "unix" and self.goos in UNIX_OS:
            return True
        if name == "boringcrypto":
            name = "goexperiment.boringcrypto"
        if name in self.tags or name in _ARCH_LEVEL_TAGS.get(self.goarch, ()):
            return True
        m = re.fullmatch(r"go1\.([1-9][0-9]*)", name)
        return m is not None and int(m.group(1)) <= self.max_go_minor

    def eval(self, expr: Expr, prefer: bool = True) -> bool:
        """Evaluate a parsed expression.

        ``prefer`` implements cmd/go's ``imports`` rule for :attr:`any_tags`: every tag but
        ``ignore`` is "both present and absent", i.e. takes whichever value makes the
        whole expression true (so ``!linux`` holds too).
        """
        if isinstance(expr, Tag):
            if self.any_tags:
                return prefer if expr.name != "ignore" else False
            return self.match_tag(expr.name)
        if isinstance(expr, Not):
            return not self.eval(expr.x, not prefer)
        if isinstance(expr, And):
            return self.eval(expr.x, prefer) and self.eval(expr.y, prefer)
        return self.eval(expr.x, prefer) or self.eval(expr.y, prefer)


_TOKEN = re.compile(r"\s*(?:(&&|\|\||[!()])|([\w.]+)|(\S))")


@lru_cache(maxsize=4096)
def parse_expr(text: str) -> Expr:
    """Parse a ``//go:build`` expression (without the ``//go:build`` prefix).

    Grammar (go/build/constraint): ``or = and {"||" and}``, ``and = not {"&&" not}``,
    ``not = "!" not | "(" or ")" | tag``; tags are letters, digits, ``_`` and ``.``.
    """
    toks: list[str] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            break
        if m.group(3):
            raise BuildConstraintError(f"invalid syntax at {m.group(3)}")
        toks.append(m.group(1) or m.group(2))
        pos = m.end()
    if not toks:
        raise BuildConstraintError("unexpected end of expression")
    i = 0

    def peek() -> str | None:
        return toks[i] if i < len(toks) else None

    def take() -> str:
        nonlocal i
        if i >= len(toks):
            raise BuildConstraintError("unexpected end of expression")
        i += 1
        return toks[i - 1]

    def p_or() -> Expr:
        x = p_and()
        while peek() == "||":
            take()
            x = Or(x, p_and())
        return x

    def p_and() -> Expr:
        x = p_not()
        while peek() == "&&":
            take()
            x = And(x, p_not())
        return x

    def p_not() -> Expr:
        tok = take()
        if tok == "!":
            return Not(p_not())
        if tok == "(":
            x = p_or()
            if take() != ")":
                raise BuildConstraintError("missing )")
            return x
        if tok in ("&&", "||", ")"):
            raise BuildConstraintError(f"unexpected token {tok}")
        return Tag(tok)

    expr = p_or()
    if i != len(toks):
        raise BuildConstraintError(f"unexpected token {toks[i]}")
    return expr


def _parse_plus_build(line: str) -> Expr | None:
    """A legacy ``// +build a,b !c`` line: spaces are OR, commas AND, ``!`` negation."""
    fields = line[2:].split()
    if not fields or fields[0] != "+build":
        return None
    result: Expr | None = None
    for clause in fields[1:]:
        term: Expr | None = None
        for lit in clause.split(","):
            neg = lit.startswith("!")
            name = lit[1:] if neg else lit
            if not name or not re.fullmatch(r"[\w.]+", name) or name.startswith("!"):
                return None  # malformed lines are skipped, as go/build does
            atom: Expr = Not(Tag(name)) if neg else Tag(name)
            term = atom if term is None else And(term, atom)
        if term is not None:
            result = term if result is None else Or(result, term)
    return result


def _is_go_build(line: str) -> bool:
    return line.startswith("//go:build") and (len(line) == 10 or line[10] in " \t")


def header_constraint(content: str) -> tuple[str | None, list[str]]:
    """Scan a file's leading comments (go/build ``parseFileHeader``).

    Returns the ``//go:build`` line (or None) and the ``// +build`` lines that count: those
    in the run of ``//`` comments and blank lines that ends with a blank line before the
    first non-comment text.  Raises on two ``//go:build`` lines.
    """
    if "//go:build" not in content and "+build" not in content:
        return None, []  # the common case, decided without a line scan
    go_build: str | None = None
    plus: list[str] = []
    pending: list[str] = []
    ended = False  # saw a line that is not a // comment: no more +build lines count
    in_star = False
    for raw in content.split("\n"):
        line = raw.strip()
        if not line:
            if not ended:
                plus.extend(pending)  # a blank line confirms the +build lines above it
                pending.clear()
            continue
        if not line.startswith("//"):
            ended = True
        if not in_star and _is_go_build(line):
            if go_build is not None:
                raise BuildConstraintError("multiple //go:build comments")
            go_build = line
        if not ended and "+build" in line:
            pending.append(line)
        # Skip comments; any other text ends the header.
        while line:
            if in_star:
                end = line.find("*/")
                if end < 0:
                    break
                in_star = False
                line = line[end + 2 :].strip()
            elif line.startswith("//"):
                break
            elif line.startswith("/*"):
                in_star = True
                line = line[2:].strip()
            else:
                return go_build, plus
    return go_build, plus


def should_build(content: str, ctx: BuildContext) -> bool:
    """go/build ``shouldBuild``: does the file's header admit it in ``ctx``?

    A ``//go:build`` line controls when present; otherwise every counted ``// +build``
    line must be satisfied.  Raises :class:`BuildConstraintError` for bad ``//go:build``.
    """
    go_build, plus = header_constraint(content)
    if go_build is not None:
        return ctx.eval(parse_expr(go_build[len("//go:build") :]))
    for line in plus:
        expr = _parse_plus_build(line)
        if expr is not None and not ctx.eval(expr):
            return False
    return True


def good_os_arch_file(name: str, ctx: BuildContext) -> bool:
    """go/build ``goodOSArchFile``: ``x_linux.go``, ``x_amd64.go``, ``x_linux_amd64_test.go``."""
    if ctx.any_tags:
        return True
    stem = name.split(".", 1)[0]
    i = stem.find("_")
    if i < 0:
        return True
    parts = stem[i:].split("_")
    if parts and parts[-1] == "test":
        parts = parts[:-1]
    n = len(parts)
    if n >= 2 and parts[-2] in KNOWN_OS and parts[-1] in KNOWN_ARCH:
        return ctx.match_tag(parts[-1]) and ctx.match_tag(parts[-2])
    if n >= 1 and (parts[-1] in KNOWN_OS or parts[-1] in KNOWN_ARCH):
        return ctx.match_tag(parts[-1])
    return True
