"""The cross-run cache of built Debian indexes: same answers, exact invalidation, no trust."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import pytest

from vendaudit.distros.debian.entries import SourceEntry
from vendaudit.distros.debian.index import DebianIndex
from vendaudit.distros.debian.indexcache import BUILT_NAMESPACE, _entries_key, built_index
from vendaudit.distros.debian.sources import parse_sources
from vendaudit.fetch import Cache
from vendaudit.model import Module, Target

SID = Target("debian", "sid")


def _entries(fixtures: Path) -> list[SourceEntry]:
    data = (fixtures / "quickstart" / "sid-Sources").read_bytes()
    return list(parse_sources(data))


def _answers(index: DebianIndex, entries: list[SourceEntry]) -> list[object]:
    paths = sorted({p for e in entries for p in e.import_paths})
    probes = [Module(p, "v1.0.0") for p in paths] + [Module(p + "/sub/v2", "v2.1.0") for p in paths]
    return [index.lookup(m) for m in probes] + [index.programs(p) for p in paths]


def test_state_round_trip_answers_like_a_fresh_build(fixtures: Path) -> None:
    entries = _entries(fixtures)
    fresh = DebianIndex(SID, entries, "here", ("n",))
    again = DebianIndex.from_state(SID, entries, "here", ("n",), fresh.to_state())
    # Declarations are made on first lookup: answer first, then dump what was made.
    assert _answers(again, entries) == _answers(fresh, entries)
    assert again.to_state() == fresh.to_state()
    lazy = DebianIndex.from_state(SID, entries, "here", ("n",), fresh.to_state())
    assert lazy.to_state() == fresh.to_state()
    mods = [Module(p, "v1.0.0") for e in entries for p in e.import_paths]
    assert again.notes_for(mods) == fresh.notes_for(mods)
    assert again.packages == fresh.packages


def test_warm_build_comes_from_the_cache(fixtures: Path, tmp_path: Path) -> None:
    entries = _entries(fixtures)
    cache = Cache(tmp_path)
    first = built_index(SID, entries, "p", (), cache)
    assert cache.get_derived(BUILT_NAMESPACE, _entries_key(entries)) is not None
    calls: list[int] = []
    real_init = DebianIndex.__init__

    def counting_init(self: DebianIndex, *args: object, **kwargs: object) -> None:
        calls.append(1)
        real_init(self, *args, **kwargs)  # type: ignore[arg-type]

    DebianIndex.__init__ = counting_init  # type: ignore[method-assign]
    try:
        second = built_index(SID, entries, "p", (), cache)
    finally:
        DebianIndex.__init__ = real_init  # type: ignore[method-assign]
    assert calls == []
    assert _answers(second, entries) == _answers(first, entries)


def test_changed_entries_miss(fixtures: Path, tmp_path: Path) -> None:
    entries = _entries(fixtures)
    cache = Cache(tmp_path)
    built_index(SID, entries, "p", (), cache)
    bumped = [dataclasses.replace(entries[0], version="99.0.0-1"), *entries[1:]]
    assert _entries_key(bumped) != _entries_key(entries)
    index = built_index(SID, bumped, "p", (), cache)
    fresh = DebianIndex(SID, bumped, "p", ())
    assert index.to_state() == fresh.to_state()


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],  # truncated
        lambda b: b.replace(b'"v', b'"w', 1),  # a bit of content changed, still JSON
        lambda b: b"",  # empty
        lambda b: b"\x00\xff garbage",
    ],
)
def test_damaged_entry_is_a_dropped_miss(
    fixtures: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, damage: object
) -> None:
    entries = _entries(fixtures)
    cache = Cache(tmp_path)
    good = built_index(SID, entries, "p", (), cache).to_state()
    key = _entries_key(entries)
    blob = cache.get_derived(BUILT_NAMESPACE, key)
    assert blob is not None
    cache.put_derived(BUILT_NAMESPACE, key, damage(blob))  # type: ignore[operator]
    with caplog.at_level(logging.WARNING, logger="vendaudit"):
        again = built_index(SID, entries, "p", (), cache)
    assert again.to_state() == good
    assert "damaged cached Debian index" in caplog.text
    # Dropped, then written again whole: the next run reads a good entry.
    assert cache.get_derived(BUILT_NAMESPACE, key) == blob


def test_state_for_other_entries_is_refused(fixtures: Path) -> None:
    entries = _entries(fixtures)
    state = DebianIndex(SID, entries, "p", ()).to_state()
    with pytest.raises(ValueError):
        DebianIndex.from_state(SID, entries[:-1], "p", (), state)


def test_no_cache_builds(fixtures: Path) -> None:
    entries = _entries(fixtures)
    assert built_index(SID, entries, "p", (), None).packages == len(entries)


def test_warm_local_load_keys_the_built_index_by_the_parsed_digests(
    fixtures: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vendaudit.distros.debian import archive, indexcache
    from vendaudit.distros.debian.archive import DebianArchiveBackend
    from vendaudit.fetch import Fetcher, make_client

    local = {"debian:sid": [fixtures / "quickstart" / "sid-Sources"]}

    def load() -> DebianIndex:
        fetcher = Fetcher(make_client(), Cache(tmp_path), offline=True)
        return DebianArchiveBackend(fetcher, local_indexes=local).load(SID)

    monkeypatch.setattr(archive, "DebianIndex", DebianIndex)
    cold = load()

    def boom(*_args: object) -> str:
        raise AssertionError("a keyed load must not hash the entries")

    monkeypatch.setattr(indexcache, "_entries_key", boom)
    monkeypatch.setattr(DebianIndex, "__init__", boom)  # built, so never rebuilt
    warm = load()
    assert warm.to_state() == cold.to_state()


def test_parsed_digest_is_the_same_parsed_or_read_back(fixtures: Path, tmp_path: Path) -> None:
    from vendaudit.distros.debian.indexcache import parse_cached

    entries = _entries(fixtures)
    cache = Cache(tmp_path)
    fresh = parse_cached(b"raw", cache, lambda raw: ("x", 1, entries))
    again = parse_cached(b"raw", cache, lambda raw: ("y", 2, []))
    assert again.from_cache and not fresh.from_cache
    assert again.entries == fresh.entries and again.digest == fresh.digest != ""
