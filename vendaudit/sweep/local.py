"""Applications read from a local directory: ``DIR/<application>/go.mod`` (or ``vendor.mod``).

Flat files are read too: ``DIR/<application>.go.mod`` or ``DIR/<application>.mod``.

This is the layout :func:`vendaudit.sweep.debsources.fetch_manifests` writes, so a fetched
sweep can be audited again offline, and any collection of real ``go.mod`` files can be
swept the same way (one subdirectory per application, named after it).
"""

from __future__ import annotations

import json
from pathlib import Path

from vendaudit.distros.debian.applications import GoApplication
from vendaudit.sweep.debsources import MANIFEST_NAMES, META_NAME, ManifestResult

__all__ = ["SweepInputError", "read_manifest_dir"]


class SweepInputError(Exception):
    """The manifests directory cannot be used (missing, not a directory, empty)."""


def _version(directory: Path) -> str:
    try:
        meta = json.loads((directory / META_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    value = meta.get("version") if isinstance(meta, dict) else None
    return value if isinstance(value, str) else ""


def read_manifest_dir(root: Path) -> list[ManifestResult]:
    """One result per ``.mod`` file of ``root`` and per subdirectory (with or without a manifest).

    Subdirectories without either are reported too (as "no manifest"), so the archive
    view accounts for every application it was given.  Sorted by name.
    """
    if not root.is_dir():
        raise SweepInputError(f"{root}: not a directory")
    results: list[ManifestResult] = []
    for path in sorted(p for p in root.iterdir() if p.is_file() and p.name.endswith(".mod")):
        name = path.name.removesuffix(".mod").removesuffix(".go") or path.name
        results.append(ManifestResult(GoApplication(name, "", "main", ()), path))
    for directory in sorted(p for p in root.iterdir() if p.is_dir()):
        app = GoApplication(directory.name, _version(directory), "main", ())
        found = next((directory / n for n in MANIFEST_NAMES if (directory / n).is_file()), None)
        if found is None:
            results.append(ManifestResult(app, None, f"{directory}: no go.mod or vendor.mod", True))
        else:
            results.append(ManifestResult(app, found))
    if not results:
        raise SweepInputError(f"{root}: no application subdirectories or .mod files")
    return sorted(results, key=lambda r: r.app.source)
