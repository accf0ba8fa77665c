"""Benchmark: the sweep's audit step over a directory of real applications' go.mod files.

Usage::

    .venv/bin/python benchmarks/sweep.py DIR [--distro debian:sid] [--runs 3] [--check N]

``DIR`` is ``DIR/<application>/go.mod`` (make one with ``benchmarks/sweep_corpus.py``).
Targets come from apt's lists (``--apt-lists``; see ``debian_index.py`` for the deb-src
line).  Measured, in one process, after one warming run: loading the targets (warm
caches), and the audit step — load every manifest, audit, plan, build the report, write
one JSON report per application, fold the archive view — best and median of ``--runs``.
Fetching is excluded (the manifests are local).

``--check N`` then runs ``vendaudit report`` separately for N applications spread over the
directory and compares their JSON verdicts with the sweep's per-application reports.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vendaudit import api  # noqa: E402
from vendaudit.distros.debian.aptlists import DEFAULT_LISTS_DIR  # noqa: E402
from vendaudit.report.model import Report  # noqa: E402
from vendaudit.sweep.local import read_manifest_dir  # noqa: E402
from vendaudit.sweep.run import run_sweep  # noqa: E402


def _verdicts(doc: dict[str, object]) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for module in doc["modules"]:  # type: ignore[attr-defined]
        for tid, cell in module["results"].items():
            out[(module["path"], tid)] = cell["verdict"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--distro", default="debian:sid")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--check", type=int, default=0)
    parser.add_argument("--cache-dir", type=Path, default=None)
    args = parser.parse_args()
    targets = args.distro.split(",")
    lookup = api.LookupOptions(apt_lists=DEFAULT_LISTS_DIR)
    cache_dir = args.cache_dir or Path(tempfile.mkdtemp(prefix="vendaudit-sweep-cache-"))
    api.load_targets(targets, lookup, cache_dir=cache_dir).close()  # warm the index cache
    start = time.perf_counter()
    loaded = api.load_targets(targets, lookup, cache_dir=cache_dir)
    load_s = time.perf_counter() - start
    manifests = read_manifest_dir(args.dir)
    options = api.AuditOptions(
        tag_dates=False, graph=api.GraphChoice.NONE, licenses=False, generated_at="bench"
    )

    def audit_one(path: Path) -> Report:
        return api.audit(api.load_project(path), loaded, options)

    out = Path(tempfile.mkdtemp(prefix="vendaudit-sweep-out-"))
    times = []
    view = None
    for _ in range(args.runs + 1):
        start = time.perf_counter()
        view = run_sweep(
            manifests, audit_one, targets, rule="bench", generated_at="bench", output_dir=out
        )
        times.append(time.perf_counter() - start)
    times = times[1:]
    assert view is not None
    n = len(manifests)
    print(f"applications: {n} ({view.audited} audited), targets: {', '.join(targets)}")
    print(f"target load (warm): {load_s:.2f} s")
    print(
        f"audit step: best {min(times):.2f} s, median {statistics.median(times):.2f} s "
        f"({1000 * min(times) / n:.1f} ms per application)"
    )
    if args.check:
        audited = [a for a in view.apps if a.error is None]
        step = max(1, len(audited) // args.check)
        mismatches = 0
        for app in audited[::step][: args.check]:
            cmd = [
                sys.executable,
                "-m",
                "vendaudit",
                "report",
                str(app.manifest),
                "--apt-lists",
                "-d",
                args.distro,
                "--no-tag-dates",
                "--graph",
                "none",
                "--no-licenses",
                "--format",
                "json",
                "--cache-dir",
                str(cache_dir),
            ]
            proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
            separate = _verdicts(json.loads(proc.stdout))
            batch = _verdicts(json.loads((out / str(app.report)).read_text()))
            if separate != batch:
                mismatches += 1
                print(f"MISMATCH {app.source}")
        print(f"separate runs checked: {min(args.check, len(audited))}, mismatches: {mismatches}")
    loaded.close()


if __name__ == "__main__":
    main()
