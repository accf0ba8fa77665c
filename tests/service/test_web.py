"""The web layer through Starlette's test client, and once through a real Hypercorn on 127.0.0.1."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

import httpx
import pytest
from starlette.testclient import TestClient

from vendaudit.service import Store
from vendaudit.service.web import ExtraPage, create_app

SWARMKIT = "github.com/moby/swarmkit/v2"


@pytest.fixture
def client(filled: Store) -> Iterator[TestClient]:
    triggered: list[list[str]] = []
    app = create_app(filled, token="s3cret", trigger=triggered.append, max_body=4096)
    with TestClient(app) as c:
        c.triggered = triggered  # type: ignore[attr-defined]
        yield c


def test_overview_lists_projects_with_change(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert 'href="/projects/qs"' in r.text and 'href="/projects/other"' in r.text
    assert '<span class="up">+1</span>' in r.text  # one more satisfied than the run before
    assert '<span class="up">-1</span>' in r.text  # one fewer missing


def test_security_headers(client: TestClient) -> None:
    r = client.get("/")
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    rep = client.get("/runs/1/report.html")
    assert (
        rep.status_code == 200
        and "frame-ancestors 'self'" in rep.headers["content-security-policy"]
    )


def test_project_page(client: TestClient) -> None:
    r = client.get("/projects/qs")
    assert r.status_code == 200
    assert '<svg class="history"' in r.text and 'data-verdict="missing"' in r.text
    assert "now satisfiable in debian:sid" in r.text  # the diff against the previous run
    assert f"golang-x-dev 2.0-1 reached sid: drop vendor/{SWARMKIT}" in r.text
    assert 'src="/runs/2/report.html"' in r.text
    assert client.get("/projects/ghost").status_code == 404


def test_module_page(client: TestClient) -> None:
    r = client.get(f"/modules/{SWARMKIT}")
    assert r.status_code == 200
    assert 'href="/projects/qs"' in r.text and 'href="/projects/other"' in r.text
    assert "satisfied" in r.text and "missing" in r.text
    assert "No watched project" in client.get("/modules/example.com/none").text


def test_api_reads(client: TestClient) -> None:
    projects = client.get("/api/v1/projects").json()
    assert [p["name"] for p in projects] == ["other", "qs"]
    assert projects[1]["latest_run"]["id"] == 2
    runs = client.get("/api/v1/projects/qs/runs").json()
    assert [r["id"] for r in runs] == [2, 1]
    assert (
        runs[0]["targets"]["debian:sid"]["missing"]
        == runs[1]["targets"]["debian:sid"]["missing"] - 1
    )
    assert client.get("/api/v1/runs/2").json()["changes"]
    report = client.get("/api/v1/runs/2/report").json()
    assert report["schema_version"] == 1 and report["project"]["main_module"]
    diff = client.get("/api/v1/runs/2/diff").json()
    assert diff["kind"] == "vendaudit-diff" and diff["old"]["run"] == 1
    assert any(t["module"] == SWARMKIT for t in diff["transitions"])
    assert client.get("/api/v1/runs/1/diff").status_code == 404  # nothing before it
    uses = client.get(f"/api/v1/modules/{SWARMKIT}").json()["required_by"]
    assert {u["project"] for u in uses} == {"qs", "other"}
    assert client.get("/api/v1/changes").json()[0]["id"] == 2
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.") and "/api/v1/runs/{run_id}/diff" in spec["paths"]
    assert client.get("/api/v1/projects/ghost").status_code == 404


def test_feeds_are_atom(client: TestClient) -> None:
    ns = {"a": "http://www.w3.org/2005/Atom"}
    for path in ("/feed.atom", "/projects/qs/feed.atom"):
        r = client.get(path)
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
        root = ET.fromstring(r.content)
        titles = [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)]
        assert any("reached sid" in (t or "") or "changes" in (t or "") for t in titles)
        content = root.find("a:entry/a:content", ns)
        assert content is not None and f"drop vendor/{SWARMKIT}" in (content.text or "")
    assert client.get("/projects/other/feed.atom").text.count("<entry>") == 0


def test_writes_need_the_token(client: TestClient) -> None:
    body = {"name": "new", "manifest": "https://example.org/go.mod", "targets": ["debian:sid"]}
    assert client.post("/api/v1/projects", json=body).status_code == 401
    bad = {"Authorization": "Bearer nope"}
    assert client.post("/api/v1/projects", json=body, headers=bad).status_code == 401
    good = {"Authorization": "Bearer s3cret"}
    r = client.post("/api/v1/projects", json=body, headers=good)
    assert r.status_code == 201 and r.json()["name"] == "new"
    local = {**body, "manifest": "/etc/passwd"}
    assert client.post("/api/v1/projects", json=local, headers=good).status_code == 422
    assert client.post("/api/v1/projects", content=b"{", headers=good).status_code == 400
    assert client.post("/api/v1/projects/qs/runs").status_code == 401
    assert client.post("/api/v1/projects/qs/runs", headers=good).status_code == 202
    assert client.triggered == [["qs"]]  # type: ignore[attr-defined]
    assert client.delete("/api/v1/projects/new", headers=good).status_code == 204


def test_writes_are_off_without_a_token(filled: Store) -> None:
    with TestClient(create_app(filled)) as c:
        r = c.post("/api/v1/projects/qs/runs", headers={"Authorization": "Bearer x"})
        assert r.status_code == 403


def test_request_size_limit(client: TestClient) -> None:
    big = b"x" * 5000
    r = client.post("/api/v1/projects", content=big, headers={"Authorization": "Bearer s3cret"})
    assert r.status_code == 413


def test_archive_hook(filled: Store) -> None:
    with TestClient(create_app(filled)) as c:
        assert "No archive-wide view" in c.get("/archive").text
    page = ExtraPage("/archive", "Archive", lambda store, req: "<h1>Everything</h1>")
    with TestClient(create_app(filled, extra_pages=[page])) as c:
        r = c.get("/archive")
        assert "<h1>Everything</h1>" in r.text and 'href="/archive"' in c.get("/").text


def test_real_server(live_server: str) -> None:
    with httpx.Client(base_url=live_server, timeout=10) as http:
        assert http.get("/").status_code == 200
        assert http.get("/api/v1/projects/qs/runs").json()[0]["id"] == 2
        assert http.get("/projects/qs").headers["x-frame-options"] == "DENY"
        r = http.post("/api/v1/projects", content=b"x" * 100_000)
        assert r.status_code == 413
