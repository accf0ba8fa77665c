"""Benchmark: build_vendor_graph over a generated 20k-file vendor tree.

Generates (once) under benchmarks/data/vendorscan/ a main module plus 400 vendored
modules × 10 packages × 5 files (20,000 .go files, some with build tags, `_windows.go`
suffixes, test files and a licence header), then times a cold-ish and a warm scan
(the second run benefits from the OS page cache only: vendaudit keeps no scan cache).

    .venv/bin/python benchmarks/graph_vendor_scan.py [--modules 400] [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

from vendaudit.analysis.graph import build_vendor_graph
from vendaudit.gomod.project import load_project

DATA = Path(__file__).resolve().parent / "data" / "vendorscan"
LICENCE = "// Copyright 2026 The Authors. All rights reserved.\n" * 12 + "\n"
PKGS, FILES = 10, 5


def _mod(i: int) -> str:
    return f"example.com/org{i % 23}/mod{i:04d}"


def generate(root: Path, n: int) -> None:
    """Write the tree; package p of module i imports package p of modules i+1 and i+7."""
    if root.exists():
        shutil.rmtree(root)
    vendor = root / "vendor"
    mt: list[str] = []
    for i in range(n):
        mod = _mod(i)
        mt += [f"# {mod} v1.0.{i}", "## explicit; go 1.21"]
        for p in range(PKGS):
            pkg = f"{mod}/pkg{p}"
            mt.append(pkg)
            d = vendor / pkg
            d.mkdir(parents=True)
            deps = [f"{_mod(j)}/pkg{p}" for j in (i + 1, i + 7) if j < n]
            for f in range(FILES):
                imports = ['"fmt"', '"strings"'] + [f'"{x}"' for x in deps if f == 0]
                tag = "//go:build linux && !nobench\n\n" if f == 1 else ""
                name = f"f{f}_windows.go" if f == 2 else f"f{f}.go"
                if f == 3:
                    name = f"f{f}_test.go"
                body = "".join(f"var _ = {k}\n" for k in range(40))
                (d / name).write_text(
                    f"{LICENCE}{tag}package pkg{p}\n\nimport (\n\t"
                    + "\n\t".join(imports)
                    + f"\n)\n\n{body}"
                )
    (vendor / "modules.txt").write_text("\n".join(mt) + "\n")
    reqs = "".join(f"\t{_mod(i)} v1.0.{i}\n" for i in range(n))
    (root / "go.mod").write_text(f"module example.com/bench\n\ngo 1.22\n\nrequire (\n{reqs})\n")
    # Importing every package of module 0 pulls in the whole tree through the chains.
    imports = "".join(f'import _ "{_mod(0)}/pkg{p}"\n' for p in range(PKGS))
    (root / "main.go").write_text(f"package main\n\n{imports}\nfunc main() {{}}\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--modules", type=int, default=400)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    marker = DATA / f".generated-{args.modules}"
    if not marker.exists():
        t0 = time.perf_counter()
        generate(DATA, args.modules)
        marker.touch()
        print(f"generated {args.modules * PKGS * FILES} files in {time.perf_counter() - t0:.1f} s")
    project = load_project(DATA / "go.mod")
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        graph = build_vendor_graph(project)
        times.append(time.perf_counter() - t0)
    assert graph.packages is not None
    used = sum(1 for n in graph.to_json()["nodes"] if n.get("used"))
    print(
        f"graph_vendor_scan: {args.modules * PKGS * FILES} files, "
        f"{len(graph.packages.packages)} packages compiled, {used} modules used: "
        f"first {times[0]:.2f} s, best {min(times):.2f} s ({args.repeat} runs)"
    )


if __name__ == "__main__":
    main()
