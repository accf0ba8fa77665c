"""Debian version order (vs dpkg) and the Debian → Go mapping."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import random
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vendaudit.versions.debian import (
    debian_compare,
    debian_key,
    debian_to_go,
    upstream_to_go_semver,
)
from vendaudit.versions.packaged import PackagedVersion

DPKG = shutil.which("dpkg")
needs_dpkg = pytest.mark.skipif(DPKG is None, reason="dpkg not installed")

# Ascending; inner lists are equal versions.
CHAIN = [
    ["0~~20181009-2"],
    ["0~20170301-3"],
    ["0.0~git20130606-1"],
    ["0.0~git20130606.2.b00ec39-1"],
    ["0.0~git20250819.9dc3a90"],
    ["0.0~git20260904.79376e0-2"],
    ["0.0+git20151113-6"],
    ["0.1", "0.1-0", "0:0.1"],
    ["1.0~rc1-1"],
    ["1.0~rc1+git20240101.abcdef1-1"],
    ["1.0-1"],
    ["1.0-1+b1"],
    ["1.0-1.1"],
    ["1.0+dfsg-1"],
    ["1.0+dfsg1-1"],
    ["1.0+dfsg2-1"],
    ["1.0.1-1"],
    ["1.20.5+really1.20.2-1.1"],
    ["28.5.2+dfsg4-5"],
    ["60.0.0-3"],
    ["1:0.62.0-1"],
    ["2:0.7.94-3"],
]
RANKED = [(rank, v) for rank, group in enumerate(CHAIN) for v in group]


@pytest.mark.parametrize("left", RANKED, ids=str)
def test_chain(left: tuple[int, str]) -> None:
    ra, a = left
    for rb, b in RANKED:
        assert debian_compare(a, b) == (ra > rb) - (ra < rb), (a, b)
        assert key_compare(a, b) == (ra > rb) - (ra < rb), (a, b)


def key_compare(a: str, b: str) -> int:
    ka, kb = debian_key(a), debian_key(b)
    return (ka > kb) - (ka < kb)


def dpkg_compare_many(pairs: list[tuple[str, str]]) -> list[int]:
    """dpkg's verdicts for many pairs, in one shell process."""
    lines = []
    for a, b in pairs:
        qa, qb = shlex.quote(a), shlex.quote(b)
        lines.append(
            f"if dpkg --compare-versions {qa} lt {qb}; then echo -1; "
            f"elif dpkg --compare-versions {qa} eq {qb}; then echo 0; else echo 1; fi"
        )
    out = subprocess.run(
        ["sh", "-s"], input="\n".join(lines), capture_output=True, text=True, check=True
    ).stdout.split()
    assert len(out) == len(pairs)
    return [int(x) for x in out]


def check_against_dpkg(versions: list[str], n_random: int, seed: int) -> int:
    """Sort with debian_compare; dpkg confirms every adjacent pair and random pairs."""
    ordered = sorted(set(versions), key=functools.cmp_to_key(debian_compare))
    pairs = list(itertools.pairwise(ordered))
    rng = random.Random(seed)
    pairs += [(rng.choice(ordered), rng.choice(ordered)) for _ in range(n_random)]
    got = [debian_compare(a, b) for a, b in pairs]
    want = dpkg_compare_many(pairs)
    by_key = [key_compare(a, b) for a, b in pairs]
    assert by_key == want
    bad = [(a, b, g, w) for (a, b), g, w in zip(pairs, got, want, strict=True) if g != w]
    assert bad == []
    return len(pairs)


def fixture_versions(fixtures: Path) -> list[str]:
    text = (fixtures / "versions" / "debian-versions.txt").read_text()
    return [line for line in text.splitlines() if line and not line.startswith("#")]


@needs_dpkg
def test_fixture_versions_against_dpkg(fixtures: Path) -> None:
    versions = fixture_versions(fixtures) + [v for _, v in RANKED]
    assert len(versions) > 400
    assert check_against_dpkg(versions, n_random=500, seed=1) > 900


@needs_dpkg
@pytest.mark.realworld
def test_sid_sample_against_dpkg(realworld: Path) -> None:
    sources = realworld.parent / "samples" / "debian" / "sid-Sources-sample"
    if not sources.is_file():
        pytest.skip(f"{sources} not present")
    versions = [
        line.split(":", 1)[1].strip()
        for line in sources.read_text().splitlines()
        if line.startswith("Version:")
    ]
    assert len(versions) > 100
    check_against_dpkg(versions, n_random=300, seed=2)


GO_MAPPING = [
    # version, upstream, go_version, snapshot date, commit
    ("1:0.62.0-1", "0.62.0", "v0.62.0", None, None),
    ("28.5.2+dfsg4-5", "28.5.2", "v28.5.2", None, None),
    ("1.2.3+dfsg-1", "1.2.3", "v1.2.3", None, None),
    ("1.2.3+ds1-2", "1.2.3", "v1.2.3", None, None),
    ("1.2.3~ds1-2", "1.2.3", "v1.2.3", None, None),
    ("1.2.3+ds-2", "1.2.3", "v1.2.3", None, None),
    ("1.2.3+repack1-2", "1.2.3", "v1.2.3", None, None),
    ("5.0.5~ds1+~3.0.2-3", "5.0.5", "v5.0.5", None, None),
    ("1.20.5+really1.20.2-1.1", "1.20.2", "v1.20.2", None, None),
    ("1.2.post6+really1.2.1+dfsg-3", "1.2.1", "v1.2.1", None, None),
    ("1.2.0~rc1-1", "1.2.0~rc1", "v1.2.0-rc1", None, None),
    ("1.0.0~beta.2-1", "1.0.0~beta.2", "v1.0.0-beta.2", None, None),
    ("4.0.0~rc6-1", "4.0.0~rc6", "v4.0.0-rc6", None, None),
    ("1.2.3-1+b2", "1.2.3", "v1.2.3", None, None),
    ("1.2.3-1+deb13u1", "1.2.3", "v1.2.3", None, None),
    ("1.2.3-1~bpo12+1", "1.2.3", "v1.2.3", None, None),
    ("60.0.0-3", "60.0.0", "v60.0.0", None, None),
    ("1.2", "1.2", "v1.2.0", None, None),
    ("1.2+b1", "1.2", "v1.2.0", None, None),
    ("3.25-1", "3.25", "v3.25.0", None, None),
    ("0.3.4.0.2-1", "0.3.4.0.2", None, None, None),
    ("1.0-RC4-2", "1.0-RC4", "v1.0.0-RC4", None, None),
    ("0.0~git20260904.79376e0-2", "0.0~git20260904.79376e0", None, "2026-09-04", "79376e0"),
    ("0.0~git20130606.2.b00ec39-1", "0.0~git20130606.2.b00ec39", None, "2013-06-06", "b00ec39"),
    ("0.0~git20130606-1", "0.0~git20130606", None, "2013-06-06", None),
    (
        "0.0~git20240101.abcdef1+ds1-1",
        "0.0~git20240101.abcdef1",
        None,
        "2024-01-01",
        "abcdef1",
    ),
    ("0~20260622-1", "0~20260622", None, "2026-06-22", None),
    ("1.2.3+git20240101.abcdef1-1", "1.2.3+git20240101.abcdef1", "v1.2.3", "2024-01-01", "abcdef1"),
    (
        "0.998+git20190331.e45260e3-3",
        "0.998+git20190331.e45260e3",
        "v0.998.0",
        "2019-03-31",
        "e45260e3",
    ),
    ("1:5.1+git20250320+dfsg-1", "5.1+git20250320", "v5.1.0", "2025-03-20", None),
    ("1.2.3~git20240101.abcdef1-1", "1.2.3~git20240101.abcdef1", None, "2024-01-01", "abcdef1"),
    (
        "0.0.0+git.2014.12.04.eb4090f265-3",
        "0.0.0+git.2014.12.04.eb4090f265",
        None,
        "2014-12-04",
        "eb4090f265",
    ),
    ("0.0~git20191301.abcdef1-1", "0.0~git20191301.abcdef1", None, None, None),  # no 13th month
]


@pytest.mark.parametrize(("version", "upstream", "go", "date", "commit"), GO_MAPPING)
def test_debian_to_go(
    version: str, upstream: str, go: str | None, date: str | None, commit: str | None
) -> None:
    want = PackagedVersion(
        version, upstream, go, dt.date.fromisoformat(date) if date else None, commit
    )
    assert debian_to_go(version) == want


@pytest.mark.parametrize(
    ("tag", "go"),
    [
        ("1", "v1.0.0"),
        ("01.02", "v1.2.0"),
        ("1.2.0~rc.1", "v1.2.0-rc.1"),
        ("1.2.0~rc01", "v1.2.0-rc01"),
        ("1.2.0~rc~1", "v1.2.0-rc.1"),
        ("1.2.0~", None),
        ("1.2.0~r_c", None),
        ("1.2.3.4", None),
        ("a.b", None),
        ("", None),
    ],
)
def test_upstream_to_go_semver(tag: str, go: str | None) -> None:
    assert upstream_to_go_semver(tag) == go


def test_fixture_versions_all_map(fixtures: Path) -> None:
    # Every real version maps without raising; most of them to some Go reading.
    mapped = [debian_to_go(v) for v in fixture_versions(fixtures)]
    readable = [p for p in mapped if p.go_version or p.snapshot_date]
    assert len(readable) > 0.7 * len(mapped)


_part = st.text(alphabet="0123456789abz.+~", min_size=0, max_size=6)
_deb = st.builds(
    lambda e, d, u, r: f"{e}{d}{u}{r}",
    st.sampled_from(["", "1:", "0:", "2:"]),
    st.sampled_from("0123456789"),
    _part,
    st.sampled_from(["", "-1", "-0", "-1.1", "-1+b1", "-1~bpo12+1", "-a"]),
)


@given(_deb, _deb)
def test_debian_antisymmetry(a: str, b: str) -> None:
    assert debian_compare(a, b) == -debian_compare(b, a)
    assert key_compare(a, b) == debian_compare(a, b)


@given(_deb, _deb, _deb)
def test_debian_transitivity(a: str, b: str, c: str) -> None:
    x, y, z = sorted([a, b, c], key=functools.cmp_to_key(debian_compare))
    assert debian_compare(x, y) <= 0 and debian_compare(y, z) <= 0 and debian_compare(x, z) <= 0
