"""EVR ordering and the Go reading of Fedora versions, on top of :mod:`vendaudit.versions.rpm`.

Kept as a seam so the backend and index only need (epoch, version, release) triples.
"""

from __future__ import annotations

from functools import cmp_to_key

from vendaudit.versions.packaged import PackagedVersion
from vendaudit.versions.rpm import fedora_to_go, rpmvercmp

__all__ = ["evr_cmp", "evr_key", "fedora_version"]


def evr_cmp(a: tuple[str, str, str], b: tuple[str, str, str]) -> int:
    """Compare (epoch, version, release) triples as rpm does (missing epoch = 0)."""
    ea, eb = int(a[0] or 0), int(b[0] or 0)
    if ea != eb:
        return 1 if ea > eb else -1
    return rpmvercmp(a[1], b[1]) or rpmvercmp(a[2], b[2])


evr_key = cmp_to_key(evr_cmp)
"""Sort key for (epoch, version, release) triples."""


def fedora_version(ver: str, rel: str) -> PackagedVersion:
    """The Go reading of a Fedora ``Version``/``Release`` (``fedora_to_go``)."""
    return fedora_to_go(ver, rel)
