"""Differential tests: vendaudit's go.mod parser against ``go mod edit -json``.

Every fixture, the real-world manifests and a bounded set of mutated inputs are fed to both;
valid input must give byte-identical JSON, invalid input the same error lines.
"""

from __future__ import annotations

import random
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from vendaudit.gomod.errors import ModFileError
from vendaudit.gomod.gojson import dumps_go, modfile_to_json
from vendaudit.gomod.modfile import parse_modfile

pytestmark = pytest.mark.gotool

Outcome = tuple[str, str]


def _go_outcome(go: str, env: dict[str, str], path: Path) -> Outcome:
    proc = subprocess.run(
        [go, "mod", "edit", "-json", str(path)], capture_output=True, env=env, check=False
    )
    if proc.returncode == 0:
        return "ok", proc.stdout.decode()
    err = proc.stderr.decode("utf-8", "surrogateescape")
    # Messages show undecodable bytes as U+FFFD (one per byte), as ModFileError does.
    err = re.sub("[\udc80-\udcff]", "\ufffd", err)
    lines = err.splitlines(keepends=True)
    assert lines and lines[0].startswith("go: errors parsing "), err
    return "err", "".join(lines[1:]).rstrip("\n")


def _our_outcome(path: Path) -> Outcome:
    try:
        mf = parse_modfile(path.read_bytes(), str(path))
    except ModFileError as exc:
        return "err", str(exc)
    return "ok", dumps_go(modfile_to_json(mf)) + "\n"


def _compare_all(go: str, env: dict[str, str], paths: list[Path]) -> list[str]:
    with ThreadPoolExecutor(max_workers=4) as pool:
        theirs = list(pool.map(lambda p: _go_outcome(go, env, p), paths))
    diffs = []
    for path, want in zip(paths, theirs, strict=True):
        got = _our_outcome(path)
        if got != want:
            diffs.append(f"{path}:\n  go:  {want!r}\n  ours: {got!r}")
    return diffs


def test_fixtures_agree_with_go(fixtures: Path, go_tool: str, go_env: dict[str, str]) -> None:
    paths = sorted((fixtures / "gomod").glob("*.mod")) + sorted(
        (fixtures / "gomod" / "bad").glob("*.mod")
    )
    assert len(paths) >= 60
    assert _compare_all(go_tool, go_env, paths) == []


@pytest.mark.realworld
@pytest.mark.parametrize("rel", ["moby/vendor.mod", "moby-v2-head/go.mod"])
def test_realworld_agrees_with_go(
    realworld: Path, rel: str, go_tool: str, go_env: dict[str, str]
) -> None:
    path = realworld / rel
    assert _our_outcome(path) == _go_outcome(go_tool, go_env, path)
    assert _our_outcome(path)[0] == "ok"


_SNIPPETS = [
    "(", ")", "[", "]", "{", "}", ",", '"', "`", "/", "*", "\n", "\r", "\t", " ", "=>", "@",
    "v", "1", ".", "+", "-", ";", ":", "\\", "'", "//", "// indirect", "/*", "\x00", "\x0b",
    "\u00a0", "\ufeff", "é", "=", "v2", "/v2", "+incompatible", "require ", "retract ",
    "module ", "go ", "replace ", "exclude ", "tool ", "ignore ", "godebug ", "toolchain ",
    "v1.2.3", "v1.2", "(\n", "\n)\n", "[v1.0.0, v1.1.0]", "Deprecated: ", "./x", "gopkg.in/",
]  # fmt: skip
_BYTES = [b"\xff", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\xc0\x80"]


def mutate(rng: random.Random, data: bytes) -> bytes:
    """Apply 1-4 random edits (insert/delete/replace/duplicate/binary) to ``data``."""
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(6)
        i = rng.randint(0, len(data))
        j = min(len(data), i + rng.randint(0, 12))
        if op == 0:
            data = data[:i] + rng.choice(_SNIPPETS).encode() + data[i:]
        elif op == 1:
            data = data[:i] + data[j:]
        elif op == 2:
            data = data[:i] + rng.choice(_SNIPPETS).encode() + data[j:]
        elif op == 3:
            lines = data.split(b"\n")
            k = rng.randrange(len(lines))
            lines.insert(rng.randrange(len(lines) + 1), lines[k])
            data = b"\n".join(lines)
        elif op == 4:
            data = data[:i] + rng.choice(_BYTES) + data[i:]
        else:
            data = data[:i] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 6))) + data[j:]
    return data


def test_mutation_fuzz_agrees_with_go(
    fixtures: Path, go_tool: str, go_env: dict[str, str], tmp_path: Path
) -> None:
    corpus = [p.read_bytes() for p in sorted((fixtures / "gomod").glob("*.mod"))]
    corpus = [c for c in corpus if c]
    rng = random.Random(20260823)
    paths = []
    for n in range(300):
        path = tmp_path / f"m{n:03d}.mod"
        path.write_bytes(mutate(rng, rng.choice(corpus)))
        paths.append(path)
    diffs = _compare_all(go_tool, go_env, paths)
    assert diffs == [], "\n".join(diffs[:5])
