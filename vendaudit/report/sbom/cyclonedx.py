"""CycloneDX 1.6 JSON, built with cyclonedx-python-lib (the reference implementation).

Vulnerabilities (``report --vulns``) become CycloneDX ``vulnerabilities``, one per entry id,
affecting every module it matched.  The analysis comes from the distro join of the report's
first target: ``resolved`` when every affected module is provided by that target's package
and the package is fixed (``fixed-in-distro``: the plan's end state no longer has the bug);
otherwise ``in_triage`` — the match is module-level, as govulncheck's module mode, so
reachability is not claimed — with response ``update`` when a fixed version exists.  The
per-target verdicts are properties (``vendaudit:security:<target>``) and the detail text.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from cyclonedx.model import Property, XsUri
from cyclonedx.model.bom import Bom, BomMetaData
from cyclonedx.model.bom_ref import BomRef
from cyclonedx.model.component import Component, ComponentType
from cyclonedx.model.impact_analysis import ImpactAnalysisResponse, ImpactAnalysisState
from cyclonedx.model.license import LicenseExpression
from cyclonedx.model.vulnerability import (
    BomTarget,
    Vulnerability,
    VulnerabilityAnalysis,
    VulnerabilityReference,
    VulnerabilitySource,
)
from cyclonedx.output.json import JsonV1Dot6
from packageurl import PackageURL

from vendaudit.report.model import Report
from vendaudit.report.sbom import SbomComponent, content_uuid, golang_purl, sbom_components
from vendaudit.report.sbom import sbom_timestamp as _timestamp
from vendaudit.vulns.model import DistroCell, ModuleVuln, SecurityVerdict

__all__ = ["render_cyclonedx"]

_ZERO = uuid.UUID(int=0)


def _component(c: SbomComponent) -> Component:
    props = [
        Property(name="vendaudit:scope", value=c.scope),
        Property(name="vendaudit:dependency", value="direct" if c.direct else "indirect"),
    ]
    if c.sum:
        props.append(Property(name="vendaudit:go.sum", value=c.sum))
    if c.replace:
        props.append(Property(name="vendaudit:replace", value=c.replace))
    props += [Property(name=f"vendaudit:provided-by:{t}", value=p) for t, p in c.provided_by]
    return Component(
        type=ComponentType.LIBRARY,
        name=c.path,
        version=c.version,
        purl=PackageURL.from_string(c.purl),
        bom_ref=BomRef(c.purl),
        licenses=[LicenseExpression(c.license)] if c.license else None,
        properties=props,
    )


def _source(alias: str) -> VulnerabilitySource | None:
    if alias.startswith("CVE-"):
        return VulnerabilitySource(
            name="NVD", url=XsUri(f"https://nvd.nist.gov/vuln/detail/{alias}")
        )
    if alias.startswith("GHSA-"):
        return VulnerabilitySource(
            name="GitHub", url=XsUri(f"https://github.com/advisories/{alias}")
        )
    return None


def _vulnerability(
    entry_id: str,
    found: Sequence[tuple[ModuleVuln, Sequence[DistroCell]]],
    refs: dict[str, str],
    scope: dict[str, str],
    first: str | None,
) -> Vulnerability:
    head = found[0][0]
    resolved = first is not None
    detail: list[str] = []
    props: list[Property] = []
    for vuln, cells in found:
        fixed = f"fixed in {vuln.fixed}" if vuln.fixed else "no fix yet"
        detail.append(f"{vuln.module}@{vuln.version}: {fixed}")
        for c in cells:
            text = c.verdict.value + (f" ({c.package} {c.packaged})" if c.packaged else "")
            detail.append(f"  {c.target}: {text}")
            props.append(
                Property(name=f"vendaudit:security:{c.target}", value=f"{vuln.module}: {text}")
            )
            if c.target == first and not (
                c.verdict is SecurityVerdict.FIXED_IN_DISTRO and scope.get(vuln.module) == "distro"
            ):
                resolved = False
    state = ImpactAnalysisState.RESOLVED if resolved else ImpactAnalysisState.IN_TRIAGE
    responses = [ImpactAnalysisResponse.UPDATE] if any(v.fixed for v, _ in found) else []
    url = head.url or f"https://pkg.go.dev/vuln/{entry_id}"
    return Vulnerability(
        bom_ref=BomRef(entry_id),
        id=entry_id,
        source=VulnerabilitySource(name="Go Vulnerability Database", url=XsUri(url)),
        references=[
            VulnerabilityReference(id=a, source=s) for a in head.aliases if (s := _source(a))
        ],
        description=head.summary or None,
        recommendation="; ".join(f"upgrade {v.module} to {v.fixed}" for v, _ in found if v.fixed)
        or None,
        affects=[BomTarget(ref=refs[v.module]) for v, _ in found if v.module in refs],
        analysis=VulnerabilityAnalysis(
            state=state, responses=responses or None, detail="\n".join(detail)
        ),
        properties=props,
    )


def _bom(report: Report, serial: uuid.UUID) -> Bom:
    p = report.project
    main = Component(
        type=ComponentType.APPLICATION,
        name=p.main_module or p.manifest,
        purl=PackageURL.from_string(golang_purl(p.main_module, "")) if p.main_module else None,
        bom_ref=BomRef(f"main:{p.main_module or p.manifest}"),
    )
    tool = Component(
        type=ComponentType.APPLICATION, name=report.tool.name, version=report.tool.version
    )
    meta = BomMetaData(timestamp=_timestamp(report), component=main)
    security = report.security
    if security is not None:
        # No `vulnerabilities` must not read as "none found" when the check could not run.
        state = (
            f"unknown: {security.error}"
            if security.error
            else f"checked against {security.database} (modified {security.modified})"
        )
        meta.properties.add(Property(name="vendaudit:vulnerabilities", value=state))
    meta.tools.components.add(tool)
    bom = Bom(serial_number=serial, metadata=meta)
    comps = sbom_components(report)
    by_path: dict[str, Component] = {}
    for c in comps:
        component = _component(c)
        bom.components.add(component)
        by_path[c.path] = component
    versions = {c.path: c.version for c in comps}
    deps: dict[str, set[str]] = {}
    for a, b in report.graph_edges:
        a_path, _, a_ver = a.rpartition("@") if "@" in a else (a, "", "")
        b_path = b.rpartition("@")[0] if "@" in b else b
        src = "main" if a_path == p.main_module and not a_ver else a_path
        if src != "main" and versions.get(src) != a_ver:
            continue  # an edge of a version that is not selected
        if b_path in by_path and b_path != src:
            deps.setdefault(src, set()).add(b_path)
    if not report.graph_edges:
        deps["main"] = {c.path for c in comps if c.direct}
    for src, targets in sorted(deps.items()):
        owner = main if src == "main" else by_path.get(src)
        if owner is not None:
            bom.register_dependency(owner, [by_path[t] for t in sorted(targets)])
    for c in comps:
        if c.path not in deps:
            bom.register_dependency(by_path[c.path], [])
    if report.security is not None and report.security.error is None:
        refs = {c.path: c.purl for c in comps}
        scope = {c.path: c.scope for c in comps}
        grouped: dict[str, list[tuple[ModuleVuln, Sequence[DistroCell]]]] = {}
        for vuln, cells in report.security.findings:
            grouped.setdefault(vuln.id, []).append((vuln, cells))
        first = report.targets[0].id if report.targets else None
        for entry_id, found in sorted(grouped.items()):
            bom.vulnerabilities.add(_vulnerability(entry_id, found, refs, scope, first))
    return bom


def render_cyclonedx(report: Report) -> str:
    """The report as a CycloneDX 1.6 JSON document (a stable serial number from its content)."""
    draft = JsonV1Dot6(_bom(report, _ZERO)).output_as_string(indent=2)
    serial = content_uuid(draft)
    return JsonV1Dot6(_bom(report, serial)).output_as_string(indent=2) + "\n"
