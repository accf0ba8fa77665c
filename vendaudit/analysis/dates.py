"""Settle "cannot compare" verdicts with commit dates, as a packager would by hand.

Two kinds of ``unknown`` verdict have a package of the right major whose version string
cannot be ordered against the requirement:

* an untagged snapshot (``0.0~git20230502.9c3c875``) against a tag (``v0.5.2``);
* a prefix match (``golang-github-moby-sys`` covering ``github.com/moby/sys/mountinfo``),
  whose version is the covering source's, not the module's.

Both are settled by dates: the snapshot's date (or the covering module's release date)
against the date of the required version.  Pseudo-versions carry their date; a tag's
date comes from the module proxy's ``.info`` (cached forever).  A verdict settled this
way says so (``by_date``) and names both dates.  What cannot be dated stays ``unknown``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from vendaudit.model import Finding, MatchKind, Module, Verdict
from vendaudit.versions.pseudo import is_pseudo_version, parse_pseudo

__all__ = ["dates_needed", "fetch_dates", "settle_by_dates"]

TimeOf = Callable[[str, str], dt.datetime | None]


def _candidate(f: Finding) -> bool:
    pkg = f.package
    if f.verdict is not Verdict.UNKNOWN or pkg is None:
        return False
    # A prefix match is dated through its covering source; another project's version
    # (docker.io carrying buildkit) says nothing datable about this module.
    return pkg.match is MatchKind.PREFIX or pkg.versions_this_module


def _package_query(f: Finding) -> tuple[str, str] | None:
    """The (path, version) whose date is the package's, when it is not a snapshot."""
    assert f.package is not None
    pv = f.package.version
    if pv.snapshot_date is not None or not pv.go_version:
        return None
    return f.package.import_path, pv.go_version


def dates_needed(findings: Iterable[Finding]) -> list[tuple[str, str]]:
    """The (path, version) pairs whose proxy ``.info`` dates would settle verdicts."""
    wanted: list[tuple[str, str]] = []
    for f in findings:
        if not _candidate(f):
            continue
        version = f.module.required_version
        if not is_pseudo_version(version):
            wanted.append((f.module.path, version))
        query = _package_query(f)
        if query is not None:
            wanted.append(query)
    return list(dict.fromkeys(wanted))


def fetch_dates(
    wanted: Sequence[tuple[str, str]], time_of: TimeOf, *, workers: int = 8
) -> dict[tuple[str, str], dt.date]:
    """Look dates up concurrently; pairs that cannot be dated are left out."""
    if not wanted:
        return {}
    with ThreadPoolExecutor(max_workers=min(workers, len(wanted))) as pool:
        times = list(pool.map(lambda pv: time_of(*pv), wanted))
    return {pv: t.date() for pv, t in zip(wanted, times, strict=True) if t is not None}


def _required_date(module: Module, dates: Mapping[tuple[str, str], dt.date]) -> dt.date | None:
    version = module.required_version
    if is_pseudo_version(version):
        return parse_pseudo(version).time.date()
    return dates.get((module.path, version))


def settle_by_dates(
    findings: Sequence[Finding], dates: Mapping[tuple[str, str], dt.date]
) -> list[Finding]:
    """Findings with every datable ``unknown`` turned into satisfied/outdated by date."""
    out: list[Finding] = []
    for f in findings:
        if not _candidate(f):
            out.append(f)
            continue
        assert f.package is not None
        pv = f.package.version
        query = _package_query(f)
        pkg_date = pv.snapshot_date if query is None else dates.get(query)
        req_date = _required_date(f.module, dates)
        same_day_commits = query is None and is_pseudo_version(f.module.required_version)
        if pkg_date is None or req_date is None or same_day_commits:
            # A snapshot against a pseudo-version was already compared by date and
            # commit; "unknown" there means same day, other commit: dates cannot help.
            out.append(f)
            continue
        version = f.module.required_version
        name = f.package.binary or f.package.source
        what = f"{name} {pv.distro_version} dated {pkg_date}"
        if f.package.match is MatchKind.PREFIX:
            what += f" (covers it as {f.package.import_path})"
        if pkg_date >= req_date:
            reason = f"{what} is not older than {version} ({req_date}): satisfied by date"
            out.append(replace(f, verdict=Verdict.SATISFIED, reason=reason, by_date=True))
        else:
            days = (req_date - pkg_date).days
            behind = f"{days} days older ({pkg_date} < {req_date})"
            reason = f"{what} is older than {version} ({req_date}): {behind}"
            out.append(
                replace(f, verdict=Verdict.OUTDATED, reason=reason, by_date=True, behind=behind)
            )
    return out
