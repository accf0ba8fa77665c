"""``vendaudit diff OLD.json NEW.json``: what changed between two JSON reports."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vendaudit.cli.app import ExitCode, app, fail
from vendaudit.cli.common import choice, one_of, write_output
from vendaudit.report.formats import DiffFormat


@app.command("diff")
def diff_cmd(
    old: Annotated[Path, typer.Argument(help="The earlier JSON report.", show_default=False)],
    new: Annotated[Path, typer.Argument(help="The later JSON report.", show_default=False)],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help=f"Output format: {one_of(DiffFormat)}.",
            envvar="VENDAUDIT_DIFF_FORMAT",
        ),
    ] = "table",
    fail_on_regression: Annotated[
        bool,
        typer.Option(
            "--fail-on-regression",
            help="Exit 1 when a verdict got worse or a new module needs packaging.",
            envvar="VENDAUDIT_FAIL_ON_REGRESSION",
        ),
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write here instead of stdout.", show_default=False),
    ] = None,
) -> None:
    """Compare two JSON reports: regressions, improvements, module and plan changes."""
    from vendaudit.report.diff import diff_reports
    from vendaudit.report.json import ReportFormatError, load_report

    form = choice(DiffFormat, fmt)
    try:
        before, after = load_report(old), load_report(new)
    except ReportFormatError as exc:
        fail(str(exc), ExitCode.BAD_INPUT)
    diff = diff_reports(before, after)
    write_output(form.render(diff), output)
    if fail_on_regression and diff.has_regression:
        raise typer.Exit(int(ExitCode.FINDINGS))
