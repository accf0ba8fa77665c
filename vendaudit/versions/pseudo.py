"""Go pseudo-versions (``golang.org/x/mod/module/pseudo.go``).

A pseudo-version names an untagged commit: ``vX.0.0-yyyymmddhhmmss-rev`` (no earlier tag),
``vX.Y.(Z+1)-0.yyyymmddhhmmss-rev`` (after release ``vX.Y.Z``) or
``vX.Y.Z-pre.0.yyyymmddhhmmss-rev`` (after prerelease ``vX.Y.Z-pre``), optionally
``+incompatible``.

>>> p = parse_pseudo("v1.1.1-0.20240131200429-02120488a4c0")
>>> p.base, p.time.isoformat(), p.revision
('v1.1.0', '2024-01-31T20:04:29+00:00', '02120488a4c0')
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from vendaudit.versions import semver
from vendaudit.versions._common import PSEUDO_RE

__all__ = [
    "InvalidPseudoVersion",
    "PseudoVersion",
    "is_pseudo_version",
    "is_zero_pseudo_version",
    "make_pseudo_version",
    "parse_pseudo",
    "pseudo_version_base",
    "pseudo_version_rev",
    "pseudo_version_time",
    "zero_pseudo_version",
]

TIMESTAMP_FORMAT = "%Y%m%d%H%M%S"
_STAMP_FIELDS = ((0, 4), (4, 6), (6, 8), (8, 10), (10, 12), (12, 14))


class InvalidPseudoVersion(ValueError):
    """Not a pseudo-version, or one whose base/time cannot be recovered.

    ``str()`` follows Go: ``pseudo-version "v0.0.0" invalid: syntax error``.
    """

    def __init__(self, version: str, detail: str) -> None:
        super().__init__(f"pseudo-version {version!r} invalid: {detail}".replace("'", '"'))
        self.version = version
        self.detail = detail


@dataclass(frozen=True, slots=True)
class PseudoVersion:
    """The three parts of a pseudo-version.

    ``base`` is the tag it was derived from (``""`` for the ``vX.0.0-`` form; keeps
    ``+incompatible``), ``time`` the commit time (UTC), ``revision`` the commit hash prefix.
    """

    base: str
    time: dt.datetime
    revision: str

    @property
    def date(self) -> dt.date:
        """The UTC commit date (what Debian/Fedora snapshot versions record)."""
        return self.time.date()


def is_pseudo_version(v: str) -> bool:
    """``module.IsPseudoVersion``.

    >>> is_pseudo_version("v0.0.0-20191109021931-daa7c04131f5"), is_pseudo_version("v1.2.3")
    (True, False)
    """
    return v.count("-") >= 2 and semver.is_valid(v) and PSEUDO_RE.match(v) is not None


def _split(v: str) -> tuple[str, str, str, str]:
    """(base, timestamp, rev, build) as Go's ``parsePseudoVersion``."""
    if not is_pseudo_version(v):
        raise InvalidPseudoVersion(v, "syntax error")
    build = semver.build(v)
    v = v.removesuffix(build)
    j = v.rfind("-")
    v, rev = v[:j], v[j + 1 :]
    i = v.rfind("-")
    j = v.rfind(".")
    if j > i:
        return v[:j], v[j + 1 :], rev, build  # "vX.Y.Z-pre.0" / "vX.Y.(Z+1)-0"
    return v[:i], v[i + 1 :], rev, build  # "vX.0.0"


def pseudo_version_time(v: str) -> dt.datetime:
    """``module.PseudoVersionTime``: the commit time as an aware UTC datetime."""
    timestamp = _split(v)[1]
    try:
        if len(timestamp) == 14 and timestamp.isascii() and timestamp.isdigit():
            # What strptime(TIMESTAMP_FORMAT) reads from 14 digits, without importing _strptime.
            y, mo, d, h, mi, s = (int(timestamp[i:j]) for i, j in _STAMP_FIELDS)
            t = dt.datetime(y, mo, d, h, mi, s)
        else:
            t = dt.datetime.strptime(timestamp, TIMESTAMP_FORMAT)
    except ValueError:
        raise InvalidPseudoVersion(v, f'malformed time "{timestamp}"') from None
    return t.replace(tzinfo=dt.UTC)


def pseudo_version_rev(v: str) -> str:
    """``module.PseudoVersionRev``: the revision after the last ``-`` (build excluded)."""
    return _split(v)[2]


def pseudo_version_base(v: str) -> str:
    """``module.PseudoVersionBase``: the tag the pseudo-version is based on, or ``""``.

    >>> pseudo_version_base("v1.2.3-rc.1.0.20191109021931-daa7c04131f5")
    'v1.2.3-rc.1'
    """
    base, _, _, build = _split(v)
    pre = semver.prerelease(base)
    if pre == "":
        if build:
            # "vX.0.0-" says there is no parent tag, "+incompatible" that there is one.
            raise InvalidPseudoVersion(v, f'lacks base version, but has build metadata "{build}"')
        return ""
    if pre == "-0":
        base = base.removesuffix(pre)
        i = base.rfind(".")
        patch = int(base[i + 1 :])
        if patch == 0:
            raise InvalidPseudoVersion(v, f"version before {base} would have negative patch number")
        return f"{base[: i + 1]}{patch - 1}{build}"
    return base.removesuffix(".0") + build


def parse_pseudo(v: str) -> PseudoVersion:
    """Split a pseudo-version into base, time and revision; raise InvalidPseudoVersion.

    >>> parse_pseudo("v0.0.0-20060102150405-abcdef123456").base
    ''
    """
    return PseudoVersion(pseudo_version_base(v), pseudo_version_time(v), pseudo_version_rev(v))


def make_pseudo_version(major: str, older: str, time: dt.datetime, rev: str) -> str:
    """``module.PseudoVersion``: the pseudo-version for ``rev`` at ``time`` after tag ``older``.

    >>> t = dt.datetime(2006, 1, 2, 15, 4, 5, tzinfo=dt.UTC)
    >>> make_pseudo_version("v1", "v1.2.3", t, "hash")
    'v1.2.4-0.20060102150405-hash'
    """
    if major == "":
        major = "v0"
    if time.tzinfo is not None:
        time = time.astimezone(dt.UTC)
    segment = f"{time.year:04d}{time.strftime('%m%d%H%M%S')}-{rev}"
    build = semver.build(older)
    older = semver.canonical(older)
    if older == "":
        return f"{major}.0.0-{segment}"
    if semver.prerelease(older):
        return f"{older}.0.{segment}{build}"
    i = older.rfind(".") + 1
    return f"{older[:i]}{int(older[i:]) + 1}-0.{segment}{build}"


def zero_pseudo_version(major: str) -> str:
    """``module.ZeroPseudoVersion``: ``v0.0.0-00010101000000-000000000000`` for ``"v0"``."""
    return make_pseudo_version(major, "", dt.datetime(1, 1, 1), "000000000000")


def is_zero_pseudo_version(v: str) -> bool:
    """Whether ``v`` is the placeholder the go command writes for directory replacements."""
    return v == zero_pseudo_version(semver.major(v))
