"""Version logic: Go semver and pseudo-versions, module paths, Debian and RPM order.

The public API (documented in the product spec):

* :func:`go_compare` — Go module version order (``golang.org/x/mod/semver.Compare``);
* :func:`parse_pseudo` / :func:`is_pseudo_version` / :class:`PseudoVersion`;
* :func:`debian_compare` — ``dpkg --compare-versions`` order;
* :func:`rpm_compare` — ``rpm.labelCompare`` order of ``[E:]V[-R]`` strings;
* :class:`GoVersion`, :class:`RpmEvr` value objects;
* :func:`debian_to_go`, :func:`fedora_to_go` → :class:`PackagedVersion`, and
  :func:`satisfies` → :class:`Satisfaction`.

>>> from vendaudit.versions import debian_compare, go_compare, rpm_compare
>>> go_compare("v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4")
-1
>>> debian_compare("1.0~rc1-1", "1.0-1"), rpm_compare("1.0^git1-1", "1.0-1")
(-1, 1)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# Names are imported from their modules on first use (PEP 562): a Debian run never needs
# the RPM order, a Fedora run never dpkg's.
if TYPE_CHECKING:
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

_EXPORTS = {
    "debian_compare": "debian",
    "debian_key": "debian",
    "debian_to_go": "debian",
    "gover_compare": "gover",
    "is_valid_gover": "gover",
    "PackagedVersion": "packaged",
    "InvalidPseudoVersion": "pseudo",
    "PseudoVersion": "pseudo",
    "is_pseudo_version": "pseudo",
    "parse_pseudo": "pseudo",
    "RpmEvr": "rpm",
    "fedora_to_go": "rpm",
    "rpm_compare": "rpm",
    "rpmvercmp": "rpm",
    "Satisfaction": "satisfy",
    "satisfies": "satisfy",
    "version_constraint_debian": "satisfy",
    "version_constraint_rpm": "satisfy",
    "GoVersion": "semver",
    "InvalidGoVersion": "semver",
}


def __getattr__(name: str) -> Any:
    # Plain imports (not importlib) so the import graph stays visible to tools and tests.
    # A name not exported here (a submodule: ``from vendaudit.versions import semver``)
    # raises AttributeError, and the import system then imports the submodule itself.
    module = _EXPORTS.get(name)
    if name == "go_compare":
        from vendaudit.versions import semver

        return semver.compare
    if module == "debian":
        from vendaudit.versions import debian

        return getattr(debian, name)
    if module == "gover":
        from vendaudit.versions import gover

        return getattr(gover, name)
    if module == "packaged":
        from vendaudit.versions import packaged

        return getattr(packaged, name)
    if module == "pseudo":
        from vendaudit.versions import pseudo

        return getattr(pseudo, name)
    if module == "rpm":
        from vendaudit.versions import rpm

        return getattr(rpm, name)
    if module == "satisfy":
        from vendaudit.versions import satisfy

        return getattr(satisfy, name)
    if module == "semver":
        from vendaudit.versions import semver

        return getattr(semver, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
