"""Command-line entry point: thin wiring only (see the per-command modules)."""

from __future__ import annotations

import logging
import os
import sys

from vendaudit.cli import (  # noqa: F401 - imported for their @app.command side effects
    diff,
    graph,
    modfile,
    modules,
    provides,
    report,
)
from vendaudit.cli.app import ExitCode, app

__all__ = ["ExitCode", "app", "main"]


def main() -> None:
    """Console-script entry: run the app; never let a traceback reach the user."""
    level = os.environ.get("VENDAUDIT_LOGLEVEL", "WARNING").upper()
    logging.basicConfig(format="vendaudit: %(levelname)s: %(message)s")
    logging.getLogger("vendaudit").setLevel(level)
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("vendaudit: interrupted\n")
        sys.exit(130)
