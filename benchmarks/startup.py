"""Benchmark: start-up and warm runs of ``vendaudit report`` against the import floor.

Usage::

    .venv/bin/python benchmarks/startup.py [--runs 7] [--manifest PATH/vendor.mod]

Measured, each as the median wall time of ``--runs`` fresh processes after one warming
run (the warming run fills vendaudit's caches: parsed and built indexes, entry points):

* floor — ``python -c 'import typer, httpx'``, the two libraries every CLI run needs;
* 1 target — ``vendaudit report MANIFEST --apt-lists -d debian:sid --no-tag-dates``;
* 3 targets — the same with ``-d debian:sid,debian:trixie,debian:bookworm``;
* ``--help`` and ``version`` — commands that must not import the audit.

Then the ratio 1-target / floor (the goal is ≤ 2.5) and, from ``python -X importtime``
of the 1-target run, the total import time and the slowest top-level imports.

The report commands need apt's deb-src lists (``/var/lib/apt/lists``) and the moby
manifest (``../shared/realworld``); a missing one is skipped with a note.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MOBY = ROOT.parent / "shared" / "realworld" / "moby" / "vendor.mod"
VENDAUDIT = [sys.executable, "-c", "from vendaudit.cli import main; main()"]


def _median_wall(cmd: list[str], runs: int) -> float:
    """Median wall seconds of ``runs`` runs of ``cmd`` after one warming run."""
    subprocess.run(cmd, capture_output=True, check=False)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


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


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--manifest", type=Path, default=MOBY)
    args = parser.parse_args()

    floor = _median_wall([sys.executable, "-c", "import typer, httpx"], args.runs)
    print(f"floor (import typer, httpx)      {floor * 1000:7.0f} ms")
    for label, argv in (("--help", ["--help"]), ("version", ["version"])):
        wall = _median_wall([*VENDAUDIT, *argv], args.runs)
        print(f"vendaudit {label:<22} {wall * 1000:7.0f} ms  ({wall / floor:.2f}x floor)")

    if not args.manifest.is_file() or not Path("/var/lib/apt/lists").is_dir():
        print(f"skipped the report runs: need {args.manifest} and /var/lib/apt/lists")
        return
    base = [*VENDAUDIT, "report", str(args.manifest), "--apt-lists", "--no-tag-dates"]
    one = [*base, "-d", "debian:sid"]
    three = [*base, "-d", "debian:sid,debian:trixie,debian:bookworm"]
    wall1 = _median_wall(one, args.runs)
    wall3 = _median_wall(three, args.runs)
    print(f"warm report, 1 target            {wall1 * 1000:7.0f} ms  ({wall1 / floor:.2f}x floor)")
    print(f"warm report, 3 targets           {wall3 * 1000:7.0f} ms  ({wall3 / floor:.2f}x floor)")
    total, top = _imports(one)
    print(f"imports of the 1-target run      {total * 1000:7.0f} ms (-X importtime, top level):")
    for seconds, name in top:
        print(f"  {seconds * 1000:7.1f} ms  {name}")
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("note: PYTHONDONTWRITEBYTECODE is set: an editable install recompiles every run")


if __name__ == "__main__":
    main()
