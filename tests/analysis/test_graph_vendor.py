"""build_vendor_graph on fixtures/graph/vendortree, checked by hand and against go list."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from vendaudit.analysis.graph import build_vendor_graph
from vendaudit.gomod.project import load_project

ALWAYS = {"example.com/a", "example.com/b", "example.com/c", "example.com/noblank"}
# (goos, goarch, tags, cgo, tests) → modules used besides ALWAYS; see fixtures/graph/README.md.
CASES = [
    ("linux", "amd64", (), False, False, {"example.com/btrfs", "example.com/d"}),
    (
        "linux",
        "amd64",
        (),
        True,
        False,
        {"example.com/btrfs", "example.com/d", "example.com/cgodep"},
    ),
    ("windows", "amd64", (), False, False, {"example.com/e", "example.com/f"}),
    ("linux", "amd64", ("exclude_graphdriver_btrfs",), False, False, {"example.com/d"}),
    (
        "darwin",
        "arm64",
        (),
        False,
        False,
        {"example.com/f", "example.com/legacy", "example.com/armdep"},
    ),
    ("linux", "amd64", (), False, True, {"example.com/btrfs", "example.com/d", "example.com/h"}),
]
IDS = ["linux", "linux-cgo", "windows", "no-btrfs", "darwin-arm64", "tests"]


def _used(fixtures: Path, case: tuple) -> set[str]:  # type: ignore[type-arg]
    goos, goarch, tags, cgo, tests, _ = case
    project = load_project(fixtures / "graph" / "vendortree" / "go.mod")
    g = build_vendor_graph(project, goos=goos, goarch=goarch, tags=tags, cgo=cgo, tests=tests)
    doc = g.to_json()
    return {n["path"] for n in doc["nodes"] if n.get("used")}


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_used_modules(fixtures: Path, case: tuple) -> None:  # type: ignore[type-arg]
    assert _used(fixtures, case) == ALWAYS | case[-1]


def test_every_required_module_has_used(fixtures: Path) -> None:
    project = load_project(fixtures / "graph" / "vendortree" / "go.mod")
    g = build_vendor_graph(project)
    doc = g.to_json()
    flags = {n["path"]: n["used"] for n in doc["nodes"] if not n["main"]}
    assert set(flags) == {m.path for m in project.modules}
    assert "example.com/unused@v1.0.0" in doc["unused"]
    assert ("example.com/a@v1.0.0", "example.com/b@v1.1.0") in g.edges()
    assert g.packages is not None
    assert g.packages.roots == ("example.com/app", "example.com/app/internal/x")
    assert "example.com/g" not in g.packages.packages  # only testdata/_old/ignored import it


def test_packages_pattern_restricts_roots(fixtures: Path) -> None:
    project = load_project(fixtures / "graph" / "vendortree" / "go.mod")
    g = build_vendor_graph(project, patterns=["./internal/..."])
    assert g.packages is not None
    assert g.packages.roots == ("example.com/app/internal/x",)
    assert "example.com/a@v1.0.0" in g.unused()


@pytest.mark.gotool
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_matches_go_list(
    fixtures: Path,
    tmp_path: Path,
    go_tool: str,
    go_env: dict[str, str],
    case: tuple,  # type: ignore[type-arg]
) -> None:
    goos, goarch, tags, cgo, tests, _ = case
    work = tmp_path / "app"
    shutil.copytree(fixtures / "graph" / "vendortree", work)
    env = dict(go_env)
    env.update(
        GOOS=goos,
        GOARCH=goarch,
        CGO_ENABLED="1" if cgo else "0",
        GOFLAGS="-mod=vendor" + (f" -tags={','.join(tags)}" if tags else ""),
    )
    cmd = [go_tool, "list", "-deps", "-f", "{{with .Module}}{{.Path}}{{end}}"]
    cmd += ["-test"] if tests else []
    out = subprocess.run(
        [*cmd, "./..."], cwd=work, env=env, capture_output=True, text=True, check=True
    ).stdout
    go_used = {line for line in out.split() if line} - {"example.com/app"}
    assert _used(fixtures, case) == go_used
    assert os.path.isdir(work / "vendor")
