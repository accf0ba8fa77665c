"""Benchmark: Debian Sources acquisition (decompress + parse) against the shell floor.

Usage::

    .venv/bin/python benchmarks/debian_index.py [--suite sid] [--runs 3] [--python-debian]

Data: ``benchmarks/data/<suite>-main-Sources.xz`` (gitignored).  When missing, it is made
from apt's lists — which needs a ``deb-src`` line for the suite, e.g. a file
``/etc/apt/sources.list.d/vendaudit-debsrc.sources``::

    Types: deb-src
    URIs: http://deb.debian.org/debian
    Suites: sid trixie bookworm
    Components: main
    Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

then ``apt-get update``.  apt keeps the list lz4-compressed; this script recompresses it
single-threaded with ``xz -6`` (as the archive's own Sources.xz is one xz stream), so the
floor ``xz -dc | grep -c`` cannot use parallel decompression either.

Measured (each the best of ``--runs``):

* floor — ``xz -dc Sources.xz | grep -c Go-Import-Path`` wall time;
* cold — read + decompress + :func:`parse_sources` + cache write, empty cache;
* warm — the same call with the parsed-index cache filled (hash + JSON load);
* backend cold/warm — :class:`DebianArchiveBackend` with ``--index``, DebianIndex included;
* peak RSS of a cold parse, in a fresh child process;
* ``--python-debian``: python-debian's deb822 parse of every stanza, and of Go stanzas only.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
APT_LISTS = Path("/var/lib/apt/lists")


def data_file(suite: str) -> Path:
    """``benchmarks/data/<suite>-main-Sources.xz``, made from apt's lists when missing."""
    target = DATA / f"{suite}-main-Sources.xz"
    if target.exists():
        return target
    lists = sorted(APT_LISTS.glob(f"*_dists_{suite}_main_source_Sources*"))
    if not lists:
        sys.exit(
            f"no {target} and no apt list for {suite}: add a deb-src line (see this "
            "script's docstring) and run apt-get update"
        )
    sys.path.insert(0, str(ROOT))
    from vendaudit.distros.debian.compression import decompress

    plain = decompress(lists[0].read_bytes(), lists[0].name)
    DATA.mkdir(parents=True, exist_ok=True)
    print(f"recompressing {lists[0]} -> {target} (xz -6, one thread; takes a minute)")
    tmp = target.with_suffix(".tmp")
    with tmp.open("wb") as out:
        subprocess.run(["xz", "-6", "-T1", "-c"], input=plain, stdout=out, check=True)
    tmp.rename(target)
    return target


def best(runs: int, fn: Callable[[], object], setup: Callable[[], None] | None = None) -> float:
    """The best wall time of ``runs`` calls of ``fn`` (``setup`` runs untimed before each)."""
    times = []
    for _ in range(runs):
        if setup is not None:
            setup()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def floor(path: Path, runs: int) -> float:
    """``xz -dc | grep -c Go-Import-Path`` wall time."""
    cmd = f"xz -dc '{path}' | grep -c Go-Import-Path"
    return best(runs, lambda: subprocess.run(["sh", "-c", cmd], check=True, capture_output=True))


def child_peak(path: Path) -> None:
    """Child mode: one cold parse as the backend does it, then print peak RSS in MiB."""
    from vendaudit.distros.debian.archive import _parse_raw

    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    _, _, entries = _parse_raw(path.name)(path.read_bytes())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{peak / 1024:.0f} {(peak - base) / 1024:.0f} {len(entries)}")


def python_debian(plain: bytes, runs: int) -> tuple[float, float]:
    """python-debian: full deb822 parse of all stanzas; and of Go stanzas only."""
    from debian.deb822 import Sources

    def full() -> int:
        n = 0
        for para in Sources.iter_paragraphs(plain, use_apt_pkg=False):
            if "Go-Import-Path" in para and para.get("Extra-Source-Only") != "yes":
                n += 1
        return n

    def go_only() -> int:
        n = 0
        for chunk in plain.split(b"\n\n"):
            if b"\nGo-Import-Path:" in chunk:
                para = Sources(chunk)
                n += para.get("Extra-Source-Only") != "yes"
        return n

    return best(1, full), best(runs, go_only)


def main() -> None:
    """Run the measurements and print a small report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--suite", default="sid")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--python-debian", action="store_true")
    parser.add_argument("--child-peak", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.child_peak:
        child_peak(args.child_peak)
        return

    from vendaudit.distros.debian.archive import DebianArchiveBackend, _parse_raw
    from vendaudit.distros.debian.compression import decompress
    from vendaudit.distros.debian.indexcache import parse_cached
    from vendaudit.distros.debian.sources import parse_sources
    from vendaudit.fetch import Cache, Fetcher, make_client
    from vendaudit.model import Target

    path = data_file(args.suite)
    # The child runs first: Linux carries the parent's ru_maxrss over fork+exec.
    peak = subprocess.run(
        [sys.executable, __file__, "--child-peak", str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()

    raw = path.read_bytes()
    plain = decompress(raw, path.name)
    entries = parse_sources(plain)
    stanzas = plain.count(b"\n\n") + 1
    print(f"{path}: {len(raw) / 1e6:.1f} MB xz, {len(plain) / 1e6:.1f} MB plain,")
    print(f"  {stanzas} stanzas, {len(entries)} Go sources (non-ESO, deduped)")

    parse = _parse_raw(path.name)  # what the backend runs: streamed xz, hashed, parsed

    tmp = Path(tempfile.mkdtemp(prefix="vendaudit-bench-"))
    try:
        cache = Cache(tmp / "cache")

        def wipe() -> None:
            shutil.rmtree(tmp / "cache", ignore_errors=True)

        # Floor and cold alternate, one run each per round, so both see the same machine load.
        t_floor = t_cold = float("inf")
        for _ in range(args.runs):
            t_floor = min(t_floor, floor(path, 1))
            t_cold = min(
                t_cold, best(1, lambda: parse_cached(path.read_bytes(), cache, parse), wipe)
            )
        t_parse_only = best(args.runs, lambda: parse_sources(plain))
        t_warm = best(args.runs, lambda: parse_cached(path.read_bytes(), cache, parse))

        target = Target("debian", args.suite)

        def load() -> None:
            fetcher = Fetcher(make_client(), cache, offline=True)
            DebianArchiveBackend(fetcher, local_indexes={target.id: [path]}).load(target)

        t_b_cold = best(args.runs, load, wipe)
        t_b_warm = best(args.runs, load)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"floor  xz -dc | grep -c        {t_floor:7.3f} s")
    print(f"parse  parse_sources(plain)    {t_parse_only:7.3f} s")
    print(f"cold   decompress+parse+store  {t_cold:7.3f} s  ({t_cold / t_floor:.2f}x floor)")
    print(f"warm   parsed-index cache      {t_warm:7.3f} s")
    print(f"backend --index cold           {t_b_cold:7.3f} s  (incl. DebianIndex)")
    print(f"backend --index warm           {t_b_warm:7.3f} s")
    print(f"peak RSS of a cold parse       {peak[0]:>7} MiB (+{peak[1]} over imports)")
    if args.python_debian:
        t_full, t_go = python_debian(plain, args.runs)
        print(f"python-debian, every stanza    {t_full:7.3f} s")
        print(f"python-debian, Go stanzas only {t_go:7.3f} s  (split on blank lines first)")


if __name__ == "__main__":
    main()
