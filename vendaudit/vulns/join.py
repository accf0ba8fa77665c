"""The join: does the distro's packaged copy of a vulnerable module fix the entry?

For each (module, entry, target) the audit's finding for the module in that target decides:
``missing``/``other-major`` → ``not-packaged``; a failed target, an ``unknown`` or
``replaced`` verdict, or a package whose version is not the module's own → ``unknown``.
Otherwise the packaged version is compared with the fix through the same honest machinery
the audit uses (:func:`vendaudit.versions.satisfy.satisfies`: Go's order for tags, dates for
snapshots); when that cannot tell, the audit's own verdict is used transitively (satisfied
at a requirement ≥ the fix → fixed; outdated below a requirement ≤ the fix → affected);
failing that, ``unknown`` — never a guess.  A tagged package inside a later affected range
(grpc 1.58.0 for a fix of 1.57.1) is ``affected-in-distro``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Set

from vendaudit.model import Finding, TargetStatus, Verdict
from vendaudit.versions import semver
from vendaudit.versions.satisfy import satisfies
from vendaudit.vulns.match import affects
from vendaudit.vulns.model import (
    DistroCell,
    Entry,
    ModuleVuln,
    Range,
    SecurityVerdict,
    SecurityView,
    UnvendorAdvice,
)

__all__ = ["join_findings", "rank_advice", "security_view"]

V = SecurityVerdict


def _ranges(entries: dict[str, Entry], vuln: ModuleVuln) -> tuple[Range, ...]:
    entry = entries.get(vuln.id)
    if entry is None:
        return ()
    for a in entry.affected:
        if a.module == vuln.checked_path:
            return a.ranges
    return ()


def _cell(vuln: ModuleVuln, ranges: Sequence[Range], f: Finding | None, target: str) -> DistroCell:
    if f is None:
        return DistroCell(target, V.UNKNOWN, reason="no verdict for this module")
    if f.verdict in (Verdict.MISSING, Verdict.OTHER_MAJOR):
        why = "only another major version is packaged" if f.verdict is Verdict.OTHER_MAJOR else ""
        return DistroCell(target, V.NOT_PACKAGED, reason=why or f.reason)
    pkg = f.package
    if f.verdict is Verdict.REPLACED:
        return DistroCell(target, V.UNKNOWN, reason="replaced in go.mod: the package is not used")
    if pkg is None:
        return DistroCell(target, V.UNKNOWN, reason=f.reason or "lookup failed")
    binary, packaged = pkg.binary, pkg.version.distro_version

    def cell(verdict: SecurityVerdict, reason: str = "") -> DistroCell:
        return DistroCell(target, verdict, binary, packaged, reason)

    if not pkg.versions_this_module:
        return cell(V.UNKNOWN, f"{pkg.source}'s version is not {vuln.module}'s own")
    tag = pkg.version.go_version
    clean_tag = tag is not None and pkg.version.snapshot_date is None
    clean_tag = clean_tag and pkg.version.snapshot_commit is None
    if tag is not None and clean_tag and not affects(ranges, tag):
        return cell(V.FIXED_IN_DISTRO, f"{tag} is not affected")
    if vuln.fixed is None:
        return cell(V.NO_FIX_YET)
    s = satisfies(vuln.fixed, pkg.version)
    if s.ok is True:
        if tag is not None and clean_tag:
            # Reached the fix but inside a later affected range.
            return cell(V.AFFECTED_IN_DISTRO, f"{tag} is affected (a later range)")
        return cell(V.FIXED_IN_DISTRO, "by date" if s.by_date else "")
    if s.ok is False:
        return cell(V.AFFECTED_IN_DISTRO, s.behind)
    required = f.module.required_version
    if f.verdict is Verdict.SATISFIED and semver.compare(vuln.fixed, required) <= 0:
        return cell(V.FIXED_IN_DISTRO, f"satisfies {required} (audit verdict), fix is {vuln.fixed}")
    if f.verdict is Verdict.OUTDATED and semver.compare(required, vuln.fixed) <= 0:
        why = f"older than {required} (audit verdict), fix is {vuln.fixed}"
        return cell(V.AFFECTED_IN_DISTRO, why)
    return cell(V.UNKNOWN, s.behind or "cannot order the packaged version against the fix")


def join_findings(
    vulns: Sequence[ModuleVuln],
    entries: Iterable[Entry],
    findings: Sequence[Finding],
    statuses: Sequence[TargetStatus],
) -> tuple[tuple[ModuleVuln, tuple[DistroCell, ...]], ...]:
    """Each matched (module, entry) with one :class:`DistroCell` per target, in target order."""
    by_id = {e.id: e for e in entries}
    found = {(f.module.path, f.target.id): f for f in findings}
    out = []
    for vuln in sorted(vulns, key=lambda v: (v.module, v.id)):
        ranges = _ranges(by_id, vuln)
        cells = []
        for status in statuses:
            tid = status.target.id
            if status.error is not None:
                cells.append(DistroCell(tid, V.UNKNOWN, reason=f"target failed: {status.error}"))
                continue
            cells.append(_cell(vuln, ranges, found.get((vuln.module, tid)), tid))
        out.append((vuln, tuple(cells)))
    return tuple(out)


def _label(vuln: ModuleVuln) -> str:
    cve = next((a for a in vuln.aliases if a.startswith("CVE-")), None)
    alias = cve or (vuln.aliases[0] if vuln.aliases else None)
    return f"{vuln.id} ({alias})" if alias else vuln.id


def rank_advice(
    joined: Sequence[tuple[ModuleVuln, Sequence[DistroCell]]],
    unvendorable: Set[tuple[str, str]] | None = None,
) -> tuple[UnvendorAdvice, ...]:
    """Per target, the modules whose unvendoring closes the most entries, first.

    ``unvendorable`` holds the ``(target id, module)`` pairs the plan can unvendor (the
    audit found them satisfied); a fixed package older than the requirement is not advice
    to unvendor (it needs an update first).  None: every fixed cell counts.
    """
    grouped: dict[tuple[str, str], tuple[list[str], str, str]] = {}
    for vuln, cells in joined:
        for c in cells:
            if unvendorable is not None and (c.target, vuln.module) not in unvendorable:
                continue
            if c.verdict is V.FIXED_IN_DISTRO:
                key = (c.target, vuln.module)
                fixes, _, _ = grouped.setdefault(key, ([], c.package, c.packaged))
                fixes.append(_label(vuln))
    targets = list(dict.fromkeys(c.target for _, cells in joined for c in cells))
    advice = [
        UnvendorAdvice(tid, module, tuple(fixes), pkg, ver)
        for (tid, module), (fixes, pkg, ver) in grouped.items()
    ]
    advice.sort(key=lambda a: (targets.index(a.target), -len(a.fixes), a.module))
    return tuple(advice)


def security_view(
    database: str,
    modified: str,
    vulns: Sequence[ModuleVuln],
    entries: Iterable[Entry],
    findings: Sequence[Finding],
    statuses: Sequence[TargetStatus],
    notes: Sequence[str] = (),
) -> SecurityView:
    """The report's security section from the matches and the audit's findings."""
    joined = join_findings(vulns, entries, findings, statuses)
    satisfied = {(f.target.id, f.module.path) for f in findings if f.verdict is Verdict.SATISFIED}
    advice = rank_advice(joined, satisfied)
    return SecurityView(database, modified, joined, advice, tuple(notes))
