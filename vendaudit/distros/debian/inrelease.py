"""Read a suite's ``InRelease``/``Release`` file, check index hashes and the signature.

The trust chain is apt's: ``gpgv`` checks the clearsigned InRelease against the archive
keyring, and InRelease lists the SHA256 and size of every index file.  Parsing is pure;
only :func:`verify_signature` runs a program.  When gpgv or the keyring is missing the
result says so (``checked=False``) so the caller can tell the user instead of failing:
the hash check alone still catches truncated and corrupt downloads.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

from vendaudit.distros.debian.sources import DebianIndexError

__all__ = [
    "DEBIAN_KEYRING",
    "UBUNTU_KEYRING",
    "Release",
    "SignatureResult",
    "check_index_hash",
    "default_keyrings",
    "parse_release",
    "strip_clearsign",
    "verify_signature",
]

DEBIAN_KEYRING = Path("/usr/share/keyrings/debian-archive-keyring.gpg")
"""The keyring apt uses for Debian (package ``debian-archive-keyring``)."""
UBUNTU_KEYRING = Path("/usr/share/keyrings/ubuntu-archive-keyring.gpg")
"""The keyring apt uses for Ubuntu (package ``ubuntu-keyring``)."""

_ARMOR_BEGIN = b"-----BEGIN PGP SIGNED MESSAGE-----"
_SIG_BEGIN = b"\n-----BEGIN PGP SIGNATURE-----"


@dataclass(frozen=True, slots=True)
class Release:
    """The fields of a Release file vendaudit uses."""

    origin: str = ""
    suite: str = ""
    codename: str = ""
    date: str = ""
    valid_until: str = ""
    components: tuple[str, ...] = ()
    acquire_by_hash: bool = False
    sha256: Mapping[str, tuple[str, int]] = field(default_factory=dict)
    """Index path relative to ``dists/<suite>/`` → (hex sha256, size in bytes)."""
    signed: bool = False
    """True when the data was clearsigned (InRelease), False for a bare Release."""

    def expired(self, now: datetime) -> bool:
        """True when ``Valid-Until`` is set and before ``now`` (timezone-aware)."""
        if not self.valid_until:
            return False
        try:
            return parsedate_to_datetime(self.valid_until) < now
        except (TypeError, ValueError):
            return False


@dataclass(frozen=True, slots=True)
class SignatureResult:
    """Outcome of a gpgv run: ``checked`` False means it could not be run at all."""

    checked: bool
    good: bool
    detail: str


def strip_clearsign(data: bytes) -> tuple[bytes, bool]:
    """The signed text of a clearsigned message (dash-escaping undone), and whether it was."""
    if not data.lstrip().startswith(_ARMOR_BEGIN):
        return data, False
    start = data.find(b"\n\n", data.find(_ARMOR_BEGIN))
    end = data.find(_SIG_BEGIN, start)
    if start == -1 or end == -1:
        raise DebianIndexError("InRelease: broken PGP armor (no body or no signature block)")
    body = data[start + 2 : end + 1]
    if b"\n- " in body or body.startswith(b"- "):
        body = b"\n".join(ln[2:] if ln.startswith(b"- ") else ln for ln in body.split(b"\n"))
    return body, True


def _fields(text: str) -> dict[str, str]:
    # Lines are gathered per field and joined once: sid's SHA256 field alone has ~5000
    # continuation lines, and growing a string by each cost 15 ms per InRelease.
    fields: dict[str, list[str]] = {}
    lines: list[str] | None = None
    for line in text.splitlines():
        if not line or line.isspace():
            if fields:
                break  # a Release file is a single stanza
            continue
        if line[0] in " \t":
            if lines is None:
                raise DebianIndexError("Release: continuation line before any field")
            lines.append(line)
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise DebianIndexError(f"Release: {line[:40]!r} is not a 'Field: value' line")
        lines = fields[name.strip().lower()] = [value.strip()]
    return {key: "\n".join(value) for key, value in fields.items()}


def _sha256_entries(value: str) -> dict[str, tuple[str, int]]:
    entries: dict[str, tuple[str, int]] = {}
    for line in value.splitlines():
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 3 or not parts[1].isdigit():
            raise DebianIndexError(f"Release: bad SHA256 line {line.strip()[:80]!r}")
        entries[parts[2]] = (parts[0].lower(), int(parts[1]))
    return entries


def parse_release(data: bytes) -> Release:
    """Parse an ``InRelease`` (clearsigned) or ``Release`` file."""
    body, signed = strip_clearsign(data)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DebianIndexError(f"Release: not UTF-8 ({exc.reason})") from exc
    fields = _fields(text)
    if not fields:
        raise DebianIndexError("Release: empty file")
    if "sha256" not in fields:
        raise DebianIndexError("Release: no SHA256 field (cannot verify any index)")
    return Release(
        origin=fields.get("origin", ""),
        suite=fields.get("suite", ""),
        codename=fields.get("codename", ""),
        date=fields.get("date", ""),
        valid_until=fields.get("valid-until", ""),
        components=tuple(fields.get("components", "").split()),
        acquire_by_hash=fields.get("acquire-by-hash", "").lower() == "yes",
        sha256=_sha256_entries(fields["sha256"]),
        signed=signed,
    )


def check_index_hash(release: Release, path: str, content: bytes) -> None:
    """Raise :class:`DebianIndexError` unless ``content`` is what Release lists for ``path``."""
    listed = release.sha256.get(path)
    if listed is None:
        raise DebianIndexError(f"{path}: not listed in the Release file's SHA256 field")
    digest, size = listed
    if len(content) != size:
        raise DebianIndexError(
            f"{path}: size {len(content)} does not match Release ({size} bytes); "
            "truncated or stale download"
        )
    actual = hashlib.sha256(content).hexdigest()
    if actual != digest:
        raise DebianIndexError(f"{path}: SHA256 {actual} does not match Release ({digest})")


def default_keyrings(distro: str) -> tuple[Path, ...]:
    """The archive keyrings apt would use for ``debian`` or ``ubuntu``.

    Newer keyring packages ship binary ``.pgp`` files beside (or instead of) ``.gpg``;
    both are listed, and :func:`verify_signature` skips the ones that do not exist.
    """
    base = UBUNTU_KEYRING if distro == "ubuntu" else DEBIAN_KEYRING
    return (base, base.with_suffix(".pgp"))


def _run_gpgv(gpgv: str, path: str, keyrings: Sequence[Path]) -> SignatureResult:
    cmd = [gpgv, "--status-fd", "1"]
    for ring in keyrings:
        cmd += ["--keyring", str(ring)]
    cmd.append(path)
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return SignatureResult(False, False, f"gpgv could not run ({exc})")
    status = proc.stdout.decode("utf-8", "replace").splitlines()
    good = [ln.split(" ", 3)[-1] for ln in status if ln.startswith("[GNUPG:] GOODSIG ")]
    valid = any(ln.startswith("[GNUPG:] VALIDSIG ") for ln in status)
    bad = [ln for ln in status if ln.startswith(("[GNUPG:] BADSIG", "[GNUPG:] ERRSIG"))]
    if proc.returncode == 0 and valid and good and not bad:
        return SignatureResult(True, True, "good signature from " + "; ".join(good))
    why = bad[0].removeprefix("[GNUPG:] ") if bad else proc.stderr.decode("utf-8", "replace")
    return SignatureResult(True, False, f"BAD signature: {why.strip()[:200]}")


def verify_signature(inrelease: Path | bytes, keyrings: Sequence[Path]) -> SignatureResult:
    """Check a clearsigned InRelease with ``gpgv`` against ``keyrings``.

    ``checked=False`` (with a plain explanation) when gpgv is not installed, no keyring
    exists, or the file is not signed at all; ``checked=True, good=False`` means the
    signature is wrong and the data must not be trusted.
    """
    data = inrelease.read_bytes() if isinstance(inrelease, Path) else inrelease
    if not data.lstrip().startswith(_ARMOR_BEGIN):
        return SignatureResult(False, False, "InRelease is not signed (no PGP armor)")
    gpgv = shutil.which("gpgv")
    if gpgv is None:
        return SignatureResult(False, False, "InRelease signature not checked: gpgv missing")
    rings = [ring for ring in keyrings if ring.is_file()]
    if not rings:
        names = ", ".join(str(r) for r in keyrings) or "none given"
        return SignatureResult(
            False, False, f"InRelease signature not checked: keyring missing ({names})"
        )
    if isinstance(inrelease, Path):
        return _run_gpgv(gpgv, str(inrelease), rings)
    fd, tmp = tempfile.mkstemp(prefix="vendaudit-inrelease-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        return _run_gpgv(gpgv, tmp, rings)
    finally:
        os.unlink(tmp)
