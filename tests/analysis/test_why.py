"""why(): package chains on vendor graphs (like go mod why -m), module chains otherwise."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from vendaudit.analysis.graph import ModuleGraph, build_vendor_graph
from vendaudit.analysis.why import format_why, why
from vendaudit.gomod.project import load_project
from vendaudit.model import Module

MODULES = [
    "example.com/a",
    "example.com/armdep",
    "example.com/b",
    "example.com/btrfs",
    "example.com/c",
    "example.com/cgodep",
    "example.com/d",
    "example.com/e",
    "example.com/f",
    "example.com/g",
    "example.com/h",
    "example.com/legacy",
    "example.com/noblank",
    "example.com/unused",
]


def _vendor_why(fixtures: Path) -> str:
    project = load_project(fixtures / "graph" / "vendortree" / "go.mod")
    g = build_vendor_graph(project, any_tags=True, tests=True)
    return format_why(why(g, MODULES))


def test_vendor_why_by_hand(fixtures: Path) -> None:
    out = _vendor_why(fixtures)
    assert "# example.com/b\nexample.com/app\nexample.com/b/plug\n" in out
    assert "# example.com/h\nexample.com/app\nexample.com/app.test\nexample.com/h\n" in out
    assert "# example.com/legacy\nexample.com/app/internal/x\nexample.com/c\n" in out
    assert "# example.com/g\n(main module does not need module example.com/g)\n" in out
    assert out.endswith(
        "# example.com/unused\n(main module does not need module example.com/unused)\n"
    )


def test_module_level_why() -> None:
    g = ModuleGraph("example.com/m", "proxy")
    a, b, c = (g.add_module(Module(p, "v1.0.0")) for p in ("x.io/a", "x.io/b", "x.io/c"))
    g.add_edge(g.main, a)
    g.add_edge(g.main, b)
    g.add_edge(a, c)
    g.add_edge(b, c)
    answers = why(g, ["x.io/c", "x.io/zzz"])
    assert answers == {"x.io/c": ["example.com/m", "x.io/a", "x.io/c"], "x.io/zzz": None}
    assert format_why(answers) == (
        "# x.io/c\nexample.com/m\nx.io/a\nx.io/c\n\n"
        "# x.io/zzz\n(main module does not need module x.io/zzz)\n"
    )


def _file_proxy(tree: Path, out: Path) -> None:
    """Serve every vendored module of ``tree`` as a GOPROXY directory (list/.info/.mod/.zip)."""
    for line in (tree / "vendor" / "modules.txt").read_text().splitlines():
        if not line.startswith("# "):
            continue
        _, path, version = line.split()[:3]
        d = out / path / "@v"
        d.mkdir(parents=True, exist_ok=True)
        mod = f"module {path}\n\ngo 1.20\n".encode()
        (d / f"{version}.mod").write_bytes(mod)
        (d / f"{version}.info").write_text(json.dumps({"Version": version}))
        (d / "list").write_text(version + "\n")
        with zipfile.ZipFile(d / f"{version}.zip", "w") as z:
            z.writestr(f"{path}@{version}/go.mod", mod)
            base = tree / "vendor" / path
            for f in sorted(base.rglob("*")):
                if f.is_file():
                    z.write(f, f"{path}@{version}/{f.relative_to(base).as_posix()}")


@pytest.mark.gotool
def test_matches_go_mod_why(
    fixtures: Path, tmp_path: Path, go_tool: str, go_env: dict[str, str]
) -> None:
    # go mod why always loads the module graph (-mod=mod), so the vendored modules are
    # served from a file:// proxy; vendor/ itself is left out of the work tree.
    tree = fixtures / "graph" / "vendortree"
    work = tmp_path / "work"
    shutil.copytree(tree, work, ignore=shutil.ignore_patterns("vendor"))
    _file_proxy(tree, tmp_path / "proxy")
    env = dict(go_env, GOPROXY=f"file://{tmp_path / 'proxy'}", GOSUMDB="off", GOFLAGS="-mod=mod")
    out = subprocess.run(
        [go_tool, "mod", "why", "-m", *MODULES],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert _vendor_why(fixtures) == out
