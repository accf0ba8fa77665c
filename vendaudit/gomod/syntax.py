"""Syntax layer of the go.mod parser: lines, blocks and attached comments.

Follows golang.org/x/mod/modfile ``parse`` (read.go): a file is a list of statements, each a
:class:`Line`, a :class:`LineBlock` (``verb (`` … ``)``) or a :class:`CommentBlock`. Whole-line
comments become the ``before`` comments of the next statement or block line; suffix comments
are attached afterwards to the element that ends just before them on the same line. The
layer knows nothing about directives; :mod:`vendaudit.gomod.modfile` interprets them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from vendaudit.gomod import lexer
from vendaudit.gomod.lexer import Token


@dataclass(frozen=True, slots=True)
class Pos:
    """A position: ``index`` counts runes from the start of the file; ``col`` is 1-based."""

    line: int
    col: int
    index: int

    def after_rparen(self) -> Pos:
        """The position just after a one-rune ``)`` at this position."""
        return Pos(self.line, self.col + 1, self.index + 1)


@dataclass(frozen=True, slots=True)
class Comment:
    """One ``//`` comment; ``token == ""`` marks a preserved blank line inside a block."""

    token: str
    start: Pos | None = None


@dataclass(slots=True)
class Comments:
    """Comments attached to a syntax element."""

    before: list[Comment] = field(default_factory=list)
    suffix: list[Comment] = field(default_factory=list)


@dataclass(slots=True)
class Line:
    """A single line of tokens, at top level or inside a block (then without the verb)."""

    start: Pos
    end: Pos
    tokens: list[str]
    in_block: bool = False
    comments: Comments = field(default_factory=Comments)


@dataclass(slots=True)
class Paren:
    """The ``(`` or ``)`` of a block; a place to hang comments."""

    pos: Pos
    comments: Comments = field(default_factory=Comments)


@dataclass(slots=True)
class LineBlock:
    """A factored block ``verb ( lines… )``."""

    start: Pos
    tokens: list[str]
    lparen: Paren
    rparen: Paren
    lines: list[Line] = field(default_factory=list)
    comments: Comments = field(default_factory=Comments)


@dataclass(slots=True)
class CommentBlock:
    """A run of whole-line comments not attached to any statement."""

    start: Pos
    comments: Comments = field(default_factory=Comments)


Stmt = Line | LineBlock | CommentBlock


@dataclass(slots=True)
class FileSyntax:
    """A whole file's statements."""

    name: str
    stmts: list[Stmt] = field(default_factory=list)


class SyntaxErr(Exception):
    """A fatal syntax error (lexer or block structure) at ``line``:``col``."""

    def __init__(self, msg: str, line: int, col: int) -> None:
        super().__init__(msg)
        self.msg = msg
        self.line = line
        self.col = col


class _Parser:
    """Recursive-descent statement builder with one token of look-ahead, as in read.go."""

    def __init__(self, filename: str, text: str) -> None:
        self.filename = filename
        self.tokens: Iterator[Token] = lexer.tokenize(text)
        self.suffixes: list[Comment] = []
        self.tok = self._read()

    def _read(self) -> Token:
        try:
            tok = next(self.tokens)
        except lexer.LexError as exc:
            raise SyntaxErr(exc.msg, exc.line, exc.col) from None
        if tok.kind == lexer.EOLCOMMENT:
            self.suffixes.append(Comment(tok.text, Pos(tok.line, tok.col, tok.start)))
        return tok

    def peek(self) -> str:
        return self.tok.kind

    def lex(self) -> Token:
        tok = self.tok
        self.tok = self._read()
        return tok

    def error(self, msg: str) -> SyntaxErr:
        # Go reports at the lexer position, i.e. the end of the look-ahead token.
        return SyntaxErr(msg, self.tok.end_line, self.tok.end_col)

    def parse_file(self) -> FileSyntax:
        f = FileSyntax(self.filename)
        cb: CommentBlock | None = None
        while True:
            kind = self.peek()
            if kind == lexer.NEWLINE:
                self.lex()
                if cb is not None:
                    f.stmts.append(cb)
                    cb = None
            elif kind == lexer.COMMENT:
                tok = self.lex()
                start = Pos(tok.line, tok.col, tok.start)
                if cb is None:
                    cb = CommentBlock(start)
                cb.comments.before.append(Comment(tok.text, start))
            elif kind == lexer.EOF:
                if cb is not None:
                    f.stmts.append(cb)
                return f
            else:
                self.parse_stmt(f)
                if cb is not None:
                    f.stmts[-1].comments.before = cb.comments.before
                    cb = None

    def parse_stmt(self, f: FileSyntax) -> None:
        tok = self.lex()
        start = Pos(tok.line, tok.col, tok.start)
        end = Pos(tok.end_line, tok.end_col, tok.end)
        tokens = [tok.text]
        while True:
            tok = self.lex()
            if _is_eol(tok.kind):
                f.stmts.append(Line(start, end, tokens))
                return
            if tok.kind == "(":
                nxt = self.peek()
                lpos = Pos(tok.line, tok.col, tok.start)
                if _is_eol(nxt):
                    f.stmts.append(self.parse_line_block(start, tokens, lpos))
                    return
                if nxt == ")":
                    rparen = self.lex()
                    if _is_eol(self.peek()):
                        self.lex()  # empty block
                        rpos = Pos(rparen.line, rparen.col, rparen.start)
                        f.stmts.append(LineBlock(start, tokens, Paren(lpos), Paren(rpos)))
                        return
                    tokens += ["(", ")"]  # "( )" in the middle of the line: not a block
                else:
                    tokens.append("(")  # "(" in the middle of the line: not a block
            else:
                tokens.append(tok.text)
                end = Pos(tok.end_line, tok.end_col, tok.end)

    def parse_line_block(self, start: Pos, tokens: list[str], lpos: Pos) -> LineBlock:
        block = LineBlock(start, tokens, Paren(lpos), Paren(lpos))
        comments: list[Comment] = []
        while True:
            kind = self.peek()
            if kind == lexer.EOLCOMMENT:
                self.lex()
            elif kind == lexer.NEWLINE:
                self.lex()  # blank line: remembered as an empty comment
                if (not comments and block.lines) or (comments and comments[-1].token != ""):
                    comments.append(Comment(""))
            elif kind == lexer.COMMENT:
                tok = self.lex()
                comments.append(Comment(tok.text, Pos(tok.line, tok.col, tok.start)))
            elif kind == lexer.EOF:
                raise self.error(
                    f"syntax error (unterminated block started at "
                    f"{self.filename}:{start.line}:{start.col})"
                )
            elif kind == ")":
                rparen = self.lex()
                if len(comments) == 1 and comments[0] == Comment(""):
                    comments = []
                block.rparen = Paren(Pos(rparen.line, rparen.col, rparen.start))
                block.rparen.comments.before = comments
                if not _is_eol(self.peek()):
                    raise self.error("syntax error (expected newline after closing paren)")
                self.lex()
                return block
            else:
                line = self.parse_line()
                line.comments.before = comments
                block.lines.append(line)
                comments = []

    def parse_line(self) -> Line:
        tok = self.lex()
        start = Pos(tok.line, tok.col, tok.start)
        end = Pos(tok.end_line, tok.end_col, tok.end)
        tokens = [tok.text]
        while True:
            tok = self.lex()
            if _is_eol(tok.kind):
                return Line(start, end, tokens, in_block=True)
            tokens.append(tok.text)
            end = Pos(tok.end_line, tok.end_col, tok.end)


def _is_eol(kind: str) -> bool:
    return kind in (lexer.EOF, lexer.EOLCOMMENT, lexer.NEWLINE)


def _span(x: Stmt | Paren) -> tuple[Pos, Pos]:
    if isinstance(x, Line):
        return x.start, x.end
    if isinstance(x, LineBlock):
        return x.start, x.rparen.pos.after_rparen()
    if isinstance(x, Paren):
        return x.pos, x.pos.after_rparen()
    return x.start, x.start


def _assign_suffix_comments(f: FileSyntax, suffixes: list[Comment]) -> None:
    """Attach each suffix comment to the element ending just before it (read.go order)."""
    post: list[Stmt | Paren] = []
    for stmt in f.stmts:
        if isinstance(stmt, LineBlock):
            post.append(stmt.lparen)
            post.extend(stmt.lines)
            post.append(stmt.rparen)
        post.append(stmt)
    pending = list(suffixes)
    for x in reversed(post):
        if not pending:
            break
        start, end = _span(x)
        # Never attach to something that starts on an earlier line (a block, say).
        if start.line != end.line:
            continue
        got: list[Comment] = []
        while pending and end.index <= pending[-1].start.index:  # type: ignore[union-attr]
            got.append(pending.pop())
        if got:
            got.reverse()
            x.comments.suffix = got + x.comments.suffix
    # Leftovers would become the file's "before" comments, which nothing reads.


def parse_syntax(filename: str, text: str) -> FileSyntax:
    """Build the statement list of ``text``; raises :class:`SyntaxErr` on the first error."""
    p = _Parser(filename, text)
    f = p.parse_file()
    _assign_suffix_comments(f, p.suffixes)
    return f
