"""Go semantic versions exactly as ``golang.org/x/mod/semver`` reads them.

Functions mirror the Go API (``IsValid``, ``Canonical``, ``Compare``, ``Sort``…) and, like Go,
return ``""`` for invalid input instead of raising.  :class:`GoVersion` is the value-object form
used inside vendaudit; it raises :class:`InvalidGoVersion` on bad input.

>>> canonical("v1.2")
'v1.2.0'
>>> compare("v1.9.0", "v1.10.0")
-1
>>> compare("bad", "v1-pre")
0
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from vendaudit.versions._common import PSEUDO_RE, KeyOrdered, cmp_int, cut_int

__all__ = [
    "GoVersion",
    "InvalidGoVersion",
    "build",
    "canonical",
    "canonical_version",
    "compare",
    "is_valid",
    "major",
    "major_minor",
    "prerelease",
    "sort_versions",
]


class InvalidGoVersion(ValueError):
    """A string is not a Go semantic version (``vMAJOR[.MINOR[.PATCH[-PRE][+BUILD]]]``)."""


@dataclass(frozen=True, slots=True)
class _Parsed:
    major: str
    minor: str
    patch: str
    short: str  # ".0.0" / ".0" for the shorthands v1 / v1.2, else ""
    prerelease: str  # with leading "-", or ""
    build: str  # with leading "+", or ""


def _is_digit(c: str) -> bool:
    return "0" <= c <= "9"


def _is_ident_char(c: str) -> bool:
    return "A" <= c <= "Z" or "a" <= c <= "z" or "0" <= c <= "9" or c == "-"


def _is_num(s: str) -> bool:
    return s != "" and all(_is_digit(c) for c in s)


def _is_bad_num(s: str) -> bool:
    # Numeric prerelease identifiers must not have leading zeros (build identifiers may).
    return _is_num(s) and len(s) > 1 and s[0] == "0"


def _parse_idents(v: str, *, stop_at_plus: bool, check_num: bool) -> tuple[str, str] | None:
    """Parse ``-a.b`` / ``+a.b`` (v[0] is the sigil); return (part, rest)."""
    i = start = 1
    while i < len(v) and not (stop_at_plus and v[i] == "+"):
        c = v[i]
        if not _is_ident_char(c) and c != ".":
            return None
        if c == ".":
            if start == i or (check_num and _is_bad_num(v[start:i])):
                return None
            start = i + 1
        i += 1
    if start == i or (check_num and _is_bad_num(v[start:i])):
        return None
    return v[:i], v[i:]


@functools.lru_cache(maxsize=8192)
def _parse(v: str) -> _Parsed | None:
    if not v or v[0] != "v":
        return None
    r = cut_int(v[1:])
    if r is None:
        return None
    maj, v = r
    if v == "":
        return _Parsed(maj, "0", "0", ".0.0", "", "")
    if v[0] != ".":
        return None
    r = cut_int(v[1:])
    if r is None:
        return None
    minor, v = r
    if v == "":
        return _Parsed(maj, minor, "0", ".0", "", "")
    if v[0] != ".":
        return None
    r = cut_int(v[1:])
    if r is None:
        return None
    patch, v = r
    pre = bld = ""
    if v.startswith("-"):
        r = _parse_idents(v, stop_at_plus=True, check_num=True)
        if r is None:
            return None
        pre, v = r
    if v.startswith("+"):
        r = _parse_idents(v, stop_at_plus=False, check_num=False)
        if r is None:
            return None
        bld, v = r
    if v != "":
        return None
    return _Parsed(maj, minor, patch, "", pre, bld)


def is_valid(v: str) -> bool:
    """Whether ``v`` is a valid Go semantic version (``semver.IsValid``).

    >>> is_valid("v1.2"), is_valid("1.2.3"), is_valid("v1.2-pre")
    (True, False, False)
    """
    return _parse(v) is not None


def canonical(v: str) -> str:
    """``semver.Canonical``: fill in ``.0``s and drop build metadata; ``""`` if invalid.

    >>> canonical("v1.2.3-pre+meta")
    'v1.2.3-pre'
    """
    p = _parse(v)
    if p is None:
        return ""
    return f"v{p.major}.{p.minor}.{p.patch}{p.prerelease}"


def canonical_version(v: str) -> str:
    """``module.CanonicalVersion``: like :func:`canonical` but keeps ``+incompatible``.

    >>> canonical_version("v2.0.0+incompatible")
    'v2.0.0+incompatible'
    """
    cv = canonical(v)
    if build(v) == "+incompatible":
        cv += "+incompatible"
    return cv


def major(v: str) -> str:
    """``semver.Major``: ``"v2"`` for ``v2.1.0``; ``""`` if invalid."""
    p = _parse(v)
    return f"v{p.major}" if p else ""


def major_minor(v: str) -> str:
    """``semver.MajorMinor``: ``"v2.1"`` for ``v2.1.0``; ``""`` if invalid."""
    p = _parse(v)
    return f"v{p.major}.{p.minor}" if p else ""


def prerelease(v: str) -> str:
    """``semver.Prerelease``: ``"-pre"`` for ``v1.2.3-pre+meta``; ``""`` if none or invalid."""
    p = _parse(v)
    return p.prerelease if p else ""


def build(v: str) -> str:
    """``semver.Build``: ``"+meta"`` for ``v1.2.3-pre+meta``; ``""`` if none or invalid."""
    p = _parse(v)
    return p.build if p else ""


def _cmp_prerelease(x: str, y: str) -> int:
    if x == y:
        return 0
    if x == "":
        return 1
    if y == "":
        return -1
    xs, ys = x[1:].split("."), y[1:].split(".")
    for dx, dy in zip(xs, ys, strict=False):
        if dx == dy:
            continue
        nx, ny = _is_num(dx), _is_num(dy)
        if nx != ny:
            return -1 if nx else 1
        if nx:
            return cmp_int(dx, dy)
        return -1 if dx < dy else 1
    return -1 if len(xs) < len(ys) else 1


def compare(a: str, b: str) -> int:
    """``semver.Compare``: -1, 0 or 1.  Invalid < valid; all invalid strings are equal.

    >>> compare("v1.2.3-pre", "v1.2.3"), compare("v2.0.0+incompatible", "v2.0.0")
    (-1, 0)
    """
    pa, pb = _parse(a), _parse(b)
    if pa is None or pb is None:
        if pa is None and pb is None:
            return 0
        return -1 if pa is None else 1
    return (
        cmp_int(pa.major, pb.major)
        or cmp_int(pa.minor, pb.minor)
        or cmp_int(pa.patch, pb.patch)
        or _cmp_prerelease(pa.prerelease, pb.prerelease)
    )


def sort_versions(versions: list[str]) -> list[str]:
    """``semver.Sort``: ascending by :func:`compare`, ties broken by plain string order.

    >>> sort_versions(["v1.0.0", "bad", "v1", "v0.9"])
    ['bad', 'v0.9', 'v1', 'v1.0.0']
    """

    def cmp(a: str, b: str) -> int:
        c = compare(a, b)
        if c:
            return c
        return (a > b) - (a < b)

    return sorted(versions, key=functools.cmp_to_key(cmp))


# One sort key per identifier: numeric identifiers sort before alphanumeric ones.
_Ident = tuple[int, int, str]


def _ident_key(ident: str) -> _Ident:
    return (0, int(ident), "") if _is_num(ident) else (1, 0, ident)


class GoVersion(KeyOrdered):
    """An immutable, valid Go module version with semver ordering.

    Equality and ordering follow :func:`compare` (build metadata, ``+incompatible`` included,
    is ignored); ``str()`` gives the canonical spelling (``module.CanonicalVersion``).

    >>> GoVersion.parse("v1.2") < GoVersion.parse("v1.10.0-rc.1")
    True
    >>> str(GoVersion.parse("v2.0.0+incompatible"))
    'v2.0.0+incompatible'
    """

    __slots__ = ("_key", "_text", "build", "incompatible", "major", "minor", "patch", "prerelease")

    _key: tuple[int, int, int, int, tuple[_Ident, ...]]
    _text: str
    major: int
    minor: int
    patch: int
    prerelease: str
    build: str
    incompatible: bool

    def __init__(self, text: str) -> None:
        """Parse ``text``; raise :class:`InvalidGoVersion` if it is not a Go semver."""
        p = _parse(text)
        if p is None:
            raise InvalidGoVersion(f"invalid Go version: {text!r}")
        sa = object.__setattr__
        sa(self, "major", int(p.major))
        sa(self, "minor", int(p.minor))
        sa(self, "patch", int(p.patch))
        sa(self, "prerelease", p.prerelease[1:])
        sa(self, "build", p.build[1:])
        sa(self, "incompatible", p.build == "+incompatible")
        sa(self, "_text", canonical_version(text))
        pre = tuple(_ident_key(i) for i in p.prerelease[1:].split(".")) if p.prerelease else ()
        # A release (no prerelease) sorts after all of its prereleases.
        sa(self, "_key", (self.major, self.minor, self.patch, 0 if pre else 1, pre))

    @classmethod
    def parse(cls, text: str) -> GoVersion:
        """Parse ``text`` (alias of the constructor, as in ``packaging.version.parse``)."""
        return cls(text)

    @property
    def is_prerelease(self) -> bool:
        """True for ``v1.2.3-rc.1`` and for pseudo-versions (which are prereleases)."""
        return self.prerelease != ""

    @property
    def is_pseudo(self) -> bool:
        """True if this is a pseudo-version (``v0.0.0-20240101120000-abcdef123456``)."""
        # pseudo.is_pseudo_version without importing pseudo (which builds on this module);
        # the instance is already a valid semver.
        return self._text.count("-") >= 2 and PSEUDO_RE.match(self._text) is not None

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"GoVersion({self._text!r})"
