"""The security parts of the service pages: the project's section, the module's entries, ``/vulns``.

The project section is the report's own security renderer
(:func:`vendaudit.report.security.security_html`) over the stored report's
:class:`~vendaudit.vulns.model.SecurityView`; the module and ``/vulns`` parts read the
store's finding rows.  A project that was not checked, or whose check failed, is said so:
nothing here ever reads as "no vulnerabilities" without a check that worked.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from urllib.parse import quote

from vendaudit.report.security import security_html
from vendaudit.service.store import VulnUse
from vendaudit.service.vulnview import EntryAcross, VulnOverview
from vendaudit.service.web.pages import NavLink, module_href, page, project_href
from vendaudit.vulns.model import SecurityVerdict, SecurityView

__all__ = ["module_vulns", "project_security", "verdict_badge", "vulns_page"]


def verdict_badge(verdict: SecurityVerdict, title: str = "") -> str:
    """A join verdict as a coloured label (``fixed-in-distro`` green, affected red…)."""
    tip = f' title="{escape(title)}"' if title else ""
    return f'<span class="sv sv-{verdict.value}"{tip}>{verdict.value}</span>'


def entry_href(entry_id: str) -> str:
    """The entry's row on ``/vulns``."""
    return "/vulns#" + quote(entry_id, safe="")


def project_security(
    name: str,
    view: SecurityView | None,
    target_ids: tuple[str, ...],
    run_id: int | None,
    ever_checked: bool,
) -> str:
    """The project page's security section (empty when no run of it ever checked)."""
    api = f'<a href="/api/v1/projects/{quote(name, safe="")}/vulns">findings (JSON)</a>'
    if view is None:
        if not ever_checked:
            return ""
        return (
            '<section id="security"><h2>Security</h2><p class="muted">Not checked in the '
            f"newest run{f' ({run_id})' if run_id else ''}: "
            "<code>vendaudit watch run --vulns</code> checks the Go vulnerability database. "
            f"{api}</p></section>"
        )
    modules = sorted({v.module for v, _ in view.findings})
    links = ", ".join(f'<a href="{module_href(m)}">{escape(m)}</a>' for m in modules)
    more = f"<p>Modules: {links}</p>" if links else ""
    return (
        f'<section id="security">{security_html(view, target_ids)}{more}'
        f'<p class="muted">run {run_id} · {api} · '
        '<a href="/vulns">across all projects</a></p></section>'
    )


def module_vulns(uses: Sequence[VulnUse], checked: int, requiring: int) -> str:
    """The module page's entries: which project, version and target each one affects.

    ``checked`` of the ``requiring`` projects' newest runs checked vulnerabilities; with
    none checked there is nothing to say (and "no entry" would be a lie).
    """
    if not uses:
        if not checked:
            return ""
        return (
            '<h2 id="vulns">Vulnerabilities</h2><p>No entry of the Go vulnerability database '
            f"affects the required versions ({checked} of {requiring} requiring "
            f"project{'s' if requiring != 1 else ''} checked).</p>"
        )
    targets = list(dict.fromkeys(u.target for u in uses))
    rows: dict[tuple[str, str, str], dict[str, VulnUse]] = {}
    for u in uses:
        rows.setdefault((u.entry_id, u.project, u.version), {})[u.target] = u
    body = []
    for (entry_id, project, version), cells in rows.items():
        first = next(iter(cells.values()))
        link = f'<a href="{entry_href(entry_id)}">{escape(entry_id)}</a>'
        if first.url:
            link += f' <a class="muted" href="{escape(first.url)}">advisory</a>'
        tds = [
            f"<td>{link}<div class=muted>{escape(' '.join(first.aliases))}</div></td>",
            f'<td><a href="{project_href(project)}">{escape(project)}</a></td>',
            f"<td><code>{escape(version)}</code></td>",
            f"<td>{escape(first.fixed or 'no fix yet')}</td>",
        ]
        for t in targets:
            c = cells.get(t)
            if c is None:
                tds.append("<td></td>")
                continue
            pkg = f" {escape(c.package)} {escape(c.packaged)}" if c.package else ""
            tds.append(f"<td>{verdict_badge(c.verdict, c.reason)}{pkg}</td>")
        body.append("<tr>" + "".join(tds) + "</tr>")
    head = "".join(f"<th>{escape(h)}</th>" for h in ["Entry", "Project", "Version", "Fixed in"])
    head += "".join(f"<th>{escape(t)}</th>" for t in targets)
    unchecked = requiring - checked
    note = (
        f'<p class="muted">{unchecked} of {requiring} requiring projects not checked or '
        "unknown (newest runs)</p>"
        if unchecked > 0
        else ""
    )
    return (
        '<h2 id="vulns">Vulnerabilities</h2>'
        f'<table id="module-vulns"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>{note}"
    )


def _fixable_cell(e: EntryAcross, target: str) -> str:
    fixable = e.fixable_in(target)
    affected = len({u.project for u in e.uses if u.target == target})
    if not affected:
        return '<td class="muted">—</td>'
    pkgs = ", ".join(escape(p) for p in e.packages_in(target))
    text = f'<b class="n">{len(fixable)}</b> of {affected}'
    return f"<td>{text}" + (f"<div class=muted>{pkgs}</div>" if pkgs else "") + "</td>"


def vulns_page(view: VulnOverview, nav: Sequence[NavLink]) -> str:
    """``/vulns``: entries affecting watched projects, those unvendoring fixes most first."""
    parts = ["<h1>Vulnerabilities</h1>"]
    status = [f"{len(view.checked)} project{'s' if len(view.checked) != 1 else ''} checked"]
    if view.not_checked:
        names = ", ".join(f'<a href="{project_href(n)}">{escape(n)}</a>' for n in view.not_checked)
        status.append(f"not checked: {names}")
    if view.unknown:
        names = ", ".join(
            f'<a href="{project_href(n)}" title="{escape(e)}">{escape(n)}</a>'
            for n, e in view.unknown
        )
        status.append(f'<span class="err">check failed (unknown): {names}</span>')
    parts.append(f'<p class="muted" id="checked">{" · ".join(status)} (newest runs)</p>')
    if not view.checked:
        parts.append(
            "<p>No project's newest run checked the Go vulnerability database: "
            "<code>vendaudit watch run --vulns</code>.</p>"
        )
        return page("Vulnerabilities", "".join(parts), nav, feed="/vulns/feed.atom")
    if not view.entries:
        parts.append("<p>No entry affects the checked projects' required modules.</p>")
        return page("Vulnerabilities", "".join(parts), nav, feed="/vulns/feed.atom")
    where = f" in {escape(view.ranked_by)}" if view.ranked_by else ""
    choices = " · ".join(
        f"<b>{escape(t)}</b>"
        if t == view.ranked_by
        else f'<a href="/vulns?target={quote(t, safe="")}">{escape(t)}</a>'
        for t in view.targets
    )
    every = "<b>any target</b>" if view.ranked_by is None else '<a href="/vulns">any target</a>'
    parts.append(
        "<p>Ranked by how many projects unvendoring onto the distro's package would fix"
        f"{where} ({SecurityVerdict.FIXED_IN_DISTRO.value}). Rank for: {every} · {choices}</p>"
    )
    head = [
        "Entry",
        "Module",
        "Fixed in",
        "Projects",
        *(f"fixed by unvendoring: {t}" for t in view.targets),
    ]
    rows = []
    for e in view.entries:
        link = f'<a href="{escape(e.url)}">{escape(e.id)}</a>' if e.url else escape(e.id)
        mods = "<br>".join(
            f'<a href="{module_href(m.rsplit("@", 1)[0])}"><code>{escape(m)}</code></a>'
            for m in e.modules
        )
        projects = ", ".join(f'<a href="{project_href(p)}">{escape(p)}</a>' for p in e.projects)
        cells = "".join(_fixable_cell(e, t) for t in view.targets)
        rows.append(
            f'<tr id="{escape(e.id)}"><td>{link}<div class=muted>{escape(" ".join(e.aliases))}'
            f"</div><div>{escape(e.summary)}</div></td><td>{mods}</td>"
            f"<td>{escape(', '.join(e.fixed) or 'no fix yet')}</td><td>{projects}</td>"
            f"{cells}</tr>"
        )
    parts.append(
        '<table id="vulns"><thead><tr>'
        + "".join(f"<th>{escape(h)}</th>" for h in head)
        + f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    parts.append(
        '<p class="muted"><a href="/api/v1/vulns">JSON</a> · '
        '<a href="/vulns/feed.atom">feed of new, fixed and fixable vulnerabilities</a></p>'
    )
    return page("Vulnerabilities", "".join(parts), nav, feed="/vulns/feed.atom")
