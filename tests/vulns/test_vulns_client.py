"""The govulncheck protocol over HTTP (pytest-httpx): endpoints, cache, 304s, --offline."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from pytest_httpx import HTTPXMock

from vendaudit.fetch import Cache, Fetcher, make_client
from vendaudit.model import Module
from vendaudit.vulns import find_vulns
from vendaudit.vulns.client import VulnDB, VulnDBError, VulnDBOffline

DB = Path(__file__).resolve().parents[2] / "fixtures" / "govulndb"
BASE = "https://vuln.example"
GRPC = [Module("google.golang.org/grpc", "v1.57.0")]


def fetcher(tmp_path: Path, *, offline: bool = False) -> Fetcher:
    return Fetcher(make_client(), Cache(tmp_path / "cache"), offline=offline, retries=0, backoff=0)


def serve(httpx_mock: HTTPXMock, endpoint: str, *, etag: str = '"1"', **kw: object) -> None:
    httpx_mock.add_response(
        url=f"{BASE}/{endpoint}",
        content=(DB / endpoint).read_bytes(),
        headers={"ETag": etag},
        **kw,  # type: ignore[arg-type]
    )


def test_endpoints_and_match(tmp_path: Path, httpx_mock: HTTPXMock) -> None:
    for ep in ("index/db.json", "index/modules.json", "ID/GO-2023-2153.json"):
        serve(httpx_mock, ep)
    db = VulnDB(BASE, fetcher(tmp_path))
    entries = db.entries_for(GRPC)
    assert [v.id for v in find_vulns(GRPC, entries)] == ["GO-2023-2153"]
    urls = [str(r.url) for r in httpx_mock.get_requests()]
    assert urls == [
        f"{BASE}/index/db.json",
        f"{BASE}/index/modules.json",
        f"{BASE}/ID/GO-2023-2153.json",
    ]


def test_unchanged_database_is_read_from_the_cache(tmp_path: Path, httpx_mock: HTTPXMock) -> None:
    for ep in ("index/db.json", "index/modules.json", "ID/GO-2023-2153.json"):
        serve(httpx_mock, ep)
    VulnDB(BASE, fetcher(tmp_path)).entries_for(GRPC)
    # Second run: db.json answers 304 (same modified) -> nothing else is asked.
    httpx_mock.add_response(
        url=f"{BASE}/index/db.json",
        status_code=304,
        match_headers={"If-None-Match": '"1"'},
    )
    entries = VulnDB(BASE, fetcher(tmp_path)).entries_for(GRPC)
    assert [e.id for e in entries] == ["GO-2023-2153"]
    assert len(httpx_mock.get_requests()) == 4


def test_changed_database_revalidates_everything(tmp_path: Path, httpx_mock: HTTPXMock) -> None:
    for ep in ("index/db.json", "index/modules.json", "ID/GO-2023-2153.json"):
        serve(httpx_mock, ep)
    VulnDB(BASE, fetcher(tmp_path)).entries_for(GRPC)
    httpx_mock.add_response(
        url=f"{BASE}/index/db.json",
        json={"modified": "2026-09-01T00:00:00Z"},
        headers={"ETag": '"2"'},
    )
    for ep in ("index/modules.json", "ID/GO-2023-2153.json"):
        httpx_mock.add_response(
            url=f"{BASE}/{ep}", status_code=304, match_headers={"If-None-Match": '"1"'}
        )
    db = VulnDB(BASE, fetcher(tmp_path))
    assert [e.id for e in db.entries_for(GRPC)] == ["GO-2023-2153"]
    assert db.modified() == "2026-09-01T00:00:00Z"


def test_offline_uses_the_cache(tmp_path: Path, httpx_mock: HTTPXMock) -> None:
    for ep in ("index/db.json", "index/modules.json", "ID/GO-2023-2153.json"):
        serve(httpx_mock, ep)
    VulnDB(BASE, fetcher(tmp_path)).entries_for(GRPC)
    entries = VulnDB(BASE, fetcher(tmp_path, offline=True)).entries_for(GRPC)
    assert [e.id for e in entries] == ["GO-2023-2153"]
    assert len(httpx_mock.get_requests()) == 3


def test_offline_with_an_empty_cache(tmp_path: Path) -> None:
    with pytest.raises(VulnDBOffline, match="--offline"):
        VulnDB(BASE, fetcher(tmp_path, offline=True)).entries_for(GRPC)


def test_not_a_database(tmp_path: Path, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=f"{BASE}/index/db.json", status_code=404)
    with pytest.raises(VulnDBError, match="GOVULNDB"):
        VulnDB(BASE, fetcher(tmp_path)).modified()


def test_unreachable(tmp_path: Path, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_exception(httpx.ConnectError("down"), url=f"{BASE}/index/db.json")
    with pytest.raises(VulnDBError, match=r"index/db\.json"):
        VulnDB(BASE, fetcher(tmp_path)).modified()


def test_malformed_index(tmp_path: Path, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=f"{BASE}/index/db.json", content=b"<html>")
    with pytest.raises(VulnDBError, match="not JSON"):
        VulnDB(BASE, fetcher(tmp_path)).modified()


def test_govulndb_from_environ(tmp_path: Path) -> None:
    assert VulnDB.from_environ({}).url == "https://vuln.go.dev"
    assert VulnDB.from_environ({"GOVULNDB": DB.as_uri()}).is_local
    assert VulnDB.from_environ({"GOVULNDB": "x"}, url=str(DB)).url == DB.as_uri()
    with pytest.raises(VulnDBError, match="no such file"):
        VulnDB((tmp_path / "nothing").as_uri()).modified()


def test_relative_paths_and_file_urls_with_a_host(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A relative directory is the local copy it names (it was asked over HTTP, three
    times); file://dir/db (a host, not a path) is refused instead of reading /db."""
    monkeypatch.chdir(DB.parent)
    db = VulnDB(DB.name)
    assert db.url == DB.as_uri() and db.is_local
    assert db.modified() == "2026-08-21T20:38:00Z"
    with pytest.raises(VulnDBError, match="a file URL names a local directory"):
        VulnDB(f"file://{DB.parent.name}/{DB.name}").modified()
    assert VulnDB(f"file://localhost{DB}").modified() == "2026-08-21T20:38:00Z"


def test_one_client_asks_once_for_many_projects(tmp_path: Path, httpx_mock: HTTPXMock) -> None:
    # What a watch run does: one client (api.LoadedTargets.vuln_db) for every project.
    for ep in ("index/db.json", "index/modules.json", "ID/GO-2023-2153.json"):
        serve(httpx_mock, ep)
    db = VulnDB(BASE, fetcher(tmp_path))
    for _ in range(3):
        assert [e.id for e in db.entries_for(GRPC)] == ["GO-2023-2153"]
    assert len(httpx_mock.get_requests()) == 3  # not 1 + 2 × 2 revalidations
