"""primary.xml / repomd.xml parsing: compression, safety, truncation."""

from __future__ import annotations

import gzip
import lzma
from pathlib import Path

import pytest
import zstandard

from vendaudit.distros.fedora.primary import parse_primary, scan_primary, source_name
from vendaudit.distros.fedora.repomd import parse_repomd
from vendaudit.distros.interface import DistroDataError


def _release(fixtures: Path) -> bytes:
    return (fixtures / "fedora" / "primary-release.xml").read_bytes()


def test_keeps_only_go_import_path_providers(fixtures: Path) -> None:
    scan = scan_primary(_release(fixtures))
    assert scan.total == 7
    names = [p.name for p in scan.packages]
    # golang (golang(x86-64)) and runc (bundled only) are not libraries.
    assert names == [
        "golang-github-docker-units-devel",
        "golang-x-net-devel",
        "golang-github-aquasecurity-version-devel",
        "golang-github-coreos-systemd22-devel",
        "golang-github-google-cloud-devel",
    ]
    units = scan.packages[0]
    assert units.source == "golang-github-docker-units"
    assert (units.epoch, units.ver, units.rel, units.evr) == (
        "0",
        "0.5.0",
        "10.fc43",
        "0.5.0-10.fc43",
    )
    assert {(p.kind, p.path) for p in units.provides} == {
        ("pkg", "github.com/docker/go-units"),
        ("ipath", "github.com/docker/go-units"),
    }
    snap = scan.packages[2]
    assert snap.commit == "637058cfe4921e395b56f195224538d7eac61520"


@pytest.mark.parametrize(
    "compress",
    [gzip.compress, zstandard.ZstdCompressor().compress, lzma.compress, lambda b: b],
    ids=["gz", "zst", "xz", "plain"],
)
def test_compressions(fixtures: Path, compress: object) -> None:
    data = compress(_release(fixtures))  # type: ignore[operator]
    assert len(parse_primary(data)) == 5


@pytest.mark.parametrize(
    "compress", [gzip.compress, zstandard.ZstdCompressor().compress], ids=["gz", "zst"]
)
def test_truncated_archive_is_a_clear_error(fixtures: Path, compress: object) -> None:
    data = compress(_release(fixtures))  # type: ignore[operator]
    with pytest.raises(DistroDataError, match="truncated or corrupt archive"):
        parse_primary(data[: len(data) // 2], source="f43 primary")


def test_truncated_xml(fixtures: Path) -> None:
    with pytest.raises(DistroDataError, match="malformed or truncated XML"):
        parse_primary(_release(fixtures)[:-40])


def test_billion_laughs_rejected(fixtures: Path) -> None:
    data = (fixtures / "fedora" / "primary-billion-laughs.xml").read_bytes()
    with pytest.raises(DistroDataError, match="entity expansion is not allowed"):
        parse_primary(gzip.compress(data))


def test_open_checksum_mismatch(fixtures: Path) -> None:
    with pytest.raises(DistroDataError, match="open-checksum"):
        parse_primary(_release(fixtures), open_checksum=("sha256", "00" * 32))


def test_multi_member_gzip(fixtures: Path) -> None:
    data = _release(fixtures)
    half = len(data) // 2
    assert len(parse_primary(gzip.compress(data[:half]) + gzip.compress(data[half:]))) == 5


def test_stream_input(fixtures: Path, tmp_path: Path) -> None:
    path = tmp_path / "primary.xml.zst"
    path.write_bytes(zstandard.ZstdCompressor().compress(_release(fixtures)))
    with path.open("rb") as fh:
        assert len(parse_primary(fh)) == 5


def test_source_name() -> None:
    assert source_name("golang-x-net-0.43.0-1.fc43.src.rpm") == "golang-x-net"
    assert source_name("moby-engine-28.1.1-2.fc43.src.rpm") == "moby-engine"


@pytest.mark.realworld
def test_real_repomd_and_primary_excerpt(realworld: Path) -> None:
    samples = realworld.parent / "samples" / "fedora"
    repomd = parse_repomd((samples / "fedora35-updates-everything-x86_64-repomd.xml").read_bytes())
    prim = repomd.primary()
    assert prim.href.endswith("-primary.xml.gz") and prim.checksum.startswith("5046f3d1")
    assert prim.open_size == 36619307 and "primary_zck" in repomd.records
    cs9 = parse_repomd((samples / "cs9-appstream-repomd.xml").read_bytes())
    assert cs9.distro_cpeids == ("cpe:/o:centos-stream:centos-stream:9",)
    scan = scan_primary((samples / "cs9-appstream-primary-excerpt.xml").read_bytes())
    # 8 packages, none a Go library: bundled(golang(...)) and golang(x86-64) are not kept.
    assert scan.total == 8 and scan.packages == []


def test_repomd_errors() -> None:
    with pytest.raises(DistroDataError, match="not valid XML"):
        parse_repomd(b"<repomd")
    with pytest.raises(DistroDataError, match="unsafe XML"):
        parse_repomd(b'<!DOCTYPE x [<!ENTITY a "b">]><repomd/>')
    bare = b'<repomd xmlns="http://linux.duke.edu/metadata/repo"><revision>1</revision></repomd>'
    with pytest.raises(DistroDataError, match="no 'primary' record"):
        parse_repomd(bare).primary()
