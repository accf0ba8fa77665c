"""Command-line entry point: thin wiring only (see the per-command modules)."""

from __future__ import annotations

import logging
import os
import sys

# Command modules are imported on demand by the app's LazyGroup (start-up time).
from vendaudit.cli.app import ExitCode, app

__all__ = ["ExitCode", "app", "main"]


def _is_lists_dir(path: str) -> bool:
    """A directory that can be apt's lists dir, not a module root given as the manifest."""
    if not os.path.isdir(path):
        return False
    return not any(os.path.isfile(os.path.join(path, m)) for m in ("go.mod", "vendor.mod"))


def _optional_values(argv: list[str]) -> list[str]:
    """Give ``--apt-lists`` its documented optional value (click options cannot)."""
    if "--apt-lists" not in argv:
        return argv
    from vendaudit.distros.debian.aptlists import DEFAULT_LISTS_DIR  # only when asked

    out: list[str] = []
    for i, arg in enumerate(argv):
        out.append(arg)
        if arg == "--apt-lists":
            nxt = argv[i + 1] if i + 1 < len(argv) else None
            if nxt is None or nxt.startswith("-") or not _is_lists_dir(nxt):
                out.append(str(DEFAULT_LISTS_DIR))
    return out


def main() -> None:
    """Console-script entry: run the app; never let a traceback reach the user."""
    sys.argv[1:] = _optional_values(sys.argv[1:])
    level = os.environ.get("VENDAUDIT_LOGLEVEL", "WARNING").upper()
    logging.basicConfig(format="vendaudit: %(levelname)s: %(message)s")
    logging.getLogger("vendaudit").setLevel(level)
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("vendaudit: interrupted\n")
        sys.exit(130)
