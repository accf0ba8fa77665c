"""A distro package version seen from Go: the value object verdicts compare against."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PackagedVersion:
    """A Debian or RPM package version with its Go-side reading.

    ``go_version`` is a canonical Go semver (``v1.2.3``, ``v1.2.0-rc1``) when the distro
    version maps to one.  Snapshots (Debian ``0.0~git20240101.abcdef1``, Fedora
    ``0-0.3.20240101gitabcdef1``) carry ``snapshot_date``/``snapshot_commit`` and compare
    with Go pseudo-versions by date, or by commit when the dates are equal.
    """

    distro_version: str
    """The version exactly as the archive spells it (``1:0.62.0-1``, ``0.5.0-10.fc41``)."""
    upstream: str
    """The upstream part: no epoch, no revision/release, no repack suffix."""
    go_version: str | None
    snapshot_date: dt.date | None = None
    snapshot_commit: str | None = None
