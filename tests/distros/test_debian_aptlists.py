"""--apt-lists: apt's lz4 lists verified against the sibling InRelease, like apt does."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Sequence
from pathlib import Path

import httpx
import lz4.frame
import pytest

from vendaudit.distros.debian import archive
from vendaudit.distros.debian.aptlists import find_apt_suites
from vendaudit.distros.debian.archive import DebianArchiveBackend
from vendaudit.distros.debian.entries import SourceEntry
from vendaudit.distros.debian.inrelease import DEBIAN_KEYRING
from vendaudit.distros.interface import DistroDataError, DistroError
from vendaudit.fetch import Cache, Fetcher, make_client
from vendaudit.model import Target

SID = Target("debian", "sid")
PREFIX = "deb.debian.org_debian"


class RecordingIndex:
    """Stand-in for DebianIndex that keeps what the backend handed it."""

    def __init__(
        self,
        target: Target,
        entries: Sequence[SourceEntry],
        provenance: str,
        notes: tuple[str, ...] = (),
    ) -> None:
        self.entries = list(entries)
        self.provenance = provenance
        self.notes = notes


@pytest.fixture(autouse=True)
def standin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "DebianIndex", RecordingIndex)


def release(
    plain: bytes, *, suite: str, codename: str, origin: str = "Debian", date: str = "30"
) -> bytes:
    digest = hashlib.sha256(plain).hexdigest()
    return (
        f"Origin: {origin}\nSuite: {suite}\nCodename: {codename}\n"
        f"Date: Fri, {date} Oct 2026 08:11:42 UTC\n"
        f"SHA256:\n {digest} {len(plain)} main/source/Sources\n"
        f" {digest} {len(plain)} main/source/Sources.xz\n"
    ).encode()


def write_suite(
    lists: Path, plain: bytes, *, prefix: str = PREFIX, suite: str = "sid", **kw: str
) -> Path:
    lists.mkdir(parents=True, exist_ok=True)
    src = lists / f"{prefix}_dists_{suite}_main_source_Sources.lz4"
    src.write_bytes(lz4.frame.compress(plain))
    codename = kw.pop("codename", suite)
    (lists / f"{prefix}_dists_{suite}_InRelease").write_bytes(
        release(plain, suite=kw.pop("rel_suite", suite), codename=codename, **kw)
    )
    return src


def backend(tmp_path: Path, lists: Path) -> DebianArchiveBackend:
    fetcher = Fetcher(make_client(), Cache(tmp_path / "cache"), offline=True)
    return DebianArchiveBackend(fetcher, apt_lists=lists)


@pytest.fixture
def traps(fixtures: Path) -> bytes:
    return (fixtures / "debian" / "sid-traps.Sources").read_bytes()


def test_lz4_list_is_read_and_verified(tmp_path: Path, traps: bytes) -> None:
    lists = tmp_path / "lists"
    src = write_suite(lists, traps)
    (lists / f"{PREFIX}_dists_sid_main_binary-amd64_Packages.lz4").write_bytes(b"ignored")
    index, status = backend(tmp_path, lists).load_with_status(SID)
    assert isinstance(index, RecordingIndex)
    assert {e.source for e in index.entries} >= {"docker.io", "fdroidcl"}
    assert status.provenance.startswith(f"apt lists {src} (InRelease Fri, 30 Oct 2026")
    assert "SHA256 verified" in status.provenance
    assert any("not signed" in n for n in status.notes)


def test_local_lists_never_build_an_http_client(tmp_path: Path, traps: bytes) -> None:
    lists = tmp_path / "lists"
    write_suite(lists, traps)
    fetcher = Fetcher(None, Cache(tmp_path / "cache"), offline=True)
    DebianArchiveBackend(fetcher, apt_lists=lists).load(SID)
    assert fetcher._client is None  # built lazily: no TLS setup for a local-only run
    with fetcher:
        pass
    assert fetcher._client is None  # closing does not build one either
    assert isinstance(fetcher.client, httpx.Client) and fetcher.client is fetcher.client
    with fetcher:
        pass
    assert fetcher.client.is_closed


def test_warm_run_verifies_without_decompressing(
    tmp_path: Path, traps: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    lists = tmp_path / "lists"
    write_suite(lists, traps)
    first = backend(tmp_path, lists).load(SID)

    def boom(*_args: object) -> bytes:
        raise AssertionError("warm run must use the parsed-index cache")

    monkeypatch.setattr(archive, "iter_decompress", boom)
    second = backend(tmp_path, lists).load(SID)
    assert isinstance(first, RecordingIndex) and isinstance(second, RecordingIndex)
    assert second.entries == first.entries


def test_stale_list_does_not_match_inrelease(tmp_path: Path, traps: bytes) -> None:
    lists = tmp_path / "lists"
    src = write_suite(lists, traps)
    src.write_bytes(lz4.frame.compress(traps + b"\n"))
    with pytest.raises(DistroDataError, match=r"does not match .*InRelease"):
        backend(tmp_path, lists).load(SID)


def test_suite_matched_through_the_codename(tmp_path: Path, traps: bytes) -> None:
    lists = tmp_path / "lists"
    write_suite(lists, traps, suite="unstable", codename="sid")
    assert backend(tmp_path, lists).load_with_status(SID)[1].packages == 6


def test_origin_keeps_debian_and_ubuntu_apart(tmp_path: Path, traps: bytes) -> None:
    lists = tmp_path / "lists"
    write_suite(lists, traps, prefix="archive.ubuntu.com_ubuntu", suite="noble", origin="Ubuntu")
    assert find_apt_suites(lists, Target("ubuntu", "noble"))
    with pytest.raises(DistroError, match=r"no Sources for suite 'noble' .*deb-src"):
        backend(tmp_path, lists).load(Target("debian", "noble"))


def test_newest_of_two_mirrors_wins(tmp_path: Path, traps: bytes) -> None:
    lists = tmp_path / "lists"
    write_suite(lists, traps, prefix="ftp.de.debian.org_debian", date="29")
    write_suite(lists, traps, prefix=PREFIX, date="30")
    _, status = backend(tmp_path, lists).load_with_status(SID)
    assert PREFIX in status.provenance
    assert any("also found in apt lists as ftp.de.debian.org_debian" in n for n in status.notes)


def test_list_without_inrelease_is_noted(tmp_path: Path, traps: bytes) -> None:
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / f"{PREFIX}_dists_sid_main_source_Sources").write_bytes(traps)
    _, status = backend(tmp_path, lists).load_with_status(SID)
    assert "not verified" in status.provenance
    assert any("no InRelease" in n for n in status.notes)


def test_missing_lists_dir(tmp_path: Path) -> None:
    with pytest.raises(DistroDataError, match="cannot list apt's lists"):
        backend(tmp_path, tmp_path / "absent").load(SID)


@pytest.mark.skipif(
    shutil.which("gpgv") is None or not DEBIAN_KEYRING.is_file(), reason="gpgv/keyring absent"
)
def test_real_signed_inrelease_in_lists(tmp_path: Path, fixtures: Path) -> None:
    lists = tmp_path / "lists"
    lists.mkdir()
    plain = (fixtures / "debian" / "bookworm-updates-main-Sources").read_bytes()
    name = f"{PREFIX}_dists_bookworm-updates"
    (lists / f"{name}_main_source_Sources.lz4").write_bytes(lz4.frame.compress(plain))
    shutil.copy(fixtures / "debian" / "bookworm-updates-InRelease", lists / f"{name}_InRelease")
    _, status = backend(tmp_path, lists).load_with_status(Target("debian", "bookworm-updates"))
    assert "signature good" in status.provenance and status.notes == ()


def test_pdiff_leftovers_are_not_indexes(tmp_path: Path, traps: bytes) -> None:
    lists = tmp_path / "lists"
    write_suite(lists, traps)
    (lists / f"{PREFIX}_dists_sid_main_source_Sources.diff_Index").write_bytes(b"SHA1-Current: x\n")
    (suite,) = find_apt_suites(lists, SID)
    assert [p.name for _, p in suite.sources] == [f"{PREFIX}_dists_sid_main_source_Sources.lz4"]
