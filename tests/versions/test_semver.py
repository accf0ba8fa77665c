"""Go semver (x/mod/semver) vectors: one sorted chain, every pair generated from it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vendaudit.versions import semver
from vendaudit.versions.semver import GoVersion, InvalidGoVersion

# S3 ``tests``: groups of equal versions, groups in ascending order.
CHAIN: list[list[str]] = [
    [
        "bad",
        "v1-alpha.beta.gamma",
        "v1-pre",
        "v1+meta",
        "v1-pre+meta",
        "v1.2-pre",
        "v1.2+meta",
        "v1.2-pre+meta",
    ],
    ["v1.0.0-alpha"],
    ["v1.0.0-alpha.1"],
    ["v1.0.0-alpha.beta"],
    ["v1.0.0-beta"],
    ["v1.0.0-beta.2"],
    ["v1.0.0-beta.11"],
    ["v1.0.0-rc.1"],
    ["v1", "v1.0", "v1.0.0"],
    ["v1.2", "v1.2.0"],
    ["v1.2.3-456"],
    ["v1.2.3-456.789"],
    ["v1.2.3-456-789"],
    ["v1.2.3-456a"],
    ["v1.2.3-pre", "v1.2.3-pre+meta"],
    ["v1.2.3-pre.1"],
    ["v1.2.3-zzz"],
    ["v1.2.3", "v1.2.3+meta", "v1.2.3+meta-pre", "v1.2.3+meta-pre.sha.256a"],
]
RANKED = [(rank, v) for rank, group in enumerate(CHAIN) for v in group]


# Every pair of the chain is checked (one test per left-hand side keeps the run fast).
@pytest.mark.parametrize("left", RANKED, ids=[v for _, v in RANKED])
def test_compare_chain(left: tuple[int, str]) -> None:
    ra, a = left
    for rb, b in RANKED:
        want = (ra > rb) - (ra < rb)
        assert semver.compare(a, b) == want, (a, b)


@pytest.mark.parametrize("left", [x for x in RANKED if x[0] > 0], ids=str)
def test_goversion_orders_like_compare(left: tuple[int, str]) -> None:
    a = left[1]
    for rb, b in RANKED:
        if rb == 0:
            continue
        va, vb = GoVersion.parse(a), GoVersion.parse(b)
        c = semver.compare(a, b)
        assert (va < vb, va == vb, va > vb) == (c < 0, c == 0, c > 0), (a, b)
        assert (va <= vb, va >= vb) == (c <= 0, c >= 0), (a, b)
        if c == 0:
            assert hash(va) == hash(vb)


def test_sort_golden() -> None:
    inputs = [v for _, v in RANKED]
    want = [
        "bad",
        "v1+meta",
        "v1-alpha.beta.gamma",
        "v1-pre",
        "v1-pre+meta",
        "v1.2+meta",
        "v1.2-pre",
        "v1.2-pre+meta",
        "v1.0.0-alpha",
        "v1.0.0-alpha.1",
        "v1.0.0-alpha.beta",
        "v1.0.0-beta",
        "v1.0.0-beta.2",
        "v1.0.0-beta.11",
        "v1.0.0-rc.1",
        "v1",
        "v1.0",
        "v1.0.0",
        "v1.2",
        "v1.2.0",
        "v1.2.3-456",
        "v1.2.3-456.789",
        "v1.2.3-456-789",
        "v1.2.3-456a",
        "v1.2.3-pre",
        "v1.2.3-pre+meta",
        "v1.2.3-pre.1",
        "v1.2.3-zzz",
        "v1.2.3",
        "v1.2.3+meta",
        "v1.2.3+meta-pre",
        "v1.2.3+meta-pre.sha.256a",
    ]
    assert semver.sort_versions(list(reversed(inputs))) == want


EXTRA_PAIRS = [
    ("v1", "v1.0.0", 0),
    ("v1.2.3+meta", "v1.2.3", 0),
    ("v1.9.0", "v1.10.0", -1),
    ("v1.2.10", "v1.2.9", 1),
    ("v2.0.0", "v10.0.0", -1),
    ("bad", "v0.0.0", -1),
    ("bad", "v1-pre", 0),
    ("1.2.3", "v1.2.3", -1),
    ("v1.2", "v1.2.0-rc1", 1),
    ("v2.0.0+incompatible", "v2.0.0", 0),
    ("v2.0.0+incompatible", "v1.9.9", 1),
    ("v0.0.0-20191109021931-daa7c04131f5", "v0.0.0", -1),
    ("v0.0.0-20191109021931-daa7c04131f5", "v0.0.1", -1),
    ("v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.3", 1),
    ("v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4-rc1", -1),
    ("v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4-1", -1),
    ("v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4", -1),
    ("v1.2.3-pre.0.20191109021931-daa7c04131f5", "v1.2.3-pre", 1),
    ("v1.2.3-pre.0.20191109021931-daa7c04131f5", "v1.2.3-pre.1", -1),
    ("v1.2.4-0.20191109021931-aaaaaaaaaaaa", "v1.2.4-0.20200101000000-bbbbbbbbbbbb", -1),
    ("v1.0.0-00010101000000-000000000000", "v0.0.0-00010101000000-000000000000", 1),
    ("v0.0.0-00010101000000-000000000000", "v0.0.0-20060102150405-abcdefabcdef", -1),
    ("v1.99999999999999999999.0", "v1.100000000000000000000.0", -1),
]


@pytest.mark.parametrize(("a", "b", "want"), EXTRA_PAIRS)
def test_compare_extra(a: str, b: str, want: int) -> None:
    assert semver.compare(a, b) == want
    assert semver.compare(b, a) == -want
    if semver.is_valid(a) and semver.is_valid(b):
        va, vb = GoVersion.parse(a), GoVersion.parse(b)
        assert (va > vb) - (va < vb) == want


# input, Canonical, Major, MajorMinor, Prerelease, Build
PARTS = [
    ("v1", "v1.0.0", "v1", "v1.0", "", ""),
    ("v1.2", "v1.2.0", "v1", "v1.2", "", ""),
    ("v1.2.3-pre+meta", "v1.2.3-pre", "v1", "v1.2", "-pre", "+meta"),
    ("v1.2.3+meta-pre.sha.256a", "v1.2.3", "v1", "v1.2", "", "+meta-pre.sha.256a"),
    ("v1.2.3-0", "v1.2.3-0", "v1", "v1.2", "-0", ""),
    ("v1.2.3+a.01", "v1.2.3", "v1", "v1.2", "", "+a.01"),
    ("v2.0.0+incompatible", "v2.0.0", "v2", "v2.0", "", "+incompatible"),
]
INVALID = [
    "",
    "bad",
    "1.2.3",
    "V1.2.3",
    "v1.2.3.4",
    "v01.2.3",
    "v1.02.3",
    "v1.2.03",
    "v1.2.3-01",
    "v1.2.3-",
    "v1.2.3+",
    "v1.2.3-a..b",
    "v1-pre",
    "v1+meta",
    "v1.2-pre",
    "v1.2+meta",
    "v1-alpha.beta.gamma",
    "v",
    "v1.",
    "v1.2.",
    "v1.2.3-a_b",
    "v1.2.3+a+b",
    "v1.2.3-é",
]


@pytest.mark.parametrize(("v", "can", "maj", "mm", "pre", "bld"), PARTS)
def test_parts(v: str, can: str, maj: str, mm: str, pre: str, bld: str) -> None:
    assert semver.is_valid(v)
    got = (semver.canonical(v), semver.major(v), semver.major_minor(v))
    assert got == (can, maj, mm)
    assert (semver.prerelease(v), semver.build(v)) == (pre, bld)


@pytest.mark.parametrize("v", INVALID)
def test_invalid(v: str) -> None:
    assert not semver.is_valid(v)
    assert semver.canonical(v) == semver.major(v) == semver.major_minor(v) == ""
    assert semver.prerelease(v) == semver.build(v) == semver.canonical_version(v) == ""
    with pytest.raises(InvalidGoVersion):
        GoVersion.parse(v)


def test_canonical_version_keeps_incompatible() -> None:
    assert semver.canonical_version("v2.0.0+incompatible") == "v2.0.0+incompatible"
    assert semver.canonical_version("v2.0+incompatible") == ""  # shorthand + build: invalid
    assert semver.canonical_version("v1.2.3+meta") == "v1.2.3"


def test_goversion_attributes() -> None:
    v = GoVersion.parse("v2.3.4-rc.1+incompatible")
    assert (v.major, v.minor, v.patch, v.prerelease, v.build) == (2, 3, 4, "rc.1", "incompatible")
    assert v.incompatible and v.is_prerelease and not v.is_pseudo
    assert str(v) == "v2.3.4-rc.1+incompatible"
    assert GoVersion.parse("v0.0.0-20191109021931-daa7c04131f5").is_pseudo
    assert repr(GoVersion.parse("v1")) == "GoVersion('v1.0.0')"
    with pytest.raises(AttributeError):
        v.major = 3  # type: ignore[misc]
    assert GoVersion.parse("v1") != "v1"


_num = st.integers(min_value=0, max_value=12).map(str) | st.sampled_from(["99999999999999999999"])
_ident = st.sampled_from(["0", "1", "2", "10", "a", "alpha", "beta", "rc", "-", "1a", "a-1"])
_pre = st.lists(_ident, min_size=0, max_size=3).map(lambda xs: "-" + ".".join(xs) if xs else "")
_bld = st.sampled_from(["", "+meta", "+incompatible"])
_ver = st.builds(lambda a, b, c, p, m: f"v{a}.{b}.{c}{p}{m}", _num, _num, _num, _pre, _bld)
_any = _ver | st.sampled_from(["bad", "v1", "v1.2", "v1-pre", ""])


@given(_any, _any)
def test_antisymmetry(a: str, b: str) -> None:
    assert semver.compare(a, b) == -semver.compare(b, a)


@given(_any, _any, _any)
def test_transitivity(a: str, b: str, c: str) -> None:
    x, y, z = sorted([a, b, c], key=__import__("functools").cmp_to_key(semver.compare))
    assert semver.compare(x, y) <= 0 and semver.compare(y, z) <= 0 and semver.compare(x, z) <= 0


@given(_ver)
def test_canonical_idempotent_and_key(v: str) -> None:
    c = semver.canonical(v)
    assert semver.canonical(c) == c
    assert semver.compare(c, v) == 0
    assert GoVersion.parse(c) == GoVersion.parse(v)


@given(_ver, _ver)
def test_goversion_key_matches_compare(a: str, b: str) -> None:
    c = semver.compare(a, b)
    va, vb = GoVersion.parse(a), GoVersion.parse(b)
    assert (va > vb) - (va < vb) == c
