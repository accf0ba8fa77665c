"""ProxyClient: GOPROXY list semantics, escaping, go.sum verification, offline cache."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pytest_httpx import HTTPXMock

from vendaudit.analysis.goenv import GoEnv
from vendaudit.analysis.goproxy import DIRECT_UNAVAILABLE, PROXY_OFF, ProxyClient, ProxyError
from vendaudit.fetch import Cache, Fetcher, make_client
from vendaudit.gomod.gosum import go_mod_hash, parse_gosum

MOD = b"module github.com/BurntSushi/toml\n\ngo 1.18\n"
A = "https://a.example"
B = "https://b.example"


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with make_client() as c:
        yield c


def proxy(client: httpx.Client, goproxy: str, tmp: Path | None = None, **kw: object) -> ProxyClient:
    cache = Cache(tmp) if tmp else None
    fetcher = Fetcher(client, cache, retries=0, backoff=0, offline=bool(kw.pop("offline", False)))
    env = GoEnv.from_environ({"GOPROXY": goproxy, **kw})  # type: ignore[dict-item]
    return ProxyClient(fetcher, env)


def test_case_escaped_url(httpx_mock: HTTPXMock, client: httpx.Client) -> None:
    httpx_mock.add_response(
        url=f"{A}/github.com/!burnt!sushi/toml/@v/v1.0.0-!r!c1.mod", content=MOD
    )
    assert proxy(client, A).mod_file("github.com/BurntSushi/toml", "v1.0.0-RC1") == MOD


@pytest.mark.parametrize("status", [404, 410])
def test_comma_falls_through_on_not_found(
    httpx_mock: HTTPXMock, client: httpx.Client, status: int
) -> None:
    httpx_mock.add_response(url=f"{A}/example.com/m/@v/v1.0.0.mod", status_code=status)
    httpx_mock.add_response(
        url=f"{B}/example.com/m/@v/v1.0.0.mod", content=b"module example.com/m\n"
    )
    assert proxy(client, f"{A},{B}").mod_file("example.com/m", "v1.0.0").startswith(b"module")


def test_comma_stops_on_server_error(httpx_mock: HTTPXMock, client: httpx.Client) -> None:
    httpx_mock.add_response(url=f"{A}/example.com/m/@v/v1.0.0.mod", status_code=503)
    with pytest.raises(ProxyError, match="HTTP 503"):
        proxy(client, f"{A},{B}").mod_file("example.com/m", "v1.0.0")
    assert [str(r.url) for r in httpx_mock.get_requests()] == [f"{A}/example.com/m/@v/v1.0.0.mod"]


def test_pipe_falls_through_on_any_error(httpx_mock: HTTPXMock, client: httpx.Client) -> None:
    httpx_mock.add_response(url=f"{A}/example.com/m/@v/v1.0.0.mod", status_code=500)
    httpx_mock.add_response(
        url=f"{B}/example.com/m/@v/v1.0.0.mod", content=b"module example.com/m\n"
    )
    assert proxy(client, f"{A}|{B}").mod_file("example.com/m", "v1.0.0")


def test_proxy_error_beats_later_not_found(httpx_mock: HTTPXMock, client: httpx.Client) -> None:
    httpx_mock.add_response(url=f"{A}/example.com/m/@v/v1.0.0.mod", status_code=403)
    httpx_mock.add_response(url=f"{B}/example.com/m/@v/v1.0.0.mod", status_code=404)
    with pytest.raises(ProxyError, match="HTTP 403"):
        proxy(client, f"{A}|{B}").mod_file("example.com/m", "v1.0.0")


def test_off(client: httpx.Client) -> None:
    with pytest.raises(ProxyError, match=PROXY_OFF):
        proxy(client, "off").mod_file("example.com/m", "v1.0.0")


def test_not_found_then_off_reports_off(httpx_mock: HTTPXMock, client: httpx.Client) -> None:
    httpx_mock.add_response(url=f"{A}/example.com/m/@v/v1.0.0.mod", status_code=404)
    with pytest.raises(ProxyError, match=PROXY_OFF):
        proxy(client, f"{A},off").mod_file("example.com/m", "v1.0.0")


def test_direct_after_not_found(httpx_mock: HTTPXMock, client: httpx.Client) -> None:
    httpx_mock.add_response(url=f"{A}/example.com/m/@v/v1.0.0.mod", status_code=404)
    with pytest.raises(ProxyError, match=r"example.com/m@v1.0.0: direct \(VCS\) access"):
        proxy(client, f"{A},direct").mod_file("example.com/m", "v1.0.0")


def test_gonoproxy_goes_direct_without_requests(client: httpx.Client) -> None:
    p = proxy(client, f"{A},direct", GOPRIVATE="*.corp.example")
    with pytest.raises(ProxyError, match=re.escape(DIRECT_UNAVAILABLE)):
        p.mod_file("git.corp.example/team/m", "v1.0.0")


def test_gonoproxy_with_proxy_only_list(client: httpx.Client) -> None:
    p = proxy(client, A, GONOPROXY="git.corp.example")
    with pytest.raises(ProxyError, match="GONOPROXY"):
        p.mod_file("git.corp.example/m", "v1.0.0")


def test_invalid_path_is_an_error(client: httpx.Client) -> None:
    with pytest.raises(ProxyError, match=r"Example\.com/m@v1\.0\.0"):
        proxy(client, A).mod_file("Example.com/m", "v1.0.0")


def test_gosum_verification(httpx_mock: HTTPXMock, client: httpx.Client) -> None:
    url = f"{A}/example.com/m/@v/v1.0.0.mod"
    httpx_mock.add_response(url=url, content=MOD, is_reusable=True)
    fetcher = Fetcher(client, None, retries=0, backoff=0)
    env = GoEnv.from_environ({"GOPROXY": A})
    good = parse_gosum(f"example.com/m v1.0.0/go.mod {go_mod_hash(MOD)}\n".encode(), "go.sum")
    assert ProxyClient(fetcher, env, sums=good).mod_file("example.com/m", "v1.0.0") == MOD
    bad_hash = go_mod_hash(b"other")
    bad = parse_gosum(f"example.com/m v1.0.0/go.mod {bad_hash}\n".encode(), "/x/vendor.sum")
    with pytest.raises(ProxyError) as info:
        ProxyClient(fetcher, env, sums=bad).mod_file("example.com/m", "v1.0.0")
    msg = str(info.value)
    assert msg.startswith("verifying example.com/m@v1.0.0/go.mod: checksum mismatch")
    assert f"downloaded: {go_mod_hash(MOD)}" in msg
    assert f"vendor.sum:     {bad_hash}" in msg
    assert "SECURITY ERROR" in msg


def test_offline_uses_cache(httpx_mock: HTTPXMock, client: httpx.Client, tmp_path: Path) -> None:
    httpx_mock.add_response(url=f"{A}/example.com/m/@v/v1.0.0.mod", content=MOD)
    assert proxy(client, A, tmp_path).mod_file("example.com/m", "v1.0.0") == MOD
    offline = proxy(client, A, tmp_path, offline=True)
    assert offline.mod_file("example.com/m", "v1.0.0") == MOD  # no second request
    with pytest.raises(ProxyError, match="--offline"):
        offline.mod_file("example.com/m", "v2.0.0+incompatible")
    assert len(httpx_mock.get_requests()) == 1


def test_file_proxy(tmp_path: Path, client: httpx.Client) -> None:
    d = tmp_path / "example.com" / "!m" / "@v"
    d.mkdir(parents=True)
    (d / "v1.0.0.mod").write_bytes(b"module example.com/M\n")
    p = proxy(client, f"file://{tmp_path},https://unused.example")
    assert p.mod_file("example.com/M", "v1.0.0") == b"module example.com/M\n"


def test_many_concurrently(httpx_mock: HTTPXMock, client: httpx.Client) -> None:
    for i in range(20):
        httpx_mock.add_response(url=f"{A}/example.com/m{i}/@v/v1.0.0.mod", content=b"module x\n")
    httpx_mock.add_response(url=f"{A}/example.com/gone/@v/v1.0.0.mod", status_code=404)
    got = proxy(client, A).mod_files(
        [(f"example.com/m{i}", "v1.0.0") for i in range(20)] + [("example.com/gone", "v1.0.0")]
    )
    assert sum(isinstance(v, bytes) for v in got.values()) == 20
    assert isinstance(got[("example.com/gone", "v1.0.0")], ProxyError)


def test_offline_miss_is_not_hidden_by_direct(client: httpx.Client, tmp_path: Path) -> None:
    p = proxy(client, f"{A},direct", tmp_path, offline=True)
    with pytest.raises(ProxyError, match="not in the cache and --offline is set"):
        p.mod_file("example.com/m", "v1.0.0")
