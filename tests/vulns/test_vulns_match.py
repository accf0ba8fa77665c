"""Module-mode matching on the real 14-entry excerpt (fixtures/govulndb), shape by shape."""

from __future__ import annotations

import functools
import itertools
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vendaudit.gomod.model import ModVersion
from vendaudit.model import Module
from vendaudit.versions import semver
from vendaudit.vulns import find_vulns
from vendaudit.vulns.client import VulnDB
from vendaudit.vulns.match import affects, contains, earliest_fix, match_module, wanted_ids
from vendaudit.vulns.model import Entry, Event, Range
from vendaudit.vulns.osv import VulnDataError, parse_entry, parse_modules_index

DB = Path(__file__).resolve().parents[2] / "fixtures" / "govulndb"


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return [parse_entry(p.read_bytes(), p.name) for p in sorted((DB / "ID").glob("*.json"))]


def ids(modules: list[Module], entries: list[Entry]) -> list[tuple[str, str, str | None]]:
    return [(v.module, v.id, v.fixed) for v in find_vulns(modules, entries)]


def test_every_entry_parses(entries: list[Entry]) -> None:
    assert len(entries) == 14
    by_id = {e.id: e for e in entries}
    assert by_id["GO-2022-0617"].withdrawn == "2024-08-21T16:25:56Z"
    assert by_id["GO-2020-0006"].aliases == ("CVE-2017-15133", "GHSA-p55x-7x9v-q8m4")
    assert by_id["GO-2020-0006"].url == "https://pkg.go.dev/vuln/GO-2020-0006"
    assert [a.module for a in by_id["GO-2020-0017"].affected] == [
        "github.com/dgrijalva/jwt-go",
        "github.com/dgrijalva/jwt-go/v4",
    ]


@pytest.mark.parametrize(
    ("version", "hit"),
    [
        ("v1.0.3", True),
        ("v1.0.4-0.20180125103618-aaaaaaaaaaaa", True),  # pseudo before the fixing commit
        ("v1.0.4-0.20180125103619-43913f2f4fbd", False),  # the fixing pseudo-version itself
        ("v1.0.4", False),  # a release after its own pre-release pseudo-versions
        ("v0.0.0-20170101000000-aaaaaaaaaaaa", True),
    ],
)
def test_pseudo_version_range(entries: list[Entry], version: str, hit: bool) -> None:
    got = ids([Module("github.com/miekg/dns", version)], entries)
    fix = "v1.0.4-0.20180125103619-43913f2f4fbd"
    assert got == ([("github.com/miekg/dns", "GO-2020-0006", fix)] if hit else [])


def test_several_modules_in_one_entry(entries: list[Entry]) -> None:
    mods = [
        Module("github.com/dgrijalva/jwt-go", "v3.2.0+incompatible"),
        Module("github.com/dgrijalva/jwt-go/v4", "v4.0.0-preview1"),
    ]
    # v3 (no fix: introduced only) is affected; /v4 at its fixing pre-release is not.
    assert ids(mods, entries) == [("github.com/dgrijalva/jwt-go", "GO-2020-0017", None)]
    # Before the range's introduction: not affected.
    old = Module("github.com/dgrijalva/jwt-go", "v0.0.0-20150101000000-aaaaaaaaaaaa")
    assert ids([old], entries) == []


def test_no_fix(entries: list[Entry]) -> None:
    mods = [Module("github.com/shiyanhui/dht", "v0.0.0-20201219151056-5a4f5d5b5a4d")]
    assert ids(mods, entries) == [("github.com/shiyanhui/dht", "GO-2020-0040", None)]


def test_stdlib_and_toolchain_are_not_modules(entries: list[Entry]) -> None:
    mods = [Module("stdlib", "v1.16.0"), Module("toolchain", "v1.14.0")]
    assert ids(mods, entries) == []


def test_several_ranges(entries: list[Entry]) -> None:
    grpc = "google.golang.org/grpc"
    cases = {
        "v1.56.2": "v1.56.3",
        "v1.56.3": None,
        "v1.57.0": "v1.57.1",
        "v1.57.1": None,
        "v1.58.2": "v1.58.3",
        "v1.58.3": None,
        "v1.60.0": None,
    }
    for version, fix in cases.items():
        got = ids([Module(grpc, version)], entries)
        assert got == ([(grpc, "GO-2023-2153", fix)] if fix else []), version
    # The toolchain entry's two ranges, read directly.
    tc = next(e for e in entries if e.id == "GO-2021-0068").affected[0].ranges
    assert affects(tc, "v1.14.13") and not affects(tc, "v1.14.14")
    assert affects(tc, "v1.15.0") and not affects(tc, "v1.15.7")


def test_incompatible(entries: list[Entry]) -> None:
    docker = "github.com/docker/docker"
    hit = ids([Module(docker, "v20.10.13+incompatible")], entries)
    assert hit == [(docker, "GO-2022-0390", "v20.10.14+incompatible")]
    assert ids([Module(docker, "v20.10.14+incompatible")], entries) == []
    assert ids([Module(docker, "v28.0.1+incompatible")], entries) == []


def test_withdrawn_is_skipped(entries: list[Entry]) -> None:
    assert ids([Module("k8s.io/kubernetes", "v1.20.0")], entries) == []


def test_common_modules(entries: list[Entry]) -> None:
    mods = [
        Module("golang.org/x/net", "v0.0.0-20190101000000-aaaaaaaaaaaa"),
        Module("golang.org/x/crypto", "v0.0.0-20200220183623-bac4c82f6975"),
        Module("google.golang.org/protobuf", "v1.29.0"),
        Module("gopkg.in/yaml.v3", "v3.0.0-20210107192922-496545a6307b"),
        Module("github.com/opencontainers/runc", "v0.0.9"),
        Module("github.com/golang-jwt/jwt/v4", "v4.5.0"),
        Module("github.com/golang-jwt/jwt/v4", "v4.5.1"),
    ]
    assert [(m, i) for m, i, _ in ids(mods, entries)] == [
        ("github.com/golang-jwt/jwt/v4", "GO-2024-3250"),
        ("github.com/opencontainers/runc", "GO-2021-0070"),
        ("golang.org/x/net", "GO-2020-0014"),
        ("google.golang.org/protobuf", "GO-2023-1631"),
        ("gopkg.in/yaml.v3", "GO-2022-0603"),
    ]


def test_replacement_is_checked_at_its_path_and_version(entries: list[Entry]) -> None:
    fork = Module(
        "example.com/mydns", "v1.0.0", replace=ModVersion("github.com/miekg/dns", "v1.0.3")
    )
    [v] = find_vulns([fork], entries)
    assert (v.module, v.checked_path, v.version, v.id) == (
        "example.com/mydns",
        "github.com/miekg/dns",
        "v1.0.3",
        "GO-2020-0006",
    )
    # A same-path pin moves the checked version; a local directory is not looked up.
    pinned = Module(
        "github.com/miekg/dns", "v1.0.0", replace=ModVersion("github.com/miekg/dns", "v1.1.0")
    )
    local = Module("github.com/miekg/dns", "v1.0.0", replace=ModVersion("../dns", ""))
    assert find_vulns([pinned, local], entries) == []


def test_modules_index_names_every_entry_of_the_path(entries: list[Entry]) -> None:
    # govulncheck asks with no version: the index's "fixed" does not prune by version.
    index = parse_modules_index((DB / "index" / "modules.json").read_bytes())
    assert wanted_ids(index, "google.golang.org/grpc") == ("GO-2023-2153",)
    assert wanted_ids(index, "github.com/shiyanhui/dht") == ("GO-2020-0040",)
    assert wanted_ids(index, "example.com/none") == ()


def test_file_database_matches_local_parsing(entries: list[Entry]) -> None:
    db = VulnDB(DB.as_uri())
    assert db.modified() == "2026-08-21T20:38:00Z"
    mods = [Module("google.golang.org/grpc", "v1.57.0"), Module("k8s.io/kubernetes", "v1.2.0")]
    got = db.entries_for(mods)
    assert sorted(e.id for e in got) == ["GO-2022-0617", "GO-2023-2153"]
    assert ids(mods, got) == [("google.golang.org/grpc", "GO-2023-2153", "v1.57.1")]


def test_no_ranges_and_non_semver_ranges_affect_everything() -> None:
    assert affects((), "v1.0.0")
    assert affects((Range("ECOSYSTEM", (Event("introduced", "0"),)),), "v1.0.0")
    assert contains(Range("SEMVER", ()), "v9.0.0")
    assert not contains(Range("GIT", (Event("introduced", "0"),)), "v1.0.0")


@pytest.mark.parametrize(
    "payload",
    [b"not json", b"[]", b'{"id": 3}', b'{"id": "X", "affected": [{"package": 1}]}'],
)
def test_bad_entries_raise(payload: bytes) -> None:
    with pytest.raises(VulnDataError):
        parse_entry(payload, "ID/X.json")


# Hypothesis: range membership agrees with the semver order.
_num = st.integers(min_value=0, max_value=30)
_release = st.builds(lambda a, b, c: f"v{a}.{b}.{c}", _num, _num, _num)
_pre = st.builds(
    lambda r, t: f"{r}-{t}",
    _release,
    st.sampled_from(["rc.1", "0.20200101000000-abcdefabcdef", "alpha"]),
)
_version = st.one_of(_release, _pre, _release.map(lambda v: v + "+incompatible"))
_order = functools.cmp_to_key(semver.compare)


@given(_version, _version, _version)
def test_single_range_is_the_half_open_interval(intro: str, fixed: str, v: str) -> None:
    r = Range("SEMVER", (Event("fixed", fixed[1:]), Event("introduced", intro[1:])))
    lo, hi = _order(intro), _order(fixed)
    if lo < hi:  # fixed <= introduced is not a well-formed range
        assert contains(r, v) is (lo <= _order(v) < hi)


@given(_version, _version)
def test_from_zero_means_below_the_fix(fixed: str, v: str) -> None:
    r = Range("SEMVER", (Event("introduced", "0"), Event("fixed", fixed[1:])))
    assert contains(r, v) is (semver.compare(v, fixed) < 0)
    fix = earliest_fix((r,), v)
    assert fix == (None if semver.compare(v, fixed) >= 0 else "v" + fixed[1:])


@given(st.lists(_release, min_size=2, max_size=8, unique=True), _version)
def test_alternating_events_match_sorted_intervals(points: list[str], v: str) -> None:
    pts = sorted(points, key=_order)
    if any(semver.compare(a, b) == 0 for a, b in itertools.pairwise(pts)):
        return
    events = tuple(Event("introduced" if i % 2 == 0 else "fixed", p[1:]) for i, p in enumerate(pts))
    # Shuffled input order must not matter: govulncheck sorts the events first.
    r = Range("SEMVER", tuple(reversed(events)))
    inside = any(
        semver.compare(pts[i], v) <= 0 and (i + 1 >= len(pts) or semver.compare(v, pts[i + 1]) < 0)
        for i in range(0, len(pts), 2)
    )
    assert contains(r, v) is inside


def test_module_mode_has_no_platform_filter() -> None:
    # govulncheck -scan module reports an entry whose imports are all windows-only on
    # linux too (checked with govulncheck 1.9): only package/symbol scans read imports.
    windows_only = b"""{"id": "GO-X", "affected": [{"package": {"name": "example.com/m",
      "ecosystem": "Go"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}],
      "ecosystem_specific": {"imports": [{"path": "example.com/m/w", "goos": ["windows"]}]}}]}"""
    entry = parse_entry(windows_only, "GO-X.json")
    assert [v.id for v in match_module(Module("example.com/m", "v1.0.0"), [entry])] == ["GO-X"]
