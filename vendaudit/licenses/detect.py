"""Detect the license of every vendored module from its license files under vendor/.

``go mod vendor`` copies a module's LICENSE/COPYING/NOTICE files into
``vendor/<module path>/``; this reads them (only that directory, never nested modules),
names each module's license as an SPDX expression and combines them into one
expression canonicalised by :func:`packaging.licenses.canonicalize_license_expression`.

Detectors, in order (``detector="auto"``):

1. ``exact`` — the built-in templates of :mod:`vendaudit.licenses.templates`; fast and
   conservative (a modified text is not recognised);
2. ``askalono`` — the optional ``pyaskalono`` package (offline, bundled SPDX corpus), used
   for files the templates do not recognise, accepted at score ≥ :data:`ASKALONO_MIN_SCORE`.

NOTICE files are read but, unlike LICENSE/COPYING, an unrecognised NOTICE is expected
(Apache NOTICE files are attributions, not licenses) and does not count as unrecognised.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

from vendaudit.licenses.copyright import copyright_lines
from vendaudit.licenses.templates import match_text
from vendaudit.model import Module

__all__ = [
    "ASKALONO_MIN_SCORE",
    "LicenseError",
    "LicenseReport",
    "ModuleLicense",
    "askalono_available",
    "detect_licenses",
    "license_files",
]

logger = logging.getLogger(__name__)

ASKALONO_MIN_SCORE = 0.9
_PREFIXES = ("LICENSE", "LICENCE", "COPYING", "NOTICE")


class LicenseError(Exception):
    """The vendor tree cannot be read at all."""


@dataclass(frozen=True, slots=True)
class ModuleLicense:
    """The license found for one vendored module."""

    path: str
    spdx: str | None
    """SPDX expression, or None when no file was recognised."""
    files: tuple[str, ...]
    """License files relative to vendor/ (``github.com/x/y/LICENSE``)."""
    detector: str
    """``exact``, ``askalono``, ``exact+askalono`` or ``none``."""
    note: str = ""
    copyright: tuple[str, ...] = ()
    """Copyright statements of the license/NOTICE files (``2009 The Go Authors``)."""


@dataclass(frozen=True, slots=True)
class LicenseReport:
    """Per-module licenses and the combined expression of the whole vendor tree."""

    per_module: tuple[ModuleLicense, ...]
    expression: str
    """All recognised licenses ``AND``-ed, canonicalised (``""`` when none)."""
    unrecognised: tuple[str, ...]
    """Modules with license files of which none was recognised."""
    missing: tuple[str, ...]
    """Modules with no license file (or no directory) under vendor/."""
    detectors: tuple[str, ...] = ()
    """Detectors that were available for this run (``exact``, ``askalono``)."""


def license_files(module_dir: Path) -> list[Path]:
    """LICENSE*/LICENCE*/COPYING*/NOTICE* files directly in ``module_dir``, sorted."""
    try:
        entries = list(module_dir.iterdir())
    except OSError:
        return []
    return sorted(
        p
        for p in entries
        if p.name.upper().startswith(_PREFIXES) and not p.name.endswith(".go") and p.is_file()
    )


def askalono_available() -> bool:
    """True when the optional ``pyaskalono`` detector can be imported."""
    return importlib.util.find_spec("askalono") is not None


def _askalono(text: str) -> str | None:
    # Imported by name: the package is optional and ships no type information.
    result = importlib.import_module("askalono").identify(text)
    if result is None or float(result.score) < ASKALONO_MIN_SCORE:
        return None
    return str(result.name)


def _canonical(parts: Sequence[str]) -> str:
    if not parts:
        return ""
    # Flatten pure conjunctions so "MIT" and "Apache-2.0 AND MIT" do not repeat MIT.
    terms: set[str] = set()
    for part in parts:
        terms.update([f"({part})"] if " OR " in part else part.split(" AND "))
    joined = " AND ".join(sorted(terms, key=str.lower))
    try:
        return str(canonicalize_license_expression(joined))
    except InvalidLicenseExpression:
        # askalono can name ids packaging does not know; keep the text rather than fail.
        return joined


def _detect_module(
    vendor_dir: Path, path: str, fallback: Callable[[str], str | None] | None
) -> ModuleLicense:
    module_dir = vendor_dir / path
    try:
        present = module_dir.is_dir()
    except OSError:  # ENAMETOOLONG and the like: no usable directory either
        present = False
    if not present:
        return ModuleLicense(path, None, (), "none", "not vendored (no directory under vendor/)")
    files = license_files(module_dir)
    if not files:
        return ModuleLicense(path, None, (), "none", "no license file")
    ids: list[str] = []
    used: list[str] = []
    unknown: list[str] = []
    holders: list[str] = []
    for f in files:
        text = f.read_text(encoding="utf-8", errors="replace")
        holders += [c for c in copyright_lines(text) if c not in holders]
        found = match_text(text)
        if found:
            used.append("exact")
        elif fallback is not None and (name := fallback(text)):
            found = [name]
            used.append("askalono")
        elif not f.name.upper().startswith("NOTICE"):
            unknown.append(f.name)
        ids.extend(x for x in found if x not in ids)
    rel = tuple(str(f.relative_to(vendor_dir)) for f in files)
    detector = "+".join(dict.fromkeys(used)) or "none"
    cr = tuple(holders)
    if not ids:
        return ModuleLicense(path, None, rel, detector, "license text not recognised", cr)
    note = f"not recognised: {', '.join(unknown)}" if unknown else ""
    return ModuleLicense(path, _canonical(ids), rel, detector, note, cr)


def detect_licenses(
    vendor_dir: Path, modules: Sequence[Module], *, detector: str = "auto"
) -> LicenseReport:
    """Detect licenses of ``modules`` under ``vendor_dir``.

    ``detector``: ``auto`` (templates, then askalono if installed), ``exact`` or
    ``askalono`` (templates first all the same: they are exact and cheap).
    Modules without vendored packages (``packages == ()`` while others have some) are
    skipped: nothing of them is shipped.
    """
    if not vendor_dir.is_dir():
        raise LicenseError(f"{vendor_dir}: not a directory")
    use_askalono = detector in ("auto", "askalono") and askalono_available()
    if detector == "askalono" and not use_askalono:
        raise LicenseError("the askalono detector needs `pip install pyaskalono`")
    fallback = _askalono if use_askalono else None
    any_packages = any(m.packages for m in modules)
    results = [
        _detect_module(vendor_dir, m.path, fallback)
        for m in modules
        if m.packages or not any_packages
    ]
    return LicenseReport(
        per_module=tuple(results),
        expression=_canonical([r.spdx for r in results if r.spdx]),
        unrecognised=tuple(r.path for r in results if r.files and r.spdx is None),
        missing=tuple(r.path for r in results if not r.files),
        detectors=("exact", "askalono") if use_askalono else ("exact",),
    )
