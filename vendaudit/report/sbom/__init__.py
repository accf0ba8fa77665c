"""SBOMs from the report view-model: CycloneDX 1.6 JSON and SPDX 2.3 JSON.

Both describe the same facts, computed once here (:func:`sbom_components`): one component
per required module with its ``pkg:golang/...@version`` purl (the replacement's, when go.mod
replaces it by another module), the detected licence, the go.sum ``h1:`` hash (a property:
it is a hash of a module tree, not of a file, so no SBOM hash algorithm fits it), its scope,
and the distro packages that provide it.

*Scope* is read from the first target of the report: ``distro`` when that target has a package
satisfying the requirement (the plan's end state builds against it; its purl is given, e.g.
``pkg:deb/debian/golang-foo-dev@1.2-1?distro=sid``), else ``vendored``.  Every target whose
package satisfies the module is listed as a ``provided-by`` property.

Deterministic: the timestamp is ``SOURCE_DATE_EPOCH`` when set, else the report's
``generated_at``; serial numbers and document namespaces are UUIDv5 of the content.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from dataclasses import dataclass

from packageurl import PackageURL

from vendaudit.model import Target, Verdict
from vendaudit.report.model import ModuleRow, Report

__all__ = [
    "SbomComponent",
    "content_uuid",
    "distro_purl",
    "golang_purl",
    "sbom_components",
    "sbom_timestamp",
]

_NAMESPACE = uuid.UUID("6f1d8c2e-6b7a-5b59-9d0c-1f4a3c2b9e10")
"""vendaudit's UUIDv5 namespace for serial numbers (fixed forever)."""


@dataclass(frozen=True, slots=True)
class SbomComponent:
    """One required module as both SBOM formats describe it."""

    path: str
    version: str
    purl: str
    direct: bool
    license: str | None
    """The detected SPDX expression (None: not detected or no vendor tree)."""
    sum: str | None
    """The go.sum ``h1:`` hash of the module tree."""
    scope: str
    """``vendored`` or ``distro`` (see the module docstring)."""
    provided_by: tuple[tuple[str, str], ...]
    """``(target id, package purl)`` for every target whose package satisfies the module."""
    replace: str = ""
    """``path version`` of a replacement (``path`` alone for a local directory)."""


def _text(value: str) -> str:
    """``value`` with lone surrogates (undecodable manifest bytes) written ``\\udXXX``:
    packageurl percent-encodes UTF-8, which cannot hold them."""
    return value.encode("utf-8", "backslashreplace").decode("utf-8")


def golang_purl(path: str, version: str) -> str:
    """``pkg:golang/github.com/foo/bar@v1.2.3`` (``+`` is percent-encoded, as the spec asks)."""
    namespace, _, name = _text(path).rpartition("/")
    if not name:  # no Go module path (a hand-edited report): keep what there is, never fail
        namespace, name = "", _text(path).strip("/") or "_"
    version = _text(version)
    return PackageURL(
        type="golang", namespace=namespace or None, name=name, version=version or None
    ).to_string()


def distro_purl(target: Target, binary: str, version: str) -> str:
    """``pkg:deb/debian/NAME@VER?distro=sid``, ``pkg:rpm/fedora/NAME@VER?distro=fedora-43``;
    ``pkg:generic/toy/NAME@VER?distro=toy-1`` for a plug-in family's distro."""
    binary, version = _text(binary) or "_", _text(version)
    distro, release = _text(target.distro), _text(target.release)
    if target.family == "deb":
        return PackageURL(
            type="deb",
            namespace=distro,
            name=binary,
            version=version,
            qualifiers={"distro": release},
        ).to_string()
    # The purl spec knows deb and rpm; a plug-in family's packages are "generic" ones
    # (calling a toy package rpm would send a scanner to the wrong database).
    return PackageURL(
        type="rpm" if target.family == "rpm" else "generic",
        namespace=distro,
        name=binary,
        version=version,
        qualifiers={"distro": f"{distro}-{release}"},
    ).to_string()


def _effective(m: ModuleRow) -> tuple[str, str, str]:
    """(path, version, replace text) of the code that is built."""
    rep = m.replace
    if rep is None:
        return m.path, m.version, ""
    if not rep.version:
        return m.path, m.version, rep.path
    return rep.path, rep.version, f"{rep.path} {rep.version}"


def sbom_components(report: Report) -> list[SbomComponent]:
    """One :class:`SbomComponent` per required module, in the report's (path) order."""
    licenses = {r.path: r.spdx for r in report.licenses.per_module} if report.licenses else {}
    sums = dict(report.sums)
    first = report.targets[0].id if report.targets else None
    kept = report.plan(first).kept_vendored() if first is not None else frozenset()
    out = []
    for m in report.modules:
        path, version, replace = _effective(m)
        provided = []
        for row in report.targets:
            cell = m.result(row.id)
            if cell is None or cell.verdict is not Verdict.SATISFIED or cell.package is None:
                continue
            provided.append(
                (row.id, distro_purl(row.target, cell.package.binary, cell.package.version))
            )
        # The SBOM describes the tree after the first target's plan: a module that plan
        # keeps vendored (a build cycle…) is built from vendor/ even though a package exists.
        in_first = any(tid == first for tid, _ in provided) and m.path not in kept
        out.append(
            SbomComponent(
                path=m.path,
                version=m.version,
                purl=golang_purl(path, version if m.replace is None or m.replace.version else ""),
                direct=not m.indirect,
                license=licenses.get(m.path),
                sum=sums.get(f"{path}@{version}"),
                scope="distro" if in_first else "vendored",
                provided_by=tuple(provided),
                replace=replace,
            )
        )
    return out


def sbom_timestamp(report: Report) -> dt.datetime:
    """``SOURCE_DATE_EPOCH`` (reproducible builds) when set, else the report's time, in UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    try:
        when = dt.datetime.fromisoformat(report.generated_at)
    except ValueError:
        return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def content_uuid(text: str) -> uuid.UUID:
    """A stable UUIDv5 of ``text`` (serial numbers and namespaces derived from the content)."""
    return uuid.uuid5(_NAMESPACE, _text(text))
