"""Download dependencies' go.mod files through the GOPROXY list, verified against go.sum.

Follows cmd/go's ``TryProxies`` (go-modules.md §5.2): an entry followed by ``,`` falls
through to the next one only on 404/410, an entry followed by ``|`` on any error;
``off`` fails every lookup; ``direct`` (and GONOPROXY-matching modules) would need VCS
access, which vendaudit does not implement, so they fail with a clear message.  The
error reported is the most useful one, ranked like cmd/go: direct > proxy error > 404.

``.mod`` files are immutable, so the :class:`~vendaudit.fetch.Fetcher` caches them
forever (``immutable=True``); ``--offline`` therefore works from a warm cache.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from vendaudit.analysis.goenv import GoEnv, ProxySpec
from vendaudit.fetch import Fetcher, FetchError, NotFound, OfflineMiss, Unreachable, Verify
from vendaudit.gomod.gosum import GoSum, go_mod_hash
from vendaudit.versions.modpath import escape_path, escape_version, length_error

__all__ = ["DIRECT_UNAVAILABLE", "PROXY_OFF", "ProxyClient", "ProxyError", "parse_info"]

logger = logging.getLogger(__name__)

DIRECT_UNAVAILABLE = "direct (VCS) access is not available in vendaudit"
"""Error text for ``direct`` entries and GONOPROXY modules."""

PROXY_OFF = "module lookup disabled by GOPROXY=off"
"""cmd/go's text for ``GOPROXY=off``."""


_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})\Z")


def parse_info(data: bytes) -> dt.datetime:
    """The ``Time`` of a proxy ``.info`` answer: a JSON object with a string ``Version``
    and an RFC 3339 ``Time`` (go-modules.md §5.1).  Anything else raises ValueError."""
    if data.count(b"{") + data.count(b"[") > 1000 or len(data) > 64 * 1024:
        raise ValueError("not a small JSON object")
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise ValueError(f"not JSON ({exc})") from None
    if not isinstance(doc, dict):
        raise ValueError(f"a JSON {type(doc).__name__}, not an object")
    if not isinstance(doc.get("Version"), str) or not doc["Version"]:
        raise ValueError("no string 'Version'")
    stamp = doc.get("Time")
    if not isinstance(stamp, str) or not _RFC3339.match(stamp):
        raise ValueError(f"'Time' {str(stamp)[:40]!r} is not an RFC 3339 time")
    when = dt.datetime.fromisoformat(stamp.upper().replace("Z", "+00:00"))
    return when


class ProxyError(Exception):
    """A go.mod could not be obtained or did not verify; the message names ``path@version``."""

    def __init__(
        self,
        message: str,
        *,
        not_found: bool = False,
        use_proxy: bool = False,
        unreachable: bool = False,
    ) -> None:
        super().__init__(message)
        self.unreachable = unreachable
        """The proxy could not be reached (DNS, refused, no answer, host down)."""
        self.not_found = not_found
        """Like fs.ErrNotExist: the next list entry may be tried."""
        self.use_proxy = use_proxy
        """cmd/go's errUseProxy: the noproxy entry declined a module outside GONOPROXY."""


def _security_error(key: str, got: str, want: str, sumfile: str) -> str:
    return (
        f"verifying {key}/go.mod: checksum mismatch\n"
        f"\tdownloaded: {got}\n"
        f"\t{sumfile}:     {want}\n\n"
        "SECURITY ERROR\n"
        f"This download does NOT match an earlier download recorded in {sumfile}.\n"
        "The bits may have been replaced on the origin server, or an attacker may\n"
        "have intercepted the download attempt.\n\n"
        "For more information, see 'go help module-auth'."
    )


class ProxyClient:
    """Fetch ``.mod`` files from the GOPROXY list of ``env`` through ``fetcher``."""

    def __init__(
        self,
        fetcher: Fetcher,
        env: GoEnv | None = None,
        *,
        sums: GoSum | None = None,
        workers: int = 8,
    ) -> None:
        self.fetcher = fetcher
        self.env = env or GoEnv()
        self.workers = workers
        self._sums: dict[tuple[str, str], list[str]] = {}
        self._sumfile = "go.sum"
        if sums is not None:
            self._sumfile = Path(sums.filename).name
            for e in sums.entries:
                if e.go_mod and e.hash.startswith("h1:"):
                    self._sums.setdefault((e.path, e.version), []).append(e.hash)

    def _specs(self) -> list[ProxySpec]:
        specs = list(self.env.proxies)
        if self.env.use_noproxy():
            specs.insert(0, ProxySpec("noproxy"))
        return specs

    def _try_one(
        self, spec: ProxySpec, path: str, version: str, ext: str, verify: Verify | None = None
    ) -> bytes:
        """One entry of the list; raises ProxyError (``not_found`` like fs.ErrNotExist)."""
        key = f"{path}@{version}"
        if self.env.is_noproxy(path):
            if spec.url in ("noproxy", "direct"):
                raise ProxyError(f"{key}: {DIRECT_UNAVAILABLE} (module matches GONOPROXY)")
            raise ProxyError(f"{key}: not fetched from a proxy (GONOPROXY)", not_found=True)
        if spec.url == "noproxy":
            raise ProxyError(f"{key}: use proxy", not_found=True, use_proxy=True)
        if spec.is_off:
            raise ProxyError(f"{key}: {PROXY_OFF}", not_found=True)
        if spec.is_direct:
            raise ProxyError(f"{key}: {DIRECT_UNAVAILABLE}")
        too_long = length_error(path)
        if too_long is not None:
            # cmd/go cannot download it either ("file name too long"); a 64 kB path would
            # also be a URL httpx refuses.  Keep the message one short line.
            raise ProxyError(f"{path[:60]}…@{version}: {too_long}")
        try:
            url = f"{spec.url}/{escape_path(path)}/@v/{escape_version(version)}.{ext}"
        except ValueError as exc:
            raise ProxyError(f"{key}: {exc}") from exc
        if url.startswith("file://"):
            return self._read_file(url, key)
        try:
            # Immutable, but only once verified: a bad answer is never cached for good.
            kind = "proxy-mod" if ext == "mod" else "proxy-info"
            return self.fetcher.get(url, immutable=True, kind=kind, verify=verify).content
        except NotFound as exc:
            raise ProxyError(f"{key}: reading {url}: {exc}", not_found=True) from exc
        except OfflineMiss as exc:
            # Not "not found": with --offline the cache miss is the useful answer, so it
            # must not fall through to (and be hidden by) a later "direct" entry.
            raise ProxyError(f"{key}: {exc}") from exc
        except FetchError as exc:
            unreachable = isinstance(exc, Unreachable)
            raise ProxyError(f"{key}: reading {url}: {exc}", unreachable=unreachable) from exc
        except ValueError as exc:
            raise ProxyError(f"{key}: bad .{ext} answer from {url}: {exc}") from exc

    @staticmethod
    def _read_file(url: str, key: str) -> bytes:
        try:
            return Path(url[len("file://") :]).read_bytes()
        except FileNotFoundError as exc:
            raise ProxyError(f"{key}: reading {url}: no such file", not_found=True) from exc
        except OSError as exc:
            raise ProxyError(f"{key}: reading {url}: {exc}") from exc

    def mod_file(self, path: str, version: str) -> bytes:
        """The go.mod of ``path@version``, verified against go.sum when it has a hash.

        Raises :class:`ProxyError` with the most useful error of the list (cmd/go ranking:
        direct/noproxy errors, then proxy errors other than 404, then not-found).
        """
        data = self._fetch(path, version, "mod", lambda d: self._verify(path, version, d))
        self._verify(path, version, data)  # file:// entries bypass the fetcher's check
        return data

    def info_time(self, path: str, version: str) -> dt.datetime | None:
        """The commit time of ``path@version`` from the proxy's ``.info``, if it says.

        A tag's ``.info`` is treated as immutable (cached forever): the proxy serves the
        time of the commit the tag named when it first saw it, and never changes it.
        Raises :class:`ProxyError` like :meth:`mod_file`.
        """
        data = self._fetch(path, version, "info", parse_info)
        try:
            return parse_info(data)
        except ValueError as exc:
            raise ProxyError(f"{path}@{version}: bad .info answer: {exc}") from exc

    def lookup_info(
        self, path: str, version: str
    ) -> tuple[bool | None, dt.datetime | None, ProxyError | None]:
        """(known, commit time, last error) of ``path@version`` from the proxies' ``.info``.

        Known is True when an entry serves the ``.info`` (cached forever, like
        :meth:`info_time`); False when every proxy entry tried answered 404/410 and only
        ``direct`` (which vendaudit cannot use) or nothing is left — with the default
        ``https://proxy.golang.org,direct`` the proxy's 404 is the answer, since the proxy
        itself fetches from the origin; None when no entry could answer (unreachable,
        offline cache miss, ``off``), with the error.  A 404 is not cached: a module may
        get the version later, and only verified answers are kept.
        """
        said_missing = False
        error: ProxyError | None = None
        for spec in self._specs():
            if spec.is_direct or spec.url == "noproxy" or spec.is_off:
                continue
            try:
                data = self._try_one(spec, path, version, "info", parse_info)
            except ProxyError as err:
                if isinstance(err.__cause__, NotFound | FileNotFoundError):
                    said_missing = True
                    continue
                error = err
                if not spec.fallback_on_error:
                    break
                continue
            try:
                return True, parse_info(data), None
            except ValueError:
                return True, None, None  # a file:// answer that is not an .info: it exists
        if said_missing and error is None:
            return False, None, None
        if error is None:
            error = ProxyError(f"{path}@{version}: no proxy to ask (GOPROXY)")
        return None, None, error

    def _fetch(self, path: str, version: str, ext: str, verify: Verify | None = None) -> bytes:
        """``path@version.ext`` through the list (see :meth:`mod_file` for the errors)."""
        best: ProxyError | None = None
        rank = 0  # 0 not-found, 1 proxy error, 2 direct error
        for spec in self._specs():
            try:
                return self._try_one(spec, path, version, ext, verify)
            except ProxyError as err:
                if spec.is_direct or (spec.url == "noproxy" and not err.use_proxy):
                    best, rank = err, 2
                elif rank <= 1 and not err.not_found:
                    best, rank = err, 1
                elif rank == 0:
                    best = err
                if not spec.fallback_on_error and not err.not_found:
                    break
        assert best is not None  # parse_goproxy never returns an empty list
        raise best

    def _verify(self, path: str, version: str, data: bytes) -> None:
        want = self._sums.get((path, version))
        if not want:
            return
        got = go_mod_hash(data)
        if got not in want:
            raise ProxyError(_security_error(f"{path}@{version}", got, want[0], self._sumfile))

    def mod_files(
        self,
        wanted: Iterable[tuple[str, str]],
        *,
        on_done: Callable[[str, str], None] | None = None,
    ) -> Mapping[tuple[str, str], bytes | ProxyError]:
        """Fetch many ``(path, version)`` go.mod files with a bounded thread pool.

        Never raises for a single module: its value is the :class:`ProxyError`.
        """
        items = list(dict.fromkeys(wanted))

        def one(item: tuple[str, str]) -> bytes | ProxyError:
            try:
                return self.mod_file(*item)
            except ProxyError as err:
                return err
            finally:
                if on_done is not None:
                    on_done(*item)

        if self.workers <= 1 or len(items) <= 1:
            return {item: one(item) for item in items}
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            return dict(zip(items, pool.map(one, items), strict=True))
