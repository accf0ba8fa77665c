"""A very long module path is refused in one linear pass, never walked quadratically."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_httpx import HTTPXMock

from vendaudit.gomod.errors import ModFileError, ModulesTxtError
from vendaudit.gomod.project import load_project
from vendaudit.versions.modpath import covering_prefixes, length_error

LONG = "example.com/" + "a/" * 50_000 + "z"  # 100 kB, 50 002 elements


def test_covering_prefixes_is_lazy_and_bounded() -> None:
    # Only prefixes an index could hold are built: none for a 100 kB path and 20-byte keys.
    assert list(covering_prefixes(LONG, 20)) == [
        "example.com/a/a/a/a",
        "example.com/a/a/a",
        "example.com/a/a",
        "example.com/a",
        "example.com",
    ]
    assert list(covering_prefixes("x.org/a/v2/b/c", 99, lambda e: e == "v2")) == [
        "x.org/a/v2/b",
        "x.org/a/v2",
    ]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("example.com/a", None),
        ("example.com/" + "é" * 128, "path element too long: 256 bytes (the limit is 255)"),
        ("x.org/" + "a/" * 2046, "path too long: 4098 bytes (the limit is 4096)"),
    ],
)
def test_length_error(path: str, expected: str | None) -> None:
    assert length_error(path) == expected


def test_long_require_is_a_manifest_error(tmp_path: Path) -> None:
    gomod = tmp_path / "go.mod"
    gomod.write_text(f'module example.org/m\n\ngo 1.22\n\nrequire "{LONG}" v1.0.0\n')
    with pytest.raises(ModFileError) as exc:
        load_project(gomod)
    assert str(exc.value).startswith(f'{gomod}:5: "example.com/a/a/')
    assert str(exc.value).endswith("…: path too long: 100013 bytes (the limit is 4096)")
    assert "\n" not in str(exc.value)


def test_long_package_in_modules_txt(tmp_path: Path) -> None:
    (tmp_path / "vendor").mkdir()
    (tmp_path / "go.mod").write_text("module example.org/m\n\ngo 1.22\n\nrequire x.org/a v1.0.0\n")
    (tmp_path / "vendor" / "modules.txt").write_text(
        "# x.org/a v1.0.0\n## explicit\nx.org/a/" + "b" * 300 + "\n"
    )
    with pytest.raises(ModulesTxtError, match=r"modules.txt:1: .*element too long: 300 bytes"):
        load_project(tmp_path)


def test_long_replacement_is_an_unavailable_go_mod_not_a_traceback(
    tmp_path: Path, httpx_mock: HTTPXMock
) -> None:
    """A 100 kB replacement path reached the proxy as a URL httpx refuses (InvalidURL, a
    traceback); it is now one short ``unavailable`` line and no request at all."""
    from vendaudit.analysis.goenv import GoEnv
    from vendaudit.analysis.goproxy import ProxyClient
    from vendaudit.analysis.graph import build_module_graph
    from vendaudit.fetch import Fetcher, make_client

    gomod = tmp_path / "go.mod"
    gomod.write_text(
        "module example.org/m\n\ngo 1.22\n\nrequire example.com/a v1.0.0\n\n"
        f"replace example.com/a => {LONG} v1.0.0\n"
    )
    fetcher = Fetcher(make_client(), None, retries=0, backoff=0)
    proxy = ProxyClient(fetcher, GoEnv.from_environ({"GOPROXY": "https://proxy.example"}))
    graph = build_module_graph(load_project(gomod), proxy)
    why = graph.unavailable()["example.com/a@v1.0.0"]
    assert why == "example.com/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/…@v1.0.0: " + (
        "path too long: 100013 bytes (the limit is 4096)"
    )
    assert httpx_mock.get_requests() == []


def test_url_httpx_refuses_is_a_fetch_error_and_the_host_stays_up(
    httpx_mock: HTTPXMock,
) -> None:
    from vendaudit.fetch import Fetcher, FetchError, make_client

    fetcher = Fetcher(make_client(), None, retries=2, backoff=0)
    url = "https://proxy.example/" + "a" * 70_000
    with pytest.raises(FetchError) as exc:
        fetcher.get(url)
    assert type(exc.value) is FetchError
    assert str(exc.value) == f"{url[:200]}…: invalid URL (URL too long)"
    assert fetcher.down_hosts() == {}
