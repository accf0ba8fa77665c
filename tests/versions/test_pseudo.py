"""Pseudo-versions (x/mod/module/pseudo.go vectors)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vendaudit.versions import pseudo, semver
from vendaudit.versions.pseudo import InvalidPseudoVersion, PseudoVersion

T = dt.datetime(2006, 1, 2, 15, 4, 5, tzinfo=dt.UTC)

PSEUDO_TESTS = [
    ("", "", "v0.0.0-20060102150405-hash"),
    ("v0", "", "v0.0.0-20060102150405-hash"),
    ("v1", "", "v1.0.0-20060102150405-hash"),
    ("v2", "", "v2.0.0-20060102150405-hash"),
    ("unused", "v0.0.0", "v0.0.1-0.20060102150405-hash"),
    ("unused", "v1.2.3", "v1.2.4-0.20060102150405-hash"),
    ("unused", "v1.2.99999999999999999", "v1.2.100000000000000000-0.20060102150405-hash"),
    ("unused", "v1.2.3-pre", "v1.2.3-pre.0.20060102150405-hash"),
    ("unused", "v1.3.0-pre", "v1.3.0-pre.0.20060102150405-hash"),
    ("unused", "v0.0.0--", "v0.0.0--.0.20060102150405-hash"),
    ("unused", "v1.0.0+metadata", "v1.0.1-0.20060102150405-hash+metadata"),
    ("unused", "v2.0.0+incompatible", "v2.0.1-0.20060102150405-hash+incompatible"),
    ("unused", "v2.3.0-pre+incompatible", "v2.3.0-pre.0.20060102150405-hash+incompatible"),
]


@pytest.mark.parametrize(("major", "older", "version"), PSEUDO_TESTS)
def test_pseudo_vectors(major: str, older: str, version: str) -> None:
    assert pseudo.make_pseudo_version(major, older, T, "hash") == version
    assert pseudo.is_pseudo_version(version)
    assert not pseudo.is_pseudo_version(older)
    assert pseudo.pseudo_version_time(version) == T
    assert pseudo.pseudo_version_rev(version) == "hash"
    assert pseudo.pseudo_version_base(version) == older
    assert pseudo.parse_pseudo(version) == PseudoVersion(older, T, "hash")
    assert semver.is_valid(version)


def test_make_pseudo_converts_to_utc() -> None:
    t = dt.datetime(2006, 1, 2, 17, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert pseudo.make_pseudo_version("v0", "", t, "h") == "v0.0.0-20060102150405-h"


@pytest.mark.parametrize(
    "bad",
    [
        "v0.0.0",
        "v0.0.0-",
        "v0.0.0-0.20060102150405-hash",
        "v0.1.0-0.20060102150405-hash",
        "v1.0.0-0.20060102150405-hash",
        "v0.0.0-20060102150405-hash+incompatible",
        "v0.0.0-20060102150405-hash+metadata",
    ],
)
def test_base_must_fail(bad: str) -> None:
    with pytest.raises(InvalidPseudoVersion):
        pseudo.pseudo_version_base(bad)


def test_error_messages() -> None:
    with pytest.raises(InvalidPseudoVersion) as err:
        pseudo.pseudo_version_base("v1.0.0-0.20060102150405-hash")
    assert str(err.value) == (
        'pseudo-version "v1.0.0-0.20060102150405-hash" invalid: '
        "version before v1.0.0 would have negative patch number"
    )
    with pytest.raises(InvalidPseudoVersion, match="syntax error"):
        pseudo.pseudo_version_time("---")
    with pytest.raises(InvalidPseudoVersion, match="malformed time"):
        pseudo.pseudo_version_time("v0.0.0-20061302150405-hash")


@pytest.mark.parametrize(
    ("version", "is_pseudo"),
    [
        ("v1.2.4-1.20191109021931-daa7c04131f5", False),
        ("v0.0.0-2019110902193-daa7c04131f5", False),
        ("v1.2.3-rc.1.0.20191109021931-daa7c04131f5", True),
        ("v1.1.1-0.20240131200429-02120488a4c0", True),
        ("v0.0.0-00010101000000-000000000000", True),
        ("v17.12.0-ce-rc1.0.20200916142827-bd33bbf0497b+incompatible", True),
        ("v1.2.3", False),
        ("v1.2.3-pre", False),
        ("---", False),
    ],
)
def test_is_pseudo(version: str, is_pseudo: bool) -> None:
    assert pseudo.is_pseudo_version(version) is is_pseudo


def test_real_examples() -> None:
    p = pseudo.parse_pseudo("v1.2.3-rc.1.0.20191109021931-daa7c04131f5")
    assert p.base == "v1.2.3-rc.1"
    p = pseudo.parse_pseudo("v1.1.1-0.20240131200429-02120488a4c0")
    assert p == PseudoVersion(
        "v1.1.0", dt.datetime(2024, 1, 31, 20, 4, 29, tzinfo=dt.UTC), "02120488a4c0"
    )
    assert p.date == dt.date(2024, 1, 31)
    p = pseudo.parse_pseudo("v17.12.0-ce-rc1.0.20200916142827-bd33bbf0497b+incompatible")
    assert p.base == "v17.12.0-ce-rc1+incompatible"


def test_zero_pseudo() -> None:
    assert pseudo.zero_pseudo_version("v0") == "v0.0.0-00010101000000-000000000000"
    assert pseudo.zero_pseudo_version("v2") == "v2.0.0-00010101000000-000000000000"
    assert pseudo.is_zero_pseudo_version("v0.0.0-00010101000000-000000000000")
    assert not pseudo.is_zero_pseudo_version("v0.0.0-20060102150405-abcdef123456")
    assert pseudo.pseudo_version_time("v0.0.0-00010101000000-000000000000").year == 1


# Digit strings (mostly impossible dates: month 13, day 00, second 60) and real times.
_STAMPS = st.one_of(
    st.text(st.sampled_from("0123456789"), min_size=14, max_size=14),
    st.datetimes(min_value=dt.datetime(1000, 1, 1)).map(lambda t: t.strftime("%Y%m%d%H%M%S")),
)


@settings(max_examples=1500)
@given(_STAMPS)
def test_timestamp_digits_read_as_strptime_does(stamp: str) -> None:
    try:
        want: dt.datetime | None = dt.datetime.strptime(stamp, pseudo.TIMESTAMP_FORMAT)
    except ValueError:
        want = None
    try:
        got: dt.datetime | None = pseudo.pseudo_version_time(f"v0.0.0-{stamp}-abcdefabcdef")
    except ValueError:
        got = None
    assert got == (want.replace(tzinfo=dt.UTC) if want else None)


@settings(max_examples=1500)
@given(_STAMPS.map(lambda s: s[:8]))
def test_debian_snapshot_date_read_as_strptime_does(day: str) -> None:
    from vendaudit.versions import debian

    try:
        want: dt.date | None = dt.datetime.strptime(day, "%Y%m%d").date()
    except ValueError:
        want = None
    assert debian._date(day) == want
