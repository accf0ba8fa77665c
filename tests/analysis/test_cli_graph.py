"""CLI: ``vendaudit graph`` and ``vendaudit why``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpx import HTTPXMock
from typer.testing import CliRunner, Result

import vendaudit.cli.graph  # noqa: F401 - registers the commands on the app
from vendaudit.cli.app import app

P = "https://proxy.example"


@pytest.fixture
def tree(fixtures: Path) -> Path:
    return fixtures / "graph" / "vendortree"


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for var in ("GOOS", "GOARCH", "GOFLAGS", "CGO_ENABLED", "GOPRIVATE", "GONOPROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("GOPROXY", P)
    monkeypatch.setenv("VENDAUDIT_CACHE_DIR", str(tmp_path / "cache"))


def run(*args: str) -> Result:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_graph_vendor_json(tree: Path) -> None:
    result = run("graph", str(tree), "--source", "vendor")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    used = {n["path"]: n["used"] for n in doc["nodes"] if not n["main"]}
    assert len(used) == 14
    assert {p for p, u in used.items() if u} == {
        "example.com/a",
        "example.com/b",
        "example.com/btrfs",
        "example.com/c",
        "example.com/d",
        "example.com/noblank",
    }
    assert "example.com/unused@v1.0.0" in doc["unused"]


def test_graph_vendor_options(tree: Path) -> None:
    args = ["graph", str(tree), "--source", "vendor", "--goos", "windows", "--format", "text"]
    result = run(*args)
    assert result.exit_code == 0
    assert "example.com/app example.com/e@v1.0.0\n" in result.stdout
    result = run("graph", str(tree), "--source", "vendor", "--tags", "cgo", "--tests")
    used = {n["path"] for n in json.loads(result.stdout)["nodes"] if n.get("used")}
    assert {"example.com/cgodep", "example.com/h"} <= used
    result = run("graph", str(tree), "--source", "vendor", "--packages", "./internal/...")
    used = {n["path"] for n in json.loads(result.stdout)["nodes"] if n.get("used")}
    assert "example.com/a" not in used


@pytest.mark.parametrize(("fmt", "start"), [("dot", "digraph modules {"), ("mermaid", "graph LR")])
def test_graph_formats(tree: Path, fmt: str, start: str) -> None:
    result = run("graph", str(tree), "--source", "vendor", "--format", fmt)
    assert result.exit_code == 0
    assert result.stdout.startswith(start)


def test_bad_manifest_exits_3(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text("module example.com/x\nfoo bar\n")
    result = run("graph", str(tmp_path / "go.mod"))
    assert result.exit_code == 3
    assert "unknown directive: foo" in result.stderr
    assert run("why", str(tmp_path / "missing.mod"), "x.io/a").exit_code == 3


def test_bad_goproxy_is_a_usage_error(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOPROXY", ",")
    result = run("graph", str(tree))
    assert result.exit_code == 2
    assert "contains no entries" in result.stderr


def _proxy_project(tmp_path: Path) -> Path:
    (tmp_path / "go.mod").write_text(
        "module example.com/m\n\ngo 1.22\n\nrequire (\n\texample.com/a v1.0.0\n"
        "\texample.com/b v1.0.0\n)\n"
    )
    return tmp_path / "go.mod"


def test_graph_proxy_partial_then_offline(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    manifest = _proxy_project(tmp_path)
    httpx_mock.add_response(
        url=f"{P}/example.com/a/@v/v1.0.0.mod",
        text="module example.com/a\nrequire (\n\texample.com/b v0.9.0\n\texample.com/m v0.1.0\n)\n",
    )
    httpx_mock.add_response(url=f"{P}/example.com/b/@v/v1.0.0.mod", status_code=404)
    result = run("graph", str(manifest), "--format", "text")
    assert result.exit_code == 0
    assert result.stdout == (
        "example.com/m example.com/a@v1.0.0\n"
        "example.com/m example.com/b@v1.0.0\n"
        "example.com/a@v1.0.0 example.com/b@v1.0.0\n"
        "example.com/a@v1.0.0 example.com/m\n"
    )
    assert "warning: 1 of 2 go.mod files unavailable" in result.stderr
    assert "example.com/b@v1.0.0" in result.stderr
    # Offline: a comes from the cache, b is still missing; no new request is made.
    result = run("graph", str(manifest), "--offline")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["cycles_with_main"] == {
        "example.com/a@v1.0.0": ["example.com/a@v1.0.0", "example.com/m"]
    }
    assert len(httpx_mock.get_requests()) == 2


def test_why_proxy(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    manifest = _proxy_project(tmp_path)
    httpx_mock.add_response(url=f"{P}/example.com/a/@v/v1.0.0.mod", text="module example.com/a\n")
    httpx_mock.add_response(url=f"{P}/example.com/b/@v/v1.0.0.mod", text="module example.com/b\n")
    result = run("why", str(manifest), "example.com/b", "example.com/zzz")
    assert result.exit_code == 0
    assert result.stdout == (
        "# example.com/b\nexample.com/m\nexample.com/b\n\n"
        "# example.com/zzz\n(main module does not need module example.com/zzz)\n"
    )


def test_why_vendor(tree: Path) -> None:
    result = run("why", str(tree), "example.com/e", "example.com/g", "--source", "vendor")
    assert result.exit_code == 0
    assert result.stdout == (
        "# example.com/e\nexample.com/app/internal/x\nexample.com/e\n\n"
        "# example.com/g\n(main module does not need module example.com/g)\n"
    )
    strict = run("why", str(tree), "example.com/e", "--source", "vendor", "--no-all-tags")
    assert "(main module does not need module example.com/e)" in strict.stdout


def test_graph_and_why_default_to_the_vendor_tree_and_say_so(tree: Path) -> None:
    result = run("graph", str(tree / "go.mod"), "--format", "text")
    assert result.exit_code == 0, result.stderr
    assert "vendaudit: graph from the vendor tree" in result.stderr
    assert "example.com/a" in result.stdout
    result = run("why", str(tree / "go.mod"), "example.com/a")
    assert result.exit_code == 0, result.stderr
    assert "graph from the vendor tree" in result.stderr


def test_an_empty_vendor_graph_is_said(tree: Path) -> None:
    result = run("graph", str(tree / "go.mod"), "--packages", "example.com/app/nothing/...")
    assert result.exit_code == 0
    assert "warning: the vendor graph is empty" in result.stderr
