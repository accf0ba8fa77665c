"""Fetching applications' manifests from a faked sources.debian.org."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pytest_httpx import HTTPXMock

from vendaudit.distros.debian.applications import GoApplication
from vendaudit.fetch import Cache, Fetcher, make_client
from vendaudit.sweep.debsources import fetch_manifests, pool_prefix, raw_url

BASE = "https://sources.debian.org"
AGE = GoApplication("age", "1.3.2-1", "main", ("age",))
MOBY = GoApplication("docker.io", "28.5.2+dfsg4-5", "main", ("docker.io",))
LIB = GoApplication("libguestfs", "1:1.56.1-1", "main", ("guestfish",))
GOMOD = b"module filippo.io/age\n\ngo 1.24\n\nrequire filippo.io/edwards25519 v1.1.0\n"


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with make_client() as c:
        yield c


def test_urls() -> None:
    assert pool_prefix("libguestfs") == "libg"
    assert pool_prefix("lib") == "l"
    assert raw_url(BASE, AGE, "go.mod") == f"{BASE}/data/main/a/age/1.3.2-1/go.mod"
    # The archive version, epoch included, as debsources names its directories.
    assert raw_url(BASE, LIB, "go.mod") == f"{BASE}/data/main/libg/libguestfs/1:1.56.1-1/go.mod"


def test_fetch_resume_and_missing(
    httpx_mock: HTTPXMock, client: httpx.Client, tmp_path: Path
) -> None:
    httpx_mock.add_response(url=f"{BASE}/data/main/a/age/1.3.2-1/go.mod", content=GOMOD)
    mod = "/data/main/d/docker.io/28.5.2+dfsg4-5"
    httpx_mock.add_response(url=f"{BASE}{mod}/go.mod", status_code=404)
    httpx_mock.add_response(
        url=f"{BASE}{mod}/vendor.mod", content=b"module github.com/docker/docker\n"
    )
    lib = "/data/main/libg/libguestfs/1:1.56.1-1"
    httpx_mock.add_response(url=f"{BASE}{lib}/go.mod", status_code=404)
    # debsources answers some misses with a JSON error body and status 200.
    httpx_mock.add_response(url=f"{BASE}{lib}/vendor.mod", json={"error": 404})
    fetcher = Fetcher(client, Cache(tmp_path / "cache"), retries=0, backoff=0)
    dest = tmp_path / "manifests"
    results = fetch_manifests(fetcher, [AGE, MOBY, LIB], dest, base=BASE, rate=0)
    assert [r.path.name if r.path else None for r in results] == ["go.mod", "vendor.mod", None]
    assert results[0].path is not None and results[0].path.read_bytes() == GOMOD
    assert results[2].not_found and "no top-level go.mod" in (results[2].error or "")
    # A second run asks nothing for what it already has (resumable, cached forever).
    before = len(httpx_mock.get_requests())
    with Fetcher(client, None, retries=0, backoff=0, offline=True) as offline:
        again = fetch_manifests(offline, [AGE, MOBY], dest, base=BASE, rate=0)
    assert [r.path for r in again] == [results[0].path, results[1].path]
    assert len(httpx_mock.get_requests()) == before


def test_new_version_is_fetched_again(
    httpx_mock: HTTPXMock, client: httpx.Client, tmp_path: Path
) -> None:
    httpx_mock.add_response(url=f"{BASE}/data/main/a/age/1.3.2-1/go.mod", content=GOMOD)
    newer = GoApplication("age", "1.3.3-1", "main", ("age",))
    httpx_mock.add_response(url=f"{BASE}/data/main/a/age/1.3.3-1/go.mod", content=GOMOD + b"\n")
    fetcher = Fetcher(client, None, retries=0, backoff=0)
    fetch_manifests(fetcher, [AGE], tmp_path, base=BASE, rate=0)
    (res,) = fetch_manifests(fetcher, [newer], tmp_path, base=BASE, rate=0)
    assert res.path is not None and res.path.read_bytes() == GOMOD + b"\n"


def test_server_error_is_a_result(
    httpx_mock: HTTPXMock, client: httpx.Client, tmp_path: Path
) -> None:
    httpx_mock.add_response(url=f"{BASE}/data/main/a/age/1.3.2-1/go.mod", status_code=500)
    fetcher = Fetcher(client, None, retries=0, backoff=0)
    (res,) = fetch_manifests(fetcher, [AGE], tmp_path, base=BASE, rate=0)
    assert res.path is None and not res.not_found and "500" in (res.error or "")
    assert not (tmp_path / "age").exists()


def test_local_dir_layouts(tmp_path: Path) -> None:
    from vendaudit.sweep.local import SweepInputError, read_manifest_dir

    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "vendor.mod").write_bytes(GOMOD)
    (tmp_path / "c").mkdir()
    (tmp_path / "a.go.mod").write_bytes(GOMOD)
    (tmp_path / "d.mod").write_bytes(GOMOD)
    (tmp_path / "notes.txt").write_text("ignored")
    got = {r.app.source: r for r in read_manifest_dir(tmp_path)}
    assert sorted(got) == ["a", "b", "c", "d"]
    assert got["b"].path == tmp_path / "b" / "vendor.mod"
    assert got["c"].path is None and got["c"].not_found
    with pytest.raises(SweepInputError):
        read_manifest_dir(tmp_path / "c")
