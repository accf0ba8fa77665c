"""Vulnerabilities: the Go vulnerability database, govulncheck's module matching, the distro join.

:class:`vendaudit.vulns.client.VulnDB` reads the database (``GOVULNDB``; imported on its
own, so the model and matching never pull in the HTTP stack), :func:`find_vulns` matches a
project's required modules, :func:`security_view` joins the matches with the audit's findings.

Names are imported from their modules on first use (PEP 562): every report imports the
model (:class:`SecurityView` is a field of it), only ``--vulns`` the matching and the join.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vendaudit.vulns.join import join_findings, rank_advice, security_view
    from vendaudit.vulns.match import affects, contains, earliest_fix, match_module
    from vendaudit.vulns.model import (
        DistroCell,
        Entry,
        ModuleVuln,
        SecurityVerdict,
        SecurityView,
        UnvendorAdvice,
    )
    from vendaudit.vulns.osv import VulnDataError, parse_entry
    from vendaudit.vulns.scan import VulnScan, find_vulns

__all__ = [
    "DistroCell",
    "Entry",
    "ModuleVuln",
    "SecurityVerdict",
    "SecurityView",
    "UnvendorAdvice",
    "VulnDataError",
    "VulnScan",
    "affects",
    "contains",
    "earliest_fix",
    "find_vulns",
    "join_findings",
    "match_module",
    "parse_entry",
    "rank_advice",
    "security_view",
]


def __getattr__(name: str) -> Any:
    # Plain imports (not importlib) so the import graph stays visible to tools and tests.
    if name in ("join_findings", "rank_advice", "security_view"):
        from vendaudit.vulns import join

        return getattr(join, name)
    if name in ("affects", "contains", "earliest_fix", "match_module"):
        from vendaudit.vulns import match

        return getattr(match, name)
    if name in ("VulnDataError", "parse_entry"):
        from vendaudit.vulns import osv

        return getattr(osv, name)
    if name in ("VulnScan", "find_vulns"):
        from vendaudit.vulns import scan

        return getattr(scan, name)
    if name in __all__:
        from vendaudit.vulns import model

        return getattr(model, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
