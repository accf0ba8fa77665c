"""The report layer: one view-model (:class:`Report`), many renderers, diff and policy.

``build_report`` makes the view-model once; ``ReportFormat(...).render(report)`` turns it
into any output; ``diff_reports`` compares two stored JSON reports; ``Policy`` decides
which findings fail a run.

Names are imported from their modules on first use (PEP 562), so that reading a format
vocabulary (:mod:`.formats`) at CLI start-up does not import every renderer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vendaudit.report.build import LicenseReportLike, build_report
    from vendaudit.report.diff import ReportDiff, diff_reports
    from vendaudit.report.formats import DiffFormat, ReportFormat
    from vendaudit.report.json import (
        ReportFormatError,
        load_report,
        load_schema,
        render_json,
        report_from_json,
        to_json_dict,
    )
    from vendaudit.report.model import SCHEMA_VERSION, Report
    from vendaudit.report.policy import Policy, PolicyError, PolicyResult

__all__ = [
    "SCHEMA_VERSION",
    "DiffFormat",
    "LicenseReportLike",
    "Policy",
    "PolicyError",
    "PolicyResult",
    "Report",
    "ReportDiff",
    "ReportFormat",
    "ReportFormatError",
    "build_report",
    "diff_reports",
    "load_report",
    "load_schema",
    "render_json",
    "report_from_json",
    "to_json_dict",
]


def __getattr__(name: str) -> Any:
    # Plain imports (not importlib) so the import graph stays visible to tools and tests.
    if name in ("SCHEMA_VERSION", "Report"):
        from vendaudit.report import model

        return getattr(model, name)
    if name in ("DiffFormat", "ReportFormat"):
        from vendaudit.report import formats

        return getattr(formats, name)
    if name in ("LicenseReportLike", "build_report"):
        from vendaudit.report import build

        return getattr(build, name)
    if name in ("ReportDiff", "diff_reports"):
        from vendaudit.report import diff

        return getattr(diff, name)
    if name in ("Policy", "PolicyError", "PolicyResult"):
        from vendaudit.report import policy

        return getattr(policy, name)
    if name in __all__:
        from vendaudit.report import json

        return getattr(json, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
