"""GET with caching, conditional revalidation, retries and an offline mode.

Semantics:

* ``immutable=True`` (GOPROXY ``.mod`` files, by-hash archive files): a cached copy is
  used without asking the server again, ever.
* otherwise a cached copy is revalidated with ``If-None-Match`` / ``If-Modified-Since``;
  a 304 reuses it.
* ``offline=True``: only the cache is used; a miss raises :class:`OfflineMiss`.
* transport errors and 5xx are retried (``retries`` times, short backoff), then raise
  :class:`Unreachable`; 404/410 raise :class:`NotFound`; other 4xx raise :class:`FetchError`.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from dataclasses import dataclass
from typing import Literal

import httpx

from vendaudit import __version__
from vendaudit.fetch.cache import Cache, CachedResponse
from vendaudit.progress import NULL_PROGRESS, Progress

logger = logging.getLogger(__name__)

USER_AGENT = f"vendaudit/{__version__} (+https://github.com/vendaudit/vendaudit)"
"""Descriptive User-Agent with a contact URL, as Repology and Debian ask of clients."""


class FetchError(Exception):
    """A download failed; the message names the URL."""


class NotFound(FetchError):
    """The server answered 404 or 410."""


class Unreachable(FetchError):
    """Network error, timeout or 5xx after retries."""


class OfflineMiss(FetchError):
    """``--offline`` and the URL is not in the cache."""


@dataclass(frozen=True, slots=True)
class Fetched:
    """A downloaded (or cached) body."""

    url: str
    content: bytes
    status: Literal["downloaded", "revalidated", "cached"]
    """``downloaded``: new body; ``revalidated``: 304; ``cached``: no request was made."""

    @property
    def sha256(self) -> str:
        """Hex SHA-256 of the body."""
        return hashlib.sha256(self.content).hexdigest()


def make_client(
    timeout: float = 30.0, transport: httpx.BaseTransport | None = None
) -> httpx.Client:
    """The one place an :class:`httpx.Client` is built: UA, timeout, capped redirects."""
    return httpx.Client(
        headers={"User-Agent": USER_AGENT},
        timeout=httpx.Timeout(timeout, connect=10.0),
        follow_redirects=True,
        max_redirects=5,
        transport=transport,
    )


class Fetcher:
    """Cached GETs over an injected client (tests pass a faked transport)."""

    def __init__(
        self,
        client: httpx.Client | None = None,
        cache: Cache | None = None,
        *,
        offline: bool = False,
        retries: int = 2,
        backoff: float = 0.5,
        progress: Progress = NULL_PROGRESS,
    ) -> None:
        self._client = client
        self._client_lock = threading.Lock()
        self.cache = cache
        self.offline = offline
        self.retries = retries
        self.backoff = backoff
        self.progress = progress

    @property
    def client(self) -> httpx.Client:
        """The injected client, else :func:`make_client` built on first use: runs served
        from the cache or local files never pay for its TLS setup (~60 ms)."""
        with self._client_lock:
            if self._client is None:
                self._client = make_client()
            return self._client

    def close(self) -> None:
        """Close the client if one was built or injected (never builds one to close it)."""
        with self._client_lock:
            if self._client is not None:
                self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def get(self, url: str, *, immutable: bool = False) -> Fetched:
        """Fetch ``url`` according to the module docstring's rules."""
        cached = self.cache.get_response(url) if self.cache else None
        if cached is not None and (immutable or self.offline):
            return Fetched(url, cached.content, "cached")
        if self.offline:
            raise OfflineMiss(f"{url}: not in the cache and --offline is set")
        headers: dict[str, str] = {}
        if cached is not None:
            if cached.etag:
                headers["If-None-Match"] = cached.etag
            if cached.last_modified:
                headers["If-Modified-Since"] = cached.last_modified
        status, resp_headers, content = self._request(url, headers)
        if status == 304 and cached is not None:
            return Fetched(url, cached.content, "revalidated")
        if status in (404, 410):
            raise NotFound(f"{url}: HTTP {status}")
        if status >= 400:
            raise FetchError(f"{url}: HTTP {status}")
        if self.cache is not None:
            self.cache.put_response(
                CachedResponse(
                    url,
                    content,
                    resp_headers.get("ETag"),
                    resp_headers.get("Last-Modified"),
                    time.time(),
                )
            )
        return Fetched(url, content, "downloaded")

    def _request(self, url: str, headers: dict[str, str]) -> tuple[int, httpx.Headers, bytes]:
        last: str = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * attempt)
            try:
                status, resp_headers, body = self._stream(url, headers)
            except httpx.TimeoutException as exc:
                last = f"timed out ({type(exc).__name__})"
                continue
            except httpx.HTTPError as exc:
                last = f"{type(exc).__name__}: {exc}"
                continue
            if status >= 500:
                last = f"HTTP {status}"
                continue
            return status, resp_headers, body
        raise Unreachable(f"{url}: {last} (after {self.retries + 1} attempts)")

    def _stream(self, url: str, headers: dict[str, str]) -> tuple[int, httpx.Headers, bytes]:
        """(status, headers, body) of one GET; streamed so large indexes drive a progress
        bar, but the body is kept whole, since every parser downstream wants bytes."""
        with self.client.stream("GET", url, headers=headers) as resp:
            total = resp.headers.get("Content-Length")
            self.progress.start(url, int(total) if total and total.isdigit() else None)
            chunks = []
            for chunk in resp.iter_bytes():
                chunks.append(chunk)
                self.progress.advance(url, len(chunk))
            self.progress.done(url)
            return resp.status_code, resp.headers, b"".join(chunks)
