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
from dataclasses import dataclass

from vendaudit.distros.interface import DistroError, DistroIndex
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
from vendaudit.versions.satisfy import Satisfaction, satisfies

logger = logging.getLogger(__name__)

__all__ = ["TargetData", "audit", "judge"]


@dataclass(frozen=True, slots=True)
class TargetData:
    """A loaded index, or the error that prevented loading it."""

    target: Target
    index: DistroIndex | None
    error: str | None = None


def _pkg_text(pkg: DistroPackage) -> str:
    name = pkg.binary or pkg.source
    text = f"{name} {pkg.version.distro_version}"
    if pkg.match is MatchKind.PREFIX:
        text += f" (covers it as {pkg.import_path}; version of {pkg.source})"
    elif pkg.match is MatchKind.MAJOR:
        text += f" (as {pkg.import_path})"
    elif pkg.match is MatchKind.PACKAGE:
        text += " (provides its packages)"
    return text


def _required(module: Module) -> tuple[str, str]:
    """The (path, version) that must be satisfied, following a same-path version pin."""
    rep = module.replace
    if rep is not None and rep.path == module.path and rep.version:
        return module.path, rep.version
    return module.path, module.version


def _is_fork(module: Module) -> bool:
    rep = module.replace
    return rep is not None and not (rep.path == module.path and rep.version)


def judge(module: Module, target: Target, candidates: Sequence[DistroPackage]) -> Finding:
    """The verdict for ``module`` in ``target`` given the index's candidates (best first)."""
    if _is_fork(module):
        assert module.replace is not None
        rep = module.replace
        where = f"local directory {rep.path}" if not rep.version else f"{rep.path} {rep.version}"
        reason = f"replaced by {where} in go.mod"
        pkg = candidates[0] if candidates else None
        if pkg is not None:
            reason += f"; {_pkg_text(pkg)} packages the original, not the replacement"
        return Finding(module, target, Verdict.REPLACED, pkg, reason)

    path, version = _required(module)
    major = module_major(path, version)
    same = [c for c in candidates if c.major == major]
    if same:
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
        elif sat.ok is False:
            verdict = Verdict.OUTDATED
            reason = f"{_pkg_text(pkg)} is older than {version}: {sat.behind}"
        else:
            verdict = Verdict.UNKNOWN
            reason = f"{_pkg_text(pkg)} cannot be compared with {version}: {sat.behind}"
        return Finding(module, target, verdict, pkg, reason, by_date=sat.by_date)
    if candidates:
        pkg = candidates[0]
        majors = sorted({c.major for c in candidates})
        listed = ", ".join(f"v{m}" for m in majors)
        reason = f"needs v{major}; only {listed} packaged: {_pkg_text(pkg)}"
        return Finding(module, target, Verdict.OTHER_MAJOR, pkg, reason)
    return Finding(module, target, Verdict.MISSING, None, f"no package provides {path}")


def audit(project: Project, targets: Iterable[TargetData]) -> list[Finding]:
    """Judge every required module against every target (target order, then module order)."""
    findings: list[Finding] = []
    for data in targets:
        for module in project.modules:
            if data.index is None:
                reason = f"{data.target.id} could not be loaded: {data.error or 'unknown error'}"
                findings.append(Finding(module, data.target, Verdict.UNKNOWN, None, reason))
                continue
            try:
                candidates = data.index.lookup(module)
            except DistroError as exc:
                logger.warning("%s: lookup of %s failed: %s", data.target.id, module.path, exc)
                findings.append(Finding(module, data.target, Verdict.UNKNOWN, None, str(exc)))
                continue
            findings.append(judge(module, data.target, candidates))
    return findings


def by_target(findings: Iterable[Finding]) -> Mapping[str, list[Finding]]:
    """Group findings by target id, keeping order."""
    grouped: dict[str, list[Finding]] = {}
    for f in findings:
        grouped.setdefault(f.target.id, []).append(f)
    return grouped
