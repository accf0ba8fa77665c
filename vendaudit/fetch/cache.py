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


def _meta_problem(meta: object, url: str, content: bytes) -> str:
    """Why a cache entry's metadata cannot be trusted, or "" when it can."""
    if not isinstance(meta, dict):
        return f"metadata is a JSON {type(meta).__name__}, not an object"
    if meta.get("url", url) != url:
        return "metadata names another URL"
    for name in ("etag", "last_modified"):
        if meta.get(name) is not None and not isinstance(meta[name], str):
            return f"metadata {name!r} is not a string"
    stamp = meta.get("fetched_at", 0.0)
    if isinstance(stamp, bool) or not isinstance(stamp, int | float):
        return "metadata 'fetched_at' is not a number"
    size, digest = meta.get("size"), meta.get("sha256")
    if size is not None and (not isinstance(size, int) or size != len(content)):
        return "body size differs from the recorded one"
    if digest is not None and (
        not isinstance(digest, str) or hashlib.sha256(content).hexdigest() != digest
    ):
        return "body SHA-256 differs from the recorded one"
    return ""


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
        """The cached response for ``url``, or None.

        Metadata of the wrong shape, or a body whose size or SHA-256 differs from what
        the metadata recorded (a torn write, a disk error, a hand edit), is a miss with a
        warning: the entry is dropped, so the next download is unconditional.
        """
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
            self._bad_entry(url, f"metadata is not JSON ({exc})")
            return None
        problem = _meta_problem(meta, url, content)
        if problem:
            self._bad_entry(url, problem)
            return None
        return CachedResponse(
            url, content, meta.get("etag"), meta.get("last_modified"), meta.get("fetched_at", 0.0)
        )

    def _bad_entry(self, url: str, problem: str) -> None:
        logger.warning("cache entry for %s ignored and dropped: %s", url, problem)
        self.drop_response(url)

    def drop_response(self, url: str) -> None:
        """Forget the cached response for ``url`` (metadata first: a half drop is a miss)."""
        base = self.root / "http" / _key(url)
        for suffix in (".json", ".body"):
            try:
                base.with_suffix(suffix).unlink(missing_ok=True)
            except OSError as exc:
                self._warn(exc)

    def put_response(self, resp: CachedResponse) -> None:
        """Store a response (body first, metadata last, so a torn write reads as a miss)."""
        base = self.root / "http" / _key(resp.url)
        self._write(base.with_suffix(".body"), resp.content)
        meta = {
            "url": resp.url,
            "etag": resp.etag,
            "last_modified": resp.last_modified,
            "fetched_at": resp.fetched_at,
            "size": len(resp.content),
            "sha256": hashlib.sha256(resp.content).hexdigest(),
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

    def drop_derived(self, namespace: str, key: str) -> None:
        """Remove a derived blob (a damaged one: the next run must not read it again)."""
        try:
            (self.root / "derived" / namespace / _key(key)).unlink(missing_ok=True)
        except OSError as exc:
            self._warn(exc)
