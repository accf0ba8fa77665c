"""Benchmark: start-up and warm runs of ``vendaudit report`` against the import floor.

Usage::

    .venv/bin/python benchmarks/startup.py [--runs 9] [--manifest PATH/vendor.mod]
        [--sources FILE] [--no-bytecode]

Every figure is the median of ``--runs`` fresh processes after one warming run (which
fills vendaudit's caches: parsed and built indexes, entry points), both wall time and CPU
time (user + sys of the child, which a machine shared with other jobs inflates less).
The commands are run round-robin, one of each per round, so a load that comes and goes
hits them all alike; the load average is printed with the figures.

* floor — ``python -c 'import typer, httpx'``, the two libraries every CLI run needs;
* ``--help`` and ``version`` — commands that must not import the audit;
* the warm moby report (``report MANIFEST -d debian:sid --no-tag-dates``) as CI runs it,
  table to a pipe: with ``--apt-lists``; ``-f json``; ``--offline``; from a local
  Sources file (``--index debian:sid=FILE``, apt's sid list unless ``--sources``); with
  ``--modules-txt`` named; and with three targets.

Then the ratios to the floor (the goal is ≤ 2.5) and, from ``python -X importtime`` of
the first report, the total import time and the slowest top-level imports.

Bytecode: by default vendaudit's bytecode is written first (``compileall``, as the first
run without ``PYTHONDONTWRITEBYTECODE`` would), so even with that variable set the runs
read it.  ``--no-bytecode`` removes it and sets the variable for the runs: an editable
install then compiles every vendaudit module on every run, while the floor's libraries
were compiled by pip.

The report commands need apt's deb-src lists (``/var/lib/apt/lists``) and the moby
manifest (``../shared/realworld``); a missing one is skipped with a note.
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MOBY = ROOT.parent / "shared" / "realworld" / "moby" / "vendor.mod"
LISTS = Path("/var/lib/apt/lists")
VENDAUDIT = [sys.executable, "-c", "from vendaudit.cli import main; main()"]


def _run(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + sys) seconds of one run of ``cmd``, output discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def _medians(cmds: dict[str, list[str]], runs: int) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) per command: one warming run each, then ``runs`` rounds."""
    for cmd in cmds.values():
        _run(cmd)
    walls: dict[str, list[float]] = {k: [] for k in cmds}
    cpus: dict[str, list[float]] = {k: [] for k in cmds}
    for _ in range(runs):
        for key, cmd in cmds.items():
            wall, cpu = _run(cmd)
            walls[key].append(wall)
            cpus[key].append(cpu)
    return {k: (statistics.median(walls[k]), statistics.median(cpus[k])) for k in cmds}


def _imports(cmd: list[str]) -> tuple[float, list[tuple[float, str]]]:
    """Total import seconds and the slowest top-level imports (``-X importtime``)."""
    done = subprocess.run(
        [cmd[0], "-X", "importtime", *cmd[1:]], capture_output=True, text=True, check=False
    )
    rows = []
    for line in done.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m and m.group(3) == " ":  # a top-level import (not nested in another)
            rows.append((int(m.group(2)) / 1e6, m.group(4)))
    return sum(s for s, _ in rows), sorted(rows, reverse=True)[:12]


def _sid_sources() -> Path | None:
    found = sorted(LISTS.glob("*_dists_sid_main_source_Sources*"))
    return found[0] if found else None


def _reports(manifest: Path, sources: Path | None) -> dict[str, list[str]]:
    base = [*VENDAUDIT, "report", str(manifest), "--no-tag-dates"]
    apt = [*base, "-d", "debian:sid", "--apt-lists"]
    cmds = {
        "report, table": apt,
        "report, -f json": [*apt, "-f", "json"],
        "report, --offline": [*apt, "--offline"],
    }
    if sources is not None:
        cmds["report, --index FILE"] = [*base, "--index", f"debian:sid={sources}"]
    modules_txt = manifest.parent / "vendor" / "modules.txt"
    if modules_txt.is_file():
        cmds["report, --modules-txt"] = [*apt, "--modules-txt", str(modules_txt)]
    cmds["report, 3 targets"] = [
        *base,
        "--apt-lists",
        "-d",
        "debian:sid,debian:trixie,debian:bookworm",
    ]
    return cmds


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--manifest", type=Path, default=MOBY)
    parser.add_argument("--sources", type=Path, help="a Sources file for --index")
    parser.add_argument(
        "--no-bytecode",
        action="store_true",
        help="measure without vendaudit's bytecode (as PYTHONDONTWRITEBYTECODE leaves it)",
    )
    args = parser.parse_args()

    package = ROOT / "vendaudit"
    if args.no_bytecode:
        for cache in package.rglob("__pycache__"):
            shutil.rmtree(cache, ignore_errors=True)
        os.environ["PYTHONDONTWRITEBYTECODE"] = "1"  # for the children: compile every run
        regime = "none: vendaudit compiled on every run (PYTHONDONTWRITEBYTECODE=1)"
    else:
        compileall.compile_dir(package, quiet=1)
        regime = "vendaudit's bytecode written first (compileall), as any run writes it"

    cmds = {
        "floor (import typer, httpx)": [sys.executable, "-c", "import typer, httpx"],
        "vendaudit --help": [*VENDAUDIT, "--help"],
        "vendaudit version": [*VENDAUDIT, "version"],
    }
    reports: dict[str, list[str]] = {}
    if args.manifest.is_file() and LISTS.is_dir():
        reports = _reports(args.manifest, args.sources or _sid_sources())
    else:
        print(f"skipped the report runs: need {args.manifest} and {LISTS}")
    load_before = os.getloadavg()
    results = _medians({**cmds, **reports}, args.runs)
    load_after = os.getloadavg()

    floor_wall, floor_cpu = results["floor (import typer, httpx)"]
    print(f"bytecode: {regime}")
    print(f"medians of {args.runs} runs; load average {load_before[0]:.2f} -> {load_after[0]:.2f}")
    print(f"{'':32} {'wall':>8} {'CPU':>8}   wall/floor  CPU/floor")
    for label, (wall, cpu) in results.items():
        print(
            f"{label:32} {wall * 1000:6.0f}ms {cpu * 1000:6.0f}ms"
            f"   {wall / floor_wall:9.2f}x {cpu / floor_cpu:9.2f}x"
        )
    if reports:
        total, top = _imports(next(iter(reports.values())))
        print(f"imports of the table report {total * 1000:7.0f} ms (-X importtime, top level):")
        for seconds, name in top:
            print(f"  {seconds * 1000:7.1f} ms  {name}")


if __name__ == "__main__":
    main()
