"""Stored runs as JSON documents and text tables (shared by ``history`` and ``/api/v1``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from vendaudit.service.store import COUNT_COLUMNS, RunSummary, WatchedProject

__all__ = ["API_SCHEMA_VERSION", "history_json", "history_table", "project_json", "run_json"]

API_SCHEMA_VERSION = 1
"""Version of the run / project / history documents (the report keeps its own)."""


def run_json(run: RunSummary) -> dict[str, Any]:
    """One run without its report: counts per target and what changed."""
    return {
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
        blocks.append((rows, list(r.changes)))
    every = [head] + [row for rows, _ in blocks for row in rows]
    widths = [max(len(row[i]) for row in every) for i in range(len(head))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [f"{name}: {len(runs)} run{'s' if len(runs) != 1 else ''}", line(head)]
    for rows, notes in blocks:
        out += [line(row) for row in rows]
        out += [f"    {n}" for n in notes]
    return "\n".join(out) + "\n"
