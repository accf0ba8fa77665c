"""A small, deterministic mutation fuzzer for vendaudit's parsers and renderers.

Every target starts from real seeds (``fixtures/``, ``../shared/samples``) and derives
cases from them with byte flips, truncations, splices, repeated chunks, hostile tokens
(invalid UTF-8, lone surrogates, NUL) and nesting bombs.  The random generator is seeded
from the target's name, so a failure reproduces from its case number alone.

``VENDAUDIT_FUZZ_CASES`` sets the cases per target (default :data:`DEFAULT_CASES`, small
enough for CI); a long campaign raises it.
"""

from __future__ import annotations

import copy
import json
import os
import random
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
SAMPLES = ROOT.parent / "shared" / "samples"
DEFAULT_CASES = 150

_TOKENS: tuple[bytes, ...] = (
    b"\x00",
    b"\xff",
    b"\xed\xa0\x80",  # UTF-8 of a lone surrogate
    b"\xc3",
    b"\\ud800",
    b'"\\udfff"',
    b"\r\n",
    b"\n",
    b" ",
    b"\t",
    b"//",
    b"/*",
    b"(",
    b")",
    b"=>",
    b'"',
    b"`",
    b"v0.0.0-20200101000000-abcdefabcdef",
    b"+incompatible",
    b"/v2",
    b"-----BEGIN PGP SIGNATURE-----",
    b"<![CDATA[",
    b"<!DOCTYPE x [<!ENTITY a 'b'>]>",
    b'<?xml version="1.0" encoding="x-unknown"?>',
    b'<?xml version="1.0" encoding="utf-16"?>',
    b"&amp;",
    b"&#0;",
    b"null",
    b"true",
    b"-1",
    b"1e400",
    b"9" * 40,
    b"[]",
    b"{}",
    b"[[",
    b"]]",
    b"=",
    b"#",
    b"##",
    b"Package:",
    b"Go-Import-Path:",
    "é".encode(),
    "\u202e".encode(),
)


def cases_per_target(default: int = DEFAULT_CASES) -> int:
    """How many cases each target runs (``VENDAUDIT_FUZZ_CASES`` overrides)."""
    return int(os.environ.get("VENDAUDIT_FUZZ_CASES", default))


def read_seeds(*patterns: str, extra: Sequence[bytes] = ()) -> list[bytes]:
    """Seed files matching glob ``patterns`` under fixtures/ or ``samples:...``."""
    out: list[bytes] = list(extra)
    for pattern in patterns:
        base, glob = (
            (SAMPLES, pattern[8:]) if pattern.startswith("samples:") else (FIXTURES, pattern)
        )
        for path in sorted(base.glob(glob)):
            if path.is_file() and path.stat().st_size <= 2_000_000:
                out.append(path.read_bytes())
    return out


def _nest(rng: random.Random) -> bytes:
    depth = rng.choice((50, 1000, 5000, 100_000))
    kind = rng.randrange(4)
    if kind == 0:
        return b"[" * depth + b"]" * depth
    if kind == 1:
        return b'{"a":' * depth + b"1" + b"}" * depth
    if kind == 2:
        return b"(" * depth
    return b"<a>" * min(depth, 20_000) + b"</a>" * min(depth, 20_000)


def mutate(data: bytes, rng: random.Random, seeds: Sequence[bytes]) -> bytes:
    """One to four random edits of ``data``."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(10)
        n = len(buf)
        pos = rng.randrange(n + 1)
        if op == 0 and n:  # bit flip
            buf[pos % n] ^= 1 << rng.randrange(8)
        elif op == 1 and n:  # random byte
            buf[pos % n] = rng.randrange(256)
        elif op == 2:  # truncate
            del buf[pos:]
        elif op == 3 and n:  # delete a run
            del buf[pos : pos + rng.randint(1, 64)]
        elif op == 4 and n:  # repeat a chunk
            end = min(n, pos + rng.randint(1, 200))
            buf[pos:pos] = buf[pos:end] * rng.randint(2, 50)
        elif op == 5:
            buf[pos:pos] = rng.choice(_TOKENS)
        elif op == 6 and seeds:  # splice with another seed
            other = rng.choice(seeds)
            cut = rng.randrange(len(other) + 1)
            buf = buf[:pos] + bytearray(other[cut:])
        elif op == 7:
            buf[pos:pos] = _nest(rng)
        elif op == 8 and n:  # swap two lines
            lines = bytes(buf).split(b"\n")
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            buf = bytearray(b"\n".join(lines))
        else:
            buf[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    return bytes(buf)


def byte_cases(name: str, seeds: Sequence[bytes], count: int | None = None) -> Iterator[bytes]:
    """The seeds themselves, then ``count`` mutants (deterministic per ``name``)."""
    rng = random.Random(f"vendaudit-fuzz:{name}")
    yield from seeds
    for _ in range(cases_per_target() if count is None else count):
        yield mutate(rng.choice(seeds), rng, seeds)


_WEIRD: tuple[Any, ...] = (
    None,
    True,
    0,
    -1,
    10**30,
    1.5,
    float("inf"),
    "",
    "\ud800",
    "x\udfffy",
    "\x00",
    "<script>&amp;",
    "a" * 300,
    [],
    {},
    [1, "a"],
    {"a": 1},
)


def _bomb(rng: random.Random) -> Any:
    node: Any = rng.choice((1, "x", None))
    # Deeper bombs are byte-level (see _nest): a parsed one could not even be serialised.
    for _ in range(rng.choice((50, 500))):
        node = [node] if rng.random() < 0.5 else {"k": node}
    return node


def _nodes(doc: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from _nodes(v, (*path, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from _nodes(v, (*path, i))


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return doc


def mutate_json(doc: Any, rng: random.Random) -> Any:
    """Replace, drop or duplicate one to three nodes of a parsed JSON document."""
    doc = json.loads(json.dumps(doc))
    for _ in range(rng.randint(1, 3)):
        nodes = list(_nodes(doc))
        path = rng.choice(nodes)
        op = rng.randrange(5)
        if op == 0 and path:  # delete
            parent = doc
            for key in path[:-1]:
                parent = parent[key]
            del parent[path[-1]]
        elif op == 1:
            return _set(doc, path, _bomb(rng))  # last edit: the walk above would recurse
        elif op == 2:  # a string with a lone surrogate or markup where a string was
            doc = _set(doc, path, rng.choice(("\ud800", "é\udcff", "<b>&", "|`*_", "\x1b[31m")))
        else:
            # A copy: the shared [] and {} must never be edited by a later op (the
            # campaign once grew one into an endless nest that way).
            doc = _set(doc, path, copy.deepcopy(rng.choice(_WEIRD)))
    return doc


def json_cases(name: str, seeds: Sequence[Any], count: int | None = None) -> Iterator[Any]:
    """Seed documents, then structurally mutated copies (deterministic per ``name``)."""
    rng = random.Random(f"vendaudit-fuzz-json:{name}")
    yield from seeds
    for _ in range(cases_per_target() if count is None else count):
        yield mutate_json(rng.choice(seeds), rng)


def run_target(
    name: str,
    cases: Iterator[Any],
    call: Callable[[Any], object],
    allowed: tuple[type[BaseException], ...],
) -> int:
    """Feed every case to ``call``; anything but a return or an ``allowed`` error fails.

    The failure names the target and case number (rerun with the same count to
    reproduce) and shows the start of the input.
    """
    n = 0
    for n, case in enumerate(cases, 1):
        try:
            call(case)
        except allowed:
            pass
        except Exception as exc:  # the point of a fuzz target: report any other error
            shown = repr(case)[:300]
            raise AssertionError(
                f"{name} case {n}: {type(exc).__name__}: {exc!s:.300} on input {shown}"
            ) from exc
    return n
