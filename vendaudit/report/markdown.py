"""Markdown for ``$GITHUB_STEP_SUMMARY`` and GitLab: a summary, then ``<details>`` per target.

GitHub refuses a step summary over 1 MiB, so the renderer tries progressively shorter
module tables until the document fits, and says so in the output.
"""

from __future__ import annotations

from vendaudit.plans import Plan
from vendaudit.report.model import (
    ATTENTION,
    VERDICT_ORDER,
    WORST_FIRST,
    Report,
    ResultCell,
    TargetRow,
    plural,
)

__all__ = ["GITHUB_SUMMARY_LIMIT", "escape_cell", "render_markdown"]

GITHUB_SUMMARY_LIMIT = 1024 * 1024
"""Bytes GitHub accepts in one step summary."""

# Leave headroom for whatever else the workflow appends to the same summary (e.g. the diff).
DEFAULT_BUDGET = GITHUB_SUMMARY_LIMIT - 64 * 1024

# Row caps tried in turn; ``None`` means "every module".
_ROW_CAPS: tuple[int | None, ...] = (None, 1000, 300, 100, 30, 0)


def render_markdown(report: Report, *, max_bytes: int = DEFAULT_BUDGET) -> str:
    """Render the report as GitHub/GitLab-flavoured Markdown of at most ``max_bytes`` (UTF-8)."""
    text = ""
    for cap in _ROW_CAPS:
        text = _render(report, cap)
        if len(text.encode("utf-8", "backslashreplace")) <= max_bytes:
            return text
    return text  # even the shortest form is over budget: still better than nothing


def escape_cell(text: str) -> str:
    """Make ``text`` safe inside a Markdown table cell."""
    return (
        text.replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("<", "&lt;")
        .replace("\n", " ")
        .strip()
    )


def _status(target: TargetRow, report: Report) -> str:
    if target.error:
        return "failed"
    summary = report.summary_for(target.id)
    bad = sum(summary.count(v) for v in ATTENTION)
    return "action needed" if bad else "ok"


def _render(report: Report, cap: int | None) -> str:
    p = report.project
    out: list[str] = [f"## vendaudit: {escape_cell(p.main_module or p.manifest)}", ""]
    out.append(
        f"`{p.manifest}` (go {p.go}), {plural(len(report.modules), 'module')}, "
        f"{report.tool.name} {report.tool.version}, {report.generated_at}"
    )
    out.append("")
    if not report.targets:
        out += ["No distro targets were audited.", ""]
    else:
        head = ["target", "status", *(v.value for v in VERDICT_ORDER), "total"]
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + "|".join(["---", "---"] + ["--:"] * (len(head) - 2)) + "|")
        for t in report.targets:
            s = report.summary_for(t.id)
            cells = [t.id, _status(t, report), *(str(n) for _, n in s.counts), str(s.total)]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    for t in report.targets:
        out += _target_section(report, t, cap)
    if report.security is not None:
        from vendaudit.report.security import security_markdown

        out += security_markdown(report.security, report.target_ids)
    return "\n".join(out).rstrip("\n") + "\n"


def _target_section(report: Report, t: TargetRow, cap: int | None) -> list[str]:
    s = report.summary_for(t.id)
    out = [f"<details><summary>{t.id} — {s.headline()}</summary>", ""]
    if t.error:
        out += [f"**Target failed:** {escape_cell(t.error)}", ""]
    if t.source:
        out += [f"Source: {escape_cell(t.source)}", ""]
    out += [f"> {escape_cell(n)}" for n in t.notes]
    if t.notes:
        out.append("")
    # Modules that need work first, so truncation drops the satisfied ones.
    rows = sorted(
        report.modules,
        key=lambda m: (_rank(m.result(t.id)), m.path),
    )
    if t.error and rows:
        # Every row would repeat the same error; say it once.
        every = "The only module is" if len(rows) == 1 else f"All {len(rows)} modules are"
        out += [f"{every} `unknown` for this target.", ""]
    elif rows:
        out += ["| module | version | verdict | package | reason |", "|---|---|---|---|---|"]
        shown = rows if cap is None else rows[:cap]
        for m in shown:
            cell = m.result(t.id)
            if cell is None:
                continue
            pkg = f"{cell.package.binary} {cell.package.version}" if cell.package else ""
            out.append(
                "| "
                + " | ".join(
                    escape_cell(x)
                    for x in (
                        m.path,
                        m.display_version(),
                        cell.label(),
                        pkg,
                        cell.reason,
                    )
                )
                + " |"
            )
        if len(shown) < len(rows):
            out.append("")
            out.append(
                f"*{len(rows) - len(shown)} more modules not shown (GitHub limits a step "
                "summary to 1 MiB); see the JSON or HTML report.*"
            )
        out.append("")
    out += _plan(report.plan(t.id), cap)
    out += ["</details>", ""]
    return out


def _rank(cell: ResultCell | None) -> int:
    return len(WORST_FIRST) if cell is None else WORST_FIRST.index(cell.verdict)


def _block(title: str, items: list[str], cap: int | None) -> list[str]:
    shown = items if cap is None else items[: max(cap, 5)]
    body = list(shown)
    if len(shown) < len(items):
        body.append(f"# … {len(items) - len(shown)} more not shown")
    # A fence longer than any backtick run inside keeps odd package names from closing it.
    fence = "```"
    while any(fence in line for line in body):
        fence += "`"
    return [f"**{title}**", "", fence, *body, fence, ""]


def _plan(plan: Plan, cap: int | None) -> list[str]:
    out: list[str] = []
    for section in plan.sections():
        if section.lines:
            out += _block(section.title, list(section.lines), cap)
    for note in plan.notes:
        out += [f"> {escape_cell(note)}", ""]
    return out
