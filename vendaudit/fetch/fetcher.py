"""GET with caching, conditional revalidation, bounded retries and an offline mode.

Semantics:

* a body reaches the cache only after the caller's ``verify`` accepted it (hash, size,
  signature, parse: whatever makes it trustworthy); a cached body is verified again before
  use, and one that fails is dropped and fetched anew *without* validators, so a bad
  body can never be revalidated with 304 for ever;
* ``immutable=True`` (GOPROXY ``.mod``/``.info``, by-hash archive files): a cached copy
  that verifies is used without asking the server again;
* otherwise a cached copy is revalidated with ``If-None-Match`` / ``If-Modified-Since``;
  a 304 reuses it;
* ``offline=True``: only the cache is used; a miss raises :class:`OfflineMiss`;
* every request is bounded in size and total time by its ``kind``
  (:mod:`vendaudit.fetch.limits`), and the whole run by ``run_timeout``;
* 5xx, read errors and timeouts are retried (``retries`` times, short backoff); 429 and
  503 wait for their ``Retry-After`` (capped, with jitter); DNS failures and refused or
  timed-out connections are not retried.  A host that failed is *down* for the rest of
  the run: later requests to it fail at once.  Failures raise :class:`Unreachable`;
  404/410 raise :class:`NotFound`; other 4xx raise :class:`FetchError`.
"""

from __future__ import annotations

import email.utils
import hashlib
import logging
import os
import random
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal
from urllib.parse import SplitResult, urlsplit

if TYPE_CHECKING:
    import httpx

from vendaudit import __version__
from vendaudit.fetch.cache import Cache, CachedResponse
from vendaudit.fetch.limits import KINDS, Kind, Timeouts
from vendaudit.progress import NULL_PROGRESS, Progress

logger = logging.getLogger(__name__)

USER_AGENT = f"vendaudit/{__version__} (+https://github.com/vendaudit/vendaudit)"
"""Descriptive User-Agent with a contact URL, as Repology and Debian ask of clients."""

Verify = Callable[[bytes], object]
"""Raises when a body must not be trusted; its exception reaches the caller unchanged."""


class FetchError(Exception):
    """A download failed; the message names the URL."""


class NotFound(FetchError):
    """The server answered 404 or 410."""


class Unreachable(FetchError):
    """Network error, timeout, deadline or 5xx after retries; or the host is down."""


class TooLarge(FetchError):
    """The body is larger than its kind allows."""


class OfflineMiss(FetchError):
    """``--offline`` and the URL is not in the cache."""


class _Retry(Exception):
    """One attempt failed in a way worth another (``wait`` seconds from now)."""

    def __init__(self, why: str, wait: float | None = None) -> None:
        super().__init__(why)
        self.wait = wait


class _Fatal(Exception):
    """One attempt failed in a way no retry mends (the host is marked down)."""


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
    # httpx only when a request is made: a local-only run never pays its import.
    import httpx

    return httpx.Client(
        headers={"User-Agent": USER_AGENT},
        timeout=httpx.Timeout(timeout, connect=10.0),
        follow_redirects=True,
        max_redirects=5,
        transport=transport,
    )


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


_PROXY_VARS = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")


def _clipped(url: str) -> str:
    """``url`` for a one-line message: cut after 200 characters."""
    return url if len(url) <= 200 else url[:200] + "…"


def _host(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class Fetcher:
    """Cached, bounded GETs over an injected client (tests pass a faked transport)."""

    def __init__(
        self,
        client: httpx.Client | None = None,
        cache: Cache | None = None,
        *,
        offline: bool = False,
        retries: int = 2,
        backoff: float = 0.5,
        progress: Progress = NULL_PROGRESS,
        timeouts: Timeouts | None = None,
        run_timeout: float | None = None,
    ) -> None:
        self._client = client
        self._client_lock = threading.Lock()
        self.cache = cache
        self.offline = offline
        self.retries = retries
        self.backoff = backoff
        self.progress = progress
        self.timeouts = timeouts or Timeouts()
        self.run_timeout = run_timeout
        self._run_deadline = time.monotonic() + run_timeout if run_timeout else None
        self._hosts_lock = threading.Lock()
        self._down: dict[str, str] = {}
        self._alive: set[str] = set()
        self._probes: dict[str, threading.Event] = {}
        self._probed: set[str] = set()

    @property
    def client(self) -> httpx.Client:
        """The injected client, else :func:`make_client` built on first use: runs served
        from the cache or local files never pay for its TLS setup (~60 ms)."""
        with self._client_lock:
            if self._client is None:
                self._client = make_client(self.timeouts.read)
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

    def down_hosts(self) -> dict[str, str]:
        """Hosts marked down in this run → why (for the report's summary)."""
        with self._hosts_lock:
            return dict(self._down)

    def probe(self, url: str) -> None:
        """Find out in the background whether ``url``'s host answers at all.

        Started early (the CLI probes the module proxy before it loads the distro
        indexes), so the short first-answer wait of a black-holed host overlaps the run's
        other work.  The probe is a bare socket, not an HTTP request: a TLS handshake (or,
        for ``http``, any byte in answer to a ``HEAD``) within :attr:`Timeouts.quick` marks
        the host alive (later requests get the ordinary timeouts); silence marks it down.
        DNS failures and refusals decide nothing here (the request itself fails fast on
        them).  Skipped offline and when an HTTP(S) proxy is configured in the environment
        (the direct route may be blocked where the proxied one works).
        """
        host = _host(url)
        parts = urlsplit(url)
        proxied = any(os.environ.get(v) for v in _PROXY_VARS)
        with self._hosts_lock:
            if self.offline or proxied or host in self._probes or host in self._alive:
                return
            done = self._probes[host] = threading.Event()
        threading.Thread(
            target=self._probe, args=(parts, host, done), name=f"probe {host}", daemon=True
        ).start()

    def _probe(self, parts: SplitResult, host: str, done: threading.Event) -> None:
        quick = self.timeouts.quick
        name = parts.hostname or ""
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
            with socket.create_connection((name, port), timeout=quick) as sock:
                if parts.scheme == "https":
                    import ssl  # only to probe a proxy (httpx brings it anyway then)

                    ssl.create_default_context().wrap_socket(sock, server_hostname=name).close()
                else:
                    sock.sendall(f"HEAD / HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode())
                    if not sock.recv(1):
                        return
        except TimeoutError:
            self._mark_down(host, f"no answer within {quick:g} s")
        except (OSError, ValueError) as exc:
            logger.info("probe of %s: %s", host, exc)
        else:
            with self._hosts_lock:
                self._alive.add(host)
        finally:
            with self._hosts_lock:
                self._probed.add(host)
            done.set()

    def forget(self, url: str) -> None:
        """Drop the cached copy of ``url`` (a caller found it bad after all)."""
        if self.cache is not None:
            self.cache.drop_response(url)

    def get(
        self,
        url: str,
        *,
        immutable: bool = False,
        kind: str = "default",
        verify: Verify | None = None,
    ) -> Fetched:
        """Fetch ``url`` according to the module docstring's rules.

        ``verify`` sees every body before it is returned or cached; what it raises for a
        downloaded body propagates unchanged (nothing is cached), while a cached body it
        rejects is dropped and downloaded again.
        """
        limits = KINDS[kind]
        cached = self.cache.get_response(url) if self.cache else None
        if cached is not None and not self._trusted(cached, verify):
            cached = None
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
        status, resp_headers, content = self._request(url, headers, limits)
        if status == 304:
            if cached is not None:
                return Fetched(url, cached.content, "revalidated")
            raise FetchError(f"{url}: HTTP 304 to an unconditional request")
        if status in (404, 410):
            raise NotFound(f"{url}: HTTP {status}")
        if status >= 400:
            raise FetchError(f"{url}: HTTP {status}")
        if verify is not None:
            verify(content)
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

    def _trusted(self, cached: CachedResponse, verify: Verify | None) -> bool:
        """Whether a cached body still verifies; one that does not is dropped."""
        if verify is None:
            return True
        try:
            verify(cached.content)
        except Exception as exc:
            # Routine when the archive moved on (a new InRelease lists new hashes), and
            # the cure for an entry a bug or a disk error left behind.
            logger.info("cached %s failed verification (%s); dropped", cached.url, exc)
            self.forget(cached.url)
            return False
        return True

    # -- one request, with retries ----------------------------------------------------

    def _deadline(self, limits: Kind) -> float:
        deadline = time.monotonic() + limits.deadline * self.timeouts.deadline_scale
        if self._run_deadline is not None:
            deadline = min(deadline, self._run_deadline)
        return deadline

    def _mark_down(self, host: str, why: str) -> None:
        with self._hosts_lock:
            if host not in self._down:
                logger.warning("%s is down for the rest of this run: %s", host, why)
                self._down[host] = why

    def _request(
        self, url: str, headers: dict[str, str], limits: Kind
    ) -> tuple[int, httpx.Headers, bytes]:
        host = _host(url)
        if limits.quick:
            # First contact with a proxy: the probe tells a black hole from a slow
            # answer (a cold .mod may take seconds), so only silence costs the quick wait.
            self.probe(url)
        with self._hosts_lock:
            probe = self._probes.get(host)
        if probe is not None:
            probe.wait(self.timeouts.quick + 1.0)
        deadline = self._deadline(limits)
        last = ""
        for attempt in range(self.retries + 1):
            with self._hosts_lock:
                down = self._down.get(host)
            if down is not None:
                raise Unreachable(f"{url}: {host} is down ({down})")
            if time.monotonic() >= deadline:
                last = self._deadline_text(limits, last, 0.0)
                break
            try:
                return self._attempt(url, headers, limits, deadline)
            except _Fatal as exc:
                self._mark_down(host, str(exc))
                raise Unreachable(f"{url}: {exc}") from None
            except _Retry as exc:
                last = str(exc)
                if attempt == self.retries:
                    break
                wait = exc.wait if exc.wait is not None else self.backoff * (attempt + 1)
                if exc.wait is not None and exc.wait > self.timeouts.retry_after_max:
                    last += f" (Retry-After {exc.wait:.0f} s is longer than we wait)"
                    break
                wait += random.uniform(0, max(self.backoff, 0.05) / 2)  # jitter
                if time.monotonic() + wait >= deadline:
                    last = self._deadline_text(limits, last, wait)
                    break
                time.sleep(wait)
        self._mark_down(host, last)
        raise Unreachable(f"{url}: {last} (after {attempt + 1} attempts)")

    def _deadline_text(self, limits: Kind, last: str, wait: float) -> str:
        """Why there is no (more) time for a request: the run's limit or its own."""
        if self._run_deadline is not None and time.monotonic() + wait >= self._run_deadline:
            why = f"run time limit of {self.run_timeout:g} s reached"
        else:
            why = f"took longer than {limits.deadline * self.timeouts.deadline_scale:g} s"
        return f"{why}; {last}" if last else why

    def _attempt(
        self, url: str, headers: dict[str, str], limits: Kind, deadline: float
    ) -> tuple[int, httpx.Headers, bytes]:
        import httpx

        host = _host(url)
        with self._hosts_lock:
            # Without a probe's verdict (skipped behind an HTTP(S)_PROXY), fail fast.
            quick = limits.quick and host not in self._alive and host not in self._probed
        t = self.timeouts
        remaining = max(0.01, deadline - time.monotonic())
        first = t.quick if quick else t.read
        timeout = httpx.Timeout(
            min(first, remaining),
            connect=min(t.quick if quick else t.connect, remaining),
            pool=min(t.connect, remaining),
        )
        try:
            status, resp_headers, body = self._stream(url, headers, limits, deadline, timeout)
        except httpx.ConnectTimeout as exc:
            raise _Fatal(f"connect timed out ({type(exc).__name__})") from None
        except httpx.ConnectError as exc:
            # DNS failures and refused connections: asking again in a second will not help.
            raise _Fatal(f"cannot connect ({type(exc).__name__}: {exc})") from None
        except httpx.TimeoutException as exc:
            if quick:
                raise _Fatal(f"no answer within {first:g} s ({type(exc).__name__})") from None
            raise _Retry(f"timed out ({type(exc).__name__})") from None
        except httpx.HTTPError as exc:
            raise _Retry(f"{type(exc).__name__}: {exc}") from None
        except httpx.InvalidURL as exc:
            # Not an HTTPError: a URL httpx refuses (over 64 kB, a bad host) is this
            # request's failure, never the host's, and asking again will not help.
            raise FetchError(f"{_clipped(url)}: invalid URL ({exc})") from None
        if status in (429, 503):
            raise _Retry(f"HTTP {status}", retry_after(resp_headers.get("Retry-After")))
        if status >= 500:
            raise _Retry(f"HTTP {status}")
        with self._hosts_lock:
            self._alive.add(host)
        return status, resp_headers, body

    def _stream(
        self,
        url: str,
        headers: dict[str, str],
        limits: Kind,
        deadline: float,
        timeout: httpx.Timeout,
    ) -> tuple[int, httpx.Headers, bytes]:
        """(status, headers, body) of one GET, bounded in size and time.

        The body is spooled to a temporary file past 8 MiB, so a download never holds
        more than that in chunks while it streams; the size cap bounds the result.
        """
        import httpx

        with self.client.stream("GET", url, headers=headers, timeout=timeout) as resp:
            if resp.status_code >= 300:
                # Error bodies and 304s are not wanted; do not read megabytes of them.
                return resp.status_code, resp.headers, b""
            total = resp.headers.get("Content-Length")
            size = int(total) if total and total.isdigit() else None
            if size is not None and size > limits.max_bytes:
                raise TooLarge(
                    f"{url}: {size} bytes announced, more than the {limits.max_bytes} allowed"
                )
            self.progress.start(url, size)
            got = 0
            try:
                with tempfile.SpooledTemporaryFile(max_size=8 << 20) as spool:
                    for chunk in resp.iter_bytes():
                        got += len(chunk)
                        if got > limits.max_bytes:
                            raise TooLarge(
                                f"{url}: body larger than the {limits.max_bytes} bytes allowed"
                            )
                        if time.monotonic() > deadline:
                            raise httpx.ReadTimeout("total deadline passed mid-body")
                        spool.write(chunk)
                        self.progress.advance(url, len(chunk))
                    spool.seek(0)
                    return resp.status_code, resp.headers, spool.read()
            finally:
                self.progress.done(url)
