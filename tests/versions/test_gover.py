"""Go toolchain/language versions (cmd/go/internal/gover)."""

from __future__ import annotations

import functools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vendaudit.versions.gover import (
    from_toolchain,
    gover_compare,
    gover_key,
    gover_lang,
    is_valid_gover,
)

# Ascending; each inner list holds equal versions.
CHAIN = [
    ["", "bad", "1.21.3rc1", "1.21-rc1", "1.021", "1.21rc01", "go", "1.21 "],
    ["1", "1.0", "1.0.0"],
    ["1.1"],
    ["1.9", "1.9.0"],
    ["1.10", "1.10.0"],
    ["1.20", "1.20.0"],
    ["1.20.1"],
    ["1.21", "go1.21"],
    ["1.21alpha1"],
    ["1.21beta1"],
    ["1.21rc"],
    ["1.21rc1"],
    ["1.21rc2"],
    ["1.21rc10"],
    ["1.21.0", "go1.21.0"],
    ["1.21.1"],
    ["1.21.10"],
    ["1.22"],
    ["1.22.3", "go1.22.3"],
    ["1.100"],
    ["2"],
]
RANKED = [(rank, v) for rank, group in enumerate(CHAIN) for v in group]


@pytest.mark.parametrize("left", RANKED, ids=str)
def test_chain(left: tuple[int, str]) -> None:
    ra, a = left
    for rb, b in RANKED:
        want = (ra > rb) - (ra < rb)
        assert gover_compare(a, b) == want, (a, b)
        ka, kb = gover_key(a), gover_key(b)
        assert (ka > kb) - (ka < kb) == want, (a, b)


def test_validity() -> None:
    assert all(is_valid_gover(v) for r, v in RANKED if r > 0)
    assert not any(is_valid_gover(v) for r, v in RANKED if r == 0)


@pytest.mark.parametrize(
    ("v", "lang"),
    [("1.21.3", "1.21"), ("1.21rc1", "1.21"), ("1", "1"), ("1.0", "1"), ("2.0", "2.0"), ("x", "")],
)
def test_lang(v: str, lang: str) -> None:
    assert gover_lang(v) == lang


@pytest.mark.parametrize(
    ("name", "v"),
    [
        ("go1.21.0", "1.21.0"),
        ("go1.21.0-custom", "1.21.0"),
        ("go1.22rc1 X", "1.22rc1"),
        ("mygo-go1.22", "1.22"),
        ("gccgo", ""),
        ("go1.2X", ""),
        ("go1.2x", "1.2x"),  # any lower-case kind parses, as in Go
        ("../go1.21", ""),
    ],
)
def test_from_toolchain(name: str, v: str) -> None:
    assert from_toolchain(name) == v


_gv = st.builds(
    lambda a, b, c: f"1.{a}{c}" if c else f"1.{a}.{b}",
    st.integers(0, 30),
    st.integers(0, 3),
    st.sampled_from(["", "rc1", "rc2", "beta1", "alpha"]),
) | st.sampled_from(["1.21", "bad", "2", "1"])


@given(st.lists(_gv, min_size=3, max_size=3))
def test_properties(vs: list[str]) -> None:
    a, b, _ = vs
    assert gover_compare(a, b) == -gover_compare(b, a)
    x, y, z = sorted(vs, key=functools.cmp_to_key(gover_compare))
    assert gover_compare(x, y) <= 0 and gover_compare(y, z) <= 0 and gover_compare(x, z) <= 0
    ka, kb = gover_key(a), gover_key(b)
    assert (ka > kb) - (ka < kb) == gover_compare(a, b)
