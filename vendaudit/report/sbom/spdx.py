"""SPDX 2.3 JSON, written directly (the format is a plain document; no library needed).

One package per required module (``PACKAGE-MANAGER``/``purl`` external refs: the Go module and
the distro packages that provide it), the main module as the described package,
``DEPENDS_ON`` relationships from the graph (or main → direct requirements without one), and
vulnerabilities as ``SECURITY``/``advisory`` refs whose comment carries the distro join.
The go.sum hash and the scope go in the package comment: SPDX checksums are file digests.
"""

from __future__ import annotations

import json
import re
from typing import Any

from vendaudit.report.model import Report
from vendaudit.report.sbom import SbomComponent, content_uuid, sbom_components, sbom_timestamp
from vendaudit.vulns.model import ModuleVuln

__all__ = ["render_spdx"]

_ID_CHARS = re.compile(r"[^A-Za-z0-9.-]+")
_LICENSE_REF = re.compile(r"\bLicenseRef-[A-Za-z0-9.-]+")


def _spdx_id(path: str, version: str, taken: set[str]) -> str:
    base = "SPDXRef-golang-" + _ID_CHARS.sub("-", f"{path}-{version}").strip("-")
    ident, n = base, 2
    while ident in taken:
        ident, n = f"{base}-{n}", n + 1
    taken.add(ident)
    return ident


def _package(c: SbomComponent, ident: str, report: Report) -> dict[str, Any]:
    refs: list[dict[str, Any]] = [
        {
            "referenceCategory": "PACKAGE-MANAGER",
            "referenceType": "purl",
            "referenceLocator": c.purl,
        }
    ]
    refs += [
        {
            "referenceCategory": "PACKAGE-MANAGER",
            "referenceType": "purl",
            "referenceLocator": purl,
            "comment": f"provided by {target}",
        }
        for target, purl in c.provided_by
    ]
    if report.security is not None:
        for vuln, cells in report.security.findings:
            if vuln.module != c.path:
                continue
            join = "; ".join(
                f"{x.target}: {x.verdict.value}"
                + (f" ({x.package} {x.packaged})" if x.packaged else "")
                for x in cells
            )
            refs.append(
                {
                    "referenceCategory": "SECURITY",
                    "referenceType": "advisory",
                    "referenceLocator": vuln.url or f"https://pkg.go.dev/vuln/{vuln.id}",
                    "comment": _advisory_comment(vuln, join),
                }
            )
    comment = [f"scope: {c.scope}", "direct" if c.direct else "indirect"]
    if c.sum:
        comment.append(f"go.sum {c.sum}")
    if c.replace:
        comment.append(f"replaced by {c.replace}")
    return {
        "SPDXID": ident,
        "name": c.path,
        "versionInfo": c.version,
        "downloadLocation": "NOASSERTION",
        "filesAnalyzed": False,
        "licenseConcluded": "NOASSERTION",
        "licenseDeclared": c.license or "NOASSERTION",
        "copyrightText": "NOASSERTION",
        "primaryPackagePurpose": "LIBRARY",
        "externalRefs": refs,
        "comment": "; ".join(comment),
    }


def _document(report: Report, namespace: str) -> dict[str, Any]:
    p = report.project
    name = p.main_module or p.manifest
    taken: set[str] = {"SPDXRef-main"}
    comps = sbom_components(report)
    ids = {c.path: _spdx_id(c.path, c.version, taken) for c in comps}
    main: dict[str, Any] = {
        "SPDXID": "SPDXRef-main",
        "name": name,
        "downloadLocation": "NOASSERTION",
        "filesAnalyzed": False,
        "licenseConcluded": "NOASSERTION",
        "licenseDeclared": report.licenses.expression
        if report.licenses and report.licenses.expression
        else "NOASSERTION",
        "copyrightText": "NOASSERTION",
        "primaryPackagePurpose": "APPLICATION",
        "comment": f"vendored modules of {p.manifest}",
    }
    rels: list[dict[str, str]] = [
        {
            "spdxElementId": "SPDXRef-DOCUMENT",
            "relationshipType": "DESCRIBES",
            "relatedSpdxElement": "SPDXRef-main",
        }
    ]
    versions = {c.path: c.version for c in comps}
    pairs: set[tuple[str, str]] = set()
    for a, b in report.graph_edges:
        a_path, _, a_ver = a.rpartition("@") if "@" in a else (a, "", "")
        b_path = b.rpartition("@")[0] if "@" in b else b
        if a_path == p.main_module and not a_ver:
            src = "SPDXRef-main"
        elif versions.get(a_path) == a_ver:
            src = ids[a_path]
        else:
            continue
        if b_path in ids and ids[b_path] != src:
            pairs.add((src, ids[b_path]))
    if not report.graph_edges:
        pairs = {("SPDXRef-main", ids[c.path]) for c in comps if c.direct}
    rels += [
        {"spdxElementId": s, "relationshipType": "DEPENDS_ON", "relatedSpdxElement": t}
        for s, t in sorted(pairs)
    ]
    packages = [main, *(_package(c, ids[c.path], report) for c in comps)]
    created: dict[str, Any] = {
        "created": sbom_timestamp(report).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "creators": [f"Tool: {report.tool.name}-{report.tool.version}"],
    }
    if report.security is not None:
        # No advisory refs must not read as "none found" when the check could not run.
        sec = report.security
        created["comment"] = (
            f"vulnerabilities unknown: {sec.error}"
            if sec.error
            else f"vulnerabilities checked against {sec.database} (modified {sec.modified})"
        )
    doc: dict[str, Any] = {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": f"{name} vendored modules",
        "documentNamespace": namespace,
        "creationInfo": created,
        "documentDescribes": ["SPDXRef-main"],
        "packages": packages,
        "relationships": rels,
    }
    refs = sorted({r for pkg in packages for r in _LICENSE_REF.findall(pkg["licenseDeclared"])})
    if refs:
        # SPDX 2.3 §10: every LicenseRef used must be defined in the document, or
        # validators (spdx-tools) reject it as an unrecognised license reference.
        doc["hasExtractedLicensingInfos"] = [
            {
                "licenseId": ref,
                "name": ref.removeprefix("LicenseRef-"),
                "extractedText": "NOASSERTION",
                "comment": "a licence vendaudit's detector did not recognise",
            }
            for ref in refs
        ]
    return doc


def render_spdx(report: Report) -> str:
    """The report as an SPDX 2.3 JSON document (a namespace derived from its content)."""
    draft = json.dumps(_document(report, ""), indent=2, ensure_ascii=False)
    name = re.sub(r"[^A-Za-z0-9.-]+", "-", report.project.main_module or "project")
    namespace = f"https://spdx.org/spdxdocs/{name}-{content_uuid(draft)}"
    return json.dumps(_document(report, namespace), indent=2, ensure_ascii=False) + "\n"


def _advisory_comment(vuln: ModuleVuln, join: str) -> str:
    """``GO-… (CVE-…): fixed in v1.2.3; sid: fixed-in-distro (…)`` ("no fix yet", no "()")."""
    label = f"{vuln.id} ({', '.join(vuln.aliases)})" if vuln.aliases else vuln.id
    fixed = f"fixed in {vuln.fixed}" if vuln.fixed else "no fix yet"
    return f"{label}: {fixed}" + (f"; {join}" if join else "")
