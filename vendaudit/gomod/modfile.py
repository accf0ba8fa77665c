"""Rule layer of the go.mod / vendor.mod parser: directives, versions and their errors.

Behaves like golang.org/x/mod/modfile's ``Parse(file, data, nil)`` (strict, no version
fixer: what ``go mod edit`` uses) or ``ParseLax`` for dependencies' go.mod files, followed by
the ``SortBlocks`` + ``Cleanup`` that ``go mod edit -json`` runs: duplicate ``exclude``,
``tool`` and ``ignore`` lines are dropped (first wins), duplicate ``replace`` keys keep the
last one, and entries with an empty path (or empty ``godebug`` key) disappear.

All errors of a file are collected and raised together as one
:class:`~vendaudit.gomod.errors.ModFileError`, each formatted like Go's (``file:line: msg``,
``file:line:col: msg`` when the statement does not start in column 1). A lexer or block
error stops parsing at once, as in Go.

Strings in the returned model may contain lone surrogates U+DC80..U+DCFF, which stand for
bytes that are not valid UTF-8 (Python's ``surrogateescape`` convention).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TypeVar

from vendaudit.gomod.errors import ModFileError
from vendaudit.gomod.lexer import fields, go_quote, go_unquote, trim_space
from vendaudit.gomod.model import (
    Exclude,
    Godebug,
    Ignore,
    ModFile,
    ModuleStmt,
    ModVersion,
    Replace,
    Require,
    Retract,
    Tool,
)
from vendaudit.gomod.syntax import Comments, Line, LineBlock, Pos, SyntaxErr, parse_syntax
from vendaudit.versions import modpath, semver

__all__ = ["is_directory_path", "parse_modfile"]

# Go's regexps use RE2, where "$" means end of text; Python's "$" also matches before a
# trailing newline, hence \Z.
_GO_VERSION_RE = re.compile(
    r"\A([1-9][0-9]*)\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?([a-z]+[0-9]+)?\Z"
)
_LAX_GO_VERSION_RE = re.compile(r"\Av?(([1-9][0-9]*)\.(0|[1-9][0-9]*))([^0-9].*)\Z")
_TOOLCHAIN_RE = re.compile(r"\Adefault\Z|\Ago1(\Z|\.)")
_DEPRECATED_RE = re.compile(r"(?:\A|\n\n)Deprecated: *(.*?)(?:\Z|\n\n)", re.S)
_BLOCK_VERBS = frozenset(
    ["module", "godebug", "require", "exclude", "replace", "retract", "tool", "ignore"]
)
_LAX_VERBS = frozenset(["go", "module", "retract", "require", "ignore"])
_T = TypeVar("_T")


class _RuleError(Exception):
    """One directive error: ``msg`` already carries any ``verb path: `` prefix."""


def _safe(s: str) -> str:
    """Message text: undecodable bytes (lone surrogates) shown as U+FFFD."""
    return re.sub("[\udc80-\udcff]", "\ufffd", s)


def _verb_prefix(verb: str, path: str) -> str:
    return f"{verb} {path}: " if path else f"{verb}: "


def _parse_string(tok: str) -> str:
    """``parseString``: unquote ``"…"``; reject other quote characters."""
    if tok.startswith('"'):
        return go_unquote(tok)
    if any(q in tok for q in "\"'`"):
        raise ValueError("unquoted string cannot contain quote")
    return tok


def _parse_version(verb: str, path: str, tok: str, *, check: bool = True) -> str:
    """``parseVersion`` with no fixer: canonicalise (``check=False``: retract's no-op fixer)."""
    try:
        t = _parse_string(tok)
    except ValueError as exc:
        raise _RuleError(
            f"{_verb_prefix(verb, path)}version {go_quote(tok)} invalid: {exc}"
        ) from None
    if not check:
        return t
    cv = semver.canonical_version(t)
    if not cv:
        raise _RuleError(
            f"{_verb_prefix(verb, path)}version {go_quote(t)} invalid: must be of the form v1.2.3"
        )
    return cv


def _path_major(path: str) -> str:
    _, major, ok = modpath.split_path_version(path)
    if not ok:
        raise ValueError("invalid module path")
    return major


def _check_major(verb: str, path: str, version: str, major: str) -> None:
    try:
        modpath.check_path_major(version, major)
    except ValueError as exc:
        raise _RuleError(
            f"{_verb_prefix(verb, path)}version {go_quote(version)} invalid: {exc}"
        ) from None


def is_directory_path(ns: str) -> bool:
    """``modfile.IsDirectoryPath``: a replacement target that is a local directory.

    Both Unix and Windows syntaxes count, since go.mod files move between systems.
    """
    return (
        ns in (".", "..")
        or ns.startswith(("./", ".\\", "../", "..\\", "/", "\\"))
        or (len(ns) >= 2 and ns[0].isascii() and ns[0].isalpha() and ns[1] == ":")
    )


def _directive_comment(block: LineBlock | None, line: Line) -> str:
    """``parseDirectiveComment``: the line's comments, else (in a block) the block's."""
    com: Comments = line.comments
    if block is not None and not com.before and not com.suffix:
        com = block.comments
    return "\n".join(
        trim_space(c.token[2:]) for c in (*com.before, *com.suffix) if c.token.startswith("//")
    )


def _deprecation(block: LineBlock | None, line: Line) -> str:
    m = _DEPRECATED_RE.search(_directive_comment(block, line))
    return m.group(1) if m else ""


def _is_indirect(line: Line) -> bool:
    """The first suffix comment is exactly ``indirect`` or starts with the field ``indirect;``."""
    if not line.comments.suffix:
        return False
    f = fields(line.comments.suffix[0].token.removeprefix("//"))
    return (len(f) == 1 and f[0] == "indirect") or (len(f) > 1 and f[0] == "indirect;")


@dataclass
class _Builder:
    """Mutable state while walking the statements of one file."""

    filename: str
    strict: bool
    errors: list[str] = field(default_factory=list)
    module: ModuleStmt | None = None
    go: str | None = None
    toolchain: str | None = None
    godebug: list[Godebug] = field(default_factory=list)
    require: list[Require] = field(default_factory=list)
    exclude: list[Exclude] = field(default_factory=list)
    replace: list[Replace] = field(default_factory=list)
    retract: list[Retract] = field(default_factory=list)
    tool: list[Tool] = field(default_factory=list)
    ignore: list[Ignore] = field(default_factory=list)

    def error_at(self, pos: Pos, msg: str) -> None:
        where = f"{pos.line}:{pos.col}" if pos.col > 1 else f"{pos.line}"
        self.errors.append(_safe(f"{self.filename}:{where}: {msg}"))

    def add(self, block: LineBlock | None, line: Line, verb: str, args: list[str]) -> None:
        if not self.strict and verb not in _LAX_VERBS:
            return  # dependencies' go.mod: main-module-only and unknown verbs are ignored
        try:
            self._add(block, line, verb, args)
        except _RuleError as exc:
            self.error_at(line.start, str(exc))

    def _add(self, block: LineBlock | None, line: Line, verb: str, args: list[str]) -> None:
        n = line.start.line
        match verb:
            case "go":
                if self.go is not None:
                    raise _RuleError("repeated go statement")
                if len(args) != 1:
                    raise _RuleError("go directive expects exactly one argument")
                version = args[0]
                if not _GO_VERSION_RE.match(version):
                    m = None if self.strict else _LAX_GO_VERSION_RE.match(version)
                    if m is None:
                        raise _RuleError(
                            f"invalid go version '{version}': must match format 1.23.0"
                        )
                    version = m.group(1)
                self.go = version
            case "toolchain":
                if self.toolchain is not None:
                    raise _RuleError("repeated toolchain statement")
                if len(args) != 1:
                    raise _RuleError("toolchain directive expects exactly one argument")
                if not _TOOLCHAIN_RE.match(args[0]):
                    raise _RuleError(
                        f"invalid toolchain version '{args[0]}':"
                        " must match format go1.23.0 or default"
                    )
                self.toolchain = args[0]
            case "module":
                if self.module is not None:
                    raise _RuleError("repeated module statement")
                # Go records the statement before checking it, so a bad one still counts
                # as "the" module statement for "repeated module statement".
                self.module = ModuleStmt("", _deprecation(block, line), n)
                if len(args) != 1:
                    raise _RuleError("usage: module module/path")
                path = self._string(args[0])
                self.module = ModuleStmt(path, self.module.deprecated, n)
            case "godebug":
                if len(args) != 1 or any(c in args[0] for c in "\"`',"):
                    raise _RuleError("usage: godebug key=value")
                key, eq, value = args[0].partition("=")
                if not eq:
                    raise _RuleError("usage: godebug key=value")
                self.godebug.append(Godebug(key, value, n))
            case "require" | "exclude":
                if len(args) != 2:
                    raise _RuleError(f"usage: {verb} module/path v1.2.3")
                path = self._string(args[0])
                version = _parse_version(verb, path, args[1])
                try:
                    major = _path_major(path)
                except ValueError as exc:
                    raise _RuleError(str(exc)) from None
                _check_major(verb, path, version, major)
                if verb == "require":
                    self.require.append(Require(path, version, _is_indirect(line), n))
                else:
                    self.exclude.append(Exclude(path, version, n))
            case "replace":
                self.replace.append(self._replace(line, verb, args))
            case "retract":
                rationale = _directive_comment(block, line)
                try:
                    low, high, rest = _version_interval(verb, args)
                except _RuleError:
                    if self.strict:
                        raise
                    return  # lax: future interval syntax must not break dependencies
                if rest and self.strict:
                    raise _RuleError(f"unexpected token after version: {go_quote(rest[0])}")
                self.retract.append(Retract(low, high, rationale, n))
            case "tool" | "ignore":
                if len(args) != 1:
                    raise _RuleError(f"{verb} directive expects exactly one argument")
                path = self._string(args[0])
                if verb == "tool":
                    self.tool.append(Tool(path, n))
                else:
                    self.ignore.append(Ignore(path, n))
            case _:
                raise _RuleError(f"unknown directive: {verb}")

    @staticmethod
    def _string(tok: str) -> str:
        try:
            return _parse_string(tok)
        except ValueError as exc:
            raise _RuleError(f"invalid quoted string: {exc}") from None

    def _replace(self, line: Line, verb: str, args: list[str]) -> Replace:
        arrow = 1 if len(args) >= 2 and args[1] == "=>" else 2
        if len(args) < arrow + 2 or len(args) > arrow + 3 or args[arrow] != "=>":
            raise _RuleError(
                f"usage: {verb} module/path [v1.2.3] => other/module v1.4\n"
                f"\t or {verb} module/path [v1.2.3] => ../local/directory"
            )
        old = self._string(args[0])
        try:
            major = _path_major(old)
        except ValueError as exc:
            raise _RuleError(f"{_verb_prefix(verb, old)}{exc}") from None
        old_version = ""
        if arrow == 2:
            old_version = _parse_version(verb, old, args[1])
            _check_major(verb, old, old_version, major)
        new = self._string(args[arrow + 1])
        new_version = ""
        if len(args) == arrow + 2:
            if not is_directory_path(new):
                if "@" in new:
                    raise _RuleError(
                        "replacement module must match format 'path version', not 'path@version'"
                    )
                raise _RuleError(
                    "replacement module without version must be directory path"
                    " (rooted or starting with . or ..)"
                )
            if "\\" in new:  # vendaudit follows Go on a non-Windows system
                raise _RuleError(
                    "replacement directory appears to be Windows path (on a non-windows system)"
                )
        else:
            new_version = _parse_version(verb, new, args[arrow + 2])
            if is_directory_path(new):
                raise _RuleError(
                    f"replacement module directory path {go_quote(new)} cannot have version"
                )
        return Replace(ModVersion(old, old_version), ModVersion(new, new_version), line.start.line)

    def build(self) -> ModFile:
        """The file as ``go mod edit -json`` sees it after SortBlocks + Cleanup."""
        return ModFile(
            filename=self.filename,
            module=self.module,
            go=self.go or "",
            toolchain=self.toolchain or "",
            godebug=tuple(g for g in self.godebug if g.key),
            require=tuple(r for r in self.require if r.path),
            exclude=tuple(
                x for x in _first_wins(self.exclude, lambda x: (x.path, x.version)) if x.path
            ),
            replace=tuple(r for r in _last_wins(self.replace) if r.old.path),
            retract=tuple(r for r in self.retract if r.low or r.high),
            tool=tuple(_first_wins(self.tool, lambda t: t.path)),
            ignore=tuple(_first_wins(self.ignore, lambda i: i.path)),
        )


def _first_wins(items: list[_T], key: Callable[[_T], Hashable]) -> list[_T]:
    seen: set[Hashable] = set()
    out: list[_T] = []
    for item in items:
        k = key(item)
        if k not in seen:
            seen.add(k)
            out.append(item)
    return out


def _last_wins(items: list[Replace]) -> list[Replace]:
    last = {r.old: i for i, r in enumerate(items)}
    return [r for i, r in enumerate(items) if last[r.old] == i]


def _version_interval(verb: str, args: list[str]) -> tuple[str, str, list[str]]:
    """``parseVersionInterval``: ``v`` or ``[low, high]``; returns the remaining tokens."""
    if not args or args[0] == "(":
        raise _RuleError("expected '[' or version")
    if args[0] != "[":
        v = _parse_version(verb, "", args[0], check=False)
        return v, v, args[1:]
    toks = args[1:]
    if not toks:
        raise _RuleError("expected version after '['")
    low = _parse_version(verb, "", toks[0], check=False)
    toks = toks[1:]
    if not toks or toks[0] != ",":
        raise _RuleError("expected ',' after version")
    toks = toks[1:]
    if not toks:
        raise _RuleError("expected version after ','")
    high = _parse_version(verb, "", toks[0], check=False)
    toks = toks[1:]
    if not toks or toks[0] != "]":
        raise _RuleError("expected ']' after version")
    return low, high, toks[1:]


def parse_modfile(data: bytes, filename: str, *, lax: bool = False) -> ModFile:
    """Parse a go.mod / vendor.mod file like ``modfile.Parse`` (or ``ParseLax`` if ``lax``).

    ``filename`` is used in error messages only. Raises
    :class:`~vendaudit.gomod.errors.ModFileError` listing every problem.
    """
    text = data.decode("utf-8", "surrogateescape")
    try:
        syntax = parse_syntax(filename, text)
    except SyntaxErr as exc:
        where = f"{exc.line}:{exc.col}" if exc.col > 1 else f"{exc.line}"
        raise ModFileError([_safe(f"{filename}:{where}: {exc.msg}")]) from None
    b = _Builder(filename, strict=not lax)
    for stmt in syntax.stmts:
        if isinstance(stmt, Line):
            b.add(None, stmt, stmt.tokens[0], stmt.tokens[1:])
        elif isinstance(stmt, LineBlock):
            if len(stmt.tokens) > 1 or stmt.tokens[0] not in _BLOCK_VERBS:
                if b.strict:
                    b.error_at(stmt.start, f"unknown block type: {' '.join(stmt.tokens)}")
                continue
            for line in stmt.lines:
                b.add(stmt, line, stmt.tokens[0], line.tokens)
    if b.errors:
        raise ModFileError(b.errors)
    return b.build()
