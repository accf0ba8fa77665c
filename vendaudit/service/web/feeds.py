"""Atom feeds of changes: one entry per run that changed something (RFC 4287)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from urllib.parse import quote
from xml.sax.saxutils import escape

from vendaudit.service.store import RunSummary

__all__ = ["render_feed", "security_changes"]

_SECURITY_PREFIXES = ("new vulnerability: ", "vulnerability fixed: ", "vulnerability fixable ")


def is_security_line(line: str) -> bool:
    """True for the vulnerability check's change lines (new, fixed, fixable)."""
    return line.startswith(_SECURITY_PREFIXES)


def security_changes(runs: Sequence[RunSummary]) -> list[RunSummary]:
    """``runs`` with only their vulnerability lines (runs without one are dropped)."""
    out = []
    for r in runs:
        lines = tuple(c for c in r.changes if is_security_line(c))
        if lines:
            out.append(dataclasses.replace(r, changes=lines))
    return out


def render_feed(title: str, base_url: str, self_path: str, runs: Sequence[RunSummary]) -> str:
    """An Atom document for ``runs`` (newest first); ids are stable ``tag:`` URIs per run."""
    base = base_url.rstrip("/")
    updated = runs[0].finished_at if runs else "1970-01-01T00:00:00Z"
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<title>{escape(title)}</title>",
        f"<id>{escape(base + self_path)}</id>",
        f'<link rel="self" href="{escape(base + self_path)}"/>',
        f'<link href="{escape(base)}/"/>',
        f"<updated>{updated}</updated>",
        "<author><name>vendaudit</name></author>",
    ]
    for r in runs:
        link = f"{base}/projects/{quote(r.project, safe='')}#run-{r.id}"
        head = r.changes[0] if len(r.changes) == 1 else f"{len(r.changes)} changes"
        body = "\n".join(r.changes)
        # Readers can filter on it: a line of the vulnerability check changed.
        security = any(is_security_line(c) for c in r.changes)
        out += [
            "<entry>",
            f"<title>{escape(r.project)}: {escape(head)}</title>",
            f"<id>tag:vendaudit,{r.finished_at[:10]}:run/{r.id}</id>",
            f'<link href="{escape(link)}"/>',
            f"<updated>{r.finished_at}</updated>",
            *(['<category term="security"/>'] if security else []),
            f'<content type="text">{escape(body)}</content>',
            "</entry>",
        ]
    out.append("</feed>")
    return "\n".join(out) + "\n"
