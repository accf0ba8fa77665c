"""`used` on a real vendored tree: Go's own cmd module, compared with `go list -deps`."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from vendaudit.analysis.graph import build_vendor_graph
from vendaudit.gomod import load_project


@pytest.mark.gotool
@pytest.mark.parametrize(
    ("pattern", "goos", "goarch"),
    [("./go", "linux", "amd64"), ("./...", "linux", "amd64"), ("./pprof", "windows", "arm64")],
)
def test_goroot_cmd_matches_go_list(
    go_tool: str, go_env: dict[str, str], pattern: str, goos: str, goarch: str
) -> None:
    goroot = Path(
        subprocess.run(
            [go_tool, "env", "GOROOT"], capture_output=True, text=True, check=True, env=go_env
        ).stdout.strip()
    )
    root = goroot / "src" / "cmd"
    if not (root / "vendor" / "modules.txt").is_file():
        pytest.skip("this Go distribution has no src/cmd/vendor")
    env = dict(go_env, GOOS=goos, GOARCH=goarch, GOFLAGS="-mod=vendor", CGO_ENABLED="0")
    out = subprocess.run(
        [go_tool, "list", "-deps", "-f", "{{.ImportPath}}", pattern],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    theirs = {p.removeprefix("cmd/vendor/") for p in out.split() if p.startswith("cmd/vendor/")}

    project = load_project(root / "go.mod")
    graph = build_vendor_graph(
        project, root / "vendor", goos=goos, goarch=goarch, patterns=(pattern,)
    )
    ours = {
        pkg
        for node in graph.to_json()["nodes"]
        if not node.get("main") and node.get("used")
        for pkg in node["packages"]
    }
    assert ours == theirs
