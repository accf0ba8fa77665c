"""The Go manifest layer: go.mod / vendor.mod, vendor/modules.txt, go.sum and the project.

Parsers are pure functions of bytes that raise a :class:`ManifestError` subclass with
``file:line: message`` texts worded like the go command's; :func:`load_project` is the
only entry point that reads files.
"""

from typing import TYPE_CHECKING

from vendaudit._lazy import lazy_exports

if TYPE_CHECKING:
    from vendaudit.gomod.errors import (
        GoSumError,
        ManifestError,
        ModFileError,
        ModulesTxtError,
        VendorInconsistent,
    )
    from vendaudit.gomod.gojson import modfile_to_json
    from vendaudit.gomod.gosum import GoSum, GoSumEntry, go_mod_hash, parse_gosum
    from vendaudit.gomod.modfile import parse_modfile
    from vendaudit.gomod.modulestxt import ModulesTxt, VendoredModule, parse_modules_txt
    from vendaudit.gomod.project import load_project, resolve_manifest
    from vendaudit.gomod.vendorcheck import (
        check_vendor_consistency,
        check_vendored_roots,
        format_inconsistency,
        format_unrequired,
    )

# Imported on first use (start-up time): name -> submodule.
__getattr__ = lazy_exports(
    __name__,
    {
        "GoSumError": "errors",
        "ManifestError": "errors",
        "ModFileError": "errors",
        "ModulesTxtError": "errors",
        "VendorInconsistent": "errors",
        "modfile_to_json": "gojson",
        "GoSum": "gosum",
        "GoSumEntry": "gosum",
        "go_mod_hash": "gosum",
        "parse_gosum": "gosum",
        "parse_modfile": "modfile",
        "ModulesTxt": "modulestxt",
        "VendoredModule": "modulestxt",
        "parse_modules_txt": "modulestxt",
        "load_project": "project",
        "resolve_manifest": "project",
        "check_vendor_consistency": "vendorcheck",
        "check_vendored_roots": "vendorcheck",
        "format_inconsistency": "vendorcheck",
        "format_unrequired": "vendorcheck",
    },
)


__all__ = [
    "GoSum",
    "GoSumEntry",
    "GoSumError",
    "ManifestError",
    "ModFileError",
    "ModulesTxt",
    "ModulesTxtError",
    "VendorInconsistent",
    "VendoredModule",
    "check_vendor_consistency",
    "check_vendored_roots",
    "format_inconsistency",
    "format_unrequired",
    "go_mod_hash",
    "load_project",
    "modfile_to_json",
    "parse_gosum",
    "parse_modfile",
    "parse_modules_txt",
    "resolve_manifest",
]
