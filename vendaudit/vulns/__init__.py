"""Vulnerabilities: the Go vulnerability database, govulncheck's module matching, the distro join.

:class:`vendaudit.vulns.client.VulnDB` reads the database (``GOVULNDB``; imported on its
own, so the model and matching never pull in the HTTP stack), :func:`find_vulns` matches a
project's required modules, :func:`security_view` joins the matches with the audit's findings.
"""

from __future__ import annotations

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
