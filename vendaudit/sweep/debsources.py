"""Fetch each application's ``go.mod`` (or ``vendor.mod``) from sources.debian.org.

Debsources serves every file of every source package version it extracted, raw, at
``/data/<area>/<prefix>/<source>/<version>/<path>`` (``<prefix>`` is the pool prefix:
``libf`` for ``libfoo``, else the first letter; the version is the archive's, epoch
included).  A file of a given source version never changes, so answers are cached forever
(``immutable``), and the files are also written to a manifests directory that a later run
reuses without asking again: a sweep interrupted halfway resumes where it stopped.

Only the top-level ``go.mod`` is asked for, then ``vendor.mod`` (moby's layout) when there
is none.  Requests are spread over a few threads but started no faster than ``rate`` per
second, as befits a volunteer-run service.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from vendaudit.atomicfile import write_atomic
from vendaudit.distros.debian.applications import GoApplication
from vendaudit.fetch import Fetcher, FetchError, NotFound, OfflineMiss

logger = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_BASE",
    "MANIFEST_NAMES",
    "META_NAME",
    "ManifestResult",
    "fetch_manifests",
    "pool_prefix",
    "raw_url",
]

DEFAULT_BASE = "https://sources.debian.org"
MANIFEST_NAMES = ("go.mod", "vendor.mod")
"""What is asked for, in order: the first one that exists is the application's manifest."""
META_NAME = "vendaudit-source.json"
"""Written beside a fetched manifest: which source version it belongs to."""


@dataclass(frozen=True, slots=True)
class ManifestResult:
    """One application's manifest on disk, or why there is none."""

    app: GoApplication
    path: Path | None
    """The manifest file, or ``None`` with :attr:`error` saying why."""
    error: str | None = None
    not_found: bool = False
    """True when the service answered that the version has no such file (not a failure)."""


def pool_prefix(source: str) -> str:
    """The archive pool prefix: ``libf`` for ``libfoo``, else the first character."""
    return source[:4] if source.startswith("lib") and len(source) > 3 else source[:1]


def raw_url(base: str, app: GoApplication, path: str) -> str:
    """The raw-file URL of ``path`` in ``app``'s source at its version."""
    version = quote(app.version, safe=":+~")
    where = f"{app.area}/{pool_prefix(app.source)}/{app.source}/{version}"
    return f"{base.rstrip('/')}/data/{where}/{path}"


def _reusable(directory: Path, app: GoApplication) -> Path | None:
    """A manifest an earlier run wrote for exactly this source version."""
    try:
        meta = json.loads((directory / META_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("version") != app.version:
        return None
    name = meta.get("manifest")
    if name not in MANIFEST_NAMES:
        return None
    path = directory / str(name)
    return path if path.is_file() else None


def _looks_like_error(body: bytes) -> bool:
    """Debsources answers some misses with a JSON ``{"error": 404}`` body and status 200."""
    if not body.startswith(b"{"):
        return False
    try:
        value = json.loads(body)
    except ValueError:
        return False
    return isinstance(value, dict) and "error" in value and len(value) == 1


class _Pacer:
    """Start at most ``rate`` requests per second across threads."""

    def __init__(self, rate: float) -> None:
        self._interval = 1.0 / rate if rate > 0 else 0.0
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + self._interval
        if start > now:
            time.sleep(start - now)


def _fetch_one(
    fetcher: Fetcher, base: str, app: GoApplication, dest: Path, pace: Callable[[], None]
) -> ManifestResult:
    directory = dest / app.source
    reused = _reusable(directory, app)
    if reused is not None:
        return ManifestResult(app, reused)
    for name in MANIFEST_NAMES:
        url = raw_url(base, app, name)
        pace()
        try:
            body = fetcher.get(url, immutable=True).content
        except NotFound:
            continue
        except OfflineMiss:
            return ManifestResult(app, None, f"offline and the cache lacks {url}")
        except FetchError as exc:
            return ManifestResult(app, None, str(exc))
        if _looks_like_error(body):
            continue
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / name
        write_atomic(path, body)
        meta = {"source": app.source, "version": app.version, "manifest": name, "url": url}
        # The meta file last: a run killed in between refetches rather than trusts a half.
        write_atomic(directory / META_NAME, (json.dumps(meta, indent=1) + "\n").encode())
        return ManifestResult(app, path)
    return ManifestResult(
        app, None, f"{app.source} {app.version}: no top-level go.mod or vendor.mod", True
    )


def fetch_manifests(
    fetcher: Fetcher,
    apps: Sequence[GoApplication],
    dest: Path,
    *,
    base: str = DEFAULT_BASE,
    workers: int = 4,
    rate: float = 8.0,
) -> list[ManifestResult]:
    """Every application's manifest under ``dest/<source>/``, in ``apps`` order.

    Failures are results, not raises: one unreachable file never stops the sweep.
    """
    pacer = _Pacer(rate)
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(lambda a: _fetch_one(fetcher, base, a, dest, pacer.wait), apps))
