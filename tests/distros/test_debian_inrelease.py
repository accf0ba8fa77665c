"""InRelease parsing, index hash checks and gpgv verification with a real signed pair."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from vendaudit.distros.debian.inrelease import (
    DEBIAN_KEYRING,
    check_index_hash,
    parse_release,
    strip_clearsign,
    verify_signature,
)
from vendaudit.distros.debian.sources import DebianIndexError, parse_sources

HAVE_GPGV = shutil.which("gpgv") is not None and DEBIAN_KEYRING.is_file()
needs_gpgv = pytest.mark.skipif(not HAVE_GPGV, reason="gpgv or the Debian keyring is absent")


@pytest.fixture
def inrelease(fixtures: Path) -> bytes:
    return (fixtures / "debian" / "bookworm-updates-InRelease").read_bytes()


@pytest.fixture
def sources(fixtures: Path) -> bytes:
    return (fixtures / "debian" / "bookworm-updates-main-Sources").read_bytes()


def _tamper(data: bytes) -> bytes:
    # Change one listed size digit inside the signed body; the armor stays intact.
    return data.replace(b"Codename: bookworm-updates", b"Codename: bookworm-updatez", 1)


def test_parse_real_inrelease(inrelease: bytes) -> None:
    rel = parse_release(inrelease)
    assert (rel.origin, rel.suite, rel.codename) == (
        "Debian",
        "oldstable-updates",
        "bookworm-updates",
    )
    assert rel.date == "Thu, 26 Nov 2026 02:14:46 UTC"
    assert rel.signed and rel.acquire_by_hash
    assert rel.components == ("main", "contrib", "non-free-firmware", "non-free")
    assert rel.sha256["main/source/Sources"] == (
        "49e607c6d5dbdc679b1f25fde5da4e94437e2afd8e659b1f11489046ee0034a2",
        9621,
    )
    assert rel.sha256["main/source/Sources.xz"][1] == 3288


def test_real_sources_matches_its_inrelease(inrelease: bytes, sources: bytes) -> None:
    rel = parse_release(inrelease)
    check_index_hash(rel, "main/source/Sources", sources)
    assert parse_sources(sources) == []  # bookworm-updates main carries no Go source today


def test_tampered_index_fails_the_hash_check(inrelease: bytes, sources: bytes) -> None:
    rel = parse_release(inrelease)
    same_size = sources.replace(b"Package:", b"Packagf:", 1)
    with pytest.raises(DebianIndexError, match=r"SHA256 .* does not match Release"):
        check_index_hash(rel, "main/source/Sources", same_size)
    with pytest.raises(DebianIndexError, match="size 9620 does not match Release"):
        check_index_hash(rel, "main/source/Sources", sources[:-1])
    with pytest.raises(DebianIndexError, match="not listed"):
        check_index_hash(rel, "main/source/Sources.zst", sources)


def test_bare_release_and_dash_escaping() -> None:
    body = b"Origin: Debian\nSuite: unstable\nCodename: sid\nSHA256:\n abc 3 main/source/Sources\n"
    rel = parse_release(body)
    assert not rel.signed and rel.codename == "sid"
    armored = (
        b"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n"
        + body.replace(b"Origin", b"- Origin")
        + b"-----BEGIN PGP SIGNATURE-----\nxx\n-----END PGP SIGNATURE-----\n"
    )
    text, signed = strip_clearsign(armored)
    assert signed and text == body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b"Origin: Debian\n", "no SHA256 field"),
        (b"Origin: Debian\nSHA256:\n abc notasize main/source/Sources\n", "bad SHA256 line"),
        (b"-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nOrigin: x\n", "broken PGP armor"),
    ],
)
def test_malformed_release(data: bytes, message: str) -> None:
    with pytest.raises(DebianIndexError, match=message):
        parse_release(data)


def test_valid_until() -> None:
    rel = parse_release(b"Valid-Until: Sat, 05 Dec 2026 14:12:37 UTC\nSHA256:\n")
    assert not rel.expired(datetime(2026, 12, 1, tzinfo=UTC))
    assert rel.expired(datetime(2026, 12, 6, tzinfo=UTC))


def test_unsigned_data_is_not_checked() -> None:
    result = verify_signature(b"Origin: Debian\nSHA256:\n", [DEBIAN_KEYRING])
    assert (result.checked, result.good) == (False, False)
    assert "not signed" in result.detail


def test_missing_keyring_is_not_checked(inrelease: bytes, tmp_path: Path) -> None:
    result = verify_signature(inrelease, [tmp_path / "nope.gpg"])
    assert not result.checked
    assert "keyring missing" in result.detail or "gpgv missing" in result.detail


def test_missing_gpgv_is_not_checked(inrelease: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    result = verify_signature(inrelease, [DEBIAN_KEYRING])
    assert (result.checked, result.detail) == (
        False,
        "InRelease signature not checked: gpgv missing",
    )


@needs_gpgv
def test_real_signature_is_good(inrelease: bytes, fixtures: Path) -> None:
    result = verify_signature(inrelease, [DEBIAN_KEYRING])
    assert (result.checked, result.good) == (True, True), result.detail
    assert "Debian Archive Automatic Signing Key" in result.detail
    by_path = verify_signature(fixtures / "debian" / "bookworm-updates-InRelease", [DEBIAN_KEYRING])
    assert by_path.good


@needs_gpgv
def test_tampered_inrelease_fails_the_signature(inrelease: bytes) -> None:
    result = verify_signature(_tamper(inrelease), [DEBIAN_KEYRING])
    assert (result.checked, result.good) == (True, False)
    assert "BAD" in result.detail
