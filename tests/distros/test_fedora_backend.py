"""FedoraRepodataBackend over a faked mirror (pytest-httpx), local files and the cache."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pytest
import zstandard
from pytest_httpx import HTTPXMock

from vendaudit.distros.fedora import FedoraRepodataBackend
from vendaudit.distros.interface import DistroDataError, DistroError, DistroUnreachable
from vendaudit.fetch import Cache, Fetcher, make_client
from vendaudit.model import Module, Target

MIRROR = "https://mirror.test/pub"
RAWHIDE = f"{MIRROR}/fedora/linux/development/rawhide/Everything/x86_64/os/"
REL43 = f"{MIRROR}/fedora/linux/releases/43/Everything/x86_64/os/"
UPD43 = f"{MIRROR}/fedora/linux/updates/43/Everything/x86_64/"
EPEL10 = f"{MIRROR}/epel/10/Everything/x86_64/"


def repomd(primary: bytes, plain: bytes, ext: str) -> tuple[bytes, str]:
    """A createrepo_c-shaped repomd.xml for ``primary``; returns (xml, href)."""
    sha = hashlib.sha256(primary).hexdigest()
    href = f"repodata/{sha}-primary.xml.{ext}"
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="http://linux.duke.edu/metadata/rpm">
  <revision>1767225600</revision>
  <tags>
    <distro cpeid="cpe:/o:fedoraproject:fedora:43">Fedora 43</distro>
  </tags>
  <data type="primary">
    <checksum type="sha256">{sha}</checksum>
    <open-checksum type="sha256">{hashlib.sha256(plain).hexdigest()}</open-checksum>
    <location href="{href}"/>
    <timestamp>1767225600</timestamp>
    <size>{len(primary)}</size>
    <open-size>{len(plain)}</open-size>
  </data>
</repomd>
"""
    return xml.encode(), href


def serve(httpx_mock: HTTPXMock, base: str, plain: bytes, ext: str = "gz") -> None:
    """Register repomd.xml and its primary file under ``base``."""
    comp = (
        gzip.compress(plain, mtime=0) if ext == "gz" else zstandard.ZstdCompressor().compress(plain)
    )
    xml, href = repomd(comp, plain, ext)
    httpx_mock.add_response(url=base + "repodata/repomd.xml", content=xml)
    httpx_mock.add_response(url=base + href, content=comp)


def backend(tmp_path: Path | None = None, **kw: object) -> FedoraRepodataBackend:
    cache = Cache(tmp_path) if tmp_path else None
    fetcher = Fetcher(make_client(), cache, retries=0, backoff=0)
    kw.setdefault("min_packages", {"fedora": 0, "epel": 0})  # fixtures are small
    return FedoraRepodataBackend(fetcher, mirror=MIRROR, **kw)  # type: ignore[arg-type]


def fx(fixtures: Path, name: str) -> bytes:
    return (fixtures / "fedora" / name).read_bytes()


def test_supports() -> None:
    b = backend()
    assert b.supports(Target("fedora", "rawhide")) and b.supports(Target("fedora", "43"))
    assert b.supports(Target("epel", "10")) and b.supports(Target("epel", "10.1"))
    assert not b.supports(Target("debian", "sid")) and not b.supports(Target("fedora", "f43"))


def test_rawhide_zstd(httpx_mock: HTTPXMock, fixtures: Path) -> None:
    serve(httpx_mock, RAWHIDE, fx(fixtures, "primary-release.xml"), "zst")
    index = backend().load(Target("fedora", "rawhide"))
    assert index.packages == 5
    assert "sha256 verified" in index.provenance and RAWHIDE in index.provenance
    assert any("only 7 packages" in n for n in index.notes)
    [pkg] = index.lookup(Module("github.com/docker/go-units", "v0.5.0"))
    assert pkg.version.distro_version == "0.5.0-10"


def test_release_and_updates_merge(httpx_mock: HTTPXMock, fixtures: Path) -> None:
    serve(httpx_mock, REL43, fx(fixtures, "primary-release.xml"))
    serve(httpx_mock, UPD43, fx(fixtures, "primary-updates.xml"), "zst")
    index = backend().load(Target("fedora", "43"))
    units = index.lookup(Module("github.com/docker/go-units", "v0.5.0"))[0]
    assert units.version.distro_version == "0.5.0-12"  # updates wins
    net = index.lookup(Module("golang.org/x/net", "v0.43.0"))[0]
    assert net.version.distro_version == "0.43.0-1"  # release is newer than updates
    assert "release:" in index.provenance and "updates:" in index.provenance
    assert "updates-testing is not included" in index.notes


def test_branched_release_falls_back_to_development(httpx_mock: HTTPXMock, fixtures: Path) -> None:
    httpx_mock.add_response(url=REL43 + "repodata/repomd.xml", status_code=404)
    dev = f"{MIRROR}/fedora/linux/development/43/Everything/x86_64/os/"
    serve(httpx_mock, dev, fx(fixtures, "primary-release.xml"))
    serve(httpx_mock, UPD43, fx(fixtures, "primary-updates.xml"))
    index = backend().load(Target("fedora", "43"))
    assert dev in index.provenance


def test_epel_404_is_distro_error(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=EPEL10 + "repodata/repomd.xml", status_code=404)
    with pytest.raises(DistroError, match=r"epel:10.*404"):
        backend().load(Target("epel", "10"))


def test_unreachable(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=EPEL10 + "repodata/repomd.xml", status_code=503)
    with pytest.raises(DistroUnreachable):
        backend().load(Target("epel", "10"))


def test_checksum_mismatch(httpx_mock: HTTPXMock, fixtures: Path) -> None:
    plain = fx(fixtures, "primary-release.xml")
    xml, href = repomd(gzip.compress(plain), plain, "gz")
    httpx_mock.add_response(url=RAWHIDE + "repodata/repomd.xml", content=xml)
    httpx_mock.add_response(url=RAWHIDE + href, content=gzip.compress(plain + b"\n"))
    with pytest.raises(DistroDataError, match=r"checksum does not match repomd\.xml"):
        backend().load(Target("fedora", "rawhide"))


def test_truncated_download(httpx_mock: HTTPXMock, fixtures: Path) -> None:
    plain = fx(fixtures, "primary-release.xml")
    comp = zstandard.ZstdCompressor().compress(plain)[:-30]
    xml, href = repomd(comp, plain, "zst")  # the mirror's repomd describes the cut file
    httpx_mock.add_response(url=RAWHIDE + "repodata/repomd.xml", content=xml)
    httpx_mock.add_response(url=RAWHIDE + href, content=comp)
    with pytest.raises(DistroDataError, match="truncated"):
        backend().load(Target("fedora", "rawhide"))


def test_parsed_index_cached_by_checksum(
    httpx_mock: HTTPXMock, fixtures: Path, tmp_path: Path
) -> None:
    plain = fx(fixtures, "primary-release.xml")
    serve(httpx_mock, RAWHIDE, plain)
    first = backend(tmp_path).load(Target("fedora", "rawhide"))
    # Second run: only repomd.xml is requested again; the primary is never downloaded.
    # mtime=0 on both sides: gzip stamps the current second, and a run crossing a second
    # boundary would otherwise get another checksum (a flaky cache miss).
    xml, _ = repomd(gzip.compress(plain, mtime=0), plain, "gz")
    httpx_mock.add_response(url=RAWHIDE + "repodata/repomd.xml", content=xml)
    second = FedoraRepodataBackend(
        Fetcher(make_client(), None, retries=0),
        mirror=MIRROR,
        cache=Cache(tmp_path),
        min_packages={"fedora": 0},
    ).load(Target("fedora", "rawhide"))
    assert second.rpms == first.rpms


def test_local_file_and_repodata_dir(fixtures: Path, tmp_path: Path) -> None:
    plain = fx(fixtures, "primary-release.xml")
    single = tmp_path / "primary.xml.zst"
    single.write_bytes(zstandard.ZstdCompressor().compress(plain))
    index = backend(local_indexes={"fedora:rawhide": [single]}).load(Target("fedora", "rawhide"))
    assert index.packages == 5 and "not verified" in index.provenance
    repo = tmp_path / "repo"
    (repo / "repodata").mkdir(parents=True)
    comp = gzip.compress(plain)
    xml, href = repomd(comp, plain, "gz")
    (repo / "repodata" / "repomd.xml").write_bytes(xml)
    (repo / href).write_bytes(comp)
    index = backend(local_indexes={"fedora:43": [repo / "repodata"]}).load(Target("fedora", "43"))
    assert index.packages == 5 and "sha256 verified" in index.provenance
    (repo / href).write_bytes(gzip.compress(plain + b" "))
    with pytest.raises(DistroDataError, match="checksum"):
        backend(local_indexes={"fedora:43": [repo]}).load(Target("fedora", "43"))


def test_local_missing_file(tmp_path: Path) -> None:
    b = backend(local_indexes={"epel:9": [tmp_path / "nope.xml.gz"]})
    with pytest.raises(DistroError, match="cannot read"):
        b.load(Target("epel", "9"))


def test_dnf_cache(fixtures: Path, tmp_path: Path) -> None:
    plain = fx(fixtures, "primary-release.xml")
    comp = gzip.compress(plain)
    xml, href = repomd(comp, plain, "gz")
    for name in ("fedora-1a2b3c4d5e6f7a8b", "updates-testing-0f0f0f0f0f0f0f0f"):
        root = tmp_path / "libdnf5" / name
        (root / "repodata").mkdir(parents=True)
        (root / "repodata" / "repomd.xml").write_bytes(xml)
        (root / href).write_bytes(comp)
    index = backend(dnf_cache=tmp_path).load(Target("fedora", "43"))
    assert "dnf cache" in index.provenance and "updates-testing" not in index.provenance
    assert index.packages == 5
