"""The report layer: one view-model (:class:`Report`), many renderers, diff and policy.

``build_report`` makes the view-model once; ``ReportFormat(...).render(report)`` turns it
into any output; ``diff_reports`` compares two stored JSON reports; ``Policy`` decides
which findings fail a run.
"""

from vendaudit.report.build import LicenseReportLike, build_report
from vendaudit.report.diff import DiffFormat, ReportDiff, diff_reports
from vendaudit.report.formats import ReportFormat, ReportRenderError
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
    "ReportRenderError",
    "build_report",
    "diff_reports",
    "load_report",
    "load_schema",
    "render_json",
    "report_from_json",
    "to_json_dict",
]
