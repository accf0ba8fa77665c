"""Terminal table: one row per module, one column per target, then a summary per target.

After the summary come what a verdict alone does not say: each target's notes (an expired
``Valid-Until``, a source carrying other projects) and the reason of every ``unknown``,
``outdated`` and ``other-major`` cell.  With a ``width`` (the terminal's, ``$COLUMNS``) the
table and those lines fit it: module paths fold, other cells are cut with an ellipsis and
the reason lines wrap; without one (a pipe, a log file) nothing re-flows.
"""

from __future__ import annotations

import io
import textwrap

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from vendaudit.model import Verdict
from vendaudit.report.model import Report, plural

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


def render_table(report: Report, *, color: bool = False, width: int | None = None) -> str:
    """Render the module table; ``color`` only when stdout is a TTY (the CLI decides).

    ``width``: fit the output into that many columns (``None``: never re-flow).
    """
    out = io.StringIO()
    fits = width is not None
    console = Console(
        file=out,
        width=width if width is not None else _UNBOUNDED_WIDTH,
        force_terminal=color,
        color_system="standard" if color else None,
        no_color=not color,
        highlight=False,
        emoji=False,
        legacy_windows=False,
    )
    title = f"{report.project.main_module or report.project.manifest} — vendored modules"
    if report.modules:
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, title=None)
        # Fitting a width: a path folds (it must stay readable whole), the rest is cut.
        # The widths are fixed here: rich would squeeze the path column to nothing first.
        widths = _widths(report, width) if width is not None else [None] * (3 + len(report.targets))
        table.add_column("module", no_wrap=not fits, overflow="fold", width=widths[0])
        table.add_column("version", no_wrap=True, overflow="ellipsis", width=widths[1])
        table.add_column("dep", no_wrap=True, overflow="ellipsis", width=widths[2])
        for t, w in zip(report.targets, widths[3:], strict=True):
            table.add_column(t.id, no_wrap=True, overflow="ellipsis", width=w)
        for row in report.modules:
            cells: list[Text | str] = [
                row.path,
                row.display_version(),
                "indirect" if row.indirect else "direct",
            ]
            for tid in report.target_ids:
                cell = row.result(tid)
                if cell is None:
                    cells.append("")
                    continue
                style = VERDICT_STYLE[cell.verdict] if color else ""
                cells.append(Text(cell.short(), style=style))
            table.add_row(*cells)
        console.print(Text(title, style="bold" if color else ""))
        console.print(table)
    else:
        console.print(f"{title}: none")
    for t in report.targets:
        summary = report.summary_for(t.id)
        line = f"{t.id}: {summary.headline()} ({plural(summary.total, 'module')})"
        if t.error:
            line += f" — target failed: {t.error}"
        for text in _wrap(line, width, ""):
            console.print(Text(text, style=("red" if t.error else "") if color else ""))
        for note in t.notes:
            for text in _wrap(f"note: {note}", width, "  "):
                console.print(Text(text, style="yellow" if color else ""))
    if not report.targets:
        console.print("no distro targets")
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
        console.print(Text(f"why ({t.id}):", style="bold" if color else ""))
        for path, cell in reasons:
            for text in _wrap(f"{path}: {cell.label()}: {cell.reason}", width, "  "):
                console.print(Text(text, style=VERDICT_STYLE[cell.verdict] if color else ""))
    if report.security is not None:
        from vendaudit.report.security import security_lines

        for line in security_lines(report.security):
            console.print(Text(line), soft_wrap=True)
    # rich pads nothing past the table, but strip defensively so goldens have no trailing blanks.
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines()) + "\n"
