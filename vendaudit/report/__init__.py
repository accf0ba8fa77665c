"""The report layer: one view-model (:class:`Report`), many renderers, diff and policy."""

from vendaudit.report.build import LicenseReportLike, build_report
from vendaudit.report.json import ReportFormatError, load_report, render_json, report_from_json
from vendaudit.report.model import SCHEMA_VERSION, Report

__all__ = [
    "SCHEMA_VERSION",
    "LicenseReportLike",
    "Report",
    "ReportFormatError",
    "build_report",
    "load_report",
    "render_json",
    "report_from_json",
]
