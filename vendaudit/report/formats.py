"""The format vocabularies: one enum member per ``--format`` value, one renderer each.

Each command's ``--format`` accepts exactly one of these enums, and its help text is
generated from it (``cli.common.one_of``).  Nothing is imported at module level but the
enum machinery: the CLI reads these vocabularies at start-up, and a renderer is imported
only when it renders.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, assert_never

if TYPE_CHECKING:
    from vendaudit.report.diff import ReportDiff
    from vendaudit.report.model import Report

__all__ = ["DiffFormat", "ReportFormat", "escape_surrogates"]


def escape_surrogates(text: str) -> str:
    """``text`` with every lone surrogate written as ``\\udXXX`` (a JSON escape too).

    Undecodable bytes in a manifest (Go keeps them raw) and ``"\\ud800"`` in a stored
    report reach the view-model as lone surrogates, which no UTF-8 output can hold.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


Renderer = Callable[["Report"], str]


class ReportFormat(StrEnum):
    """Every report format ``vendaudit report --format`` accepts."""

    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    HTML = "html"
    DEBIAN = "debian"
    RPM = "rpm"
    CYCLONEDX = "cyclonedx"
    SPDX = "spdx"

    @property
    def extension(self) -> str:
        """The usual file extension (without the dot), for ``report --output-dir``."""
        match self:
            case ReportFormat.TABLE | ReportFormat.DEBIAN:
                return "txt"
            case ReportFormat.MARKDOWN:
                return "md"
            case ReportFormat.RPM:
                return "spec"
            case ReportFormat.CYCLONEDX:
                return "cdx.json"
            case ReportFormat.SPDX:
                return "spdx.json"
            case _:
                return self.value

    def renderer(self, *, color: bool = False, width: int | None = None) -> Renderer:
        """The pure ``Report -> str`` function for this format (``width``: table only)."""
        # Imports are local so `--format json` never pays for rich or the HTML template.
        match self:
            case ReportFormat.TABLE:
                from vendaudit.report.table import render_table

                return lambda report: render_table(report, color=color, width=width)
            case ReportFormat.JSON:
                from vendaudit.report.json import render_json

                return render_json
            case ReportFormat.MARKDOWN:
                from vendaudit.report.markdown import render_markdown

                return render_markdown
            case ReportFormat.HTML:
                from vendaudit.report.html import render_html

                return render_html
            case ReportFormat.DEBIAN:
                from vendaudit.report.debian import render_debian

                return render_debian
            case ReportFormat.RPM:
                from vendaudit.report.rpm import render_rpm

                return render_rpm
            case ReportFormat.CYCLONEDX:
                from vendaudit.report.sbom.cyclonedx import render_cyclonedx

                return render_cyclonedx
            case ReportFormat.SPDX:
                from vendaudit.report.sbom.spdx import render_spdx

                return render_spdx
            case _:  # pragma: no cover - mypy proves this unreachable
                assert_never(self)

    def render(self, report: Report, *, color: bool = False, width: int | None = None) -> str:
        """Render ``report`` in this format; ``color`` and ``width`` matter only for ``table``."""
        return escape_surrogates(self.renderer(color=color, width=width)(report))


class DiffFormat(StrEnum):
    """Every format ``vendaudit diff --format`` accepts."""

    TABLE = "table"
    MARKDOWN = "markdown"
    JSON = "json"

    def render(self, diff: ReportDiff) -> str:
        """Render ``diff`` in this format."""
        from vendaudit.report.diff import render_diff, render_diff_json

        match self:
            case DiffFormat.TABLE:
                return escape_surrogates(render_diff(diff))
            case DiffFormat.MARKDOWN:
                return escape_surrogates(render_diff(diff, markdown=True))
            case DiffFormat.JSON:
                return escape_surrogates(render_diff_json(diff))
            case _:  # pragma: no cover - mypy proves this unreachable
                assert_never(self)
