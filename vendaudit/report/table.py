"""Terminal table: one row per module, one column per target, then a summary per target.

After the summary come what a verdict alone does not say: each target's notes (an expired
``Valid-Until``, a source carrying other projects) and the reason of every ``unknown``,
``outdated`` and ``other-major`` cell.  With a ``width`` (the terminal's, ``$COLUMNS``) the
table and those lines fit it: module paths fold, other cells are cut with an ellipsis and
the reason lines wrap; without one (a pipe, a log file) nothing re-flows.

Without colour or a width (a pipe, a file: the usual CI case) the text is joined here
directly, byte for byte what rich would print, whenever every cell is plain printable
ASCII; rich (about a fifth of a warm run, import included) lays out everything else.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from vendaudit.model import Verdict
from vendaudit.report.model import Report, plural

if TYPE_CHECKING:
    from rich.console import Console

__all__ = ["VERDICT_STYLE", "render_table"]

VERDICT_STYLE: dict[Verdict, str] = {
    Verdict.SATISFIED: "green",
    Verdict.OUTDATED: "yellow",
    Verdict.OTHER_MAJOR: "magenta",
    Verdict.MISSING: "bold red",
    Verdict.REPLACED: "cyan",
    Verdict.UNKNOWN: "dim",
}
"""Rich style per verdict (used only when colour is on)."""

# Wide enough that rich never wraps or squeezes a column: a log file or a pipe has no
# width, and a table that re-flows to 80 columns stops aligning.
_UNBOUNDED_WIDTH = 100_000
_EXPLAINED = (Verdict.UNKNOWN, Verdict.OUTDATED, Verdict.OTHER_MAJOR)
# rich's SIMPLE_HEAD box without edges: one space of padding either side of the space
# between columns (none at the outer edges), and a rule of this under the header.
_GAP = "   "
_RULE = "\u2500"


class _Line(NamedTuple):
    """One line printed after the table, with its style when colour is on."""

    text: str
    style: str = ""
    soft_wrap: bool = False


def _wrap(text: str, width: int | None, indent: str) -> list[str]:
    if width is None:
        return [indent + text]
    return textwrap.wrap(
        text, width=max(width, 20), initial_indent=indent, subsequent_indent=indent + "    "
    ) or [indent]


def _widths(report: Report, width: int) -> list[int | None]:
    """Column widths that fit ``width``: path ~40 %, version ~20 %, targets share the rest."""
    n = len(report.targets)
    avail = max(width - 2 * (3 + n - 1), 20)  # rich puts two spaces between columns
    path = max(len(r.path) for r in report.modules)
    version = max(len(r.display_version()) for r in report.modules)
    cells = max(
        (len(c.short()) for r in report.modules for _, c in r.results), default=len("unknown")
    )
    dep = len("indirect")
    ver = min(version, max(12, avail // 5))
    rest = avail - dep - ver
    mod = min(path, max(20, rest * 2 // 5) if n else rest)
    per = min(cells, max(10, (rest - mod) // n)) if n else 0
    if n and mod + per * n < rest:
        mod = min(path, rest - per * n)  # short cells: give the path what is left
    return [mod, ver, dep, *([per] * n)]


def _title(report: Report) -> str:
    return f"{report.project.main_module or report.project.manifest} — vendored modules"


def _header(report: Report) -> list[str]:
    return ["module", "version", "dep", *(t.id for t in report.targets)]


def _rows(report: Report) -> list[list[tuple[str, Verdict | None]]]:
    """The table's cells: text, and the verdict that styles it (None: a plain cell)."""
    rows = []
    for row in report.modules:
        cells: list[tuple[str, Verdict | None]] = [
            (row.path, None),
            (row.display_version(), None),
            ("indirect" if row.indirect else "direct", None),
        ]
        for tid in report.target_ids:
            cell = row.result(tid)
            cells.append(("", None) if cell is None else (cell.short(), cell.verdict))
        rows.append(cells)
    return rows


def _after(report: Report, width: int | None, color: bool) -> list[_Line]:
    """The summary, notes, reasons and security lines below the table."""
    lines: list[_Line] = []
    for t in report.targets:
        summary = report.summary_for(t.id)
        line = f"{t.id}: {summary.headline()} ({plural(summary.total, 'module')})"
        if t.error:
            line += f" — target failed: {t.error}"
        style = "red" if t.error and color else ""
        lines += [_Line(text, style) for text in _wrap(line, width, "")]
        for note in t.notes:
            for text in _wrap(f"note: {note}", width, "  "):
                lines.append(_Line(text, "yellow" if color else ""))
    if not report.targets:
        lines.append(_Line("no distro targets"))
    for t in report.targets:
        reasons = [
            (row.path, cell)
            for row in report.modules
            if (cell := row.result(t.id)) is not None
            and cell.verdict in _EXPLAINED
            and cell.reason
            and not t.error  # a failed target's reason is its error, said once above
        ]
        if not reasons:
            continue
        lines.append(_Line(f"why ({t.id}):", "bold" if color else ""))
        for path, cell in reasons:
            for text in _wrap(f"{path}: {cell.label()}: {cell.reason}", width, "  "):
                lines.append(_Line(text, VERDICT_STYLE[cell.verdict] if color else ""))
    for t in report.targets:
        # A family may summarise its plan here; deb and rpm add nothing (their plans are
        # long: --format debian / rpm, Markdown and HTML show them).
        plan_lines = report.plan(t.id).table_lines()
        if not plan_lines:
            continue
        lines.append(_Line(f"plan ({t.id}):", "bold" if color else ""))
        for plan_line in plan_lines:
            lines += [_Line(text) for text in _wrap(plan_line, width, "  ")]
    if report.security is not None:
        from vendaudit.report.security import security_lines

        lines += [_Line(line, soft_wrap=True) for line in security_lines(report.security)]
    return lines


def render_table(report: Report, *, color: bool = False, width: int | None = None) -> str:
    """Render the module table; ``color`` only when stdout is a TTY (the CLI decides).

    ``width``: fit the output into that many columns (``None``: never re-flow).
    """
    title = _title(report)
    rows = _rows(report)
    after = _after(report, width, color)
    if not color and width is None:
        plain = _plain(title, _header(report), rows, after)
        if plain is not None:
            return plain
    return _rich(report, title, rows, after, color=color, width=width)


def _plain_cell(text: str) -> bool:
    # ASCII printable: one column per character, nothing for rich to strip or expand.
    return text.isascii() and text.isprintable()


def _plain_line(text: str) -> bool:
    # Printable (no control codes or tabs for rich to strip or expand) and far shorter
    # than the unbounded width even if every character were double-width.
    return text.isprintable() and 2 * len(text) < _UNBOUNDED_WIDTH


def _plain(
    title: str,
    header: list[str],
    rows: Sequence[Sequence[tuple[str, Verdict | None]]],
    after: Sequence[_Line],
) -> str | None:
    """What rich prints without colour or width, or None where rich must decide."""
    if not rows or not _plain_line(title) or not all(_plain_cell(h) for h in header):
        return None
    if not all(_plain_cell(text) for row in rows for text, _ in row):
        return None
    if not all(_plain_line(x.text) or (x.soft_wrap and x.text.isprintable()) for x in after):
        return None
    widths = [len(h) for h in header]
    for row in rows:
        for i, (text, _) in enumerate(row):
            if len(text) > widths[i]:
                widths[i] = len(text)
    if sum(widths) + len(_GAP) * (len(widths) - 1) >= _UNBOUNDED_WIDTH:
        return None

    def line(cells: Sequence[str]) -> str:
        return _GAP.join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [title.rstrip(), line(header), _RULE * (sum(widths) + len(_GAP) * (len(widths) - 1))]
    out += [line([text for text, _ in row]) for row in rows]
    out += [x.text.rstrip() for x in after]
    return "\n".join(out) + "\n"


def _rich(
    report: Report,
    title: str,
    rows: Sequence[Sequence[tuple[str, Verdict | None]]],
    after: Sequence[_Line],
    *,
    color: bool,
    width: int | None,
) -> str:
    """The table laid out by rich: colour, a width to fit, or cells only rich can measure."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    out = io.StringIO()
    fits = width is not None
    console: Console = Console(
        file=out,
        width=width if width is not None else _UNBOUNDED_WIDTH,
        force_terminal=color,
        color_system="standard" if color else None,
        no_color=not color,
        highlight=False,
        emoji=False,
        legacy_windows=False,
    )
    if rows:
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, title=None)
        # Fitting a width: a path folds (it must stay readable whole), the rest is cut.
        # The widths are fixed here: rich would squeeze the path column to nothing first.
        widths = _widths(report, width) if width is not None else [None] * (3 + len(report.targets))
        table.add_column("module", no_wrap=not fits, overflow="fold", width=widths[0])
        table.add_column("version", no_wrap=True, overflow="ellipsis", width=widths[1])
        table.add_column("dep", no_wrap=True, overflow="ellipsis", width=widths[2])
        for t, w in zip(report.targets, widths[3:], strict=True):
            table.add_column(Text(t.id), no_wrap=True, overflow="ellipsis", width=w)
        for row in rows:
            # Text, never str: rich would read a "[" in a path or version as markup.
            table.add_row(
                *(
                    Text(text, style=VERDICT_STYLE[verdict] if color and verdict else "")
                    for text, verdict in row
                )
            )
        console.print(Text(title, style="bold" if color else ""))
        console.print(table)
    else:
        console.print(Text(f"{title}: none"))
    for line in after:
        if line.soft_wrap:
            console.print(Text(line.text), soft_wrap=True)
        else:
            console.print(Text(line.text, style=line.style))
    # rich pads nothing past the table, but strip defensively so goldens have no trailing blanks.
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines()) + "\n"
