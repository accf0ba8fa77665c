"""Terminal table: one row per module, one column per target, then a summary per target."""

from __future__ import annotations

import io

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


def render_table(report: Report, *, color: bool = False) -> str:
    """Render the module table; ``color`` only when stdout is a TTY (the CLI decides)."""
    out = io.StringIO()
    console = Console(
        file=out,
        width=_UNBOUNDED_WIDTH,
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
        table.add_column("module", no_wrap=True)
        table.add_column("version", no_wrap=True)
        table.add_column("dep", no_wrap=True)
        for t in report.targets:
            table.add_column(t.id, no_wrap=True)
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
        console.print(Text(line, style=("red" if t.error else "") if color else ""))
    if not report.targets:
        console.print("no distro targets")
    # rich pads nothing past the table, but strip defensively so goldens have no trailing blanks.
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines()) + "\n"
