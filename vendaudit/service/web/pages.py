"""The service's HTML pages: pure functions of stored data to one self-contained document.

No page loads anything from elsewhere: styles are inline, charts are inline SVG, the latest
report is the report renderer's own self-contained page in a sandboxed same-origin frame.
The only script is :data:`SELFTEST_JS`, allowed by its hash in the CSP and idle unless the
URL fragment is ``#vendaudit-selftest`` (the browser tests' hook, as in the HTML report).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from urllib.parse import quote

from vendaudit.model import Verdict
from vendaudit.report.diff import ReportDiff
from vendaudit.report.formats import DiffFormat
from vendaudit.report.svg import VERDICT_COLORS
from vendaudit.service.render import security_line
from vendaudit.service.store import (
    ModuleUse,
    RunSummary,
    SecuritySummary,
    TargetCounts,
    WatchedProject,
)
from vendaudit.service.web.chart import CHART_VERDICTS, render_history_chart

__all__ = [
    "SELFTEST_JS",
    "SELFTEST_SHA256",
    "NavLink",
    "module_page",
    "overview_page",
    "page",
    "project_page",
]


@dataclass(frozen=True, slots=True)
class NavLink:
    """An entry of the page header's navigation (plug-in pages add theirs)."""

    path: str
    title: str


SELFTEST_JS = (
    "(function(){var errors=[];"
    "window.addEventListener('error',function(e){errors.push(String(e.message||e.type));},true);"
    "document.addEventListener('securitypolicyviolation',function(e){"
    "errors.push('blocked by CSP: '+e.blockedURI);});"
    "if(location.hash!=='#vendaudit-selftest')return;"
    "window.addEventListener('load',function(){"
    "var r={errors:errors,resources:performance.getEntriesByType('resource').map("
    "function(e){return e.name;})};"
    "r.charts=Array.prototype.map.call(document.querySelectorAll('svg.history'),function(s){"
    "var b=s.getBoundingClientRect();return [b.width,b.height,"
    "s.querySelectorAll('polyline').length];});"
    "r.links=Array.prototype.map.call(document.querySelectorAll('a[href]'),function(a){"
    "return a.href;});"
    "document.documentElement.setAttribute('data-selftest',JSON.stringify(r));});})();"
)
"""The pages' only script: the browser tests' self-check, inert for every visitor."""

SELFTEST_SHA256 = base64.b64encode(hashlib.sha256(SELFTEST_JS.encode()).digest()).decode()
"""Its CSP hash (``script-src 'sha256-…'``): no other inline script can run."""

_CSS = """
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--alt:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;padding:20px 32px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,
Arial,sans-serif;color:var(--fg)}
header nav{display:flex;gap:16px;align-items:baseline;border-bottom:1px solid var(--line);
padding-bottom:8px;margin-bottom:16px}header nav strong{font-size:16px}
a{color:#0969da}h1{font-size:21px;margin:0 0 6px}h2{font-size:16px;margin:24px 0 8px}
table{border-collapse:collapse}th,td{text-align:left;padding:4px 10px;
border-bottom:1px solid var(--line);vertical-align:top}
tbody tr:nth-child(even){background:var(--alt)}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
pre{background:var(--alt);padding:8px;border-radius:6px;overflow:auto;max-height:480px}
.muted{color:var(--muted)}.n{font-variant-numeric:tabular-nums;white-space:nowrap}
.up{color:#1a7f37}.down{color:#cf222e}.err{color:#cf222e}
.badge{display:inline-block;border-radius:10px;padding:0 7px;font-size:12px;color:#fff}
.chart{margin:0}.chart svg{display:block;margin-bottom:6px}
.chart text{font:11px ui-monospace,Menlo,Consolas,monospace;fill:var(--fg)}
.chart .a{fill:var(--muted)}
.legend{display:flex;gap:14px;color:var(--muted);font-size:13px}
.legend i{display:inline-block;width:12px;height:3px;border-top:3px solid;margin-right:5px;
vertical-align:3px}
iframe{width:100%;height:900px;border:1px solid var(--line);border-radius:8px}
ul.changes{margin:4px 0 12px}
.sv{white-space:nowrap}.sv-fixed-in-distro{color:#1a7f37}.sv-affected-in-distro{color:#cf222e}
.sv-unknown,.sv-not-packaged,.sv-no-fix-yet{color:var(--muted)}
#security .pkg{color:var(--muted);font-size:12px}#security .error{color:#cf222e}
#security .note{color:var(--muted)}
"""

DEFAULT_NAV: tuple[NavLink, ...] = (
    NavLink("/", "Overview"),
    NavLink("/vulns", "Vulnerabilities"),
    NavLink("/feed.atom", "Feed"),
    NavLink("/api/v1/openapi.json", "API"),
)


def page(
    title: str, body: str, nav: Sequence[NavLink] = DEFAULT_NAV, feed: str | None = None
) -> str:
    """A whole document around ``body`` (already escaped HTML)."""
    links = "".join(f'<a href="{escape(n.path)}">{escape(n.title)}</a>' for n in nav)
    alt = (
        f'<link rel="alternate" type="application/atom+xml" href="{escape(feed)}">' if feed else ""
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} · vendaudit</title>{alt}<style>{_CSS}</style></head><body>"
        f"<header><nav><strong>vendaudit</strong>{links}</nav></header>"
        f"<main>{body}</main><script>{SELFTEST_JS}</script></body></html>\n"
    )


def project_href(name: str) -> str:
    """The project page's path."""
    return "/projects/" + quote(name, safe="")


def module_href(path: str) -> str:
    """The module page's path (module paths keep their slashes)."""
    return "/modules/" + quote(path, safe="/")


def _delta(now: int, before: int | None, good: bool) -> str:
    if before is None or now == before:
        return ""
    d = now - before
    better = (d > 0) == good
    return f' <span class="{"up" if better else "down"}">{d:+d}</span>'


def _counts_cell(now: TargetCounts | None, before: TargetCounts | None) -> str:
    if now is None:
        return '<td class="muted">—</td>'
    if now.error:
        title = escape(now.error)
        return f'<td class="err" title="{title}">failed to load</td>'
    parts = []
    for v in CHART_VERDICTS:
        n = now.count(v)
        prev = before.count(v) if before is not None else None
        color = VERDICT_COLORS[v]
        parts.append(
            f'<span class="n" data-verdict="{v.value}"><b style="color:{color}">{n}</b> '
            f"{v.value}{_delta(n, prev, v is Verdict.SATISFIED)}</span>"
        )
    return "<td>" + " · ".join(parts) + f' <span class="muted">/ {now.total}</span></td>'


def _security_cell(name: str, now: SecuritySummary | None, before: SecuritySummary | None) -> str:
    if now is None:
        return '<td class="muted" data-security="not-checked">not checked</td>'
    if not now.known:
        return (
            f'<td class="err" data-security="unknown" title="{escape(now.error or "")}">'
            "unknown (check failed)</td>"
        )
    prev = before.vulnerable_modules if before is not None and before.known else None
    href = project_href(name) + "#security"
    return (
        f'<td data-security="ok"><a href="{href}">{escape(security_line(now))}</a>'
        f"{_delta(now.vulnerable_modules, prev, False)}</td>"
    )


def overview_page(
    watched: Sequence[WatchedProject],
    latest: Mapping[str, Sequence[RunSummary]],
    nav: Sequence[NavLink] = DEFAULT_NAV,
) -> str:
    """Projects × targets: the newest counts and the change since the run before."""
    targets: list[str] = []
    for p in watched:
        targets += [t for t in p.targets if t not in targets]
    head = "".join(f"<th>{escape(t)}</th>" for t in targets)
    # The column appears once any project's newest run checked vulnerabilities.
    security = any(runs and runs[0].security is not None for runs in latest.values())
    if security:
        head = "<th>Vulnerabilities</th>" + head
    rows = []
    for p in watched:
        runs = latest.get(p.name, [])
        now = runs[0] if runs else None
        before = runs[1] if len(runs) > 1 else None
        cells = "".join(
            _counts_cell(
                now.counts_for(t) if now else None, before.counts_for(t) if before else None
            )
            for t in targets
        )
        when = escape(now.finished_at) if now else '<span class="muted">never run</span>'
        if security:
            cells = (
                _security_cell(
                    p.name, now.security if now else None, before.security if before else None
                )
                + cells
            )
        rows.append(
            f'<tr><td><a href="{project_href(p.name)}">{escape(p.name)}</a></td>'
            f"<td class=n>{when}</td>{cells}</tr>"
        )
    if not watched:
        body = (
            "<h1>Watched projects</h1><p>Nothing watched yet: "
            "<code>vendaudit watch add MANIFEST --name NAME --distro debian:sid</code></p>"
        )
    else:
        body = (
            f"<h1>Watched projects</h1><p class=muted>{len(watched)} projects · "
            "counts of the newest run, change since the run before</p>"
            f'<table id="overview"><thead><tr><th>Project</th><th>Last run</th>{head}</tr>'
            f"</thead><tbody>{''.join(rows)}</tbody></table>"
        )
    return page("Overview", body, nav, feed="/feed.atom")


def project_page(
    project: WatchedProject,
    runs: Sequence[RunSummary],
    diff: ReportDiff | None,
    latest_run: int | None,
    nav: Sequence[NavLink] = DEFAULT_NAV,
    security: str = "",
) -> str:
    """History chart, the diff against the previous run, recent changes, the latest report.

    ``security`` is the security section's HTML (see :mod:`.vulnpages`), after the chart.
    """
    name = escape(project.name)
    feed = project_href(project.name) + "/feed.atom"
    parts = [
        f"<h1>{name}</h1>",
        f"<p class=muted><code>{escape(project.manifest)}</code> · {len(runs)} runs · "
        f'<a href="{feed}">feed</a> · '
        f'<a href="/api/v1/projects/{quote(project.name, safe="")}/runs">runs (JSON)</a></p>',
        "<h2>History</h2>",
        render_history_chart(project.targets, runs),
        security,
        "<h2>Since the previous run</h2>",
    ]
    if diff is None:
        parts.append('<p class="muted">Only one successful run so far.</p>')
    else:
        parts.append(f'<pre id="diff">{escape(DiffFormat.TABLE.render(diff))}</pre>')
    changed = [r for r in runs if r.changes or r.error][:20]
    if changed:
        parts.append("<h2>Recent changes</h2>")
        for r in changed:
            items = "".join(f"<li>{escape(c)}</li>" for c in r.changes)
            if r.error:
                items += f'<li class="err">run failed: {escape(r.error)}</li>'
            parts.append(
                f'<p id="run-{r.id}" class="n">run {r.id} · {escape(r.finished_at)}</p>'
                f'<ul class="changes">{items}</ul>'
            )
    parts.append("<h2>Latest report</h2>")
    if latest_run is None:
        parts.append('<p class="muted">No report yet.</p>')
    else:
        src = f"/runs/{latest_run}/report.html"
        parts.append(
            f'<p><a href="{src}">open run {latest_run} full page</a> · '
            f'<a href="/api/v1/runs/{latest_run}/report">JSON</a></p>'
            f'<iframe title="latest report" sandbox="allow-scripts" src="{src}"></iframe>'
        )
    return page(project.name, "".join(parts), nav, feed=feed)


def module_page(
    module: str,
    uses: Sequence[ModuleUse],
    nav: Sequence[NavLink] = DEFAULT_NAV,
    vulns: str = "",
) -> str:
    """Which watched projects require ``module``, at which versions, and its status per target.

    ``vulns`` is the HTML of the entries affecting it (see :mod:`.vulnpages`).
    """
    title = escape(module)
    if not uses:
        body = f"<h1>{title}</h1><p>No watched project requires this module (newest runs).</p>"
        return page(module, body + vulns, nav)
    rows = []
    for u in uses:
        color = VERDICT_COLORS[u.verdict]
        pkg = f"{escape(u.package)} {escape(u.package_version or '')}" if u.package else ""
        rows.append(
            f'<tr><td><a href="{project_href(u.project)}">{escape(u.project)}</a></td>'
            f"<td><code>{escape(u.version)}</code></td><td>{escape(u.target)}</td>"
            f'<td><span class="badge" style="background:{color}">{u.verdict.value}</span></td>'
            f"<td>{pkg}</td></tr>"
        )
    projects = len({u.project for u in uses})
    versions = len({u.version for u in uses})
    body = (
        f"<h1>{title}</h1><p class=muted>required by {projects} watched "
        f"project{'s' if projects != 1 else ''} at {versions} version"
        f"{'s' if versions != 1 else ''}</p>"
        '<table id="uses"><thead><tr><th>Project</th><th>Version</th><th>Target</th>'
        f"<th>Verdict</th><th>Package</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    return page(module, body + vulns, nav)
