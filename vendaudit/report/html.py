"""One self-contained HTML file: summary, packaging graph, sortable module table, plans.

Everything is inline (CSS, JS, SVG) and the page makes no request at all: no web fonts,
no CDN, no images.  The browser test checks that with the page's own self-test hook, which
runs only when the URL fragment is ``#vendaudit-selftest``.
"""

from __future__ import annotations

from html import escape

from vendaudit.model import Verdict
from vendaudit.report.model import (
    VERDICT_ORDER,
    WORST_FIRST,
    ModuleRow,
    Report,
    TargetRow,
    plural,
)
from vendaudit.report.svg import VERDICT_COLORS, render_svg

__all__ = ["render_html"]

# Sort key of a verdict cell: worst first when sorting ascending, like the Markdown tables.
_SORT_RANK = {v: i for i, v in enumerate(WORST_FIRST)}

_CSS = """
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--alt:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;padding:24px 32px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",
Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 10px;
border-bottom:1px solid var(--line);padding-bottom:4px}
.meta{color:var(--muted);margin:0}code,pre,.mono{font-family:ui-monospace,SFMono-Regular,
Menlo,Consolas,"Liberation Mono",monospace;font-size:12.5px}
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 14px;min-width:220px;
flex:1 1 220px;max-width:360px}
.card{overflow-wrap:anywhere}.card h3{margin:0;font-size:15px}
.card.failed{border-color:#cf222e;background:#fff5f5}
.card .status{margin:0 0 6px;font-size:12.5px;color:var(--muted)}
.counts{display:flex;flex-wrap:wrap;gap:4px 10px;margin:4px 0}
.error{color:#cf222e}.note{color:var(--muted);font-size:13px;margin:4px 0}
.badge{display:inline-block;border-radius:10px;padding:0 7px;font-size:12px;color:#fff;
white-space:nowrap}
.graph{margin:0}.graph-scroll{overflow:auto;max-height:720px;border:1px solid var(--line);
border-radius:8px;background:var(--alt)}
.graph svg{display:block}.graph text{font:11px ui-monospace,SFMono-Regular,Menlo,Consolas,
monospace;fill:var(--fg)}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;margin-top:8px;color:var(--muted);font-size:13px}
.legend i{display:inline-block;width:12px;height:12px;border:2px solid;border-radius:3px;
margin-right:5px;vertical-align:-2px}
.controls{display:flex;gap:12px;align-items:center;margin-bottom:8px;flex-wrap:wrap}
.controls input{padding:4px 8px;min-width:260px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
tbody tr:nth-child(even){background:var(--alt)}
th button{all:unset;cursor:pointer;font-weight:600}
th[aria-sort=ascending] button::after{content:" ▲"}
th[aria-sort=descending] button::after{content:" ▼"}
td .pkg{color:var(--muted);font-size:12px}td.ver{overflow-wrap:anywhere;max-width:17em}
.table-scroll{overflow-x:auto}
details{border:1px solid var(--line);border-radius:8px;padding:6px 12px;margin:8px 0}
summary{cursor:pointer;font-weight:600}
pre{background:var(--alt);padding:8px;border-radius:6px;overflow:auto}
footer{margin-top:32px;color:var(--muted);font-size:12px}
"""

_JS = r"""
(function(){
  var errors=[];
  window.addEventListener('error',function(e){errors.push(String(e.message||e.type));},true);
  // The CSP forbids every fetch; a blocked one is reported here (and fails the browser test).
  document.addEventListener('securitypolicyviolation',function(e){
    errors.push('blocked by CSP: '+e.blockedURI);});
  function key(row,idx){var c=row.children[idx];return c.getAttribute('data-sort')||c.textContent;}
  function sortBy(th){
    var table=th.closest('table'),body=table.tBodies[0];
    var idx=Array.prototype.indexOf.call(th.parentNode.children,th);
    var dir=th.getAttribute('aria-sort')==='ascending'?-1:1;
    var rows=Array.prototype.slice.call(body.rows);
    rows.sort(function(a,b){var x=key(a,idx),y=key(b,idx);
      return (x<y?-1:x>y?1:0)*dir;});
    rows.forEach(function(r){body.appendChild(r);});
    Array.prototype.forEach.call(th.parentNode.children,function(h){h.removeAttribute('aria-sort');});
    th.setAttribute('aria-sort',dir===1?'ascending':'descending');
  }
  function filter(){
    var v=document.getElementById('verdict-filter').value;
    var q=document.getElementById('search').value.toLowerCase();
    var rows=document.querySelectorAll('#modules tbody tr'),shown=0;
    Array.prototype.forEach.call(rows,function(r){
      var ok=(!v||(' '+r.getAttribute('data-verdicts')+' ').indexOf(' '+v+' ')>=0)&&
        r.getAttribute('data-module').toLowerCase().indexOf(q)>=0;
      r.hidden=!ok;if(ok)shown++;});
    document.getElementById('shown').textContent=shown+' of '+rows.length+' modules';
  }
  document.querySelectorAll('#modules th button').forEach(function(b){
    b.addEventListener('click',function(){sortBy(b.parentNode);});});
  var f=document.getElementById('verdict-filter');if(f){f.addEventListener('change',filter);
    document.getElementById('search').addEventListener('input',filter);}
  if(location.hash!=='#vendaudit-selftest')return;
  // Test hook for tests/report/test_browser.py: results go into a data attribute that
  // `chromium --dump-dom` prints.  Never runs for a normal visitor.
  window.addEventListener('load',function(){
    var r={errors:errors,resources:performance.getEntriesByType('resource').map(function(e){
      return e.name;})};
    var svg=document.querySelector('#graph svg');
    var box=svg?svg.getBoundingClientRect():null;
    r.svg=box?[box.width,box.height]:null;
    r.nodes=svg?svg.querySelectorAll('g.node').length:0;
    var first=function(){var row=document.querySelector('#modules tbody tr');
      return row?row.getAttribute('data-module'):null;};
    var ths=document.querySelectorAll('#modules th button');
    r.first=[first()];
    if(ths.length){ths[0].click();r.first.push(first());ths[0].click();r.first.push(first());
      if(ths.length>3){ths[3].click();r.first.push(first());}}
    if(f){f.value='missing';f.dispatchEvent(new Event('change'));
      r.shown=document.getElementById('shown').textContent;}
    document.documentElement.setAttribute('data-selftest',JSON.stringify(r));
  });
})();
"""


def _badge(verdict: Verdict, text: str | None = None) -> str:
    return (
        f'<span class="badge v-{verdict.value}" style="background:{VERDICT_COLORS[verdict]}">'
        f"{escape(text or verdict.value)}</span>"
    )


def _card(report: Report, t: TargetRow) -> str:
    s = report.summary_for(t.id)
    counts = (
        "".join(f"<span>{_badge(v, f'{n} {v.value}')}</span>" for v, n in s.counts if n)
        or "<span>no modules</span>"
    )
    status = "failed" if t.error else s.headline()
    body = [
        f'<div class="card{" failed" if t.error else ""}" data-target="{escape(t.id)}">',
        f'<h3>{escape(t.id)}</h3><p class="status">{escape(status)}</p>',
        f'<div class="counts">{counts}</div>',
    ]
    if t.error:
        body.append(f'<p class="error">Target failed: {escape(t.error)}</p>')
    body += [f'<p class="note">{escape(n)}</p>' for n in t.notes]
    if t.source:
        body.append(f'<p class="note">Source: {escape(t.source)} · {t.packages} packages</p>')
    body.append("</div>")
    return "".join(body)


def _row(report: Report, m: ModuleRow) -> str:
    verdicts = sorted({c.verdict.value for _, c in m.results})
    cells = [
        f'<td class="mono">{escape(m.path)}</td>',
        f'<td class="mono ver">{escape(m.display_version())}</td>',
        f"<td>{'indirect' if m.indirect else 'direct'}</td>",
    ]
    for tid in report.target_ids:
        c = m.result(tid)
        if c is None:
            cells.append('<td data-sort="9"></td>')
            continue
        pkg = ""
        if c.package is not None:
            pkg = f'<div class="pkg">{escape(c.package.binary)} {escape(c.package.version)}</div>'
        cells.append(
            f'<td data-sort="{_SORT_RANK[c.verdict]} {escape(m.path)}" '
            f'title="{escape(c.reason)}">{_badge(c.verdict, c.label())}{pkg}</td>'
        )
    return (
        f'<tr data-module="{escape(m.path)}" data-verdicts="{" ".join(verdicts)}">'
        + "".join(cells)
        + "</tr>"
    )


def _modules(report: Report) -> str:
    if not report.modules:
        return "<p>No modules.</p>"
    options = "".join(f'<option value="{v.value}">{v.value}</option>' for v in VERDICT_ORDER)
    heads = ["module", "version", "dependency", *report.target_ids]
    return (
        '<div class="controls"><label>Verdict in any target: <select id="verdict-filter">'
        f'<option value="">any</option>{options}</select></label>'
        '<input id="search" type="search" placeholder="Filter modules…" aria-label="Filter">'
        f'<span id="shown" class="note">{len(report.modules)} of {len(report.modules)} '
        "modules</span></div>"
        '<div class="table-scroll"><table id="modules"><thead><tr>'
        + "".join(f'<th><button type="button">{escape(h)}</button></th>' for h in heads)
        + "</tr></thead><tbody>"
        + "".join(_row(report, m) for m in report.modules)
        + "</tbody></table></div>"
    )


def _plans(report: Report) -> str:
    out: list[str] = []
    for t in report.targets:
        plan = report.plan(t.id)
        blocks = [s for s in plan.sections() if s.lines]
        if not blocks and not plan.notes:
            continue
        out.append(f"<details open><summary>{escape(t.id)}</summary>")
        for block in blocks:
            text = escape(chr(10).join(block.lines))
            out.append(f"<h4>{escape(block.title)}</h4><pre>{text}</pre>")
        out += [f'<p class="note">{escape(n)}</p>' for n in plan.notes]
        out.append("</details>")
    return "".join(out) or "<p>Nothing to do.</p>"


def _licenses(report: Report) -> str:
    lic = report.licenses
    if lic is None:
        return ""
    rows = "".join(
        f'<tr><td class="mono">{escape(r.path)}</td><td>{escape(r.spdx or "unrecognised")}</td>'
        f'<td class="mono">{escape(", ".join(r.files))}</td><td>{escape(r.note)}</td></tr>'
        for r in lic.per_module
    )
    extra = ""
    if lic.missing:
        extra += f'<p class="note">No licence file: {escape(", ".join(lic.missing))}</p>'
    return (
        f"<h2>Licences</h2><p>Combined: <code>{escape(lic.expression)}</code></p>{extra}"
        "<table><thead><tr><th>module</th><th>SPDX</th><th>files</th><th>note</th></tr>"
        f"</thead><tbody>{rows}</tbody></table>"
    )


def _security(report: Report) -> str:
    if report.security is None:
        return ""
    from vendaudit.report.security import security_html

    return security_html(report.security, report.target_ids)


def render_html(report: Report) -> str:
    """The whole report as one HTML document that needs nothing else to display."""
    p = report.project
    title = f"vendaudit: {p.main_module or p.manifest}"
    cards = "".join(_card(report, t) for t in report.targets) or "<p>No distro targets.</p>"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        # A strict CSP is the belt to the test's braces: even a future template slip
        # cannot make the page fetch anything.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{escape(title)}</h1>"
        f'<p class="meta"><code>{escape(p.manifest)}</code> · go {escape(p.go)} · '
        f"{plural(len(report.modules), 'module')} · {escape(report.tool.name)} "
        f"{escape(report.tool.version)} · {escape(report.generated_at)}</p></header>"
        f'<h2>Targets</h2><section class="cards">{cards}</section>'
        f"<h2>Packaging graph</h2>{render_svg(report)}"
        f"<h2>Modules</h2>{_modules(report)}"
        f"<h2>Plans</h2>{_plans(report)}"
        f"{_licenses(report)}"
        f"{_security(report)}"
        f"<footer>Generated by {escape(report.tool.name)} {escape(report.tool.version)}; "
        f"JSON schema_version {report.schema_version}.</footer>"
        f"<script>{_JS}</script></body></html>\n"
    )
