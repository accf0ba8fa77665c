"""Differential corpus check of vendaudit's go.mod parser against ``go mod edit -json``.

Not a test: run by hand when a Go toolchain is around, e.g.::

    .venv/bin/python benchmarks/modfile_corpus.py --go /tmp/govenv/bin/go --fuzz 2000

The corpus is every ``go.mod`` under the Go toolchain's source tree (GOROOT) plus every
``*.mod`` section of the txtar archives in ``$GOROOT/src/cmd/go/testdata`` (thousands of
small go.mod files, many deliberately invalid), plus ``--fuzz N`` mutations of the repo's
fixtures. Prints counts of agreement (accept/reject, JSON bytes, error lines).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "gomod"))

from test_modfile_gotool import mutate  # noqa: E402

from vendaudit.gomod.errors import ModFileError  # noqa: E402
from vendaudit.gomod.gojson import dumps_go, modfile_to_json  # noqa: E402
from vendaudit.gomod.modfile import parse_modfile  # noqa: E402

_TXTAR_HEADER = re.compile(rb"^-- (.+?) --$", re.M)


def txtar_mod_files(archive: bytes) -> list[bytes]:
    """The contents of every ``*.mod`` file in a txtar archive."""
    out = []
    marks = list(_TXTAR_HEADER.finditer(archive))
    for i, m in enumerate(marks):
        name = m.group(1).decode(errors="replace").strip()
        if not name.endswith(".mod"):
            continue
        start = m.end() + 1
        end = marks[i + 1].start() if i + 1 < len(marks) else len(archive)
        out.append(archive[start:end])
    return out


def go_outcome(go: str, env: dict[str, str], path: Path) -> tuple[str, str]:
    proc = subprocess.run(
        [go, "mod", "edit", "-json", str(path)], capture_output=True, env=env, check=False
    )
    if proc.returncode == 0:
        return "ok", proc.stdout.decode()
    err = re.sub("[\udc80-\udcff]", "\ufffd", proc.stderr.decode("utf-8", "surrogateescape"))
    lines = err.splitlines(keepends=True)
    if not lines or not lines[0].startswith("go: errors parsing "):
        return "goerr", err
    return "err", "".join(lines[1:]).rstrip("\n")


def our_outcome(path: Path) -> tuple[str, str]:
    try:
        mf = parse_modfile(path.read_bytes(), str(path))
    except ModFileError as exc:
        return "err", str(exc)
    return "ok", dumps_go(modfile_to_json(mf)) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--go", default="go")
    ap.add_argument("--fuzz", type=int, default=0, help="mutated fixture inputs to add")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--show", type=int, default=5, help="disagreements to print")
    args = ap.parse_args()

    goroot = Path(
        subprocess.run([args.go, "env", "GOROOT"], capture_output=True, text=True).stdout.strip()
    )
    inputs: list[tuple[str, bytes]] = []
    for p in sorted(goroot.rglob("go.mod")):
        inputs.append((str(p), p.read_bytes()))
    n_gomod = len(inputs)
    for p in sorted((goroot / "src" / "cmd" / "go" / "testdata").rglob("*.txt")):
        for i, data in enumerate(txtar_mod_files(p.read_bytes())):
            inputs.append((f"{p}#{i}", data))
    n_txtar = len(inputs) - n_gomod
    rng = random.Random(args.seed)
    corpus = [p.read_bytes() for p in sorted((ROOT / "fixtures" / "gomod").glob("*.mod"))]
    corpus = [c for c in corpus if c]
    for i in range(args.fuzz):
        inputs.append((f"fuzz#{i}", mutate(rng, rng.choice(corpus))))

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(
            os.environ,
            GOTOOLCHAIN="local",
            GOPROXY="off",
            GOFLAGS="",
            GOENV="off",
            GO111MODULE="on",
            GOPATH=f"{tmp}/gopath",
            GOCACHE=f"{tmp}/gocache",
        )
        paths = []
        for i, (_, data) in enumerate(inputs):
            path = Path(tmp) / f"in{i:05d}.mod"
            path.write_bytes(data)
            paths.append(path)
        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=4) as pool:
            theirs = list(pool.map(lambda p: go_outcome(args.go, env, p), paths))
        t_go = time.perf_counter() - t0
        t0 = time.perf_counter()
        ours = [our_outcome(p) for p in paths]
        t_ours = time.perf_counter() - t0

    counts = {"ok": 0, "err": 0}
    bad = []
    for (name, _), want, got in zip(inputs, theirs, ours, strict=True):
        if want == got:
            counts[want[0]] += 1
        else:
            bad.append((name, want, got))
    print(
        f"inputs: {len(inputs)} ({n_gomod} go.mod files, {n_txtar} txtar .mod sections, "
        f"{args.fuzz} fuzz)"
    )
    print(
        f"agree: {counts['ok']} accepted with identical JSON, {counts['err']} rejected "
        f"with identical errors; disagree: {len(bad)}"
    )
    print(f"time: go {t_go:.1f}s (4 workers), vendaudit {t_ours:.2f}s")
    for name, want, got in bad[: args.show]:
        print(f"--- {name}\n  go:   {want!r:.400}\n  ours: {got!r:.400}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
