"""Version logic: Go semver and pseudo-versions, module paths, Debian and RPM order.

The public API (documented in the product spec):

* :func:`go_compare` — Go module version order (``golang.org/x/mod/semver.Compare``);
* :func:`parse_pseudo` / :func:`is_pseudo_version` / :class:`PseudoVersion`;
* :func:`debian_compare` — ``dpkg --compare-versions`` order;
* :func:`rpm_compare` — ``rpm.labelCompare`` order of ``[E:]V[-R]`` strings;
* :class:`GoVersion`, :class:`RpmEvr` value objects;
* :func:`debian_to_go`, :func:`fedora_to_go` → :class:`PackagedVersion`, and
  :func:`satisfies` → :class:`Satisfaction`.

>>> go_compare("v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4")
-1
>>> debian_compare("1.0~rc1-1", "1.0-1"), rpm_compare("1.0^git1-1", "1.0-1")
(-1, 1)
"""

from __future__ import annotations

from vendaudit.versions.debian import debian_compare, debian_key, debian_to_go
from vendaudit.versions.gover import gover_compare, is_valid_gover
from vendaudit.versions.packaged import PackagedVersion
from vendaudit.versions.pseudo import (
    InvalidPseudoVersion,
    PseudoVersion,
    is_pseudo_version,
    parse_pseudo,
)
from vendaudit.versions.rpm import RpmEvr, fedora_to_go, rpm_compare, rpmvercmp
from vendaudit.versions.satisfy import (
    Satisfaction,
    satisfies,
    version_constraint_debian,
    version_constraint_rpm,
)
from vendaudit.versions.semver import GoVersion, InvalidGoVersion
from vendaudit.versions.semver import compare as go_compare

__all__ = [
    "GoVersion",
    "InvalidGoVersion",
    "InvalidPseudoVersion",
    "PackagedVersion",
    "PseudoVersion",
    "RpmEvr",
    "Satisfaction",
    "debian_compare",
    "debian_key",
    "debian_to_go",
    "fedora_to_go",
    "go_compare",
    "gover_compare",
    "is_pseudo_version",
    "is_valid_gover",
    "parse_pseudo",
    "rpm_compare",
    "rpmvercmp",
    "satisfies",
    "version_constraint_debian",
    "version_constraint_rpm",
]
