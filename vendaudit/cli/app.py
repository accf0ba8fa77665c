"""The typer application object and the exit codes every command shares."""

from __future__ import annotations

import sys
from enum import IntEnum
from typing import NoReturn

import typer

app = typer.Typer(
    name="vendaudit",
    help="Audit a Go project's vendored modules against Debian, Ubuntu, Fedora and EPEL.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Audit a Go project's vendored modules against Debian, Ubuntu, Fedora and EPEL."""


class ExitCode(IntEnum):
    """Documented exit codes (README "Exit codes"); mapped here and nowhere else."""

    OK = 0
    FINDINGS = 1
    """``--fail-on`` matched, or ``diff --fail-on-regression`` found a regression."""
    USAGE = 2
    """Bad command line (typer/click's own code)."""
    BAD_INPUT = 3
    """A manifest, modules.txt, report or policy file is missing or invalid."""
    ALL_TARGETS_FAILED = 4
    """Every requested distro target failed to load."""


def fail(message: str, code: ExitCode = ExitCode.BAD_INPUT) -> NoReturn:
    """Print ``message`` (may be several lines) to stderr and exit with ``code``."""
    sys.stderr.write(message.rstrip("\n") + "\n")
    raise typer.Exit(int(code))


@app.command("version")
def version_cmd() -> None:
    """Print vendaudit's version."""
    from vendaudit import __version__

    typer.echo(__version__)
