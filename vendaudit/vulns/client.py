"""The Go vulnerability database client: the protocol govulncheck speaks.

``GOVULNDB`` (default ``https://vuln.go.dev``) names the database; ``file:///dir`` reads a
local copy in the same layout.  Endpoints (golang/vulndb ``internal/database``):
``index/db.json`` (the database's ``modified``), ``index/modules.json`` (which entries name
which module) and ``ID/<id>.json`` (one OSV entry).

Everything goes through :class:`vendaudit.fetch.Fetcher`, so the cache and ``--offline``
work as for distro data.  ``index/db.json`` is revalidated on every run; when its
``modified`` is the one recorded after the last complete run, the index and entries are
taken from the cache without asking (the database has not changed); otherwise every file
is revalidated (conditional GETs: unchanged entries cost a 304).
"""

from __future__ import annotations

import logging
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from vendaudit.fetch import Fetcher, FetchError, NotFound, OfflineMiss
from vendaudit.model import Module
from vendaudit.vulns.match import PSEUDO_MODULES, checked_as, wanted_ids
from vendaudit.vulns.model import Entry, IndexVuln
from vendaudit.vulns.osv import VulnDataError, parse_db_modified, parse_entry, parse_modules_index
from vendaudit.vulns.scan import VulnScan, find_vulns

__all__ = ["DEFAULT_VULNDB", "VulnDB", "VulnDBError", "VulnDBOffline", "scan_modules"]

logger = logging.getLogger(__name__)

DEFAULT_VULNDB = "https://vuln.go.dev"
"""govulncheck's default database."""

_MARK = "govulndb-modified"


class VulnDBError(Exception):
    """The database could not be read; the message names the URL or file."""


class VulnDBOffline(VulnDBError):
    """``--offline`` and the database is not in the cache."""


class VulnDB:
    """One Go vulnerability database, read through a :class:`Fetcher` (or from ``file://``)."""

    def __init__(self, url: str = DEFAULT_VULNDB, fetcher: Fetcher | None = None) -> None:
        url = url.strip().rstrip("/")
        if url and "://" not in url:
            # A directory path (absolute or relative): the local copy it names.  Without
            # this a relative one was asked over HTTP three times ("missing protocol").
            url = Path(url).resolve().as_uri()
        self.url = url
        self._fetcher = fetcher
        self._stable = False
        self._modified: str | None = None

    @classmethod
    def from_environ(
        cls, environ: Mapping[str, str], fetcher: Fetcher | None = None, url: str | None = None
    ) -> VulnDB:
        """``url`` if given, else ``$GOVULNDB``, else the public database."""
        return cls(url or environ.get("GOVULNDB") or DEFAULT_VULNDB, fetcher)

    @property
    def is_local(self) -> bool:
        """True for a ``file://`` database (read directly, never cached)."""
        return self.url.startswith("file:")

    def _get(self, endpoint: str, *, stable: bool = False) -> bytes:
        url = f"{self.url}/{endpoint}"
        if self.is_local:
            parts = urllib.parse.urlparse(url)
            if parts.netloc not in ("", "localhost"):
                # file://samples/db would read /db: say so instead (govulncheck refuses too).
                raise VulnDBError(
                    f"GOVULNDB={self.url}: a file URL names a local directory "
                    f"(file:///abs/dir), not host {parts.netloc!r}"
                )
            path = Path(urllib.parse.unquote(parts.path))
            try:
                return path.read_bytes()
            except FileNotFoundError as exc:
                raise VulnDBError(f"{path}: no such file (GOVULNDB={self.url})") from exc
            except OSError as exc:
                raise VulnDBError(f"{path}: {exc.strerror or exc}") from exc
        if self._fetcher is None:
            raise VulnDBError(f"{url}: no fetcher to download it with")
        try:
            return self._fetcher.get(url, immutable=stable).content
        except OfflineMiss as exc:
            raise VulnDBOffline(
                f"{url}: not in the cache and --offline is set: vulnerabilities unknown"
            ) from exc
        except NotFound as exc:
            hint = f"is GOVULNDB={self.url} a Go vulnerability database?"
            raise VulnDBError(f"{exc} ({hint})") from exc
        except FetchError as exc:
            raise VulnDBError(str(exc)) from exc

    def modified(self) -> str:
        """``index/db.json``'s ``modified`` (revalidated once per client)."""
        if self._modified is None:
            try:
                self._modified = parse_db_modified(self._get("index/db.json"))
            except VulnDataError as exc:
                raise VulnDBError(f"{self.url}/{exc}") from exc
            cache = self._fetcher.cache if self._fetcher is not None else None
            if cache is not None and not self.is_local:
                mark = cache.get_derived(_MARK, self.url)
                self._stable = mark is not None and mark.decode(errors="replace") == self._modified
        return self._modified

    def modules_index(self) -> dict[str, tuple[IndexVuln, ...]]:
        """``index/modules.json``: module path → the entries naming it."""
        self.modified()
        try:
            return parse_modules_index(self._get("index/modules.json", stable=self._stable))
        except VulnDataError as exc:
            raise VulnDBError(f"{self.url}/{exc}") from exc

    def entry(self, entry_id: str) -> Entry:
        """``ID/<id>.json``."""
        self.modified()
        name = f"ID/{entry_id}.json"
        try:
            return parse_entry(self._get(name, stable=self._stable), name)
        except VulnDataError as exc:
            raise VulnDBError(f"{self.url}/{exc}") from exc

    def entries_for(self, modules: Iterable[Module]) -> list[Entry]:
        """Every entry the index names for one of ``modules`` (what govulncheck fetches).

        On success the database's ``modified`` is recorded, so the next run with the same
        ``modified`` reads index and entries from the cache without a request.
        """
        index = self.modules_index()
        ids: set[str] = set()
        for module in modules:
            checked = checked_as(module)
            if checked is None or checked[0] in PSEUDO_MODULES:
                continue
            ids.update(wanted_ids(index, checked[0]))
        entries = [self.entry(i) for i in sorted(ids)]
        cache = self._fetcher.cache if self._fetcher is not None else None
        if cache is not None and not self.is_local and self._modified is not None:
            cache.put_derived(_MARK, self.url, self._modified.encode())
            # This client has just revalidated what it read against this `modified`: the
            # next project audited with it reads the cache too (one request per session).
            self._stable = True
        return entries


def scan_modules(modules: Sequence[Module], db: VulnDB) -> VulnScan:
    """Fetch what may affect ``modules`` and match it; a database failure is data, not a raise."""
    try:
        entries = tuple(db.entries_for(modules))
        modified = db.modified()
    except VulnDBError as exc:
        return VulnScan(db.url, "", (), (), error=str(exc))
    return VulnScan(db.url, modified, tuple(find_vulns(modules, entries)), entries)
