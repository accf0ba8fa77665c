"""How long and how large one download may be, per kind of resource.

Every GET names its kind (``inrelease``, ``index``…).  The kind bounds the body size
(checked against ``Content-Length`` first, then while streaming, so a hostile or broken
server cannot make a run hold gigabytes) and the total time of the request, every retry
and Retry-After wait included (a server dripping 100 bytes every few seconds never
trips a per-read timeout; the deadline still ends it).

``quick`` kinds (the module proxy) also get a short first-answer timeout until their host
has answered once in this run: an unreachable or black-holed proxy then costs at most
:attr:`Timeouts.quick` seconds (less when :meth:`~vendaudit.fetch.Fetcher.probe` started
early), not a full read timeout, while a proxy that is up keeps the ordinary timeouts (a
cold ``.mod`` at proxy.golang.org can take seconds to come).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

__all__ = ["KINDS", "Kind", "Timeouts"]

_MIB = 1 << 20


@dataclass(frozen=True, slots=True)
class Kind:
    """Limits of one kind of resource."""

    max_bytes: int
    """Largest body accepted; a larger one is refused (:class:`~vendaudit.fetch.TooLarge`)."""
    deadline: float
    """Seconds for the whole request, retries included."""
    quick: bool = False
    """Fail fast (short first-answer timeout, no retry of timeouts) until the host answers."""


KINDS: dict[str, Kind] = {
    # A real sid InRelease is ~200 kB; 16 MiB leaves room for every architecture ever.
    "inrelease": Kind(16 * _MIB, 120.0),
    # Sources(.xz/.gz/plain), Fedora primary: sid's plain Sources is ~60 MB, rawhide's
    # primary.xml.gz ~30 MB.
    "index": Kind(512 * _MIB, 900.0),
    "repomd": Kind(8 * _MIB, 120.0),
    # ftp-master by_metadata (~2 MB today) and madison batches.
    "api": Kind(64 * _MIB, 300.0),
    # Go's own limits: cmd/go reads at most 16 MB of a go.mod; an .info is a tiny object.
    "proxy-mod": Kind(16 * _MIB, 120.0, quick=True),
    "proxy-info": Kind(64 * 1024, 60.0, quick=True),
    "default": Kind(256 * _MIB, 300.0),
}
"""The kinds :meth:`~vendaudit.fetch.Fetcher.get` knows."""


def _env_float(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Per-read, connect and fail-fast timeouts, and the Retry-After cap (seconds)."""

    read: float = 30.0
    connect: float = 5.0
    quick: float = 0.5
    """First-answer timeout of ``quick`` kinds until their host has answered."""
    retry_after_max: float = 30.0
    """A longer Retry-After is not waited for: the request fails (host marked down)."""
    deadline_scale: float = 1.0
    """Multiplies every kind's deadline (tests use a small one)."""

    @classmethod
    def from_environ(cls) -> Timeouts:
        """Defaults, overridden by ``VENDAUDIT_READ_TIMEOUT``, ``VENDAUDIT_CONNECT_TIMEOUT``,
        ``VENDAUDIT_PROXY_TIMEOUT``, ``VENDAUDIT_RETRY_AFTER_MAX`` and
        ``VENDAUDIT_DEADLINE_SCALE``."""
        d = cls()
        return cls(
            read=_env_float("VENDAUDIT_READ_TIMEOUT", d.read),
            connect=_env_float("VENDAUDIT_CONNECT_TIMEOUT", d.connect),
            quick=_env_float("VENDAUDIT_PROXY_TIMEOUT", d.quick),
            retry_after_max=_env_float("VENDAUDIT_RETRY_AFTER_MAX", d.retry_after_max),
            deadline_scale=_env_float("VENDAUDIT_DEADLINE_SCALE", d.deadline_scale),
        )
