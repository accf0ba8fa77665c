"""``report M1 M2 … --output-dir`` against N separate ``report`` runs, with identical results.

Usage (a directory of real Debian applications' go.mod files, as
``benchmarks/sweep_corpus.py DIR`` makes it)::

    python benchmarks/batch.py --corpus DIR -n 53
    python benchmarks/batch.py --corpus DIR -n 53 -- --index debian:sid=sid-Sources.xz

Everything after ``--`` is passed to every ``report`` run (default: ``--apt-lists -d
debian:sid``); ``--no-tag-dates -f json`` is always added so both ways do the same work.
One untimed warm-up run fills the caches first.  Both ways must give byte-identical JSON
reports (only ``generated_at`` differs) and the same worst exit code, or the script fails.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from vendaudit.cli.report import report_names

DEFAULT_INDEX = ["--apt-lists", "-d", "debian:sid"]


def _report(args: list[str]) -> int:
    cmd = [sys.executable, "-m", "vendaudit", "report", *args]
    return subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode


def _doc(path: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    doc.pop("generated_at")
    return doc


def main() -> int:
    """Time both ways, check they agree, print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True, help="DIR/<app>/go.mod")
    parser.add_argument("-n", type=int, default=53, help="how many applications (sorted)")
    parser.add_argument("extra", nargs="*", help="options for every run (after --)")
    opts = parser.parse_args()
    manifests = sorted(opts.corpus.glob("*/go.mod"))[: opts.n]
    if len(manifests) < opts.n:
        sys.exit(f"{opts.corpus}: only {len(manifests)} go.mod files")
    common = [*(opts.extra or DEFAULT_INDEX), "--no-tag-dates", "-f", "json"]
    names = report_names(manifests)
    with tempfile.TemporaryDirectory(prefix="vendaudit-batch-") as tmp:
        sep_dir, batch_dir = Path(tmp, "separate"), Path(tmp, "batch")
        sep_dir.mkdir()
        _report([str(manifests[0]), *common, "-o", str(Path(tmp, "warm.json"))])

        start = time.perf_counter()
        codes = [
            _report([str(m), *common, "-o", str(sep_dir / f"{name}.json")])
            for m, name in zip(manifests, names, strict=True)
        ]
        separate = time.perf_counter() - start

        start = time.perf_counter()
        batch_code = _report([*map(str, manifests), *common, "--output-dir", str(batch_dir)])
        batch = time.perf_counter() - start

        differ = [
            name
            for name in names
            if _doc(sep_dir / f"{name}.json") != _doc(batch_dir / f"{name}.json")
        ]
        modules = sum(len(_doc(batch_dir / f"{n}.json")["modules"]) for n in names)
    print(f"applications: {len(manifests)} ({modules} required modules), options: {common}")
    print(f"separate runs: {separate:.2f} s ({separate / len(manifests) * 1000:.0f} ms each)")
    print(f"one batch run: {batch:.2f} s")
    print(f"speed-up:      {separate / batch:.1f}x")
    print(f"exit codes:    separate worst {max(codes)}, batch {batch_code}")
    if differ or max(codes) != batch_code:
        print(f"MISMATCH: {len(differ)} reports differ: {', '.join(differ[:10])}")
        return 1
    print(f"identical:     all {len(names)} reports (generated_at aside)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
