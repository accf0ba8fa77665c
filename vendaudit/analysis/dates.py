"""Settle "cannot compare" verdicts with commit dates, as a packager would by hand.

Two kinds of ``unknown`` verdict have a package of the right major whose version string
cannot be ordered against the requirement:

* an untagged snapshot (``0.0~git20230502.9c3c875``) against a tag (``v0.5.2``);
* a prefix match (``golang-github-moby-sys`` covering ``github.com/moby/sys/mountinfo``),
  whose version is the covering source's, not the module's.

Before dates, a covering package's version may turn out to be the module's own: src
golang-opentelemetry-proto 1.10.0 declares ``go.opentelemetry.io/proto``, which is no
module, while ``go.opentelemetry.io/proto/otlp@v1.10.0`` exists.  When the proxy knows
``<module>@v<packaged upstream>`` and does NOT know ``<covering path>@v<packaged upstream>``
(a 404/410), the version is compared as the module's own (:func:`settle_own_versions`).
Both answers must be verified: an unreachable proxy decides nothing.  Known versions are
cached forever like every ``.info``; a 404/410 is not cached (the proxy may learn the
version later, and nothing unverified is kept).

The rest are settled by dates: the snapshot's date (or the covering module's release date)
against the date of the required version.  Pseudo-versions carry their date; a tag's
date comes from the module proxy's ``.info`` (cached forever).  A verdict settled this
way says so (``by_date``) and names both dates.  What cannot be dated stays ``unknown``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from vendaudit.model import Finding, Module, Verdict
from vendaudit.versions.pseudo import is_pseudo_version, parse_pseudo
from vendaudit.versions.satisfy import satisfies

__all__ = [
    "dates_needed",
    "fetch_dates",
    "fetch_known",
    "own_versions_needed",
    "settle_by_dates",
    "settle_own_versions",
]

TimeOf = Callable[[str, str], dt.datetime | None]
Known = Callable[[str, str], bool | None]
"""Does ``path@version`` exist? True/False when the proxy said so, None when unknown."""


def _candidate(f: Finding) -> bool:
    pkg = f.package
    if f.verdict is not Verdict.UNKNOWN or pkg is None:
        return False
    # A prefix match is dated through its covering source; another project's version
    # (docker.io carrying buildkit) says nothing datable about this module.
    return pkg.match.covers or pkg.versions_this_module


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
        if f.package.match.covers:
            what += f" ({f.package.match.value}: covers it as {f.package.import_path})"
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


def _own_query(f: Finding) -> tuple[str, str, str] | None:
    """(module, covering path, packaged Go version) when the own-version check applies."""
    pkg = f.package
    if f.verdict is not Verdict.UNKNOWN or pkg is None or not pkg.match.covers:
        return None
    pv = pkg.version
    if pv.snapshot_date is not None or not pv.go_version or pkg.import_path == f.module.path:
        return None
    return f.module.path, pkg.import_path, pv.go_version


def own_versions_needed(findings: Iterable[Finding]) -> list[tuple[str, str]]:
    """The (path, version) pairs whose existence tells whether a packaged version is own."""
    wanted: list[tuple[str, str]] = []
    for f in findings:
        query = _own_query(f)
        if query is not None:
            module, covering, version = query
            wanted += [(module, version), (covering, version)]
    return list(dict.fromkeys(wanted))


def fetch_known(
    wanted: Sequence[tuple[str, str]], known: Known, *, workers: int = 8
) -> dict[tuple[str, str], bool]:
    """Ask concurrently which versions exist; unverified answers are left out."""
    if not wanted:
        return {}
    with ThreadPoolExecutor(max_workers=min(workers, len(wanted))) as pool:
        answers = list(pool.map(lambda pv: known(*pv), wanted))
    return {pv: a for pv, a in zip(wanted, answers, strict=True) if a is not None}


def settle_own_versions(
    findings: Sequence[Finding], known: Mapping[tuple[str, str], bool]
) -> list[Finding]:
    """Findings whose covering package's version proved to be the module's own, judged so."""
    out: list[Finding] = []
    for f in findings:
        query = _own_query(f)
        if query is None:
            out.append(f)
            continue
        module, covering, go_version = query
        # Both verified: the module has this version, the covering path does not.
        if (
            known.get((module, go_version)) is not True
            or known.get((covering, go_version)) is not False
        ):
            out.append(f)
            continue
        assert f.package is not None
        sat = satisfies(f.module.required_version, f.package.version)
        if sat.ok is None:
            out.append(f)
            continue
        name = f.package.binary or f.package.source
        why = (
            f"{module}@{go_version} exists and {covering}@{go_version} does not (module "
            f"proxy): {name} {f.package.version.distro_version} is {module}'s own version"
        )
        version = f.module.required_version
        if sat.ok:
            reason = f"{why}, which satisfies {version}"
            out.append(replace(f, verdict=Verdict.SATISFIED, reason=reason))
        else:
            reason = f"{why}, older than {version}: {sat.behind}"
            out.append(replace(f, verdict=Verdict.OUTDATED, reason=reason, behind=sat.behind))
    return out
