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
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from debian.debian_support import version_compare

from vendaudit.distros.debian.entries import SourceEntry
from vendaudit.distros.debian.index import DebianIndex
from vendaudit.distros.debian.sources import DebianIndexError, split_comma_list
from vendaudit.distros.interface import DistroBackend, DistroError, DistroIndex, fetch_for
from vendaudit.fetch import Fetcher
from vendaudit.model import DistroPackage, Module, Target, TargetStatus
from vendaudit.progress import NULL_PROGRESS, Progress

__all__ = [
    "DEFAULT_API",
    "FtpMasterBackend",
    "GoSource",
    "dak_suite_name",
    "parse_by_metadata",
    "parse_madison",
    "parse_madison_all",
]

DEFAULT_API = "https://api.ftp-master.debian.org"
_DEB_VERSION = re.compile(r"\A(\d+:)?[0-9][A-Za-z0-9.+~-]*\Z")
"""The public dak web API."""


@dataclass(frozen=True, slots=True)
class GoSource:
    """What by_metadata says about one source: all its binaries and all its import paths."""

    binaries: tuple[str, ...]
    import_paths: tuple[str, ...]


def _json(data: bytes, what: str) -> Any:
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as exc:  # RecursionError: a nesting bomb
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


def parse_madison_all(data: bytes) -> dict[str, dict[str, str]]:
    """dak suite → source name → highest source version, from a madison JSON answer.

    Keys ``suite`` and ``suite/<component>`` both count as ``suite``; rows without
    architecture ``source`` (binaries, binNMUs ``+bN``) count through their
    ``source_version``.  Anything of the wrong shape or type, and any version that is no
    Debian version, raises :class:`DebianIndexError`: a malformed answer fails the target
    rather than decide verdicts.
    """
    doc = _json(data, "ftp-master madison")
    if not isinstance(doc, list):
        raise DebianIndexError("ftp-master madison: expected a JSON list")
    found: dict[str, dict[str, str]] = {}
    for obj in doc:
        if not isinstance(obj, dict):
            raise DebianIndexError("ftp-master madison: expected objects in the list")
        for package, by_suite in obj.items():
            if not isinstance(by_suite, dict):
                raise DebianIndexError(f"ftp-master madison: {package[:60]!r}: not an object")
            for key, versions in by_suite.items():
                if not isinstance(versions, dict):
                    raise DebianIndexError(f"ftp-master madison: {package[:60]!r} {key}: bad")
                suite = found.setdefault(key.split("/", 1)[0], {})
                for version, info in versions.items():
                    source, version = _madison_row(package, version, info)
                    seen = suite.get(source)
                    if seen is None or version_compare(version, seen) > 0:
                        suite[source] = version
    return found


def _madison_row(package: str, version: str, info: object) -> tuple[str, str]:
    """(source, source version) of one madison row, checked."""
    if not isinstance(info, dict):
        raise DebianIndexError(f"ftp-master madison: {package[:60]!r} {version[:40]}: no object")
    source = info.get("source", package)
    arches = info.get("architectures", ["source"])
    if not isinstance(source, str) or not source or not isinstance(arches, list):
        raise DebianIndexError(f"ftp-master madison: {package[:60]!r}: bad source/architectures")
    if "source" not in arches:
        version = info.get("source_version") or version
    if not isinstance(version, str) or not _DEB_VERSION.match(version):
        raise DebianIndexError(
            f"ftp-master madison: {package[:60]!r}: {str(version)[:40]!r} is not a Debian version"
        )
    return source, version


def parse_madison(data: bytes, suite: str) -> dict[str, str]:
    """Source name → highest source version in dak suite ``suite`` (see
    :func:`parse_madison_all`)."""
    return parse_madison_all(data).get(suite, {})


_UnansweredView = DebianIndex
"""The Go view of the unanswered sources (an alias: tests replace ``DebianIndex``)."""


class _Unanswered(DistroIndex):
    """A suite's index, plus the sources madison did not answer for at all.

    by_metadata lists them, so dak knows them; madison should then list them in some
    suite.  When it does not (an empty or short answer), whether they are in this suite
    is unknown: a module they would provide is ``unknown``, never ``missing``.
    """

    def __init__(
        self, target: Target, inner: DistroIndex, unanswered: DistroIndex, names: Sequence[str]
    ) -> None:
        self.inner = inner
        self.target = target
        self.provenance = inner.provenance
        self.notes = inner.notes
        self._unanswered = unanswered
        self._names = tuple(names)

    @property
    def packages(self) -> int:
        """The packages of the suite that madison did answer for."""
        return int(getattr(self.inner, "packages", 0))

    def lookup(self, module: Module) -> list[DistroPackage]:
        """The suite's packages for ``module``; raises :class:`DistroError` when a source
        madison left unanswered could provide it."""
        maybe = self._unanswered.lookup(module)
        if maybe:
            sources = ", ".join(sorted({p.source for p in maybe}))
            raise DistroError(
                f"{self.target.id}: madison gave no answer for {sources} (listed by "
                f"by_metadata); cannot tell whether it provides {module.path}"
            )
        return self.inner.lookup(module)

    def notes_for(self, modules: Sequence[Module]) -> tuple[str, ...]:
        """The suite index's notes."""
        return self.inner.notes_for(modules)


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

    def load(self, target: Target) -> DistroIndex:
        """The index of ``target``; raises :class:`DistroError` on any failure."""
        return self.load_with_status(target)[0]

    def _get(self, target: Target, url: str) -> bytes:
        return fetch_for(self.fetcher, target, url, kind="api").content

    def _get_shared(self, target: Target, url: str) -> bytes:
        with self._lock:
            if url not in self._shared:
                self._shared[url] = self._get(target, url)
            return self._shared[url]

    def _madison(
        self, target: Target, suite: str, names: Sequence[str]
    ) -> tuple[dict[str, str], set[str]]:
        """(source → version in ``suite``, every source madison answered for in any suite).

        No ``s=`` filter: a source by_metadata lists must show up in *some* suite, so
        one that does not was left out of the answer, which tells it apart from a
        source that is simply not in this suite.
        """
        versions: dict[str, str] = {}
        answered: set[str] = set()
        for i in range(0, len(names), self.batch_size):
            batch = names[i : i + self.batch_size]
            # madison splits `package` on whitespace: '+' joins, a literal '+' is %2B.
            query = "+".join(quote(name, safe="") for name in batch)
            url = f"{self.base}/madison?package={query}&b=dsc&f=json"
            self.progress.advance(f"{target.id}: madison", len(batch))
            body = fetch_for(self.fetcher, target, url, kind="api", verify=parse_madison_all)
            by_suite = parse_madison_all(body.content)
            for suite_versions in by_suite.values():
                answered.update(suite_versions)
            for source, version in by_suite.get(suite, {}).items():
                seen = versions.get(source)
                if seen is None or version_compare(version, seen) > 0:
                    versions[source] = version
        return versions, answered

    def load_with_status(self, target: Target) -> tuple[DistroIndex, TargetStatus]:
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
            versions, answered = self._madison(target, suite, sorted(go))
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
        unanswered = [src for src in go if src not in answered]
        if go and len(unanswered) == len(go):
            raise DebianIndexError(
                f"{target.id}: madison answered for none of the {len(go)} Go sources "
                "by_metadata lists (an outage, not an empty archive)"
            )
        provenance = f"{self.base} (by_metadata Go-Import-Path + madison s={suite}; not signed)"
        notes: tuple[str, ...] = (
            f"{target.id}: ftp-master API data is not signature-checked, and import paths "
            "are merged over every version dak still knows",
        )
        if unanswered:
            notes += (
                f"{target.id}: madison gave no answer for {len(unanswered)} of the "
                f"{len(go)} Go sources by_metadata lists; modules they may provide are "
                "unknown",
            )
        index: DistroIndex = DebianIndex(target, entries, provenance, notes)
        if unanswered:
            maybe = [
                SourceEntry(src, "0", go[src].binaries, go[src].import_paths) for src in unanswered
            ]
            maybe_index = _UnansweredView(target, maybe, provenance)
            index = _Unanswered(target, index, maybe_index, unanswered)
        return index, TargetStatus(target, provenance, notes, packages=len(entries))
