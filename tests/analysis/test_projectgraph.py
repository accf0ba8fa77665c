"""The graph entry points shared by `graph`/`why` and `report --graph`."""

from __future__ import annotations

from pathlib import Path

from pytest_httpx import HTTPXMock

from vendaudit.analysis.goenv import GoEnv
from vendaudit.analysis.projectgraph import proxy_graph, vendor_graph
from vendaudit.fetch import Cache, Fetcher, make_client
from vendaudit.gomod import load_project
from vendaudit.gomod.project import load

PROXY = "https://proxy.golang.org"


def test_proxy_graph_checks_the_projects_sums(tmp_path: Path, httpx_mock: HTTPXMock) -> None:
    (tmp_path / "go.mod").write_text(
        "module example.com/m\n\ngo 1.22\n\nrequire (\n\texample.com/a v1.0.0\n"
        "\texample.com/b v1.0.0\n)\n"
    )
    (tmp_path / "go.sum").write_text(
        "example.com/a v1.0.0/go.mod h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
    )
    httpx_mock.add_response(
        url=f"{PROXY}/example.com/a/@v/v1.0.0.mod",
        text="module example.com/a\n\nrequire example.com/b v1.0.0\n",
    )
    httpx_mock.add_response(
        url=f"{PROXY}/example.com/b/@v/v1.0.0.mod", text="module example.com/b\n"
    )
    loaded = load(tmp_path / "go.mod")
    with make_client() as client:
        fetcher = Fetcher(client, Cache(tmp_path / "c"))
        graph = proxy_graph(loaded.project, fetcher, GoEnv(), loaded.sums)
    bad = graph.unavailable()
    assert list(bad) == ["example.com/a@v1.0.0"]
    assert "SECURITY ERROR" in bad["example.com/a@v1.0.0"]


def test_vendor_graph_takes_goos_and_tags_from_the_go_environment(fixtures: Path) -> None:
    project = load_project(fixtures / "graph" / "vendortree" / "go.mod")
    linux = vendor_graph(project, GoEnv(goos="linux", goarch="amd64"))
    windows = vendor_graph(project, GoEnv(goos="windows", goarch="amd64"))
    assert linux.unused() != windows.unused()
