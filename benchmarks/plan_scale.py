"""Benchmark: the Debian plan (Build-Depends, Files-Excluded, keep) for 1k/5k/20k requirements.

Synthetic but shaped like real manifests: modules spread over hosting sites and accounts,
nested sub-modules (``.../sdk/service/sN``) of which some are kept while their parent is
used (the case that makes Files-Excluded look inside a module), two to four vendored
packages each, and a mix of verdicts (70 % satisfied, 10 % outdated, 15 % missing,
5 % unknown).  Times :func:`build_debian_plan` alone, the median of ``--repeat`` runs, and
prints the per-module cost.  ``--cli`` also times the whole ``vendaudit report`` command
(a subprocess) on the same modules written as go.mod + vendor/modules.txt + a plain
``Sources`` index, offline and without tag dates.

    .venv/bin/python benchmarks/plan_scale.py [--sizes 1000,5000,20000] [--repeat 3] [--cli]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from vendaudit.distros.debian.plan import build_debian_plan
from vendaudit.model import DistroPackage, Finding, MatchKind, Module, Project, Target, Verdict
from vendaudit.versions.debian import debian_to_go

SID = Target("debian", "sid")
_HOSTS = ("github.com", "gitlab.com", "go.example.org", "k8s.io", "golang.org/x")


def _modules(n: int) -> list[Module]:
    mods: list[Module] = []
    i = 0
    while len(mods) < n:
        host = _HOSTS[i % len(_HOSTS)]
        root = f"{host}/org{i % 97}/repo{i}"
        pkgs = (root, *(f"{root}/pkg{j}" for j in range(i % 3 + 1)))
        mods.append(Module(root, f"v1.{i % 50}.{i % 7}", packages=pkgs))
        # Every fifth repository has nested modules (aws-sdk-go-v2 style).
        for s in range(4 if i % 5 == 0 else 0):
            sub = f"{root}/sdk/service/s{s}"
            mods.append(Module(sub, f"v1.{s}.0", indirect=True, packages=(sub, f"{sub}/types")))
        i += 1
    return sorted(mods[:n], key=lambda m: m.path)


def _finding(i: int, mod: Module) -> Finding:
    binary = "golang-" + mod.path.replace("/", "-").replace(".", "-").lower() + "-dev"
    pkg = DistroPackage(
        binary.removesuffix("-dev"), binary, debian_to_go("1.0.0-1"), mod.path, MatchKind.EXACT, 1
    )
    r = i % 20
    if r < 14:
        return Finding(mod, SID, Verdict.SATISFIED, pkg)
    if r < 16:
        return Finding(mod, SID, Verdict.OUTDATED, pkg, behind="1 minor version")
    if r < 19:
        return Finding(mod, SID, Verdict.MISSING)
    return Finding(mod, SID, Verdict.UNKNOWN, reason="cannot compare")


def _run(n: int, repeat: int) -> float:
    mods = _modules(n)
    findings = [_finding(i, m) for i, m in enumerate(mods)]
    project = Project(
        "bench/go.mod", "example.com/bench", "1.22", tuple(mods), modules_txt="vendor/modules.txt"
    )
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        plan = build_debian_plan(project, findings, target=SID)
        times.append(time.perf_counter() - t0)
    assert plan.build_depends and plan.files_excluded and plan.keep
    return statistics.median(times)


def _write_tree(root: Path, mods: list[Module]) -> None:
    """go.mod + vendor/modules.txt + a plain Sources index for the whole command."""
    req = "".join(f"\t{m.path} {m.version}{' // indirect' if m.indirect else ''}\n" for m in mods)
    (root / "go.mod").write_text(f"module example.com/bench\n\ngo 1.22\n\nrequire (\n{req})\n")
    txt = []
    for m in mods:
        txt.append(f"# {m.path} {m.version}\n## explicit; go 1.20\n")
        txt += [f"{p}\n" for p in m.packages]
    (root / "vendor").mkdir()
    (root / "vendor" / "modules.txt").write_text("".join(txt))
    stanzas = []
    for i, m in enumerate(mods):
        if i % 20 >= 16:
            continue  # missing / unknown
        name = "golang-" + m.path.replace("/", "-").replace(".", "-").lower()
        stanzas.append(
            f"Package: {name}\nBinary: {name}-dev\nVersion: 1.{i % 60}.0-1\n"
            f"Architecture: all\nGo-Import-Path: {m.path}\nDirectory: pool/main/g/{name}\n"
        )
    (root / "Sources").write_text("\n".join(stanzas))


def _run_cli(n: int, repeat: int) -> float:
    mods = _modules(n)
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        _write_tree(root, mods)
        cmd = [
            sys.executable, "-m", "vendaudit", "report", str(root / "go.mod"),
            "--index", f"debian:sid={root / 'Sources'}", "--no-tag-dates", "--offline",
            "--cache-dir", str(root / "cache"), "--format", "json", "-o", str(root / "r.json"),
        ]  # fmt: skip
        for _ in range(repeat):
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, stderr=subprocess.DEVNULL)
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    """Time the plan pass at each size and print seconds and microseconds per module."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,5000,20000")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cli", action="store_true", help="also time the whole report command")
    args = ap.parse_args()
    for n in (int(s) for s in args.sizes.split(",")):
        t = _run(n, args.repeat)
        line = f"{n:>6} requirements: plan {t:.3f} s  ({t / n * 1e6:.1f} µs/module)"
        if args.cli:
            c = _run_cli(n, args.repeat)
            line += f"; whole command {c:.2f} s ({c / n * 1e3:.2f} ms/module)"
        print(line)


if __name__ == "__main__":
    main()
