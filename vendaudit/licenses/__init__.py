"""License detection for vendored Go modules (``vendor/<module>/LICENSE*``).

:func:`detect_licenses` returns a :class:`LicenseReport` with an SPDX id per module and
the combined, canonicalised expression (what a Fedora spec's ``License:`` needs).
"""

from vendaudit.licenses.detect import (
    ASKALONO_MIN_SCORE,
    LicenseError,
    LicenseReport,
    ModuleLicense,
    askalono_available,
    detect_licenses,
    license_files,
)
from vendaudit.licenses.templates import TEMPLATES, Template, match_text, normalise

__all__ = [
    "ASKALONO_MIN_SCORE",
    "TEMPLATES",
    "LicenseError",
    "LicenseReport",
    "ModuleLicense",
    "Template",
    "askalono_available",
    "detect_licenses",
    "license_files",
    "match_text",
    "normalise",
]
