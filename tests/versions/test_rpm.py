"""RPM version order (vs the real rpm) and the Fedora → Go mapping."""

from __future__ import annotations

import datetime as dt
import functools
import json
import random
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vendaudit.versions.packaged import PackagedVersion
from vendaudit.versions.rpm import (
    InvalidRpmVersion,
    RpmEvr,
    fedora_to_go,
    rpm_compare,
    rpmvercmp,
    rpmvercmp_key,
    strip_dist,
)

SYSTEM_PYTHON = "/usr/bin/python3"


def _has_rpm_bindings() -> bool:
    try:
        return subprocess.run([SYSTEM_PYTHON, "-c", "import rpm"], check=False).returncode == 0
    except OSError:
        return False


needs_rpm = pytest.mark.skipif(not _has_rpm_bindings(), reason="no python3-rpm (rpm bindings)")


def load_vectors(fixtures: Path) -> list[tuple[str, str, int]]:
    out = []
    for line in (fixtures / "versions" / "rpmvercmp-vectors.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            a, b, want = line.split()
            out.append((a, b, int(want)))
    return out


def test_vectors(fixtures: Path) -> None:
    vectors = load_vectors(fixtures)
    assert len(vectors) > 90
    for a, b, want in vectors:
        assert rpmvercmp(a, b) == want, (a, b)
        ka, kb = rpmvercmp_key(a), rpmvercmp_key(b)
        assert (ka > kb) - (ka < kb) == want, (a, b)


# Ascending; inner lists are equal.
CHAIN = [
    ["0-0.4.20210920git637058c.fc37"],
    ["1.0~rc1~git123-1"],
    ["1.0~rc1-1"],
    ["1.0~rc1^git1-1"],
    ["1.0"],
    ["1.0-0"],
    ["1.0-1", "0:1.0-1", ":1.0-1"],
    ["1.0-1.fc40"],
    ["1.0-1.fc41"],
    ["1.0-2"],
    ["1.0^-1"],
    ["1.0^20160101-1"],
    ["1.0^20160101^git1-1"],
    ["1.0^20160102-1"],
    ["1.0.1-1"],
    ["1.01.1-1", "1.1.1-1"],
    ["28.5.2-1.fc43"],
    ["1:0.5-1"],
    ["2:0.1-1"],
]
RANKED = [(rank, v) for rank, group in enumerate(CHAIN) for v in group]


@pytest.mark.parametrize("left", RANKED, ids=str)
def test_evr_chain(left: tuple[int, str]) -> None:
    ra, a = left
    for rb, b in RANKED:
        want = (ra > rb) - (ra < rb)
        assert rpm_compare(a, b) == want, (a, b)
        ea, eb = RpmEvr.parse(a), RpmEvr.parse(b)
        assert (ea > eb) - (ea < eb) == want, (a, b)
        assert (ea == eb) is (want == 0)
        assert (ea <= eb, ea >= eb) == (want <= 0, want >= 0)


def test_evr_object() -> None:
    e = RpmEvr.parse("1:2.0-3.fc41")
    assert (e.epoch, e.version, e.release) == (1, "2.0", "3.fc41")
    assert str(e) == "1:2.0-3.fc41" and repr(e) == "RpmEvr('1:2.0-3.fc41')"
    assert str(RpmEvr.parse("2.0")) == "2.0"
    assert RpmEvr.parse("2.0").release is None
    assert hash(RpmEvr.parse("0:1.0-1")) == hash(RpmEvr.parse("1.0-1"))
    with pytest.raises(AttributeError):
        e.epoch = 2  # type: ignore[misc]
    with pytest.raises(InvalidRpmVersion):
        RpmEvr.parse("1:-1")


_ALPHABET = "0123456789aAbz.~^_+"


def _random_version(rng: random.Random) -> str:
    return "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(1, 8)))


def _random_evr(rng: random.Random) -> tuple[str | None, str, str | None]:
    e = rng.choice([None, None, None, "0", "1", "2", "10"])
    r = rng.choice([None, _random_version(rng), "1", "1.fc41", "0.4.20210920git637058c.fc37"])
    return e, _random_version(rng), r


def _fmt(e: str | None, v: str, r: str | None) -> str:
    return (f"{e}:" if e is not None else "") + v + (f"-{r}" if r is not None else "")


def label_compare_many(pairs: list[tuple[tuple[str | None, str, str | None], ...]]) -> list[int]:
    """rpm.labelCompare for every pair, in one subprocess of the system python."""
    script = (
        "import json, sys, rpm\n"
        "pairs = json.load(sys.stdin)\n"
        "print(json.dumps([rpm.labelCompare(tuple(a), tuple(b)) for a, b in pairs]))\n"
    )
    out = subprocess.run(
        [SYSTEM_PYTHON, "-c", script],
        input=json.dumps(pairs),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [int(x) for x in json.loads(out)]


def make_pairs(
    fixtures: Path, n_random: int, seed: int
) -> list[tuple[tuple[str | None, str, str | None], ...]]:
    rng = random.Random(seed)
    pairs: list[tuple[tuple[str | None, str, str | None], ...]] = [
        ((None, a, None), (None, b, None)) for a, b, _ in load_vectors(fixtures)
    ]
    pool = [_random_evr(rng) for _ in range(200)]
    pairs += [(rng.choice(pool), rng.choice(pool)) for _ in range(n_random)]
    # Near-misses: the same random version with one character changed.
    for _ in range(n_random // 4):
        e, v, r = rng.choice(pool)
        k = rng.randrange(len(v))
        w = v[:k] + rng.choice(_ALPHABET) + v[k + 1 :]
        pairs.append(((e, v, r), (e, w, r)))
    return pairs


@needs_rpm
def test_against_real_rpm(fixtures: Path) -> None:
    pairs = make_pairs(fixtures, n_random=3000, seed=11)
    want = label_compare_many(pairs)
    got = [rpm_compare(_fmt(*a), _fmt(*b)) for a, b in pairs]
    bad = [(a, b, g, w) for (a, b), g, w in zip(pairs, got, want, strict=True) if g != w]
    assert bad == []
    assert len(pairs) > 3500


FEDORA = [
    # version, release, distro_version, go, date, commit
    ("0", "0.4.20210920git637058c.fc37", "0-0.4.20210920git637058c", None, "2021-09-20", "637058c"),
    ("0", "0.1.gitabc1234.fc41", "0-0.1.gitabc1234", None, None, "abc1234"),
    (
        "0",
        "0.12.20240101git1234567%{?dist}",
        "0-0.12.20240101git1234567%{?dist}",
        None,
        "2024-01-01",
        "1234567",
    ),
    ("1.2.3", "1.fc41", "1.2.3-1", "v1.2.3", None, None),
    ("1.2.3", "3.el9_2", "1.2.3-3", "v1.2.3", None, None),
    ("1.2.3", "2.eln135", "1.2.3-2", "v1.2.3", None, None),
    ("1:1.2.3", "2.fc41", "1.2.3-2", "v1.2.3", None, None),
    ("27.4.0~rc.4", "1.fc41", "27.4.0~rc.4-1", "v27.4.0-rc.4", None, None),
    ("2.0~rc1", "1.fc41", "2.0~rc1-1", "v2.0.0-rc1", None, None),
    (
        "1.0^20240101gitabc1234",
        "1.fc41",
        "1.0^20240101gitabc1234-1",
        "v1.0.0",
        "2024-01-01",
        "abc1234",
    ),
    ("0^20240101gitabc1234", "1.fc41", "0^20240101gitabc1234-1", None, "2024-01-01", "abc1234"),
    ("1.0^", "1.fc41", "1.0^-1", "v1.0.0", None, None),
    (
        "1.2.3",
        "0.1.20240101gitabc1234.fc41",
        "1.2.3-0.1.20240101gitabc1234",
        None,
        "2024-01-01",
        "abc1234",
    ),
    (
        "1.2.3",
        "2.20240101gitabc1234.fc41",
        "1.2.3-2.20240101gitabc1234",
        "v1.2.3",
        "2024-01-01",
        "abc1234",
    ),
    ("1.2.3.4", "1.fc41", "1.2.3.4-1", None, None, None),
]


@pytest.mark.parametrize(("version", "release", "shown", "go", "date", "commit"), FEDORA)
def test_fedora_to_go(
    version: str, release: str, shown: str, go: str | None, date: str | None, commit: str | None
) -> None:
    upstream = version.split(":", 1)[-1]
    want = PackagedVersion(
        shown, upstream, go, dt.date.fromisoformat(date) if date else None, commit
    )
    assert fedora_to_go(version, release) == want


def test_strip_dist() -> None:
    assert strip_dist("3.fc41") == "3"
    assert strip_dist("0.4.20210920git637058c.fc37") == "0.4.20210920git637058c"
    assert strip_dist("1.el9_2") == "1"
    assert strip_dist("1") == "1"


_v = st.text(alphabet=_ALPHABET, min_size=0, max_size=8)
_evr = st.builds(
    _fmt,
    st.sampled_from([None, "0", "1", "2"]),
    st.text(alphabet=_ALPHABET, min_size=1, max_size=8),
    st.none() | _v,
)


@given(_v, _v)
def test_rpmvercmp_matches_key(a: str, b: str) -> None:
    ka, kb = rpmvercmp_key(a), rpmvercmp_key(b)
    assert rpmvercmp(a, b) == (ka > kb) - (ka < kb)
    assert rpmvercmp(a, b) == -rpmvercmp(b, a)


@given(_evr, _evr, _evr)
def test_rpm_compare_properties(a: str, b: str, c: str) -> None:
    assert rpm_compare(a, b) == -rpm_compare(b, a)
    x, y, z = sorted([a, b, c], key=functools.cmp_to_key(rpm_compare))
    assert rpm_compare(x, y) <= 0 and rpm_compare(y, z) <= 0 and rpm_compare(x, z) <= 0
