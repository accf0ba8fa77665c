"""RPM version order (``rpmvercmp``, EVR comparison) and the Fedora → Go mapping.

``rpmvercmp`` is a direct transcription of rpm's ``rpmio/rpmvercmp.cc`` (shared/reference/
fedora.md §3), including ``~`` (sorts before everything, even the end of the string) and ``^``
(sorts after the end of the string but before any further segment).  The PyPI ``rpm-vercmp``
package gets ``^`` wrong, hence our own.

>>> rpmvercmp("1.0~rc1", "1.0"), rpmvercmp("1.0^git1", "1.0"), rpmvercmp("1.0^20160101", "1.0.1")
(-1, 1, -1)
>>> rpm_compare("1:1.0-1.fc41", "2.0-1.fc41")
1
"""

from __future__ import annotations

import datetime as dt
import re

from vendaudit.versions._common import KeyOrdered
from vendaudit.versions.debian import upstream_to_go_semver
from vendaudit.versions.packaged import PackagedVersion

__all__ = ["InvalidRpmVersion", "RpmEvr", "fedora_to_go", "rpm_compare", "rpmvercmp", "strip_dist"]


class InvalidRpmVersion(ValueError):
    """A string is not an RPM ``[E:]V[-R]`` (empty version or non-numeric epoch)."""


def _alnum(c: str) -> bool:
    # rpm's risalnum/risdigit/risalpha are ASCII-only: anything else is a separator.
    return c.isascii() and c.isalnum()


def _digit(c: str) -> bool:
    return "0" <= c <= "9"


def _alpha(c: str) -> bool:
    return "a" <= c <= "z" or "A" <= c <= "Z"


def rpmvercmp(a: str, b: str) -> int:
    """rpm's ``rpmvercmp``: compare two version (or release) strings; -1, 0 or 1.

    >>> rpmvercmp("5.5p1", "5.5p10"), rpmvercmp("1.0", "1_0"), rpmvercmp("2.0.1a", "2.0.1")
    (-1, 0, 1)
    """
    if a == b:
        return 0
    i = j = 0
    na, nb = len(a), len(b)
    while i < na or j < nb:
        while i < na and not _alnum(a[i]) and a[i] not in "~^":
            i += 1
        while j < nb and not _alnum(b[j]) and b[j] not in "~^":
            j += 1
        ca, cb = a[i] if i < na else "", b[j] if j < nb else ""
        if ca == "~" or cb == "~":  # tilde sorts before everything, even the end
            if ca != "~":
                return 1
            if cb != "~":
                return -1
            i, j = i + 1, j + 1
            continue
        if ca == "^" or cb == "^":  # caret sorts after the end, before any segment
            if not ca:
                return -1
            if not cb:
                return 1
            if ca != "^":
                return 1
            if cb != "^":
                return -1
            i, j = i + 1, j + 1
            continue
        if not (ca and cb):
            break
        kind = _digit if _digit(ca) else _alpha
        ei, ej = i, j
        while ei < na and kind(a[ei]):
            ei += 1
        while ej < nb and kind(b[ej]):
            ej += 1
        if ej == j:  # segment types differ: numeric is newer than alpha
            return 1 if kind is _digit else -1
        sa, sb = a[i:ei], b[j:ej]
        if kind is _digit:
            sa, sb = sa.lstrip("0"), sb.lstrip("0")
            if len(sa) != len(sb):
                return 1 if len(sa) > len(sb) else -1
        if sa != sb:
            return 1 if sa > sb else -1
        i, j = ei, ej
    if i >= na and j >= nb:
        return 0
    return -1 if i >= na else 1


# A total-order key equivalent to rpmvercmp: "~" < end < "^" < alpha < numeric segments.
_Token = tuple[int, int, str]
_TOKEN_RE = re.compile(r"~|\^|[0-9]+|[A-Za-z]+")
_END: _Token = (1, 0, "")


def rpmvercmp_key(s: str) -> tuple[_Token, ...]:
    """A sort key with ``cmp(key(a), key(b)) == rpmvercmp(a, b)``.

    >>> sorted(["1.0", "1.0^git1", "1.0~rc1", "1.01"], key=rpmvercmp_key)
    ['1.0~rc1', '1.0', '1.0^git1', '1.01']
    """
    tokens: list[_Token] = []
    for t in _TOKEN_RE.findall(s):
        if t == "~":
            tokens.append((0, 0, ""))
        elif t == "^":
            tokens.append((2, 0, ""))
        elif t[0].isdigit():
            t = t.lstrip("0")
            tokens.append((4, len(t), t))
        else:
            tokens.append((3, 0, t))
    tokens.append(_END)
    return tuple(tokens)


def _parse_evr(evr: str) -> tuple[str | None, str, str | None]:
    """rpm's ``parseEVR``: (epoch or None, version, release or None)."""
    k = 0
    while k < len(evr) and _digit(evr[k]):
        k += 1
    epoch: str | None = None
    rest = evr
    if evr[k : k + 1] == ":":
        epoch, rest = evr[:k] or "0", evr[k + 1 :]
    version, dash, release = rest.rpartition("-")
    if not dash:
        return epoch, rest, None
    return epoch, version, release


def _cmp_values(x: str | None, y: str | None) -> int:
    # labelCompare: a missing component sorts older than a present one.
    if x is None or y is None:
        return (x is not None) - (y is not None)
    return rpmvercmp(x, y)


def rpm_compare(a: str, b: str) -> int:
    """Compare two ``[E:]V[-R]`` strings like ``rpm.labelCompare``: -1, 0 or 1.

    A missing epoch is 0; a missing release sorts before any release.

    >>> rpm_compare("1.0-1", "1.0"), rpm_compare("0:1.0-1", "1.0-1")
    (1, 0)
    """
    ea, va, ra = _parse_evr(a)
    eb, vb, rb = _parse_evr(b)
    return rpmvercmp(ea or "0", eb or "0") or _cmp_values(va, vb) or _cmp_values(ra, rb)


class RpmEvr(KeyOrdered):
    """An immutable RPM epoch-version-release, ordered like :func:`rpm_compare`.

    >>> e = RpmEvr.parse("1:2.0-3.fc41")
    >>> (e.epoch, e.version, e.release, str(e))
    (1, '2.0', '3.fc41', '1:2.0-3.fc41')
    >>> RpmEvr.parse("2.0~rc1-1") < RpmEvr.parse("2.0-1") < RpmEvr.parse("2.0^git1-1")
    True
    """

    __slots__ = ("_key", "epoch", "release", "version")

    _key: tuple[tuple[_Token, ...], tuple[_Token, ...], tuple[int, tuple[_Token, ...]]]
    epoch: int
    version: str
    release: str | None

    def __init__(self, evr: str) -> None:
        """Parse ``[E:]V[-R]``; raise :class:`InvalidRpmVersion` for an empty version."""
        e, v, r = _parse_evr(evr)
        if not v:
            raise InvalidRpmVersion(f"invalid RPM version: {evr!r}")
        sa = object.__setattr__
        sa(self, "epoch", int(e or "0"))
        sa(self, "version", v)
        sa(self, "release", r)
        rel = (0, ()) if r is None else (1, rpmvercmp_key(r))
        sa(self, "_key", (rpmvercmp_key(str(self.epoch)), rpmvercmp_key(v), rel))

    @classmethod
    def parse(cls, evr: str) -> RpmEvr:
        """Parse ``[E:]V[-R]`` (alias of the constructor)."""
        return cls(evr)

    def __str__(self) -> str:
        e = f"{self.epoch}:" if self.epoch else ""
        r = f"-{self.release}" if self.release is not None else ""
        return f"{e}{self.version}{r}"

    def __repr__(self) -> str:
        return f"RpmEvr({str(self)!r})"


_DIST = re.compile(r"\.(?:fc|el|eln|epel|amzn|module_)\d+[0-9A-Za-z_.+]*$")
_SNAP = re.compile(r"(?:^|[.^~])(?P<date>(?:19|20)\d{6})?git(?P<hash>[0-9a-f]{7,40})(?![0-9a-z])")


def strip_dist(release: str) -> str:
    """Drop the dist tag: ``0.4.20210920git637058c.fc37`` → ``0.4.20210920git637058c``.

    >>> strip_dist("3.fc41"), strip_dist("1.el9_2")
    ('3', '1')
    """
    return _DIST.sub("", release)


def _snapshot(text: str) -> tuple[dt.date | None, str] | None:
    m = _SNAP.search(text)
    if m is None:
        return None
    date = None
    if m["date"]:
        try:
            date = dt.datetime.strptime(m["date"], "%Y%m%d").date()
        except ValueError:
            return None
    return date, m["hash"]


def fedora_to_go(version: str, release: str) -> PackagedVersion:
    """Read a Fedora/EPEL ``Version``/``Release`` as Go sees it.

    * ``Version: 0`` + ``Release: 0.N.YYYYMMDDgit<sha7>[.fcNN]`` (Go packaging's legacy
      snapshot scheme, also ``0.N.git<sha>`` without date) → snapshot, ``go_version`` None;
    * ``V^YYYYMMDDgit<sha>`` → after tag V: ``go_version`` V plus the snapshot
      (``0^…`` → no tag);
    * ``V~rc1`` → ``vV-rc1``;
    * a legacy snapshot release on a tagged version: ``Release: 0.N.DATEgitSHA`` is *before*
      V (``go_version`` None), ``Release: N.DATEgitSHA`` (N ≥ 1) is after V.

    ``distro_version`` is ``V-R`` without the dist tag.

    >>> p = fedora_to_go("0", "0.4.20210920git637058c.fc37")
    >>> p.distro_version, p.go_version, str(p.snapshot_date), p.snapshot_commit
    ('0-0.4.20210920git637058c', None, '2021-09-20', '637058c')
    >>> fedora_to_go("27.4.0~rc.4", "1.fc41").go_version
    'v27.4.0-rc.4'
    """
    if ":" in version:
        version = version.split(":", 1)[1]
    rel = strip_dist(release)
    shown = f"{version}-{rel}" if rel else version
    tag, caret, post = version.partition("^")
    if caret:
        snap = _snapshot("^" + post)
        go = None if re.fullmatch(r"0(?:\.0)*", tag) else upstream_to_go_semver(tag)
        if snap is not None:
            return PackagedVersion(shown, version, go, snap[0], snap[1])
        return PackagedVersion(shown, version, go)
    snap = _snapshot(rel)
    if snap is not None:
        before = rel.startswith("0.") or re.fullmatch(r"0(?:\.0)*", version) is not None
        go = None if before else upstream_to_go_semver(version)
        return PackagedVersion(shown, version, go, snap[0], snap[1])
    return PackagedVersion(shown, version, upstream_to_go_semver(version))
