"""The Debian backend over the ftp-master API (``--debian-backend api``): no big download.

Three calls build the same Go view as a Sources index (debian.md §1.1–1.2):

1. ``/suites`` once: maps the target's codename (``sid``, ``trixie``) to the dak suite
   name (``unstable``, ``stable``) that madison uses as its JSON keys;
2. ``/binary/by_metadata/Go-Import-Path``: every (binary, source, value) dak knows, across
   all suites and versions — so no versions, and import paths of *old* versions too;
3. ``/madison?package=a+b+…&b=dsc&s=<suite>&f=json`` in batches: which of those sources
   are in the suite, at which version (highest wins; binNMU rows map to their source).

Trade-off against the archive backend: two small JSON downloads instead of ~12 MB, but no
signature and import paths merged over every version dak still has.  The report says so.
The parsers are pure functions of bytes; :class:`FtpMasterBackend` only fetches.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from debian.debian_support import version_compare

from vendaudit.distros.debian.entries import SourceEntry
from vendaudit.distros.debian.index import DebianIndex
from vendaudit.distros.debian.sources import DebianIndexError, split_comma_list
from vendaudit.distros.interface import DistroBackend, DistroError, fetch_for
from vendaudit.fetch import Fetcher
from vendaudit.model import Target, TargetStatus
from vendaudit.progress import NULL_PROGRESS, Progress

__all__ = [
    "DEFAULT_API",
    "FtpMasterBackend",
    "GoSource",
    "dak_suite_name",
    "parse_by_metadata",
    "parse_madison",
]

DEFAULT_API = "https://api.ftp-master.debian.org"
"""The public dak web API."""


@dataclass(frozen=True, slots=True)
class GoSource:
    """What by_metadata says about one source: all its binaries and all its import paths."""

    binaries: tuple[str, ...]
    import_paths: tuple[str, ...]


def _json(data: bytes, what: str) -> Any:
    try:
        return json.loads(data)
    except ValueError as exc:
        raise DebianIndexError(f"{what}: not JSON ({exc})") from exc


def dak_suite_name(suites_json: bytes, release: str) -> str | None:
    """The dak suite name for ``release`` (name, codename or dak name) from ``/suites``."""
    suites = _json(suites_json, "ftp-master /suites")
    if not isinstance(suites, list):
        raise DebianIndexError("ftp-master /suites: expected a JSON list")
    for suite in suites:
        if not isinstance(suite, dict):
            continue
        spellings = {suite.get("name"), suite.get("codename"), suite.get("dakname")}
        if release in spellings:
            dakname = suite.get("dakname") or suite.get("name")
            return str(dakname) if dakname else None
    return None


def parse_by_metadata(data: bytes) -> dict[str, GoSource]:
    """Group ``/binary/by_metadata/Go-Import-Path`` rows by source (first-seen order kept)."""
    rows = _json(data, "ftp-master by_metadata")
    if not isinstance(rows, list):
        raise DebianIndexError("ftp-master by_metadata: expected a JSON list")
    binaries: dict[str, dict[str, None]] = {}
    paths: dict[str, dict[str, None]] = {}
    for row in rows:
        if not isinstance(row, dict) or not {"binary", "source", "metadata_value"} <= row.keys():
            raise DebianIndexError(f"ftp-master by_metadata: unexpected row {str(row)[:80]}")
        source = str(row["source"])
        # dicts as ordered sets: rows repeat per binary and per old Go-Import-Path value.
        binaries.setdefault(source, {})[str(row["binary"])] = None
        for path in split_comma_list(str(row["metadata_value"])):
            paths.setdefault(source, {})[path] = None
    return {
        src: GoSource(tuple(sorted(bins)), tuple(paths.get(src, {})))
        for src, bins in binaries.items()
        if paths.get(src)
    }


def parse_madison(data: bytes, suite: str) -> dict[str, str]:
    """Source name → highest source version in dak suite ``suite`` from a madison JSON answer.

    Keys ``suite`` and ``suite/<component>`` both count; rows without architecture
    ``source`` (binaries, binNMUs ``+bN``) count through their ``source_version``.
    """
    doc = _json(data, "ftp-master madison")
    if not isinstance(doc, list):
        raise DebianIndexError("ftp-master madison: expected a JSON list")
    found: dict[str, str] = {}
    for obj in doc:
        if not isinstance(obj, dict):
            raise DebianIndexError("ftp-master madison: expected objects in the list")
        for package, by_suite in obj.items():
            if not isinstance(by_suite, dict):
                continue
            for key, versions in by_suite.items():
                if key.split("/", 1)[0] != suite or not isinstance(versions, dict):
                    continue
                for version, info in versions.items():
                    info = info if isinstance(info, dict) else {}
                    source = str(info.get("source") or package)
                    if "source" not in info.get("architectures", ["source"]):
                        version = str(info.get("source_version") or version)
                    seen = found.get(source)
                    if seen is None or version_compare(version, seen) > 0:
                        found[source] = version
    return found


class FtpMasterBackend(DistroBackend):
    """Loads ``debian:*`` targets from the ftp-master API (see the module docstring)."""

    def __init__(
        self,
        fetcher: Fetcher,
        *,
        base: str | None = None,
        batch_size: int = 100,
        progress: Progress = NULL_PROGRESS,
    ) -> None:
        self.fetcher = fetcher
        self.base = (base or DEFAULT_API).rstrip("/")
        self.batch_size = batch_size
        self.progress = progress
        # /suites and by_metadata do not depend on the target: fetch them once per run,
        # even when the registry loads several debian:* targets in threads.
        self._lock = threading.Lock()
        self._shared: dict[str, bytes] = {}

    def supports(self, target: Target) -> bool:
        """Debian targets only (Ubuntu has no dak API)."""
        return target.distro == "debian"

    def load(self, target: Target) -> DebianIndex:
        """The index of ``target``; raises :class:`DistroError` on any failure."""
        return self.load_with_status(target)[0]

    def _get(self, target: Target, url: str) -> bytes:
        return fetch_for(self.fetcher, target, url).content

    def _get_shared(self, target: Target, url: str) -> bytes:
        with self._lock:
            if url not in self._shared:
                self._shared[url] = self._get(target, url)
            return self._shared[url]

    def _madison(self, target: Target, suite: str, names: Sequence[str]) -> dict[str, str]:
        versions: dict[str, str] = {}
        for i in range(0, len(names), self.batch_size):
            batch = names[i : i + self.batch_size]
            # madison splits `package` on whitespace: '+' joins, a literal '+' is %2B.
            query = "+".join(quote(name, safe="") for name in batch)
            url = f"{self.base}/madison?package={query}&b=dsc&s={quote(suite)}&f=json"
            self.progress.advance(f"{target.id}: madison", len(batch))
            for source, version in parse_madison(self._get(target, url), suite).items():
                seen = versions.get(source)
                if seen is None or version_compare(version, seen) > 0:
                    versions[source] = version
        return versions

    def load_with_status(self, target: Target) -> tuple[DebianIndex, TargetStatus]:
        """The index and the status line for the report."""
        try:
            suite = dak_suite_name(self._get_shared(target, f"{self.base}/suites"), target.release)
            if suite is None:
                raise DistroError(f"{target.id}: suite {target.release!r} unknown to {self.base}")
            meta_url = f"{self.base}/binary/by_metadata/Go-Import-Path"
            go = parse_by_metadata(self._get_shared(target, meta_url))
            if not go:
                # An empty answer is an outage, not "Debian packages no Go".
                raise DebianIndexError(f"{meta_url}: no Go-Import-Path rows at all")
            task = f"{target.id}: madison"
            self.progress.start(task, len(go))
            versions = self._madison(target, suite, sorted(go))
            self.progress.done(task)
        except DebianIndexError as exc:
            if str(exc).startswith(target.id):
                raise
            raise DebianIndexError(f"{target.id}: {exc}") from exc
        entries = [
            SourceEntry(src, versions[src], go[src].binaries, go[src].import_paths)
            for src in go
            if src in versions
        ]
        provenance = f"{self.base} (by_metadata Go-Import-Path + madison s={suite}; not signed)"
        notes = (
            f"{target.id}: ftp-master API data is not signature-checked, and import paths "
            "are merged over every version dak still knows",
        )
        index = DebianIndex(target, entries, provenance, notes)
        return index, TargetStatus(target, provenance, notes, packages=len(entries))
