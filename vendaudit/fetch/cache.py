"""A small on-disk cache: raw HTTP bodies with their validators, and derived blobs.

Writes are atomic (temp file + ``os.replace``).  A cache that cannot be read or
written logs one warning and behaves as empty: a cache problem never fails a run.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import platformdirs

logger = logging.getLogger(__name__)


def default_cache_dir() -> Path:
    """``$VENDAUDIT_CACHE_DIR`` or the platform's user cache dir for vendaudit."""
    env = os.environ.get("VENDAUDIT_CACHE_DIR")
    return Path(env) if env else Path(platformdirs.user_cache_dir("vendaudit"))


@dataclass(frozen=True, slots=True)
class CachedResponse:
    """A cached HTTP body and the validators to revalidate it."""

    url: str
    content: bytes
    etag: str | None
    last_modified: str | None
    fetched_at: float


def _key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class Cache:
    """Files under ``root``: ``http/<sha256(url)>{.body,.json}`` and ``derived/<ns>/<key>``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._warned = False

    def _warn(self, exc: OSError) -> None:
        if not self._warned:
            logger.warning("cache at %s not usable (%s); continuing without it", self.root, exc)
            self._warned = True

    def _write(self, path: Path, data: bytes) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except OSError as exc:
            self._warn(exc)

    def get_response(self, url: str) -> CachedResponse | None:
        """The cached response for ``url``, or None."""
        base = self.root / "http" / _key(url)
        try:
            meta = json.loads(base.with_suffix(".json").read_text())
            content = base.with_suffix(".body").read_bytes()
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            if isinstance(exc, OSError):
                self._warn(exc)
            return None
        return CachedResponse(
            url, content, meta.get("etag"), meta.get("last_modified"), meta.get("fetched_at", 0.0)
        )

    def put_response(self, resp: CachedResponse) -> None:
        """Store a response (body first, metadata last, so a torn write reads as a miss)."""
        base = self.root / "http" / _key(resp.url)
        self._write(base.with_suffix(".body"), resp.content)
        meta = {
            "url": resp.url,
            "etag": resp.etag,
            "last_modified": resp.last_modified,
            "fetched_at": resp.fetched_at,
        }
        self._write(base.with_suffix(".json"), json.dumps(meta).encode())

    def get_derived(self, namespace: str, key: str) -> bytes | None:
        """A derived blob (e.g. a parsed index keyed by its input's sha256), or None."""
        try:
            return (self.root / "derived" / namespace / _key(key)).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            self._warn(exc)
            return None

    def put_derived(self, namespace: str, key: str, data: bytes) -> None:
        """Store a derived blob."""
        self._write(self.root / "derived" / namespace / _key(key), data)
