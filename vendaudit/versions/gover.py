"""Go toolchain and language versions (``go 1.21``, ``toolchain go1.22.3``) as cmd/go's gover.

These are **not** semver: the language version ``1.21`` sorts before its first release
candidate ``1.21rc1``, which sorts before the release ``1.21.0``.  Before Go 1.21 a missing
patch meant ``.0`` (``1.20`` == ``1.20.0``).  Malformed strings sort lowest and equal.

>>> sorted(["1.21.1", "1.21.0", "1.21rc1", "1.21", "1.20"], key=gover_key)
['1.20', '1.21', '1.21rc1', '1.21.0', '1.21.1']
"""

from __future__ import annotations

from dataclasses import dataclass

from vendaudit.versions._common import cmp_int, cut_int

__all__ = ["from_toolchain", "gover_compare", "gover_key", "gover_lang", "is_valid_gover"]


@dataclass(frozen=True, slots=True)
class _Gover:
    major: str = ""
    minor: str = ""
    patch: str = ""
    kind: str = ""  # "", "alpha", "beta", "rc" (plain string order is the right order)
    pre: str = ""


_INVALID = _Gover()


def _parse(x: str) -> _Gover:
    x = x.removeprefix("go")
    r = cut_int(x)
    if r is None:
        return _INVALID
    major, x = r
    if x == "":
        return _Gover(major, "0", "0")  # "1" means 1.0.0
    if x[0] != ".":
        return _INVALID
    r = cut_int(x[1:])
    if r is None:
        return _INVALID
    minor, x = r
    if x == "":
        # Since Go 1.21 a missing patch is a language version, below 1.21rc1 and 1.21.0.
        return _Gover(major, minor, "0" if cmp_int(minor, "21") < 0 else "")
    if x[0] == ".":
        r = cut_int(x[1:])
        if r is None or r[1] != "":
            return _INVALID  # no prereleases of patch releases
        return _Gover(major, minor, r[0])
    i = 0
    while i < len(x) and not "0" <= x[i] <= "9":
        if not "a" <= x[i] <= "z":
            return _INVALID
        i += 1
    if i == 0:
        return _INVALID
    kind, x = x[:i], x[i:]
    if x == "":
        return _Gover(major, minor, "", kind)
    r = cut_int(x)
    if r is None or r[1] != "":
        return _INVALID
    return _Gover(major, minor, "", kind, r[0])


def is_valid_gover(v: str) -> bool:
    """Whether ``v`` (optionally ``go``-prefixed) is a well-formed Go version.

    >>> is_valid_gover("1.21rc1"), is_valid_gover("go1.22.3"), is_valid_gover("1.21.3rc1")
    (True, True, False)
    """
    return _parse(v) != _INVALID


def gover_compare(a: str, b: str) -> int:
    """Compare two Go versions like ``gover.Compare``: -1, 0 or 1.

    A leading ``go`` is accepted (``go1.22.3``).

    >>> gover_compare("1.21", "1.21.0"), gover_compare("1.20", "1.20.0")
    (-1, 0)
    """
    x, y = _parse(a), _parse(b)
    return (
        cmp_int(x.major, y.major)
        or cmp_int(x.minor, y.minor)
        or cmp_int(x.patch, y.patch)
        or (x.kind > y.kind) - (x.kind < y.kind)
        or cmp_int(x.pre, y.pre)
    )


def gover_key(v: str) -> tuple[tuple[int, str], ...]:
    """A sort key consistent with :func:`gover_compare` (for ``sorted``/``max``)."""
    p = _parse(v)
    # Numbers: shorter digit strings first; the kind is compared as a plain string.
    return (
        (len(p.major), p.major),
        (len(p.minor), p.minor),
        (len(p.patch), p.patch),
        (0, p.kind),
        (len(p.pre), p.pre),
    )


def gover_lang(v: str) -> str:
    """``gover.Lang``: the language version (``1.21.3`` → ``1.21``); ``""`` if malformed."""
    p = _parse(v)
    if p == _INVALID:
        return ""
    if p.minor == "" or (p.major == "1" and p.minor == "0"):
        return p.major
    return f"{p.major}.{p.minor}"


def from_toolchain(name: str) -> str:
    """``gover.FromToolchain``: ``go1.22.3`` → ``1.22.3``; custom suffixes dropped; ``""`` if bad.

    >>> from_toolchain("go1.21.0-custom"), from_toolchain("gccgo"), from_toolchain("mygo-go1.22")
    ('1.21.0', '', '1.22')
    """
    if "/" in name or "\\" in name:
        return ""
    if name.startswith("go"):
        v = name[2:]
    elif (i := name.find("-go")) >= 0:
        v = name[i + 3 :]
    else:
        return ""
    for j, c in enumerate(v):
        if c in " \t-":
            v = v[:j]
            break
    return v if is_valid_gover(v) else ""
