"""Fedora and EPEL: RPM repodata lookups, bundled provides, BuildRequires and names.

* :class:`FedoraRepodataBackend` loads ``fedora:rawhide``, ``fedora:NN`` and ``epel:N``
  into a :class:`FedoraIndex` (``index.provenance``, ``index.notes``, ``index.packages``).
* :func:`bundled_provides` / :func:`render_provides` write go_mod_vendor.prov-compatible
  ``Provides: bundled(golang(...))`` lines.
* :func:`build_fedora_plan` turns findings into a packaging plan; :func:`rpm_goname` is
  go-rpm-macros' ``%goname``.
"""

from typing import TYPE_CHECKING

from vendaudit._lazy import lazy_exports

if TYPE_CHECKING:
    from vendaudit.distros.fedora.backend import DEFAULT_MIRROR, FedoraRepodataBackend, RepoSpec
    from vendaudit.distros.fedora.index import FedoraIndex, LookupResult, merge_packages
    from vendaudit.distros.fedora.naming import rpm_goname
    from vendaudit.distros.fedora.plan import build_fedora_plan
    from vendaudit.distros.fedora.primary import (
        GoProvide,
        PrimaryScan,
        RpmGoPackage,
        parse_primary,
        scan_primary,
    )
    from vendaudit.distros.fedora.provides import BundledProvide, bundled_provides, render_provides
    from vendaudit.distros.fedora.repomd import Repomd, RepomdRecord, parse_repomd

# Imported on first use (start-up time): name -> submodule.
__getattr__ = lazy_exports(
    __name__,
    {
        "DEFAULT_MIRROR": "backend",
        "FedoraRepodataBackend": "backend",
        "RepoSpec": "backend",
        "FedoraIndex": "index",
        "LookupResult": "index",
        "merge_packages": "index",
        "rpm_goname": "naming",
        "build_fedora_plan": "plan",
        "GoProvide": "primary",
        "PrimaryScan": "primary",
        "RpmGoPackage": "primary",
        "parse_primary": "primary",
        "scan_primary": "primary",
        "BundledProvide": "provides",
        "bundled_provides": "provides",
        "render_provides": "provides",
        "Repomd": "repomd",
        "RepomdRecord": "repomd",
        "parse_repomd": "repomd",
    },
)

__all__ = [
    "DEFAULT_MIRROR",
    "BundledProvide",
    "FedoraIndex",
    "FedoraRepodataBackend",
    "GoProvide",
    "LookupResult",
    "PrimaryScan",
    "RepoSpec",
    "Repomd",
    "RepomdRecord",
    "RpmGoPackage",
    "build_fedora_plan",
    "bundled_provides",
    "merge_packages",
    "parse_primary",
    "parse_repomd",
    "render_provides",
    "rpm_goname",
    "scan_primary",
]
