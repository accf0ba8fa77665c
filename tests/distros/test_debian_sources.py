"""Sources parsing and decompression: the real traps of sid's Sources index."""

from __future__ import annotations

import bz2
import gzip
import lzma
from pathlib import Path

import lz4.frame
import pytest
import zstandard
from hypothesis import given, settings
from hypothesis import strategies as st

from vendaudit.distros.debian.compression import compression_of, decompress, iter_decompress
from vendaudit.distros.debian.entries import SourceEntry
from vendaudit.distros.debian.sources import (
    DebianIndexError,
    parse_sources,
    parse_sources_chunks,
    split_comma_list,
)
from vendaudit.distros.interface import DistroDataError

_FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "debian"
# Small on purpose: hypothesis re-parses it for every example.
_TRAPS = b"\n".join(
    (_FIXTURES / name).read_bytes()
    for name in ("sources-fieldcase.Sources", "sources-duplicate.Sources")
)


def _by_source(entries: list[SourceEntry]) -> dict[str, SourceEntry]:
    assert len({e.source for e in entries}) == len(entries), "one entry per source"
    return {e.source: e for e in entries}


@pytest.fixture
def traps(fixtures: Path) -> dict[str, SourceEntry]:
    return _by_source(parse_sources((fixtures / "debian" / "sid-traps.Sources").read_bytes()))


def test_non_go_sources_are_ignored(traps: dict[str, SourceEntry]) -> None:
    assert "casacore-data-jplde" not in traps
    assert set(traps) == {
        "docker.io",
        "etcd",
        "fdroidcl",
        "golang-github-golang-protobuf-1-5",
        "golang-golang-x-net",
        "golang-gopkg-yaml.v3",
    }


def test_extra_source_only_stanzas_are_skipped(traps: dict[str, SourceEntry]) -> None:
    # docker.io has six stanzas in sid, five of them Extra-Source-Only; the live one is -5.
    assert traps["docker.io"].version == "28.5.2+dfsg4-5"
    # x/net: eleven stanzas, epoch 1:, the highest non-ESO one wins.
    assert traps["golang-golang-x-net"].version == "1:0.62.0-1"


def test_leading_comma_multiline_import_paths(traps: dict[str, SourceEntry]) -> None:
    assert traps["docker.io"].import_paths == (
        "github.com/docker/docker",
        "github.com/docker/cli",
        "github.com/moby/buildkit",
        "github.com/moby/ipvs",
    )
    assert traps["docker.io"].binaries == (
        "docker.io",
        "docker-cli",
        "golang-github-docker-docker-dev",
        "docker-doc",
    )


def test_trailing_comma_and_several_paths(traps: dict[str, SourceEntry]) -> None:
    assert traps["fdroidcl"].import_paths[0] == "mvdan.cc/fdroidcl"
    assert "" not in traps["fdroidcl"].import_paths
    assert traps["golang-gopkg-yaml.v3"].import_paths == ("go.yaml.in/yaml/v3", "gopkg.in/yaml.v3")


def test_several_dev_binaries(traps: dict[str, SourceEntry]) -> None:
    bins = traps["golang-github-golang-protobuf-1-5"].binaries
    assert "golang-github-golang-protobuf-1-5-dev" in bins
    assert "golang-goprotobuf-dev" in bins


def test_duplicate_source_keeps_highest_debian_version(fixtures: Path) -> None:
    got = _by_source(
        parse_sources((fixtures / "debian" / "sources-duplicate.Sources").read_bytes())
    )
    assert got["golang-example-dup"].version == "1:0.9.0-1"  # the epoch beats 0.10
    # 1.2.0 > 1.2.0~rc1, and the ESO 1.3.0 stanza does not count.
    assert got["golang-example-tilde"].version == "1.2.0-1"


def test_field_names_are_case_insensitive_and_continuations_join(fixtures: Path) -> None:
    got = _by_source(
        parse_sources((fixtures / "debian" / "sources-fieldcase.Sources").read_bytes())
    )
    assert set(got) == {"golang-example-lower", "golang-example-multibinary"}
    lower = got["golang-example-lower"]
    assert (lower.version, lower.import_paths) == ("2.0.0-1", ("example.org/first-field",))
    multi = got["golang-example-multibinary"]
    assert multi.binaries == (
        "golang-example-multibinary-dev",
        "golang-example-multibinary-extra-dev",
        "example-multibinary-tools",
    )
    assert multi.import_paths == ("example.org/multi", "example.org/multi/extra")


def test_crlf_line_ends_are_accepted() -> None:
    data = b"Package: a\r\nVersion: 1-1\r\nBinary: a-dev\r\nGo-Import-Path: x.org/a\r\n"
    assert parse_sources(data) == [SourceEntry("a", "1-1", ("a-dev",), ("x.org/a",))]


@pytest.mark.parametrize("data", [b"", b"\n\n", b"Package: a\nVersion: 1\n"])
def test_no_go_stanzas(data: bytes) -> None:
    assert parse_sources(data) == []


def test_stanza_without_package_is_a_clear_error(fixtures: Path) -> None:
    data = (fixtures / "debian" / "sources-no-package.Sources").read_bytes()
    with pytest.raises(DebianIndexError, match=r"stanza at byte \d+: no Package field"):
        parse_sources(data)


def test_missing_version_is_an_error() -> None:
    with pytest.raises(DebianIndexError, match=r"\(a\): no Version field"):
        parse_sources(b"Package: a\nGo-Import-Path: x.org/a\n")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (lzma.compress(b"Package: a\n"), "binary data"),
        (b"\x89PNG garbage without any field\nGo-Import-Path: x\n", "not a 'Field: value' line"),
        (b"Package: a\nVersion: 1\nGo-Import-Path: x.org/\xff\xfe\n", "not UTF-8"),
    ],
)
def test_garbage_is_a_distro_data_error(data: bytes, message: str) -> None:
    with pytest.raises(DistroDataError, match=message):
        parse_sources(data)


def test_split_comma_list() -> None:
    assert split_comma_list(" a ,\n\tb,, c ,") == ("a", "b", "c")
    assert split_comma_list("\n ,x") == ("x",)


# -- compression ------------------------------------------------------------------------

PLAIN = b"Package: a\nVersion: 1-1\nGo-Import-Path: x.org/a\n" * 50


@pytest.mark.parametrize(
    ("name", "packed", "kind"),
    [
        ("Sources.xz", lzma.compress(PLAIN), "xz"),
        ("Sources.gz", gzip.compress(PLAIN), "gz"),
        ("Sources.bz2", bz2.compress(PLAIN), "bz2"),
        ("x_source_Sources.lz4", lz4.frame.compress(PLAIN), "lz4"),
        ("Sources.zst", zstandard.ZstdCompressor().compress(PLAIN), "zst"),
        ("Sources", PLAIN, "plain"),
        # Magic bytes win over a misleading name (apt list names carry no suffix sometimes).
        ("Sources", lzma.compress(PLAIN), "xz"),
    ],
)
def test_decompress_every_format(name: str, packed: bytes, kind: str) -> None:
    assert compression_of(packed, name) == kind
    assert decompress(packed, name) == PLAIN


def test_concatenated_lz4_frames() -> None:
    half = len(PLAIN) // 2
    packed = lz4.frame.compress(PLAIN[:half]) + lz4.frame.compress(PLAIN[half:])
    assert decompress(packed, "Sources.lz4") == PLAIN


def test_zstd_without_content_size() -> None:
    packed = zstandard.ZstdCompressor(write_content_size=False).compress(PLAIN)
    assert decompress(packed, "Sources.zst") == PLAIN


@pytest.mark.parametrize(
    ("name", "packed"),
    [
        ("Sources.xz", lzma.compress(PLAIN)),
        ("Sources.gz", gzip.compress(PLAIN)),
        ("Sources.bz2", bz2.compress(PLAIN)),
        ("Sources.lz4", lz4.frame.compress(PLAIN)),
        ("Sources.zst", zstandard.ZstdCompressor(write_content_size=False).compress(PLAIN)),
    ],
)
def test_truncated_data_is_a_clear_error(name: str, packed: bytes) -> None:
    kind = name.rsplit(".", 1)[1]
    with pytest.raises(DebianIndexError, match=rf"^{name}: truncated or corrupt {kind} data"):
        decompress(packed[: len(packed) // 2], f"https://mirror/dists/sid/main/source/{name}")


def test_name_promising_xz_on_plain_text_is_an_error() -> None:
    with pytest.raises(DebianIndexError, match=r"Sources.xz: truncated or corrupt xz data"):
        decompress(b"Package: a\n", "Sources.xz")


@pytest.mark.parametrize("size", [1, 7, 64, 1000, 4096])
def test_chunked_parse_equals_whole_parse(fixtures: Path, size: int) -> None:
    for name in ("sid-traps.Sources", "sources-fieldcase.Sources", "sources-duplicate.Sources"):
        data = (fixtures / "debian" / name).read_bytes()
        chunks = [data[i : i + size] for i in range(0, len(data), size)]
        assert parse_sources_chunks(chunks) == parse_sources(data)


def test_chunked_error_offsets_match(fixtures: Path) -> None:
    data = (fixtures / "debian" / "sources-no-package.Sources").read_bytes()
    with pytest.raises(DebianIndexError) as whole:
        parse_sources(data)
    with pytest.raises(DebianIndexError) as chunked:
        parse_sources_chunks([data[i : i + 10] for i in range(0, len(data), 10)])
    assert str(whole.value) == str(chunked.value)
    offset = int(str(whole.value).split("at byte ")[1].split(":")[0])
    assert data[offset:].startswith(b"Binary: golang-example-orphan")


def test_iter_decompress_streams_xz_in_chunks() -> None:
    packed = lzma.compress(PLAIN) + lzma.compress(PLAIN)  # two concatenated streams
    chunks = list(iter_decompress(packed, "Sources.xz", chunk_size=100))
    assert len(chunks) > 2 and all(len(c) <= 100 for c in chunks)
    assert b"".join(chunks) == PLAIN + PLAIN
    assert b"".join(iter_decompress(gzip.compress(PLAIN), "Sources.gz")) == PLAIN
    with pytest.raises(DebianIndexError, match=r"^Sources.xz: truncated or corrupt xz data"):
        list(iter_decompress(packed[:-20], "dists/sid/main/source/Sources.xz", chunk_size=100))


@given(cuts=st.lists(st.integers(min_value=0, max_value=20000), max_size=12))
@settings(max_examples=60, deadline=None)
def test_any_chunking_gives_the_same_entries(cuts: list[int]) -> None:
    data = _TRAPS
    points = sorted({c % (len(data) + 1) for c in cuts})
    chunks = [data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)]
    assert parse_sources_chunks(chunks) == parse_sources(data)
