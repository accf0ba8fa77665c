"""JSON, Markdown and HTML for the archive view (one view-model, three renderers)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from vendaudit.report.model import VERDICT_ORDER, TargetSummary
from vendaudit.sweep.aggregate import (
    ARCHIVE_SCHEMA_VERSION,
    AppRow,
    ArchiveView,
    OutdatedPackage,
    WantedModule,
)

__all__ = [
    "ARCHIVE_FORMATS",
    "ArchiveFormatError",
    "archive_body",
    "archive_from_dict",
    "load_archive",
    "render_archive",
    "to_archive_dict",
]

ARCHIVE_FORMATS = ("json", "markdown", "html")
"""The formats ``vendaudit sweep --format`` accepts."""


def _wanted(w: WantedModule) -> dict[str, Any]:
    return {
        "module": w.module,
        "name": w.name,
        "applications": len(w.apps),
        "required_lowest": w.lowest,
        "required_highest": w.highest,
        "apps": list(w.apps),
    }


def _outdated(o: OutdatedPackage) -> dict[str, Any]:
    return {
        "package": o.package,
        "packaged": o.packaged,
        "applications": len(o.apps),
        "highest_needed": o.highest_needed,
        "needed": [{"module": m, "version": v} for m, v in o.needed],
        "apps": list(o.apps),
    }


def to_archive_dict(view: ArchiveView) -> dict[str, Any]:
    """The archive view as a JSON-ready dict (``kind: vendaudit-archive``)."""
    return {
        "schema_version": view.schema_version,
        "kind": "vendaudit-archive",
        "generated_at": view.generated_at,
        "rule": view.rule,
        "targets": list(view.targets),
        "target_errors": dict(view.target_errors),
        "summary": {"applications": len(view.apps), "audited": view.audited},
        "most_wanted": {t: [_wanted(w) for w in view.missing_for(t)] for t in view.targets},
        "most_outdated": {t: [_outdated(o) for o in view.outdated_for(t)] for t in view.targets},
        "applications": [
            {
                "source": a.source,
                "version": a.version,
                "manifest": a.manifest,
                "main_module": a.main_module,
                "error": a.error,
                "report": a.report,
                "counts": {
                    tid: {v.value: s.count(v) for v in VERDICT_ORDER} | {"total": s.total}
                    for tid, s in a.summary
                },
                "plan": {
                    tid: {
                        "create": list(dict(a.create).get(tid, ())),
                        "update": list(dict(a.update).get(tid, ())),
                    }
                    for tid, _ in a.summary
                },
            }
            for a in view.apps
        ],
    }


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _apps_list(apps: tuple[str, ...], limit: int = 8) -> str:
    shown = ", ".join(apps[:limit])
    return shown + (f", … (+{len(apps) - limit})" if len(apps) > limit else "")


@dataclass(frozen=True, slots=True)
class _Ranked:
    """One ranked table of a target, for both the Markdown and the HTML renderer."""

    title: str
    columns: tuple[str, ...]
    """Headers after the rank column ``#``."""
    rows: tuple[tuple[str, ...], ...]
    empty: str
    code: frozenset[int] = frozenset({0, 1})
    """Columns shown as code (module and package names)."""
    numeric: frozenset[int] = frozenset({2})
    """Right-aligned columns (counts)."""


def _ranked(view: ArchiveView, tid: str) -> tuple[_Ranked, _Ranked]:
    """The two ranked tables of ``tid``: most-wanted missing modules, most-needed updates."""
    missing = _Ranked(
        "Most wanted: missing modules",
        ("module", "package to create", "apps", "required", "applications"),
        tuple(
            (
                w.module,
                w.name,
                str(len(w.apps)),
                w.lowest if w.lowest == w.highest else f"{w.lowest} … {w.highest}",
                _apps_list(w.apps),
            )
            for w in view.missing_for(tid)
        ),
        "Nothing missing.",
    )
    outdated = _Ranked(
        "Most needed newer: outdated packages",
        ("package", "packaged", "apps", "highest needed", "applications"),
        tuple(
            (o.package, o.packaged, str(len(o.apps)), o.highest_needed, _apps_list(o.apps))
            for o in view.outdated_for(tid)
        ),
        "Nothing outdated.",
        code=frozenset({0}),
    )
    return missing, outdated


def _markdown_table(table: _Ranked, limit: int) -> list[str]:
    def cell(i: int, text: str) -> str:
        return f"`{text}`" if i in table.code else _md_cell(text)

    align = ["---:" if i in table.numeric else "---" for i in range(len(table.columns))]
    lines = ["| # | " + " | ".join(table.columns) + " |", "| ---: | " + " | ".join(align) + " |"]
    for rank, row in enumerate(table.rows[:limit], 1):
        lines.append(f"| {rank} | " + " | ".join(cell(i, c) for i, c in enumerate(row)) + " |")
    return lines


def _html_table(table: _Ranked, limit: int) -> str:
    def cell(i: int, text: str) -> str:
        inner = f"<code>{escape(text)}</code>" if i in table.code else escape(text)
        return f"<td class=n>{inner}" if i in table.numeric else f"<td>{inner}"

    head = "".join(f"<th>{escape(c)}" for c in table.columns)
    rows = "".join(
        f"<tr><td class=n>{rank}" + "".join(cell(i, c) for i, c in enumerate(row)) + "</tr>"
        for rank, row in enumerate(table.rows[:limit], 1)
    )
    return f"<table><tr><th>#{head}</tr>{rows}</table>"


def _markdown(view: ArchiveView, limit: int) -> str:
    out = [
        "# Archive-wide view",
        "",
        f"{len(view.apps)} applications, {view.audited} audited. Rule: {view.rule}",
        "",
    ]
    errors = dict(view.target_errors)
    for tid in view.targets:
        out.append(f"## {tid}")
        out.append("")
        if tid in errors:
            out += [f"**Not loaded:** {_md_cell(errors[tid])} — every verdict is unknown.", ""]
            continue
        for table in _ranked(view, tid):
            out += [f"### {table.title} ({len(table.rows)})", ""]
            out += _markdown_table(table, limit) if table.rows else [table.empty]
            out.append("")
    out += [
        "## Applications",
        "",
        "| application | version | " + " | ".join(view.targets) + " |",
        "| --- | --- | " + " | ".join("---" for _ in view.targets) + " |",
    ]
    for a in view.apps:
        if a.error is not None:
            cells = [f"not audited: {_md_cell(a.error)}"] + [""] * (len(view.targets) - 1)
        else:
            summary = dict(a.summary)
            cells = [summary[t].headline() if t in summary else "" for t in view.targets]
        out.append(f"| {a.source} | {a.version} | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


_CSS = """
body{margin:0;padding:24px 32px;font:14px/1.45 system-ui,sans-serif;color:#1f2328}
h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #d1d9e0;margin-top:28px}
h3{font-size:15px}table{border-collapse:collapse;width:100%;margin-bottom:16px}
th,td{border:1px solid #d1d9e0;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.n{text-align:right}code{font-size:12.5px}
.muted{color:#59636e}.error{color:#cf222e}
"""


def archive_body(view: ArchiveView, limit: int = 50) -> str:
    """The page's body HTML (no ``<html>``/``<head>``): the service wraps it in its layout."""
    e = escape
    parts = [
        "<h1>Archive-wide view</h1>",
        f"<p class=muted>{len(view.apps)} applications, {view.audited} audited; "
        f"generated {e(view.generated_at)}.<br>Rule: {e(view.rule)}</p>",
    ]
    errors = dict(view.target_errors)
    for tid in view.targets:
        parts.append(f"<h2 id='{e(tid)}'>{e(tid)}</h2>")
        if tid in errors:
            parts.append(
                f"<p class=error>Not loaded: {e(errors[tid])}; every verdict is unknown.</p>"
            )
            continue
        for table in _ranked(view, tid):
            parts.append(f"<h3>{e(table.title)} ({len(table.rows)})</h3>")
            parts.append(_html_table(table, limit) if table.rows else f"<p>{e(table.empty)}</p>")
    parts.append("<h2>Applications</h2><table><tr><th>application<th>version")
    parts += [f"<th>{e(t)}" for t in view.targets]
    parts.append("</tr>")
    for a in view.apps:
        parts.append(f"<tr><td>{e(a.source)}<td>{e(a.version)}")
        if a.error is not None:
            parts.append(f"<td class=error colspan={len(view.targets)}>not audited: {e(a.error)}")
        else:
            summary = dict(a.summary)
            parts += [
                f"<td>{e(summary[t].headline()) if t in summary else ''}" for t in view.targets
            ]
        parts.append("</tr>")
    parts.append("</table>")
    return "".join(parts)


def _html(view: ArchiveView, limit: int) -> str:
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width,initial-scale=1'>"
        f"<title>vendaudit: archive-wide view</title><style>{_CSS}</style></head><body>"
        f"{archive_body(view, limit)}</body></html>\n"
    )


def render_archive(view: ArchiveView, fmt: str, *, limit: int = 50) -> str:
    """``view`` in ``fmt`` (one of :data:`ARCHIVE_FORMATS`); tables show the top ``limit``."""
    if fmt == "json":
        return json.dumps(to_archive_dict(view), indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return _markdown(view, limit)
    if fmt == "html":
        return _html(view, limit)
    raise ValueError(f"unknown archive format {fmt!r} (use {', '.join(ARCHIVE_FORMATS)})")


class ArchiveFormatError(ValueError):
    """A stored archive view cannot be read; the message starts with the file name."""


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {type(value).__name__}")
    return value


def _strs(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise TypeError(f"expected a list, got {type(value).__name__}")
    return tuple(_str(v) for v in value)


def archive_from_dict(doc: Any) -> ArchiveView:
    """The inverse of :func:`to_archive_dict` (``ValueError``/``TypeError`` on bad input)."""
    if not isinstance(doc, dict) or doc.get("kind") != "vendaudit-archive":
        raise ValueError("not a vendaudit archive view (kind != vendaudit-archive)")
    if doc.get("schema_version") != ARCHIVE_SCHEMA_VERSION:
        raise ValueError(f"unsupported schema_version {doc.get('schema_version')!r}")
    targets = _strs(doc["targets"])
    apps = []
    for a in doc["applications"]:
        counts = a.get("counts") or {}
        summary = tuple(
            (
                tid,
                TargetSummary(
                    tuple((v, int(c.get(v.value, 0))) for v in VERDICT_ORDER), int(c["total"])
                ),
            )
            for tid, c in counts.items()
        )
        plan = a.get("plan") or {}
        apps.append(
            AppRow(
                source=_str(a["source"]),
                version=_str(a["version"]),
                manifest=a.get("manifest"),
                main_module=_str(a["main_module"]),
                error=a.get("error"),
                summary=summary,
                create=tuple((t, _strs(p["create"])) for t, p in plan.items()),
                update=tuple((t, _strs(p["update"])) for t, p in plan.items()),
                report=a.get("report"),
            )
        )
    missing = tuple(
        (
            t,
            tuple(
                WantedModule(
                    _str(w["module"]),
                    _str(w["name"]),
                    _strs(w["apps"]),
                    _str(w["required_lowest"]),
                    _str(w["required_highest"]),
                )
                for w in doc["most_wanted"].get(t, [])
            ),
        )
        for t in targets
    )
    outdated = tuple(
        (
            t,
            tuple(
                OutdatedPackage(
                    _str(o["package"]),
                    _str(o["packaged"]),
                    _strs(o["apps"]),
                    tuple((_str(n["module"]), _str(n["version"])) for n in o["needed"]),
                )
                for o in doc["most_outdated"].get(t, [])
            ),
        )
        for t in targets
    )
    errors = doc.get("target_errors") or {}
    return ArchiveView(
        generated_at=_str(doc["generated_at"]),
        rule=_str(doc["rule"]),
        targets=targets,
        apps=tuple(apps),
        missing=missing,
        outdated=outdated,
        target_errors=tuple((_str(k), _str(v)) for k, v in errors.items()),
    )


def load_archive(path: Path) -> ArchiveView:
    """Read an ``archive.json`` written by ``vendaudit sweep``."""
    try:
        return archive_from_dict(json.loads(path.read_bytes()))
    except OSError as exc:
        raise ArchiveFormatError(f"{path}: {exc.strerror or exc}") from exc
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        raise ArchiveFormatError(f"{path}: not a readable archive view: {exc}") from exc
