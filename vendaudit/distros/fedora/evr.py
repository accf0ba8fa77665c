"""RPM EVR ordering and the Go reading of a Fedora package version (a private stand-in).

Engineer B's :mod:`vendaudit.versions.rpm` owns the canonical ``rpmvercmp`` and
``fedora_to_go``; this module delegates to it when it is importable and otherwise uses
the small implementation below (rpm's rpmvercmp.cc algorithm, fedora.md §3), so the
Fedora backend works on its own.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cmp_to_key

from vendaudit.versions.packaged import PackagedVersion

__all__ = ["evr_cmp", "evr_key", "fedora_version", "rpmvercmp"]

_RUN = re.compile(r"(\d+|[A-Za-z]+)")
_SNAPSHOT = re.compile(r"(?:^|\.)(\d{8})git([0-9a-f]{7,40})(?:\.|$)")
_SEMVERISH = re.compile(r"^\d+(\.\d+){0,2}$")


def rpmvercmp(a: str, b: str) -> int:
    """rpm's ``rpmvercmp``: -1, 0 or 1 (tilde sorts before, caret after, separators ignored)."""
    if a == b:
        return 0
    i = j = 0
    while i < len(a) or j < len(b):
        while i < len(a) and not (a[i].isascii() and a[i].isalnum()) and a[i] not in "~^":
            i += 1
        while j < len(b) and not (b[j].isascii() and b[j].isalnum()) and b[j] not in "~^":
            j += 1
        ta, tb = a[i : i + 1], b[j : j + 1]
        if ta == "~" or tb == "~":
            if ta != "~":
                return 1
            if tb != "~":
                return -1
            i, j = i + 1, j + 1
            continue
        if ta == "^" or tb == "^":
            if not ta:
                return -1
            if not tb:
                return 1
            if ta != "^":
                return 1
            if tb != "^":
                return -1
            i, j = i + 1, j + 1
            continue
        if not ta or not tb:
            break
        ma, mb = _RUN.match(a, i), _RUN.match(b, j)
        if ma is None or mb is None:  # non-ASCII alnum: treat as separator
            i, j = i + 1, j + 1
            continue
        ra, rb = ma.group(), mb.group()
        if ra.isdigit() != rb.isdigit():
            return 1 if ra.isdigit() else -1
        if ra.isdigit():
            ra, rb = ra.lstrip("0"), rb.lstrip("0")
            if len(ra) != len(rb):
                return 1 if len(ra) > len(rb) else -1
        if ra != rb:
            return 1 if ra > rb else -1
        i, j = ma.end(), mb.end()
    if i >= len(a) and j >= len(b):
        return 0
    return 1 if i < len(a) else -1


def evr_cmp(a: tuple[str, str, str], b: tuple[str, str, str]) -> int:
    """Compare (epoch, version, release) triples the way rpm does."""
    ea, eb = int(a[0] or 0), int(b[0] or 0)
    if ea != eb:
        return 1 if ea > eb else -1
    return rpmvercmp(a[1], b[1]) or rpmvercmp(a[2], b[2])


evr_key = cmp_to_key(evr_cmp)
"""Sort key for (epoch, version, release) triples."""


def fedora_version(ver: str, rel: str) -> PackagedVersion:
    """The Go reading of a Fedora ``Version``/``Release`` (B's ``fedora_to_go`` if present)."""
    try:
        from vendaudit.versions.rpm import fedora_to_go  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return _fallback_to_go(ver, rel)
    result: PackagedVersion = fedora_to_go(ver, rel)
    return result


def _fallback_to_go(ver: str, rel: str) -> PackagedVersion:
    snap = _SNAPSHOT.search(rel) or _SNAPSHOT.search(ver.replace("^", "."))
    date = commit = None
    if snap:
        try:
            date = dt.date(int(snap[1][:4]), int(snap[1][4:6]), int(snap[1][6:]))
        except ValueError:
            date = None
        commit = snap[2]
    upstream = ver.split("^", 1)[0]
    base, _, pre = upstream.partition("~")
    go = None
    if _SEMVERISH.match(base) and base != "0":
        parts = [*base.split("."), "0", "0"][:3]
        go = "v" + ".".join(str(int(p)) for p in parts) + (f"-{pre}" if pre else "")
    return PackagedVersion(f"{ver}-{rel}", upstream, go, date, commit)
