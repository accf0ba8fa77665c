"""The security section in every format, and its JSON (de)serialisation.

Pure functions of :class:`vendaudit.vulns.model.SecurityView` (a leaf model: the report
does not depend on fetching or matching).  ``vendaudit vulns`` prints the same list alone.
"""

from __future__ import annotations

from html import escape
from typing import Any

from vendaudit.vulns.model import (
    DistroCell,
    ModuleVuln,
    SecurityVerdict,
    SecurityView,
    UnvendorAdvice,
)

__all__ = [
    "security_from_json",
    "security_html",
    "security_lines",
    "security_markdown",
    "security_to_json",
    "vulns_list_text",
]


def _alias(v: ModuleVuln) -> str:
    return ", ".join(v.aliases)


def _fixed(v: ModuleVuln) -> str:
    return v.fixed or "no fix yet"


def _fix_phrase(v: ModuleVuln) -> str:
    return f"fixed in {v.fixed}" if v.fixed else "no fix yet"


def vulns_list_text(view: SecurityView) -> str:
    """The plain list ``vendaudit vulns`` prints: one block per (module, entry)."""
    if view.error is not None:
        return f"vulnerabilities unknown: {view.error}\n"
    out = [f"Go vulnerability database {view.database} (modified {view.modified})"]
    if not view.findings:
        out.append("No vulnerable required module found.")
    for v, _cells in view.findings:
        out.append("")
        out.append(f"{v.id}  {v.module}@{v.version}  {_fix_phrase(v)}")
        if v.checked_path != v.module:
            out.append(f"  checked as {v.checked_path}@{v.version} (replacement)")
        if v.aliases:
            out.append(f"  aliases: {_alias(v)}")
        if v.summary:
            out.append(f"  {v.summary}")
        if v.url:
            out.append(f"  {v.url}")
    out += [f"note: {n}" for n in view.notes]
    return "\n".join(out) + "\n"


def _cell_text(c: DistroCell) -> str:
    text = c.verdict.value
    if c.packaged:
        text += f" ({c.package} {c.packaged})"
    return text


def security_lines(view: SecurityView) -> list[str]:
    """The section as plain text lines (the table renderer prints these)."""
    out = [f"Security ({view.database}, modified {view.modified or 'unknown'})"]
    if view.error is not None:
        return [*out, f"  vulnerabilities unknown: {view.error}"]
    if not view.findings:
        out.append("  no vulnerable required module found")
    for v, cells in view.findings:
        out.append(f"  {v.id} {v.module}@{v.version} ({_fix_phrase(v)}): {v.summary}")
        for c in cells:
            reason = f" — {c.reason}" if c.reason else ""
            out.append(f"    {c.target}: {_cell_text(c)}{reason}")
    out += [f"  {a.text()}" for a in view.advice]
    out += [f"  note: {n}" for n in view.notes]
    return out


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("\n", " ")


def security_markdown(view: SecurityView, target_ids: tuple[str, ...]) -> list[str]:
    """The section as Markdown lines (a heading, a table, the ranked advice)."""
    out = ["### Security", ""]
    out.append(f"Go vulnerability database `{view.database}`, modified {view.modified or '?'}.")
    out.append("")
    if view.error is not None:
        return [*out, f"Vulnerabilities unknown: {_md(view.error)}", ""]
    if not view.findings:
        return [*out, "No vulnerable required module found.", ""]
    out.append("| entry | module | fixed in | " + " | ".join(target_ids) + " |")
    out.append("|---|---|---|" + "---|" * len(target_ids))
    for v, cells in view.findings:
        by = {c.target: c for c in cells}
        label = f"[{v.id}]({v.url})" if v.url else v.id
        if v.aliases:
            label += f" ({_md(_alias(v))})"
        row = [label, f"`{_md(v.module)}@{_md(v.version)}`", _md(_fixed(v))]
        row += [_md(_cell_text(by[t])) if t in by else "" for t in target_ids]
        out.append("| " + " | ".join(row) + " |")
    out.append("")
    out += [f"- {_md(a.text())}" for a in view.advice]
    out += [f"- note: {_md(n)}" for n in view.notes]
    if view.advice or view.notes:
        out.append("")
    return out


def security_html(view: SecurityView, target_ids: tuple[str, ...]) -> str:
    """The section as an HTML fragment."""
    head = (
        f"<h2>Security</h2><p>Go vulnerability database <code>{escape(view.database)}</code>, "
        f"modified {escape(view.modified or '?')}</p>"
    )
    if view.error is not None:
        return head + f'<p class="error">Vulnerabilities unknown: {escape(view.error)}</p>'
    if not view.findings:
        return head + "<p>No vulnerable required module found.</p>"
    rows = []
    for v, cells in view.findings:
        by = {c.target: c for c in cells}
        entry = escape(v.id)
        if v.url:
            entry = f'<a href="{escape(v.url)}">{entry}</a>'
        tds = [
            f"<td>{entry}<div class='pkg'>{escape(_alias(v))}</div></td>",
            f'<td class="mono">{escape(v.module)}@{escape(v.version)}</td>',
            f"<td>{escape(_fixed(v))}</td><td>{escape(v.summary)}</td>",
        ]
        for t in target_ids:
            c = by.get(t)
            tds.append(
                f'<td title="{escape(c.reason)}">{escape(_cell_text(c))}</td>' if c else "<td></td>"
            )
        rows.append("<tr>" + "".join(tds) + "</tr>")
    heads = ["entry", "module", "fixed in", "summary", *target_ids]
    table = (
        "<table><thead><tr>"
        + "".join(f"<th>{escape(h)}</th>" for h in heads)
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )
    advice = "".join(f"<li>{escape(a.text())}</li>" for a in view.advice)
    notes = "".join(f'<p class="note">{escape(n)}</p>' for n in view.notes)
    return head + table + (f"<ul>{advice}</ul>" if advice else "") + notes


def security_to_json(view: SecurityView) -> dict[str, Any]:
    """The ``security`` object of the report JSON (``schema.json``)."""
    return {
        "database": view.database,
        "modified": view.modified,
        "error": view.error,
        "notes": list(view.notes),
        "findings": [
            {
                "module": v.module,
                "version": v.version,
                "checked_path": v.checked_path,
                "id": v.id,
                "aliases": list(v.aliases),
                "summary": v.summary,
                "fixed": v.fixed,
                "url": v.url,
                "targets": [
                    {
                        "target": c.target,
                        "verdict": c.verdict.value,
                        "package": c.package,
                        "packaged": c.packaged,
                        "reason": c.reason,
                    }
                    for c in cells
                ],
            }
            for v, cells in view.findings
        ],
        "advice": [
            {
                "target": a.target,
                "module": a.module,
                "fixes": list(a.fixes),
                "package": a.package,
                "packaged": a.packaged,
                "text": a.text(),
            }
            for a in view.advice
        ],
    }


def security_from_json(d: dict[str, Any]) -> SecurityView:
    """The inverse of :func:`security_to_json` (KeyError/ValueError/TypeError on bad data)."""
    findings = []
    for f in d["findings"]:
        vuln = ModuleVuln(
            module=str(f["module"]),
            version=str(f["version"]),
            checked_path=str(f["checked_path"]),
            id=str(f["id"]),
            aliases=tuple(str(a) for a in f["aliases"]),
            summary=str(f["summary"]),
            fixed=None if f["fixed"] is None else str(f["fixed"]),
            url=str(f.get("url", "")),
        )
        cells = tuple(
            DistroCell(
                str(c["target"]),
                SecurityVerdict(c["verdict"]),
                str(c["package"]),
                str(c["packaged"]),
                str(c["reason"]),
            )
            for c in f["targets"]
        )
        findings.append((vuln, cells))
    advice = tuple(
        UnvendorAdvice(
            str(a["target"]),
            str(a["module"]),
            tuple(str(x) for x in a["fixes"]),
            str(a["package"]),
            str(a["packaged"]),
        )
        for a in d.get("advice", [])
    )
    error = d.get("error")
    return SecurityView(
        database=str(d["database"]),
        modified=str(d["modified"]),
        findings=tuple(findings),
        advice=advice,
        notes=tuple(str(n) for n in d.get("notes", [])),
        error=None if error is None else str(error),
    )
