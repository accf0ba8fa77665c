"""The mirror/local backend with a faked mirror (pytest-httpx): no network is touched."""

from __future__ import annotations

import hashlib
import lzma
import shutil
from collections.abc import Sequence
from pathlib import Path

import httpx
import pytest
from pytest_httpx import HTTPXMock

from vendaudit.distros.debian import archive
from vendaudit.distros.debian.archive import DebianArchiveBackend
from vendaudit.distros.debian.entries import SourceEntry
from vendaudit.distros.debian.index import DebianIndex
from vendaudit.distros.debian.inrelease import DEBIAN_KEYRING
from vendaudit.distros.interface import DistroDataError, DistroError, DistroUnreachable
from vendaudit.fetch import Cache, Fetcher, make_client
from vendaudit.model import Module, Target

MIRROR = "https://deb.example.org/debian"
SID = Target("debian", "sid")
DISTS = f"{MIRROR}/dists/sid"


class RecordingIndex:
    """Stand-in for DebianIndex that keeps what the backend handed it."""

    def __init__(
        self,
        target: Target,
        entries: Sequence[SourceEntry],
        provenance: str,
        notes: tuple[str, ...] = (),
    ) -> None:
        self.target = target
        self.entries = list(entries)
        self.provenance = provenance
        self.notes = notes

    def versions(self) -> dict[str, str]:
        return {e.source: e.version for e in self.entries}


@pytest.fixture(autouse=True)
def standin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "DebianIndex", RecordingIndex)


@pytest.fixture
def traps(fixtures: Path) -> bytes:
    return (fixtures / "debian" / "sid-traps.Sources").read_bytes()


def make_release(
    files: dict[str, bytes],
    *,
    suite: str = "unstable",
    codename: str = "sid",
    origin: str = "Debian",
    by_hash: bool = False,
    valid_until: str = "",
) -> bytes:
    """A self-made, unsigned InRelease listing ``files`` like dak does."""
    lines = [
        f"Origin: {origin}",
        f"Label: {origin}",
        f"Suite: {suite}",
        f"Codename: {codename}",
        "Date: Fri, 30 Oct 2026 08:11:42 UTC",
        "Components: main contrib universe",
    ]
    if valid_until:
        lines.append(f"Valid-Until: {valid_until}")
    if by_hash:
        lines.append("Acquire-By-Hash: yes")
    lines.append("SHA256:")
    for path, data in files.items():
        lines.append(f" {hashlib.sha256(data).hexdigest()} {len(data):>16} {path}")
    return ("\n".join(lines) + "\n").encode()


def backend(tmp_path: Path, **kwargs: object) -> DebianArchiveBackend:
    fetcher = Fetcher(make_client(), Cache(tmp_path / "cache"), backoff=0)
    kwargs.setdefault("mirrors", {"debian": MIRROR})
    # Self-made InReleases are unsigned and tiny: these tests are about everything else.
    kwargs.setdefault("allow_unsigned", True)
    kwargs.setdefault("min_go_sources", {"debian": 0, "ubuntu": 0})
    return DebianArchiveBackend(fetcher, **kwargs)  # type: ignore[arg-type]


def serve_sid(httpx_mock: HTTPXMock, plain: bytes, **release_kw: bool) -> bytes:
    xz = lzma.compress(plain)
    rel = make_release(
        {
            "main/source/Sources": plain,
            "main/source/Sources.gz": b"x",
            "main/source/Sources.xz": xz,
        },
        **release_kw,  # type: ignore[arg-type]
    )
    httpx_mock.add_response(url=f"{DISTS}/InRelease", content=rel, headers={"ETag": '"r1"'})
    return xz


def test_mirror_happy_path(httpx_mock: HTTPXMock, tmp_path: Path, traps: bytes) -> None:
    xz = serve_sid(httpx_mock, traps)
    httpx_mock.add_response(url=f"{DISTS}/main/source/Sources.xz", content=xz)
    index, status = backend(tmp_path).load_with_status(SID)
    assert isinstance(index, RecordingIndex)
    assert index.versions()["docker.io"] == "28.5.2+dfsg4-5"
    assert status.packages == 6
    assert "main/source/Sources.xz" in status.provenance
    assert "SHA256 verified; NOT signature-verified: accepted by --allow-unsigned" in (
        status.provenance
    )
    assert any("not signed" in note and "--allow-unsigned" in note for note in status.notes)
    assert index.notes == status.notes


def test_real_index_class_answers_lookups(
    httpx_mock: HTTPXMock, tmp_path: Path, traps: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(archive, "DebianIndex", DebianIndex)
    xz = serve_sid(httpx_mock, traps)
    httpx_mock.add_response(url=f"{DISTS}/main/source/Sources.xz", content=xz)
    index = backend(tmp_path).load(SID)
    found = index.lookup(Module("github.com/docker/docker", "v28.5.2+incompatible"))
    assert found and found[0].source == "docker.io"


def test_second_run_revalidates_and_skips_the_parse(
    httpx_mock: HTTPXMock, tmp_path: Path, traps: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    xz = serve_sid(httpx_mock, traps)
    httpx_mock.add_response(
        url=f"{DISTS}/main/source/Sources.xz", content=xz, headers={"ETag": '"s1"'}
    )
    first = backend(tmp_path).load(SID)
    httpx_mock.add_response(
        url=f"{DISTS}/InRelease", status_code=304, match_headers={"If-None-Match": '"r1"'}
    )
    httpx_mock.add_response(
        url=f"{DISTS}/main/source/Sources.xz",
        status_code=304,
        match_headers={"If-None-Match": '"s1"'},
    )

    def boom(*_args: object) -> list[SourceEntry]:
        raise AssertionError("a warm run must not decompress or parse")

    monkeypatch.setattr(archive, "parse_sources_chunks", boom)
    monkeypatch.setattr(archive, "iter_decompress", boom)
    second = backend(tmp_path).load(SID)
    assert isinstance(first, RecordingIndex) and isinstance(second, RecordingIndex)
    assert second.entries == first.entries


def test_by_hash_index_is_not_requested_again(
    httpx_mock: HTTPXMock, tmp_path: Path, traps: bytes
) -> None:
    xz = serve_sid(httpx_mock, traps, by_hash=True)
    digest = hashlib.sha256(xz).hexdigest()
    httpx_mock.add_response(url=f"{DISTS}/main/source/by-hash/SHA256/{digest}", content=xz)
    backend(tmp_path).load(SID)
    httpx_mock.add_response(url=f"{DISTS}/InRelease", status_code=304)
    backend(tmp_path).load(SID)  # by-hash files are immutable: served from the cache
    assert len(httpx_mock.get_requests()) == 3


def test_missing_compression_falls_back_to_the_next_listed(
    httpx_mock: HTTPXMock, tmp_path: Path, traps: bytes
) -> None:
    gz_plain = {"main/source/Sources.xz": lzma.compress(traps), "main/source/Sources": traps}
    httpx_mock.add_response(url=f"{DISTS}/InRelease", content=make_release(gz_plain))
    httpx_mock.add_response(url=f"{DISTS}/main/source/Sources.xz", status_code=404)
    httpx_mock.add_response(url=f"{DISTS}/main/source/Sources", content=traps)
    _, status = backend(tmp_path).load_with_status(SID)
    assert status.packages == 6 and "main/source/Sources (" in status.provenance


def test_unknown_suite_is_a_clear_error(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    httpx_mock.add_response(url=f"{MIRROR}/dists/foo/InRelease", status_code=404)
    with pytest.raises(DistroError) as info:
        backend(tmp_path).load(Target("debian", "foo"))
    assert not isinstance(info.value, DistroUnreachable)
    assert str(info.value).startswith(f"debian:foo: suite not found at {MIRROR} (HTTP 404")


def test_5xx_then_success_is_retried(httpx_mock: HTTPXMock, tmp_path: Path, traps: bytes) -> None:
    httpx_mock.add_response(url=f"{DISTS}/InRelease", status_code=503)
    xz = serve_sid(httpx_mock, traps)
    httpx_mock.add_response(url=f"{DISTS}/main/source/Sources.xz", status_code=502)
    httpx_mock.add_response(url=f"{DISTS}/main/source/Sources.xz", content=xz)
    assert backend(tmp_path).load_with_status(SID)[1].packages == 6


def test_persistent_5xx_is_unreachable(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    for _ in range(3):
        httpx_mock.add_response(url=f"{DISTS}/InRelease", status_code=500)
    with pytest.raises(DistroUnreachable, match=r"^debian:sid: .*HTTP 500 \(after 3 attempts\)"):
        backend(tmp_path).load(SID)


def test_timeout_is_unreachable(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    for _ in range(3):
        httpx_mock.add_exception(httpx.ReadTimeout("slow mirror"), url=f"{DISTS}/InRelease")
    with pytest.raises(DistroUnreachable, match="timed out"):
        backend(tmp_path).load(SID)


def test_truncated_download_fails_the_hash_check(
    httpx_mock: HTTPXMock, tmp_path: Path, traps: bytes
) -> None:
    xz = serve_sid(httpx_mock, traps)
    httpx_mock.add_response(url=f"{DISTS}/main/source/Sources.xz", content=xz[:1000])
    with pytest.raises(DistroDataError, match=r"size 1000 does not match Release"):
        backend(tmp_path).load(SID)


def test_truncated_xz_listed_as_is_is_a_clear_error(
    httpx_mock: HTTPXMock, tmp_path: Path, traps: bytes
) -> None:
    broken = lzma.compress(traps)[:1000]
    rel = make_release({"main/source/Sources.xz": broken})
    httpx_mock.add_response(url=f"{DISTS}/InRelease", content=rel)
    httpx_mock.add_response(url=f"{DISTS}/main/source/Sources.xz", content=broken)
    with pytest.raises(DistroDataError, match=r"Sources.xz: truncated or corrupt xz data"):
        backend(tmp_path).load(SID)


def test_sha256_mismatch_is_an_error(httpx_mock: HTTPXMock, tmp_path: Path, traps: bytes) -> None:
    xz = serve_sid(httpx_mock, traps)
    evil = bytearray(xz)
    evil[len(xz) // 2] ^= 0x01  # same size, one bit flipped
    httpx_mock.add_response(url=f"{DISTS}/main/source/Sources.xz", content=bytes(evil))
    with pytest.raises(DistroDataError, match=r"SHA256 [0-9a-f]+ does not match Release"):
        backend(tmp_path).load(SID)


def test_ubuntu_default_mirror_and_components_are_merged(
    httpx_mock: HTTPXMock, tmp_path: Path, fixtures: Path
) -> None:
    main = (fixtures / "debian" / "ubuntu-noble-main.Sources").read_bytes()
    universe = (fixtures / "debian" / "ubuntu-noble-universe.Sources").read_bytes()
    files = {
        "main/source/Sources.gz": __import__("gzip").compress(main),
        "universe/source/Sources.xz": lzma.compress(universe),
    }
    dists = "http://archive.ubuntu.com/ubuntu/dists/noble"
    rel = make_release(files, suite="noble", codename="noble", origin="Ubuntu")
    httpx_mock.add_response(url=f"{dists}/InRelease", content=rel)
    httpx_mock.add_response(
        url=f"{dists}/main/source/Sources.gz", content=files["main/source/Sources.gz"]
    )
    httpx_mock.add_response(
        url=f"{dists}/universe/source/Sources.xz", content=files["universe/source/Sources.xz"]
    )
    index, status = backend(tmp_path, mirrors=None).load_with_status(Target("ubuntu", "noble"))
    assert isinstance(index, RecordingIndex)
    assert index.versions() == {
        "golang-golang-x-net": "1:0.27.0-1",  # the higher of main's and universe's
        "golang-github-spf13-cobra": "1.8.0-1",
        "golang-github-spf13-pflag": "1.0.5-2",
    }
    assert status.provenance.startswith(
        f"{dists}/ main/source/Sources.gz, universe/source/Sources.xz"
    )


def test_mirror_override_and_missing_component(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    rel = make_release({"main/source/Sources.xz": lzma.compress(b"")})
    httpx_mock.add_response(url="http://mirror.local/debian/dists/sid/InRelease", content=rel)
    b = backend(
        tmp_path,
        mirrors={"debian": "http://mirror.local/debian/"},
        components={"debian": ("contrib",)},
    )
    with pytest.raises(DistroDataError, match="lists no contrib/source/Sources"):
        b.load(SID)


def test_offline_miss_says_the_cache_lacks_it(tmp_path: Path) -> None:
    fetcher = Fetcher(make_client(), Cache(tmp_path / "cache"), offline=True)
    b = DebianArchiveBackend(fetcher, mirrors={"debian": MIRROR})
    with pytest.raises(DistroError, match=r"offline and the cache lacks .*/dists/sid/InRelease"):
        b.load(SID)


def test_local_indexes_any_compression_merged(tmp_path: Path, fixtures: Path) -> None:
    main = tmp_path / "Sources.xz"
    main.write_bytes(lzma.compress((fixtures / "debian" / "sid-traps.Sources").read_bytes()))
    other = fixtures / "debian" / "sources-duplicate.Sources"
    b = backend(tmp_path, local_indexes={"debian:sid": [main, other]})
    index, status = b.load_with_status(SID)
    assert isinstance(index, RecordingIndex)
    assert {"docker.io", "golang-example-dup"} <= set(index.versions())
    assert status.provenance == f"file {main}, file {other} (not verified)"


def test_local_index_unreadable(tmp_path: Path) -> None:
    b = backend(tmp_path, local_indexes={"debian:sid": [tmp_path / "absent.xz"]})
    with pytest.raises(DistroError, match="cannot read index"):
        b.load(SID)


def test_verification_disabled_is_noted(
    httpx_mock: HTTPXMock, tmp_path: Path, traps: bytes
) -> None:
    xz = serve_sid(httpx_mock, traps)
    httpx_mock.add_response(url=f"{DISTS}/main/source/Sources.xz", content=xz)
    _, status = backend(tmp_path, verify=False).load_with_status(SID)
    assert any("verification disabled" in n for n in status.notes)


def test_supports_debian_and_ubuntu_only(tmp_path: Path) -> None:
    b = backend(tmp_path)
    assert b.supports(SID) and b.supports(Target("ubuntu", "noble"))
    assert not b.supports(Target("fedora", "43"))


needs_gpgv = pytest.mark.skipif(
    shutil.which("gpgv") is None or not DEBIAN_KEYRING.is_file(), reason="gpgv/keyring absent"
)


@needs_gpgv
def test_real_signed_chain(httpx_mock: HTTPXMock, tmp_path: Path, fixtures: Path) -> None:
    inrelease = (fixtures / "debian" / "bookworm-updates-InRelease").read_bytes()
    sources = (fixtures / "debian" / "bookworm-updates-main-Sources").read_bytes()
    dists = f"{MIRROR}/dists/bookworm-updates"
    httpx_mock.add_response(url=f"{dists}/InRelease", content=inrelease)
    # Only the uncompressed variant is in the fixtures: the mirror "lacks" the .xz.
    xz_hash = "45fcd5257b7ad716ef3b674305dd678ad2d6e6198a0dd7a8f45bb0e8d3f3a7f3"
    httpx_mock.add_response(url=f"{dists}/main/source/by-hash/SHA256/{xz_hash}", status_code=404)
    httpx_mock.add_response(url=f"{dists}/main/source/Sources.xz", status_code=404)
    plain_hash = hashlib.sha256(sources).hexdigest()
    httpx_mock.add_response(url=f"{dists}/main/source/by-hash/SHA256/{plain_hash}", content=sources)
    _, status = backend(tmp_path).load_with_status(Target("debian", "bookworm-updates"))
    assert "signature good" in status.provenance
    assert status.notes == ()


@needs_gpgv
def test_bad_signature_is_refused(httpx_mock: HTTPXMock, tmp_path: Path, fixtures: Path) -> None:
    inrelease = (fixtures / "debian" / "bookworm-updates-InRelease").read_bytes()
    tampered = inrelease.replace(b"Codename: bookworm-updates", b"Codename: bookworm-updatez")
    httpx_mock.add_response(url=f"{MIRROR}/dists/bookworm-updates/InRelease", content=tampered)
    with pytest.raises(DistroDataError, match="BAD signature"):
        backend(tmp_path, allow_unsigned=False).load(Target("debian", "bookworm-updates"))


def test_unsigned_inrelease_is_refused_by_default(
    httpx_mock: HTTPXMock, tmp_path: Path, traps: bytes
) -> None:
    serve_sid(httpx_mock, traps)
    with pytest.raises(DistroDataError, match=r"not signed.*refused like apt"):
        backend(tmp_path, allow_unsigned=False).load(SID)
    # Nothing unverified was cached: the InRelease is not there for --offline.
    assert not list((tmp_path / "cache").glob("http/*.body"))


def test_too_few_go_sources_in_a_release_suite_is_an_error(
    httpx_mock: HTTPXMock, tmp_path: Path, traps: bytes
) -> None:
    xz = serve_sid(httpx_mock, traps)
    httpx_mock.add_response(url=f"{DISTS}/main/source/Sources.xz", content=xz)
    with pytest.raises(DistroDataError, match="only 6 Go sources"):
        backend(tmp_path, min_go_sources={"debian": 300}).load(SID)


def test_local_index_warm_run_and_change(
    tmp_path: Path, fixtures: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "Sources.xz"
    path.write_bytes(lzma.compress((fixtures / "debian" / "sid-traps.Sources").read_bytes()))
    local = {"debian:sid": [path]}
    assert backend(tmp_path, local_indexes=local).load_with_status(SID)[1].packages == 6

    def boom(*_args: object) -> bytes:
        raise AssertionError("an unchanged local index must come from the cache")

    real_read = Path.read_bytes

    def guarded_read(self: Path) -> bytes:
        if self == path:
            raise AssertionError("an unchanged local index must not even be read")
        return real_read(self)

    with monkeypatch.context() as m:
        m.setattr(archive, "iter_decompress", boom)
        m.setattr(Path, "read_bytes", guarded_read)
        assert backend(tmp_path, local_indexes=local).load_with_status(SID)[1].packages == 6
    # A rewritten file (new size/mtime) is read and parsed again.
    path.write_bytes(
        lzma.compress((fixtures / "debian" / "sources-duplicate.Sources").read_bytes())
    )
    assert backend(tmp_path, local_indexes=local).load_with_status(SID)[1].packages == 2


def test_expired_inrelease_is_noted(httpx_mock: HTTPXMock, tmp_path: Path, traps: bytes) -> None:
    xz = lzma.compress(traps)
    rel = make_release({"main/source/Sources.xz": xz}, valid_until="Fri, 06 Nov 2020 08:08:01 UTC")
    httpx_mock.add_response(url=f"{DISTS}/InRelease", content=rel)
    httpx_mock.add_response(url=f"{DISTS}/main/source/Sources.xz", content=xz)
    _, status = backend(tmp_path).load_with_status(SID)
    assert any("expired (Valid-Until Fri, 06 Nov 2020" in n for n in status.notes)


def test_bad_by_hash_copy_falls_back_to_the_plain_url(
    httpx_mock: HTTPXMock, tmp_path: Path, traps: bytes
) -> None:
    xz = serve_sid(httpx_mock, traps, by_hash=True)
    digest = hashlib.sha256(xz).hexdigest()
    httpx_mock.add_response(url=f"{DISTS}/main/source/by-hash/SHA256/{digest}", content=b"junk")
    httpx_mock.add_response(url=f"{DISTS}/main/source/Sources.xz", content=xz)
    assert backend(tmp_path).load_with_status(SID)[1].packages == 6


def test_inrelease_of_another_suite_is_refused(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    rel = make_release({"main/source/Sources": b""}, suite="oldstable", codename="bookworm")
    httpx_mock.add_response(url=f"{DISTS}/InRelease", content=rel)
    with pytest.raises(DistroDataError, match=r"is for suite oldstable \(codename bookworm\)"):
        backend(tmp_path).load(SID)


def test_suite_name_or_codename_both_accepted(
    httpx_mock: HTTPXMock, tmp_path: Path, traps: bytes
) -> None:
    xz = lzma.compress(traps)
    rel = make_release({"main/source/Sources.xz": xz})  # Suite: unstable, Codename: sid
    httpx_mock.add_response(url=f"{MIRROR}/dists/unstable/InRelease", content=rel)
    httpx_mock.add_response(url=f"{MIRROR}/dists/unstable/main/source/Sources.xz", content=xz)
    assert backend(tmp_path).load_with_status(Target("debian", "unstable"))[1].packages == 6
