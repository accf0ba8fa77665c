"""Stored runs as JSON documents and text tables (shared by ``history`` and ``/api/v1``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vendaudit.service.store import COUNT_COLUMNS, RunSummary, SecuritySummary, WatchedProject
from vendaudit.vulns.model import SecurityVerdict

__all__ = [
    "API_SCHEMA_VERSION",
    "history_json",
    "history_table",
    "project_json",
    "run_json",
    "security_line",
    "security_summary_json",
]

API_SCHEMA_VERSION = 1
"""Version of the run / project / history documents (the report keeps its own)."""


def security_summary_json(s: SecuritySummary) -> dict[str, Any]:
    """A run's vulnerability check, counted: ``status`` ok or unknown (then no counts)."""
    known = s.known
    return {
        "status": s.status,
        "error": s.error,
        "database": s.database,
        "modified": s.modified,
        "vulnerable_modules": s.vulnerable_modules if known else None,
        "findings": s.findings if known else None,
        "targets": {t: {v.value: n for v, n in counts} for t, counts in s.verdicts},
    }


def security_line(s: SecuritySummary) -> str:
    """``3 vulnerable modules (4 entries); fixed-in-distro: 2 in bookworm`` (or unknown)."""
    if not s.known:
        return f"vulnerabilities unknown: {s.error}"
    n = s.vulnerable_modules
    text = f"{n} vulnerable module{'s' if n != 1 else ''}"
    if s.findings != n:
        text += f" ({s.findings} entries)"
    fixable = [f"{s.fixable(t)} in {t.split(':', 1)[-1]}" for t, _ in s.verdicts if s.fixable(t)]
    if fixable:
        text += f"; {SecurityVerdict.FIXED_IN_DISTRO.value}: {', '.join(fixable)}"
    return text


def run_json(run: RunSummary) -> dict[str, Any]:
    """One run without its report: counts per target, what changed, its vulnerability check.

    ``security`` is there only when the run checked (absent: not checked, never "none").
    """
    doc = {
        "id": run.id,
        "project": run.project,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "status": run.status,
        "error": run.error,
        "manifest_sha256": run.manifest_hash,
        "targets": {
            c.target: {
                **{v.value: c.count(v) for v, _ in COUNT_COLUMNS},
                "total": c.total,
                "error": c.error,
            }
            for c in run.counts
        },
        "changes": list(run.changes),
    }
    if run.security is not None:
        doc["security"] = security_summary_json(run.security)
    return doc


def project_json(project: WatchedProject, latest: RunSummary | None) -> dict[str, Any]:
    """A watched project with its newest successful run (or None)."""
    return {
        "name": project.name,
        "manifest": project.manifest,
        "modules_txt": project.modules_txt,
        "targets": list(project.targets),
        "created_at": project.created_at,
        "latest_run": run_json(latest) if latest else None,
    }


def history_json(name: str, runs: Sequence[RunSummary]) -> dict[str, Any]:
    """``vendaudit history --format json``: the project's runs, newest first."""
    return {
        "schema_version": API_SCHEMA_VERSION,
        "kind": "vendaudit-history",
        "project": name,
        "runs": [run_json(r) for r in runs],
    }


def history_table(name: str, runs: Sequence[RunSummary]) -> str:
    """A plain-text table: one line per run and target, then its changes indented."""
    if not runs:
        return f"{name}: no runs yet (vendaudit watch run {name})\n"
    head = ["run", "finished", "target", "sat", "outd", "major", "miss", "repl", "unkn", "total"]
    blocks: list[tuple[list[list[str]], list[str]]] = []
    for r in runs:
        if r.status != "ok":
            blocks.append(([[str(r.id), r.finished_at, "-", *["-"] * 7]], [f"failed: {r.error}"]))
            continue
        rows = [
            [str(r.id), r.finished_at, c.target]
            + [str(c.count(v)) for v, _ in COUNT_COLUMNS]
            + [str(c.total)]
            for c in r.counts
        ]
        notes = list(r.changes)
        if r.security is not None:
            notes.append(f"security: {security_line(r.security)}")
        blocks.append((rows, notes))
    every = [head] + [row for rows, _ in blocks for row in rows]
    widths = [max(len(row[i]) for row in every) for i in range(len(head))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [f"{name}: {len(runs)} run{'s' if len(runs) != 1 else ''}", line(head)]
    for rows, notes in blocks:
        out += [line(row) for row in rows]
        out += [f"    {n}" for n in notes]
    return "\n".join(out) + "\n"
