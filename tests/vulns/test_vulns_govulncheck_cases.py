"""Edge cases of govulncheck's module mode, each answer as govulncheck 1.9 gave it.

Every expectation below was observed by running ``govulncheck -scan module -json`` on a
crafted database and stub project (benchmarks/compare_govulncheck.py builds both; the
``govulncheck`` differential test reruns them when the binary is installed).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from vendaudit.gomod.model import ModVersion
from vendaudit.model import Module
from vendaudit.vulns import find_vulns
from vendaudit.vulns.match import go_semver, wanted_ids
from vendaudit.vulns.model import Entry
from vendaudit.vulns.osv import parse_entry, parse_modules_index

M = "ex.org/m"
I0 = {"introduced": "0"}


def entry(*affected: dict[str, Any], **extra: Any) -> Entry:
    doc = {"id": "GO-2099-0001", "affected": list(affected), **extra}
    return parse_entry(json.dumps(doc).encode(), "GO-2099-0001.json")


def aff(*ranges: list[dict[str, str]], name: str = M, eco: str = "Go", **kw: Any) -> dict[str, Any]:
    rs = [{"type": kw.pop("rtype", "SEMVER"), "events": r} for r in ranges]
    return {"package": {"name": name, "ecosystem": eco}, "ranges": rs, **kw}


def found(e: Entry, version: str = "v1.5.0", path: str = M) -> tuple[str, str | None] | None:
    """(checked path, fixed) of the match at ``path@version``, None when not affected."""
    got = find_vulns([Module(path, version)], [e])
    return (got[0].checked_path, got[0].fixed) if got else None


@pytest.mark.parametrize(
    ("e", "fixed"),
    [
        # Events are sorted before the walk, "introduced: 0" first.
        (entry(aff([{"fixed": "1.6.0"}, I0])), "v1.6.0"),
        (
            entry(aff([{"fixed": "2.0.0"}, {"introduced": "1.9.0"}, {"fixed": "1.6.0"}, I0])),
            "v1.6.0",
        ),
        # Several ranges; several elements (only the affecting one gives the fix).
        (
            entry(aff([I0, {"fixed": "1.2.0"}], [{"introduced": "1.4.0"}, {"fixed": "1.7.0"}])),
            "v1.7.0",
        ),
        (
            entry(
                aff([I0, {"fixed": "1.2.0"}]), aff([{"introduced": "1.5.0"}, {"fixed": "1.5.1"}])
            ),
            "v1.5.1",
        ),
        # A "v" or "go" prefix is tolerated; "fixed in" keeps the database's spelling plus "v".
        (entry(aff([{"introduced": "v1.0.0"}, {"fixed": "v1.6.0"}])), "v1.6.0"),
        (entry(aff([{"introduced": "go1.5.0"}])), None),
        (entry(aff([I0, {"fixed": "1.6"}])), "v1.6"),
        # last_affected and limit are not events govulncheck walks: the range stays open.
        (entry(aff([I0, {"last_affected": "1.4.0"}])), None),
        (entry(aff([I0, {"limit": "1.4.0"}])), None),
        # No ranges, no SEMVER range, or a SEMVER range without events: every version.
        (entry({"package": {"name": M, "ecosystem": "Go"}}), None),
        (entry(aff([I0, {"fixed": "1.2.0"}], rtype="ECOSYSTEM")), None),
        (entry(aff([])), None),
        # An empty version is no event at all.
        (entry(aff([I0, {"fixed": ""}])), None),
        # Boundaries: introduced at the version affects it; an invalid introduced opens.
        (entry(aff([{"introduced": "1.5.0"}])), None),
        (entry(aff([{"introduced": "bogus"}])), None),
        (entry(aff([{"introduced": "1.5.0+meta"}])), None),
        # The fix is the smallest one above the version that no range re-opens.
        (entry(aff([I0, {"fixed": "1.7.0"}, {"fixed": "1.6.0"}])), "v1.6.0"),
        (
            entry(
                aff(
                    [I0, {"fixed": "1.4.0"}, {"introduced": "1.4.5"}, {"fixed": "1.6.0"}],
                    [{"introduced": "1.6.0"}, {"fixed": "1.8.0"}],
                )
            ),
            "v1.8.0",
        ),
        (
            entry(aff([I0, {"fixed": "1.6.0"}], [{"introduced": "1.6.0"}, {"fixed": "1.7.0"}])),
            "v1.7.0",
        ),
        (entry(aff([I0, {"introduced": "1.6.0"}, {"fixed": "1.7.0"}])), "v1.7.0"),
        # The module mode reads no GOOS/GOARCH: a windows-only entry is reported on linux.
        (
            entry(aff([I0], ecosystem_specific={"imports": [{"path": M, "goos": ["windows"]}]})),
            None,
        ),
        # An element without ecosystem is the Go database's own.
        (entry(aff([I0], eco="")), None),
    ],
)
def test_affected_as_govulncheck(e: Entry, fixed: str | None) -> None:
    assert found(e) == (M, fixed)


@pytest.mark.parametrize(
    "e",
    [
        entry(aff([I0, {"fixed": "1.5.0"}])),  # fixed at the version
        entry(aff([{"introduced": "1.6.0"}, {"fixed": "1.2.0"}])),  # inverted
        entry(aff([I0, {"fixed": "bogus"}])),  # an invalid fix closes the range
        entry(aff([I0]), withdrawn="2025-01-01T00:00:00Z"),
        # Deliberate (issue #14 asks for ecosystem Go): govulncheck reads no ecosystem.
        entry(aff([I0], eco="npm")),
    ],
)
def test_not_affected_as_govulncheck(e: Entry) -> None:
    assert found(e) is None


def test_pre_releases_sort_before_their_release() -> None:
    assert found(entry(aff([{"introduced": "1.5.0"}])), "v1.5.0-rc.1") is None
    two = entry(aff([{"introduced": "1.5.0-0"}, {"fixed": "1.5.0"}]))
    assert found(two, "v1.5.0-rc.1") == (M, "v1.5.0")


def test_fix_comes_from_the_affecting_elements_only() -> None:
    # From a random database around moby's modules: the first element does not affect
    # v1.0.1, so its fix 1.0.2 (inside the second element's range) is not considered.
    e = entry(
        aff(
            [{"introduced": "1.1.0"}],
            [
                {"introduced": "1.0.0"},
                {"fixed": "1.0.1"},
                {"introduced": "2.0.0"},
                {"fixed": "1.0.2"},
            ],
        ),
        aff([{"introduced": "1.0.1-0"}, {"fixed": "1.1.0"}]),
    )
    assert found(e, "v1.0.1") == (M, "v1.1.0")


def test_incompatible_and_pseudo_versions() -> None:
    inc = "ex.org/incompat"
    e = entry(aff([I0, {"fixed": "20.10.14"}], name=inc))
    assert found(e, "v20.10.0+incompatible", inc) == (inc, "v20.10.14")
    pseudo = "v0.0.0-20200101000000-abcdefabcdef"
    e = entry(aff([I0, {"fixed": "0.0.0-20210101000000-abcdefabcdef"}], name=M))
    assert found(e, pseudo) == (M, "v0.0.0-20210101000000-abcdefabcdef")
    assert found(entry(aff([{"introduced": "0.0.0-20190101000000-abcdefabcdef"}])), pseudo)


def test_which_modules_are_checked() -> None:
    everything = entry(
        aff([I0], name="ex.org/fork"), aff([I0], name=M), aff([I0], name="ex.org/pin")
    )
    fork = Module(M, "v1.0.0", replace=ModVersion("ex.org/fork", "v1.5.0"), packages=(M,))
    got = find_vulns([fork], [everything])
    # Replaced by another module: looked up (and reported) at the replacement only.
    assert [(v.module, v.checked_path, v.version) for v in got] == [(M, "ex.org/fork", "v1.5.0")]
    local = Module(M, "v1.0.0", replace=ModVersion("../m", ""), explicit=True, packages=(M,))
    # modules.txt lists it with no vendored package: govulncheck never loads it.
    bare = Module("ex.org/pin", "v1.0.0", explicit=True, packages=())
    assert find_vulns([local, bare], [everything]) == []
    # Without a modules.txt (explicit None) every required module is checked.
    assert len(find_vulns([Module("ex.org/pin", "v1.0.0")], [everything])) == 1


def test_index_names_every_entry_fetched() -> None:
    rows = [
        {"path": M, "vulns": [{"id": "A", "modified": ""}]},
        {
            "path": M,
            "vulns": [
                {"id": "B", "modified": "", "fixed": "1.4.0"},  # below the version: kept
                {"id": "C", "modified": "", "fixed": "v1.4.0"},
                {"id": "D", "modified": "", "fixed": "bogus"},  # not a version: dropped
                {"id": "E", "modified": ""},
            ],
        },
    ]
    index = parse_modules_index(json.dumps(rows).encode())
    # A path listed twice: the last row wins, as in govulncheck's moduleMetas.
    assert wanted_ids(index, M) == ("B", "C", "E")


def test_prefixes_as_canonicalize_semver_prefix() -> None:
    assert [go_semver(v) for v in ("1.2.3", "v1.2.3", "go1.2.3", "vgo1.2")] == [
        "v1.2.3",
        "v1.2.3",
        "v1.2.3",
        "v1.2",
    ]


def test_a_replacement_onto_a_required_path_checks_both_copies() -> None:
    # Deliberate: govulncheck keys the modules it loads by the replacement's path, so with
    # `require ex.org/d v1.2.0` and `replace ex.org/c => ex.org/d v1.9.0` it checks ex.org/d
    # once, at whichever version its package walk meets last (v1.2.0 in the crafted run);
    # both copies are vendored and compiled, so vendaudit checks both.
    e = entry(aff([{"introduced": "1.5.0"}], name="ex.org/d"))
    c = Module("ex.org/c", "v1.0.0", replace=ModVersion("ex.org/d", "v1.9.0"))
    d = Module("ex.org/d", "v1.2.0")
    assert [(v.module, v.version) for v in find_vulns([c, d], [e])] == [("ex.org/c", "v1.9.0")]
