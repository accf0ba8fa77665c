"""The OpenAPI 3.1 description of ``/api/v1`` (served at ``/api/v1/openapi.json``)."""

from __future__ import annotations

from typing import Any

__all__ = ["OPENAPI"]


def _op(summary: str, *, params: tuple[str, ...] = (), write: bool = False, **extra: Any) -> Any:
    op: dict[str, Any] = {
        "summary": summary,
        "parameters": [
            {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
            for p in params
        ],
        "responses": {"200": {"description": "OK", "content": {"application/json": {}}}},
    }
    if write:
        op["security"] = [{"bearer": []}]
        op["responses"].update(
            {
                "401": {"description": "missing or wrong bearer token"},
                "403": {"description": "writes disabled (no VENDAUDIT_TOKEN)"},
            }
        )
    op.update(extra)
    return op


_PROJECT_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["name", "manifest", "targets"],
                "properties": {
                    "name": {"type": "string"},
                    "manifest": {"type": "string", "format": "uri"},
                    "modules_txt": {"type": ["string", "null"], "format": "uri"},
                    "targets": {"type": "array", "items": {"type": "string"}},
                },
            }
        }
    },
}

OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "vendaudit report service",
        "version": "1",
        "description": "Watched Go projects × distro releases, their runs, reports, diffs "
        "and vulnerability findings.",
    },
    "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    "paths": {
        "/api/v1/projects": {
            "get": _op("Watched projects, each with its newest successful run"),
            "post": _op(
                "Watch a project (manifest by https URL)", write=True, requestBody=_PROJECT_BODY
            ),
        },
        "/api/v1/projects/{name}": {
            "get": _op("One watched project", params=("name",)),
            "delete": _op(
                "Stop watching a project and delete its history", params=("name",), write=True
            ),
        },
        "/api/v1/projects/{name}/runs": {
            "get": _op("A project's runs, newest first (?limit=)", params=("name",)),
            "post": _op("Queue a run of the project (202)", params=("name",), write=True),
        },
        "/api/v1/projects/{name}/vulns": {
            "get": _op(
                "The newest successful run's vulnerability findings: check (ok, unknown or "
                "not-checked), summary, and the report's security section (null unless checked)",
                params=("name",),
            )
        },
        "/api/v1/runs/{run_id}": {
            "get": _op(
                "One run: counts per target, changes, and `security` (the vulnerability "
                "check's status and counts; absent when the run did not check)",
                params=("run_id",),
            )
        },
        "/api/v1/runs/{run_id}/report": {
            "get": _op(
                "The run's full vendaudit report JSON (schema_version'd)", params=("run_id",)
            )
        },
        "/api/v1/runs/{run_id}/diff": {
            "get": _op(
                "Diff against the previous successful run (or ?against=RUN)", params=("run_id",)
            )
        },
        "/api/v1/modules/{path}": {
            "get": _op(
                "Which projects require a module, at which versions, verdicts; "
                "`vulnerabilities` when entries affect it",
                params=("path",),
            )
        },
        "/api/v1/vulns": {
            "get": _op(
                "Entries affecting the watched projects' newest runs, ranked by how many "
                "projects unvendoring fixes (?target=debian:sid: fixes in that target only); "
                "which projects were checked, unknown, not checked"
            )
        },
        "/api/v1/changes": {"get": _op("Newest runs that changed something (?project=, ?limit=)")},
    },
}
