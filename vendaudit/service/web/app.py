"""The Starlette application: pages, ``/api/v1`` (JSON + OpenAPI) and Atom feeds.

Thin wiring over :class:`~vendaudit.service.store.Store` and the page/feed renderers.
Writes (watch a project, trigger a run) need ``Authorization: Bearer <token>`` and are
refused outright when the server was started without a token.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from vendaudit.model import Target
from vendaudit.report import DiffFormat, diff_reports
from vendaudit.report.html import render_html
from vendaudit.report.security import security_to_json
from vendaudit.service.errors import UnknownProject
from vendaudit.service.render import project_json, run_json, security_summary_json
from vendaudit.service.store import Store
from vendaudit.service.vulnview import VulnOverview, use_json, vuln_overview, vuln_overview_json
from vendaudit.service.web import pages, vulnpages
from vendaudit.service.web.feeds import render_feed, security_changes
from vendaudit.service.web.openapi import OPENAPI
from vendaudit.service.web.security import SecurityMiddleware

__all__ = ["ExtraPage", "create_app"]

Trigger = Callable[[list[str]], None]


@dataclass(frozen=True, slots=True)
class ExtraPage:
    """A page another component plugs in (e.g. the archive-wide ``/archive`` view).

    ``render(store, request)`` returns the page's body HTML; the service wraps it in its
    own layout and navigation, so plug-ins inherit the CSP and look.
    """

    path: str
    title: str
    render: Callable[[Store, Request], str]


def _archive_placeholder(_store: Store, _request: Request) -> str:
    return (
        "<h1>Archive</h1><p class=muted>No archive-wide view is installed in this "
        "vendaudit. It plugs in as <code>create_app(store, extra_pages=[ExtraPage("
        "'/archive', 'Archive', render)])</code>.</p>"
    )


def create_app(
    store: Store,
    *,
    token: str | None = None,
    trigger: Trigger | None = None,
    extra_pages: Sequence[ExtraPage] = (),
    max_body: int = 64 * 1024,
) -> Starlette:
    """The ASGI app over ``store``; ``trigger(names)`` queues watch runs (writes only)."""
    extras = list(extra_pages)
    if not any(p.path == "/archive" for p in extras):
        extras.append(ExtraPage("/archive", "Archive", _archive_placeholder))
    nav = (*pages.DEFAULT_NAV, *(pages.NavLink(p.path, p.title) for p in extras))

    def html(text: str, status: int = 200) -> HTMLResponse:
        return HTMLResponse(text, status_code=status)

    def not_found(what: str) -> HTMLResponse:
        body = f"<h1>Not found</h1><p>{escape(what)}</p>"
        return html(pages.page("Not found", body, nav), 404)

    # -- pages -------------------------------------------------------------------------

    def overview(request: Request) -> Response:
        return html(pages.overview_page(store.projects(), store.latest_runs(2), nav))

    def project(request: Request) -> Response:
        name = request.path_params["name"]
        try:
            watched = store.project(name)
            runs = store.runs(name, limit=400)
        except UnknownProject:
            return not_found(f"no watched project named {name!r}")
        ok = [r for r in runs if r.status == "ok"]
        diff = None
        # The newest report feeds the diff and the security section: read only if needed.
        wanted = len(ok) >= 2 or (ok and ok[0].security is not None)
        new = store.report(ok[0].id) if wanted else None
        if len(ok) >= 2:
            old = store.report(ok[1].id)
            if old is not None and new is not None:
                diff = diff_reports(old, new)
        latest = ok[0].id if ok else None
        security = vulnpages.project_security(
            name,
            new.security if new is not None else None,
            new.target_ids if new is not None else (),
            latest,
            any(r.security is not None for r in runs),
        )
        return html(pages.project_page(watched, runs, diff, latest, nav, security))

    def report_html(request: Request) -> Response:
        report = store.report(int(request.path_params["run_id"]))
        if report is None:
            return not_found("no such run, or it has no report")
        return html(render_html(report))

    def module(request: Request) -> Response:
        path = request.path_params["path"]
        uses = store.module_uses(path)
        latest_runs = {u.run_id: u.project for u in uses}
        checked = store.security_of(list(latest_runs))
        n_checked = len({latest_runs[r] for r, s in checked.items() if s.known})
        vulns = vulnpages.module_vulns(
            store.vuln_uses(path), n_checked, len(set(latest_runs.values()))
        )
        return html(pages.module_page(path, uses, nav, vulns))

    def vulns(request: Request) -> Response:
        return html(vulnpages.vulns_page(_overview(request), nav))

    def _overview(request: Request) -> VulnOverview:
        # ?target=debian:sid ranks by fixes in that target alone (unknown ids: any target).
        uses, watched, latest = store.vuln_uses(), store.projects(), store.latest_runs(1)
        view = vuln_overview(uses, watched, latest)
        target = request.query_params.get("target")
        if target is None or target not in view.targets:
            return view
        return vuln_overview(uses, watched, latest, target=target)

    def extra(page: ExtraPage) -> Callable[[Request], Response]:
        def endpoint(request: Request) -> Response:
            return html(pages.page(page.title, page.render(store, request), nav))

        return endpoint

    def feed(request: Request) -> Response:
        name = request.path_params.get("name")
        try:
            runs = store.recent_changes(name, limit=50)
        except UnknownProject:
            return PlainTextResponse("no such project", 404)
        path = request.url.path
        title = f"vendaudit: {name}" if name else "vendaudit: all watched projects"
        base = str(request.base_url)
        return Response(render_feed(title, base, path, runs), media_type="application/atom+xml")

    def security_feed(request: Request) -> Response:
        runs = security_changes(store.recent_changes(limit=50, security=True))
        path = request.url.path
        title = "vendaudit: vulnerabilities of the watched projects"
        base = str(request.base_url)
        return Response(render_feed(title, base, path, runs), media_type="application/atom+xml")

    # -- API ---------------------------------------------------------------------------

    def authorised(request: Request) -> JSONResponse | None:
        if not token:
            return _error(403, "writes are disabled (start serve with VENDAUDIT_TOKEN set)")
        given = request.headers.get("authorization", "")
        scheme, _, value = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip(), token):
            return JSONResponse(
                {"error": "missing or wrong bearer token"},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        return None

    def api_projects(request: Request) -> Response:
        latest = store.latest_runs(1)
        docs = []
        for p in store.projects():
            runs = latest.get(p.name)
            docs.append(project_json(p, runs[0] if runs else None))
        return JSONResponse(docs)

    async def api_add_project(request: Request) -> Response:
        denied = authorised(request)
        if denied is not None:
            return denied
        try:
            doc = json.loads(await request.body())
        except ValueError:
            return _error(400, "body is not JSON")
        problem, spec = _project_spec(doc)
        if problem:
            return _error(422, problem)
        assert spec is not None
        p = store.add_project(**spec)
        return JSONResponse(project_json(p, None), status_code=201)

    def api_project(request: Request) -> Response:
        name = request.path_params["name"]
        try:
            p = store.project(name)
        except UnknownProject as exc:
            return _error(404, str(exc))
        latest = store.runs(name, limit=1, ok_only=True)
        return JSONResponse(project_json(p, latest[0] if latest else None))

    def api_delete_project(request: Request) -> Response:
        denied = authorised(request)
        if denied is not None:
            return denied
        try:
            store.remove_project(request.path_params["name"])
        except UnknownProject as exc:
            return _error(404, str(exc))
        return Response(status_code=204)

    def api_runs(request: Request) -> Response:
        name = request.path_params["name"]
        limit = _int(request.query_params.get("limit"), 100, 1, 10000)
        try:
            runs = store.runs(name, limit=limit)
        except UnknownProject as exc:
            return _error(404, str(exc))
        return JSONResponse([run_json(r) for r in runs])

    def api_trigger(request: Request) -> Response:
        denied = authorised(request)
        if denied is not None:
            return denied
        name = request.path_params["name"]
        try:
            store.project(name)
        except UnknownProject as exc:
            return _error(404, str(exc))
        if trigger is None:
            return _error(503, "this server cannot run projects")
        trigger([name])
        return JSONResponse({"queued": [name]}, status_code=202)

    def api_run(request: Request) -> Response:
        run = store.run(int(request.path_params["run_id"]))
        if run is None:
            return _error(404, "no such run")
        return JSONResponse(run_json(run))

    def api_report(request: Request) -> Response:
        text = store.report_json(int(request.path_params["run_id"]))
        if text is None:
            return _error(404, "no such run, or it has no report")
        return Response(text, media_type="application/json")

    def api_diff(request: Request) -> Response:
        run_id = int(request.path_params["run_id"])
        against = request.query_params.get("against")
        old_id = _int(against, 0, 1, 2**62) if against else store.previous_ok_run(run_id)
        new = store.report(run_id)
        old = store.report(old_id) if old_id else None
        if new is None or old is None:
            return _error(404, "no such run, no report, or nothing to compare with")
        body = DiffFormat.JSON.render(diff_reports(old, new))
        doc = json.loads(body)
        doc["old"]["run"], doc["new"]["run"] = old_id, run_id
        return JSONResponse(doc)

    def api_project_vulns(request: Request) -> Response:
        name = request.path_params["name"]
        try:
            latest = store.runs(name, limit=1, ok_only=True)
        except UnknownProject as exc:
            return _error(404, str(exc))
        run = latest[0] if latest else None
        report = store.report(run.id) if run is not None else None
        view = report.security if report is not None else None
        return JSONResponse(
            {
                "project": name,
                "run": run.id if run is not None else None,
                "check": (
                    "not-checked" if run is None or run.security is None else run.security.status
                ),
                "summary": security_summary_json(run.security)
                if run is not None and run.security is not None
                else None,
                "security": security_to_json(view) if view is not None else None,
            }
        )

    def api_vulns(request: Request) -> Response:
        return JSONResponse(vuln_overview_json(_overview(request)))

    def api_module(request: Request) -> Response:
        path = request.path_params["path"]
        uses = store.module_uses(path)
        found = store.vuln_uses(path)
        extra = {"vulnerabilities": [use_json(u) for u in found]} if found else {}
        return JSONResponse(
            {
                "module": path,
                "required_by": [
                    {
                        "project": u.project,
                        "run": u.run_id,
                        "version": u.version,
                        "target": u.target,
                        "verdict": u.verdict.value,
                        "package": u.package,
                        "package_version": u.package_version,
                    }
                    for u in uses
                ],
                **extra,
            }
        )

    def api_changes(request: Request) -> Response:
        name = request.query_params.get("project")
        try:
            runs = store.recent_changes(
                name, limit=_int(request.query_params.get("limit"), 50, 1, 1000)
            )
        except UnknownProject as exc:
            return _error(404, str(exc))
        return JSONResponse([run_json(r) for r in runs])

    def openapi(request: Request) -> Response:
        return JSONResponse(OPENAPI)

    routes: list[BaseRoute] = [
        Route("/", overview),
        Route("/projects/{name}", project),
        Route("/projects/{name}/feed.atom", feed),
        Route("/runs/{run_id:int}/report.html", report_html),
        Route("/modules/{path:path}", module),
        Route("/vulns", vulns),
        Route("/vulns/feed.atom", security_feed),
        Route("/feed.atom", feed),
        Route("/api/v1/openapi.json", openapi),
        Route("/api/v1/projects", api_projects, methods=["GET"]),
        Route("/api/v1/projects", api_add_project, methods=["POST"]),
        Route("/api/v1/projects/{name}", api_project, methods=["GET"]),
        Route("/api/v1/projects/{name}", api_delete_project, methods=["DELETE"]),
        Route("/api/v1/projects/{name}/runs", api_runs, methods=["GET"]),
        Route("/api/v1/projects/{name}/runs", api_trigger, methods=["POST"]),
        Route("/api/v1/projects/{name}/vulns", api_project_vulns, methods=["GET"]),
        Route("/api/v1/runs/{run_id:int}", api_run),
        Route("/api/v1/runs/{run_id:int}/report", api_report),
        Route("/api/v1/runs/{run_id:int}/diff", api_diff),
        Route("/api/v1/modules/{path:path}", api_module),
        Route("/api/v1/changes", api_changes),
        Route("/api/v1/vulns", api_vulns),
        *(Route(p.path, extra(p)) for p in extras),
    ]
    app = Starlette(routes=routes)
    app.add_middleware(SecurityMiddleware, max_body=max_body)
    return app


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _int(text: str | None, default: int, low: int, high: int) -> int:
    try:
        value = int(text) if text is not None else default
    except ValueError:
        return default
    return min(max(value, low), high)


def _project_spec(doc: Any) -> tuple[str | None, dict[str, Any] | None]:
    """Validate a POSTed project: ``{name, manifest (https URL), targets, modules_txt?}``."""
    if not isinstance(doc, dict):
        return "body must be a JSON object", None
    name, manifest = doc.get("name"), doc.get("manifest")
    targets, modules_txt = doc.get("targets"), doc.get("modules_txt")
    if not isinstance(name, str) or not name.strip() or "/" in name or len(name) > 200:
        return "name: a non-empty string without '/'", None
    for label, url in (("manifest", manifest), ("modules_txt", modules_txt)):
        if label == "modules_txt" and url is None:
            continue
        # Only URLs over the API: a local path would let a client read the server's files.
        parts = urlsplit(url) if isinstance(url, str) else None
        loopback = parts is not None and parts.hostname in ("127.0.0.1", "localhost", "::1")
        if parts is None or not (parts.scheme == "https" or (parts.scheme == "http" and loopback)):
            return f"{label}: an https:// URL of a raw go.mod / vendor.mod", None
    if isinstance(targets, str):
        targets = targets.split(",")
    if not isinstance(targets, list) or not targets:
        return "targets: a non-empty list such as ['debian:sid']", None
    ids: list[str] = []
    for t in targets:
        try:
            tid = Target.parse(str(t)).id
        except ValueError as exc:
            return f"targets: {exc}", None
        if tid not in ids:
            ids.append(tid)
    return None, {
        "name": name.strip(),
        "manifest": manifest,
        "targets": ids,
        "modules_txt": modules_txt,
    }
