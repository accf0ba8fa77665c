"""The format registry: one enum member per ``--format`` value, one renderer each."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from enum import StrEnum
from typing import assert_never

from vendaudit.model import Plan
from vendaudit.report.model import Report

__all__ = ["ReportFormat", "ReportRenderError", "plans_for_family"]

Renderer = Callable[[Report], str]


class ReportRenderError(RuntimeError):
    """A format cannot be produced (e.g. its optional backend is not installed)."""


class ReportFormat(StrEnum):
    """Every report format ``vendaudit report --format`` accepts."""

    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"
    HTML = "html"
    DEBIAN = "debian"
    RPM = "rpm"

    @property
    def is_manifest(self) -> bool:
        """True for machine formats that are written even when there is nothing to report."""
        return self in (ReportFormat.JSON, ReportFormat.HTML)

    def renderer(self, *, color: bool = False) -> Renderer:
        """The pure ``Report -> str`` function for this format."""
        # Imports are local so `--format json` never pays for rich or the HTML template.
        match self:
            case ReportFormat.TABLE:
                from vendaudit.report.table import render_table

                return lambda report: render_table(report, color=color)
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
                return _render_debian
            case ReportFormat.RPM:
                from vendaudit.report.rpm import render_rpm

                return render_rpm
            case _:  # pragma: no cover - mypy proves this unreachable
                assert_never(self)

    def render(self, report: Report, *, color: bool = False) -> str:
        """Render ``report`` in this format; ``color`` matters only for ``table``."""
        return self.renderer(color=color)(report)


def plans_for_family(report: Report, family: str) -> list[Plan]:
    """Rebuild :class:`~vendaudit.model.Plan` values for the ``deb`` or ``rpm`` targets.

    Works for reports loaded from JSON too, which is why it starts from the view-model.
    """
    out: list[Plan] = []
    for t in report.targets:
        if t.family != family:
            continue
        p = report.plan(t.id)
        out.append(
            Plan(
                target=t.target,
                build_depends=p.build_depends,
                files_excluded=p.files_excluded,
                keep=p.keep,
                update=p.update,
                create=p.create,
                provides=p.provides,
                build_requires=p.build_requires,
                notes=p.notes,
                build_depends_indirect=p.build_depends_indirect,
                excluded_unused=p.excluded_unused,
            )
        )
    return out


def _render_debian(report: Report) -> str:
    # The Debian fragments live in the Debian layer (engineer D2); import lazily (and by
    # name, so type-checking never depends on it) so the other formats keep working if that
    # module is absent or broken.
    try:
        fragments = importlib.import_module("vendaudit.distros.debian.fragments")
        render_debian = fragments.render_debian
    except (ImportError, AttributeError) as exc:
        raise ReportRenderError(
            f"the debian format is not available in this installation: {exc}"
        ) from exc
    return str(render_debian(plans_for_family(report, "deb")))
