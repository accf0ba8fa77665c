"""The audit: one verdict per (module, target) from the distro indexes' lookups.

The rules (README "Verdicts"):

* a ``replace`` to another module or a local directory → ``replaced``: the distro
  package of the original module cannot be used as is (a pin to another version of the
  *same* module is not a fork: that version becomes the requirement);
* packages of the module's own major version → ``satisfied`` or ``outdated`` under Go's
  minimum-version rule (snapshots by date); when versions cannot be compared at all the
  verdict is ``unknown``, with the package shown, rather than a guess;
* only packages of other major versions → ``other-major``;
* nothing → ``missing``;
* the target failed to load → ``unknown`` for every module, never ``missing``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from vendaudit.distros.interface import DistroError, DistroIndex, Failed, LoadResult
from vendaudit.model import (
    DistroPackage,
    Finding,
    MatchKind,
    Module,
    Project,
    Target,
    Verdict,
)
from vendaudit.versions.modpath import module_major
from vendaudit.versions.pseudo import is_pseudo_version
from vendaudit.versions.satisfy import Satisfaction, satisfies

logger = logging.getLogger(__name__)

__all__ = ["audit", "by_target", "judge"]


_COVER_WORDS = {
    MatchKind.PREFIX: "covers it as {path}",
    MatchKind.PREFIX_MAJOR: "covers it as {path}, at the same major",
    MatchKind.PREFIX_SUBMODULE: "covers it as {path}, a sub-module's own major",
    MatchKind.BINARY: "binary named for it; {source} declares {path}",
}


def _pkg_text(pkg: DistroPackage) -> str:
    name = pkg.binary or pkg.source
    text = f"{name} {pkg.version.distro_version}"
    words = _COVER_WORDS.get(pkg.match)
    if words is not None:
        where = words.format(path=pkg.import_path, source=pkg.source)
        text += f" ({pkg.match.value}: {where}; version of {pkg.source})"
    elif pkg.match is MatchKind.MAJOR:
        text += f" (as {pkg.import_path})"
    elif pkg.match is MatchKind.PACKAGE:
        text += " (provides its packages)"
    return text


def _judge_same_major(
    module: Module, target: Target, version: str, major: int, same: Sequence[DistroPackage]
) -> Finding:
    best: tuple[DistroPackage, Satisfaction] | None = None
    for cand in same:
        sat = satisfies(version, cand.version)
        if sat.ok:
            best = (cand, sat)
            break
        if best is None or (best[1].ok is None and sat.ok is False):
            # Prefer a definite answer ("outdated") over "cannot compare".
            best = (cand, sat)
    assert best is not None
    pkg, sat = best
    if sat.ok:
        verdict, reason = Verdict.SATISFIED, f"{_pkg_text(pkg)} satisfies {version}"
        if pkg.match is MatchKind.EXACT and pkg.major != major:
            reason += f" (same import path, but the package is at major v{pkg.major}: check API)"
    elif sat.ok is False:
        verdict = Verdict.OUTDATED
        reason = f"{_pkg_text(pkg)} is older than {version}: {sat.behind}"
    else:
        verdict = Verdict.UNKNOWN
        reason = f"{_pkg_text(pkg)} cannot be compared with {version}: {sat.behind}"
    behind = sat.behind if sat.ok is False else ""
    return Finding(module, target, verdict, pkg, reason, by_date=sat.by_date, behind=behind)


def judge(
    module: Module,
    target: Target,
    candidates: Sequence[DistroPackage],
    requirements: Mapping[str, str] | None = None,
) -> Finding:
    """The verdict for ``module`` in ``target`` given the index's candidates (best first).

    ``requirements`` (path → required version of every module of the project) lets a
    prefix match be judged by the covering module when the project requires that too:
    ``aws-sdk-go-v2/service/s3`` is packaged inside golang-github-aws-aws-sdk-go-v2, whose
    version is aws-sdk-go-v2's, so the project's aws-sdk-go-v2 requirement is the one the
    package's version can answer.
    """
    if module.is_fork:
        assert module.replace is not None
        rep = module.replace
        where = f"local directory {rep.path}" if not rep.version else f"{rep.path} {rep.version}"
        reason = f"replaced by {where} in go.mod"
        pkg = candidates[0] if candidates else None
        if pkg is not None:
            reason += f"; {_pkg_text(pkg)} packages the original, not the replacement"
        return Finding(module, target, Verdict.REPLACED, pkg, reason)

    path, version = module.path, module.required_version
    major = module_major(path, version)
    # A prefix match ships the module's subtree, whatever major its covering source is
    # at (azure-sdk-for-go 68.x carries sdk/azcore, a v1 module): never "other-major".
    # An exact match is the same import path: in Debian's GOPATH builds that path is
    # whatever the package installs (getopt 2.2.0 still ships the v1 API at the root;
    # blang/semver v3.5.1+incompatible builds against 4.x), so versions are compared and
    # the differing major is said in the reason, rather than calling it "other-major".
    # A binary-name candidate has the major its name says (see DebianIndex).
    same = [
        c
        for c in candidates
        if c.major == major
        or c.match is MatchKind.EXACT
        or (c.match.covers and c.match is not MatchKind.BINARY)
    ]
    if same:
        own = [c for c in same if c.versions_this_module]
        if own:
            return _judge_same_major(module, target, version, major, own)
        pkg = same[0]
        if pkg.match.covers and pkg.version.snapshot_date is not None:
            # A snapshot of the whole repository: the nested module is judged at its OWN
            # requirement (genproto/googleapis/api), never the parent's, which may be
            # older.  A pseudo-version's date and commit compare offline; a tag needs
            # its date from the proxy (analysis.dates), so it stays unknown here.
            if is_pseudo_version(version):
                finding = _judge_same_major(module, target, version, major, [pkg])
                note = f" (judged by {path}'s own requirement against the snapshot)"
                return replace(finding, reason=finding.reason + note)
            reason = (
                f"{_pkg_text(pkg)} is a snapshot of the repository: the date of {version} "
                "decides (ask the module proxy, or check by hand)"
            )
            return Finding(module, target, Verdict.UNKNOWN, pkg, reason)
        covering = (requirements or {}).get(pkg.import_path)
        if pkg.match.covers and covering:
            finding = _judge_same_major(module, target, covering, major, [pkg])
            note = f" (judged by {pkg.import_path} {covering}, which {pkg.source} packages whole)"
            return replace(finding, reason=finding.reason + note)
        reason = (
            f"{_pkg_text(pkg)} is packaged, but its version is not {path}'s own: "
            f"check {version} by hand"
        )
        return Finding(module, target, Verdict.UNKNOWN, pkg, reason)
    if candidates:
        pkg = candidates[0]
        majors = sorted({c.major for c in candidates})
        listed = ", ".join(f"v{m}" for m in majors)
        reason = f"needs v{major}; only {listed} packaged: {_pkg_text(pkg)}"
        return Finding(module, target, Verdict.OTHER_MAJOR, pkg, reason)
    return Finding(module, target, Verdict.MISSING, None, f"no package provides {path}")


def _with_cycle(finding: Finding, index: DistroIndex, main: str, source: str | None) -> Finding:
    """``finding`` with its package's build cycle with the project recorded, if any."""
    pkg = finding.package
    if pkg is None or finding.verdict is Verdict.REPLACED:
        return finding
    cycle = index.build_cycle(pkg, main, source)
    if not cycle:
        return finding
    reason = f"{finding.reason}; but {cycle}" if finding.reason else cycle
    return replace(finding, package=replace(pkg, cycle=cycle), reason=reason)


def audit(
    project: Project, targets: Iterable[LoadResult], *, project_source: str | None = None
) -> list[Finding]:
    """Judge every required module against every target (target order, then module order).

    ``project_source`` names the distro source of the project being audited (default:
    the source declaring the main module's path), for build-cycle detection.
    """
    findings: list[Finding] = []
    requirements = {m.path: m.required_version for m in project.modules if not m.is_fork}
    for loaded in targets:
        target = loaded.target
        if isinstance(loaded, Failed):
            reason = f"{target.id} could not be loaded: {loaded.error or 'unknown error'}"
            findings += [Finding(m, target, Verdict.UNKNOWN, None, reason) for m in project.modules]
            continue
        for module in project.modules:
            try:
                candidates = loaded.index.lookup(module)
            except DistroError as exc:
                logger.warning("%s: lookup of %s failed: %s", target.id, module.path, exc)
                findings.append(Finding(module, target, Verdict.UNKNOWN, None, str(exc)))
                continue
            finding = judge(module, target, candidates, requirements)
            findings.append(_with_cycle(finding, loaded.index, project.main_module, project_source))
    return findings


def by_target(findings: Iterable[Finding]) -> Mapping[str, list[Finding]]:
    """Group findings by target id, keeping order."""
    grouped: dict[str, list[Finding]] = {}
    for f in findings:
        grouped.setdefault(f.target.id, []).append(f)
    return grouped
