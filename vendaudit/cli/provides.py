"""CLI commands ``provides`` (bundled provides of a modules.txt) and ``licenses``."""

from __future__ import annotations

import json
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from vendaudit.cli.app import ExitCode, app, fail
from vendaudit.cli.common import choice, one_of
from vendaudit.distros.fedora.provides import bundled_provides, render_provides
from vendaudit.gomod.errors import ManifestError
from vendaudit.gomod.modulestxt import ModulesTxt
from vendaudit.gomod.project import read_modules_txt
from vendaudit.licenses import LicenseError, LicenseReport, detect_licenses
from vendaudit.model import Module

__all__ = [
    "LicensesFormat",
    "ProvidesFormat",
    "licenses_cmd",
    "provides_cmd",
    "render_license_report",
]


class ProvidesFormat(StrEnum):
    """Every format ``vendaudit provides --format`` accepts."""

    RPM = "rpm"
    """One provide per line (``--spec`` adds ``Provides:``)."""
    JSON = "json"


class LicensesFormat(StrEnum):
    """Every format ``vendaudit licenses --format`` accepts."""

    TEXT = "text"
    JSON = "json"


def _read_modules_txt(path: Path) -> ModulesTxt:
    try:
        is_dir = path.is_dir()
    except OSError:  # ENAMETOOLONG: the read below says so with the file name
        is_dir = False
    if is_dir:
        path = path / "modules.txt" if path.name == "vendor" else path / "vendor" / "modules.txt"
    try:
        return read_modules_txt(path)
    except ManifestError as exc:
        fail(f"vendaudit: {str(exc).splitlines()[0]}", ExitCode.BAD_INPUT)


@app.command("provides")
def provides_cmd(
    modules_txt: Annotated[
        Path, typer.Argument(help="vendor/modules.txt (or the vendor/ or project directory).")
    ],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help=f"{one_of(ProvidesFormat)} (rpm: one provide per line).",
            # Not VENDAUDIT_FORMAT: that is report's vocabulary (markdown, html...).
            envvar="VENDAUDIT_PROVIDES_FORMAT",
        ),
    ] = "rpm",
    spec: Annotated[
        bool, typer.Option("--spec", help="Prefix each line with 'Provides: '.")
    ] = False,
) -> None:
    """Print the bundled(golang(...)) provides Fedora generates for a vendored build."""
    form = choice(ProvidesFormat, fmt)
    parsed = _read_modules_txt(modules_txt)
    typer.echo(render_provides(bundled_provides(parsed), form.value, spec=spec), nl=False)


def render_license_report(report: LicenseReport) -> str:
    """Plain-text rendering: one line per module, then the combined expression."""
    lines = [f"detectors: {', '.join(report.detectors)}"]
    for m in report.per_module:
        note = f"  ({m.note})" if m.note else ""
        lines.append(f"{m.path}\t{m.spdx or '?'}\t[{m.detector}]{note}")
    lines.append(f"License: {report.expression or '(none recognised)'}")
    if report.missing:
        lines.append(f"no license file: {', '.join(report.missing)}")
    if report.unrecognised:
        lines.append(f"unrecognised: {', '.join(report.unrecognised)}")
    return "\n".join(lines) + "\n"


@app.command("licenses")
def licenses_cmd(
    vendor: Annotated[Path, typer.Argument(help="The vendor/ directory (or the project root).")],
    fmt: Annotated[str, typer.Option("--format", "-f", help=f"{one_of(LicensesFormat)}.")] = "text",
    detector: Annotated[
        str,
        typer.Option(
            "--detector", help="auto, exact or askalono.", envvar="VENDAUDIT_LICENSE_DETECTOR"
        ),
    ] = "auto",
) -> None:
    """Detect the license of every vendored module and the combined SPDX expression."""
    form = choice(LicensesFormat, fmt)
    vendor_dir = vendor if (vendor / "modules.txt").is_file() else vendor / "vendor"
    parsed = _read_modules_txt(vendor_dir / "modules.txt")
    modules = [Module(m.path, m.version, packages=m.packages) for m in parsed.modules]
    try:
        report = detect_licenses(vendor_dir, modules, detector=detector)
    except LicenseError as exc:
        fail(f"vendaudit: {exc}", ExitCode.BAD_INPUT)
    if form is LicensesFormat.JSON:
        typer.echo(json.dumps(asdict(report), indent=2))
    else:
        typer.echo(render_license_report(report), nl=False)
