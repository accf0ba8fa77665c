"""A Fedora/EPEL packaging plan from the audit's findings.

Since Fedora 43 (Change "GolangPackagesVendoredByDefault") new Go packages are built
with vendored dependencies, so every module stays vendored and gets a bundled provide;
the system ``golang-*-devel`` packages that match are reported as ``BuildRequires`` for
legacy, unbundled specs only.  ``update`` lists packaged modules that are too old and
``create`` the missing ones with the name go2rpm would give them.
"""

from __future__ import annotations

from collections.abc import Sequence

from vendaudit.distros.fedora.naming import rpm_goname
from vendaudit.distros.fedora.provides import BundledProvide, bundled_provides, prov_version
from vendaudit.gomod.modulestxt import ModulesTxt
from vendaudit.model import Finding, Project, QueueEntry, Target, UpdateEntry, Verdict
from vendaudit.plans import FedoraPlan
from vendaudit.versions import pseudo

__all__ = ["VENDORED_BY_DEFAULT_NOTE", "build_fedora_plan"]

VENDORED_BY_DEFAULT_NOTE = (
    "Fedora ≥ 43 vendors Go dependencies by default: these system copies exist but new "
    "packages should stay vendored (go-vendor-tools)"
)


def _provides_from_project(project: Project) -> list[BundledProvide]:
    out = []
    for mod in project.modules:
        path, version = mod.path, mod.version
        if mod.replace is not None and mod.replace.version:
            path, version = mod.replace.path, mod.replace.version
        out.append(BundledProvide(path, prov_version(version), version, mod.path))
    return out


def _build_requires(finding: Finding) -> tuple[str, str | None]:
    """(line, note) for a module the system can supply."""
    pkg = finding.package
    ipath = pkg.import_path if pkg is not None else finding.module.path
    # The version that must be met, as on Debian: a same-path replace pin wins over require.
    version = finding.module.required_version
    if pseudo.is_pseudo_version(version):
        # Fedora snapshots are versioned 0-0.N.<date>git<sha>: no ">=" can express a commit.
        return f"BuildRequires: golang({ipath})", (
            f"{finding.module.path}: pseudo-version {version}; BuildRequires left unversioned"
        )
    return f"BuildRequires: golang({ipath}) >= {prov_version(version)}", None


def build_fedora_plan(
    project: Project,
    findings: Sequence[Finding],
    *,
    modules_txt: ModulesTxt | None = None,
    target: Target | None = None,
) -> FedoraPlan:
    """The plan for one Fedora/EPEL target (``target`` defaults to the findings' target)."""
    if target is None:
        target = findings[0].target if findings else Target("fedora", "rawhide")
    notes: list[str] = []
    if modules_txt is not None:
        provides = bundled_provides(modules_txt)
    else:
        provides = _provides_from_project(project)
        notes.append("no vendor/modules.txt: bundled provides derived from the manifest")
    differing = [p for p in provides if p.differs]
    if differing:
        notes.append(
            f"{len(differing)} provide(s) differ from go_mod_vendor.prov's output, which is "
            "not a valid RPM version for them (see `vendaudit provides --format json`)"
        )
    build_requires: list[str] = []
    update: list[UpdateEntry] = []
    create: list[QueueEntry] = []
    for f in findings:
        if f.target != target:
            continue
        if f.verdict is Verdict.SATISFIED:
            line, note = _build_requires(f)
            build_requires.append(line)
            if note:
                notes.append(note)
        elif f.verdict in (Verdict.OUTDATED, Verdict.OTHER_MAJOR) and f.package is not None:
            update.append(
                UpdateEntry(
                    module=f.module.path,
                    needed=f.module.required_version,
                    package=f.package.binary,
                    packaged=f.package.version.distro_version,
                    behind=f.reason or f.verdict.value,
                    by_date=f.by_date,
                )
            )
        elif f.verdict is Verdict.MISSING:
            create.append(
                QueueEntry(f.module.path, f.module.required_version, rpm_goname(f.module.path))
            )
    if build_requires or update:
        notes.insert(0, VENDORED_BY_DEFAULT_NOTE)
    else:
        notes.insert(0, "Fedora ≥ 43 vendors Go dependencies by default: keep them vendored")
    return FedoraPlan(
        target=target,
        update=tuple({u.module: u for u in reversed(update)}.values())[::-1],
        create=tuple(create),
        provides=tuple(f"Provides: {p.line}" for p in provides),
        build_requires=tuple(sorted(set(build_requires))),
        notes=tuple(notes),
    )
