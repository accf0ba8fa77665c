"""build_module_graph over a faked GOPROXY, and the graph's renderings."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from pytest_httpx import HTTPXMock

from vendaudit.analysis.goenv import GoEnv
from vendaudit.analysis.goproxy import ProxyClient
from vendaudit.analysis.graph import ModuleGraph, build_module_graph
from vendaudit.fetch import Fetcher, make_client
from vendaudit.gomod.project import load_project
from vendaudit.model import Module, ModVersion, Project
from vendaudit.versions.modpath import unescape_path

P = "https://proxy.example"
MODS = {
    "example.com/a/@v/v1.0.0.mod": (
        "module example.com/a\n\ngo 1.21\ntoolchain go1.22.0\n\nrequire (\n"
        "\texample.com/b v1.1.0\n\texample.com/notinbuild v9.0.0+incompatible\n"
        "\texample.com/m v0.1.0 // indirect\n)\n"
    ),
    "example.com/bfork/@v/v1.2.1.mod": "module example.com/bfork\n\nrequire example.com/c v1.0.0\n",
}


def _client(tmp: Path | None = None) -> ProxyClient:
    fetcher = Fetcher(make_client(), None, retries=0, backoff=0)
    return ProxyClient(fetcher, GoEnv.from_environ({"GOPROXY": P}))


def _project(tmp_path: Path) -> Project:
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "go.mod").write_text("module example.com/c\nrequire example.com/a v1.0.0\n")
    (tmp_path / "go.mod").write_text("module example.com/m\n")
    return Project(
        manifest=str(tmp_path / "go.mod"),
        main_module="example.com/m",
        go="1.22",
        modules=(
            Module("example.com/a", "v1.0.0"),
            Module("example.com/b", "v1.2.0", replace=ModVersion("example.com/bfork", "v1.2.1")),
            Module("example.com/c", "v1.0.0", replace=ModVersion("./c", "")),
            Module("example.com/d", "v1.0.0", indirect=True),
        ),
    )


@pytest.fixture
def small(httpx_mock: HTTPXMock, tmp_path: Path) -> ModuleGraph:
    for path, text in MODS.items():
        httpx_mock.add_response(url=f"{P}/{path}", text=text)
    httpx_mock.add_response(url=f"{P}/example.com/d/@v/v1.0.0.mod", status_code=404)
    return build_module_graph(_project(tmp_path), _client())


def test_edges_use_selected_versions_and_skip_pseudo_nodes(small: ModuleGraph) -> None:
    g = small
    assert g.edges() == [
        ("example.com/m", "example.com/a@v1.0.0"),
        ("example.com/m", "example.com/b@v1.2.0"),
        ("example.com/m", "example.com/c@v1.0.0"),
        ("example.com/m", "example.com/d@v1.0.0"),
        ("example.com/a@v1.0.0", "example.com/b@v1.2.0"),
        ("example.com/a@v1.0.0", "example.com/m"),
        ("example.com/b@v1.2.0", "example.com/c@v1.0.0"),
        ("example.com/c@v1.0.0", "example.com/a@v1.0.0"),
    ]


def test_unavailable_and_cycles(small: ModuleGraph) -> None:
    g = small
    unavailable = g.unavailable()
    assert list(unavailable) == ["example.com/d@v1.0.0"]
    assert "HTTP 404" in unavailable["example.com/d@v1.0.0"]
    assert g.cycles_with_main() == {
        "example.com/a@v1.0.0": ("example.com/a@v1.0.0", "example.com/m"),
        "example.com/b@v1.2.0": (
            "example.com/b@v1.2.0",
            "example.com/c@v1.0.0",
            "example.com/a@v1.0.0",
            "example.com/m",
        ),
        "example.com/c@v1.0.0": ("example.com/c@v1.0.0", "example.com/a@v1.0.0", "example.com/m"),
    }
    assert g.requires("example.com/c@v1.0.0") == {"example.com/a@v1.0.0"}
    assert g.required_by("example.com/m") == {"example.com/a@v1.0.0"}


def test_renderings(small: ModuleGraph) -> None:
    g = small
    doc = g.to_json()
    json.dumps(doc)
    assert doc["source"] == "proxy"
    assert doc["nodes"][0] == {
        "id": "example.com/m",
        "path": "example.com/m",
        "version": "",
        "main": True,
    }
    assert {"from": "example.com/a@v1.0.0", "to": "example.com/b@v1.2.0", "requires": "v1.1.0"} in (
        doc["edges"]
    )
    b = next(n for n in doc["nodes"] if n["path"] == "example.com/b")
    assert b["replace"] == "example.com/bfork v1.2.1"
    dot = g.to_dot()
    assert dot.startswith("digraph modules {")
    assert '"example.com/a@v1.0.0" -> "example.com/m";' in dot
    assert '"example.com/d@v1.0.0" [color=red];' in dot
    mermaid = g.to_mermaid()
    assert mermaid.splitlines()[:2] == ["graph LR", '  n0["example.com/m"]']
    assert "example.com/a@v1.0.0 example.com/m\n" in g.to_text()


def _fake_mod(request: httpx.Request, project: Project) -> httpx.Response:
    paths = [m.path for m in project.modules]
    versions = {m.path: m.version for m in project.modules}
    main = project.main_module
    escaped = request.url.path.lstrip("/").split("/@v/")[0]
    path = unescape_path(escaped)
    i = paths.index(path)
    reqs = [f"\t{p} {versions[p]}\n" for p in paths[i + 1 : i + 4]]
    if "swarmkit" in path:
        reqs.append(f"\t{main} v0.0.0-20250101000000-abcdefabcdef\n")
    body = f"module {path}\n\ngo 1.21\n\nrequire (\n{''.join(reqs)})\n"
    return httpx.Response(200, text=body)


@pytest.mark.realworld
def test_moby_scales_and_finds_swarmkit_cycle(httpx_mock: HTTPXMock, realworld: Path) -> None:
    project = load_project(realworld / "moby" / "vendor.mod")
    paths = [m.path for m in project.modules]
    assert len(paths) == 234
    httpx_mock.add_callback(lambda r: _fake_mod(r, project), url=None, is_reusable=True)
    g = build_module_graph(project, _client())
    assert g.unavailable() == {}
    assert len(g.nodes()) == 235
    # Main → every module, plus up to three "next module" edges each.
    assert len(g.edges()) == 234 + 3 * 231 + 2 + 1 + 1
    cycles = g.cycles_with_main()
    swarm = next(k for k in cycles if k.startswith("github.com/moby/swarmkit/v2@"))
    assert cycles[swarm] == (swarm, "github.com/docker/docker")
    # Every module before swarmkit reaches it through the "next" chain.
    assert len(cycles) == paths.index("github.com/moby/swarmkit/v2") + 1
