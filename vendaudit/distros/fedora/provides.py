"""``Provides: bundled(golang(<module>)) = <version>`` for a vendored build.

Fedora generates these at build time with go-rpm-macros' ``go_mod_vendor.prov`` from the
installed vendor/modules.txt (fedora.md §2d).  :func:`bundled_provides` gives the same
lines wherever that script yields a valid RPM version:

* one line per ``# `` header, in file order (rpm de-duplicates; so do we — a header
  that appears twice is merged by the modules.txt reader);
* a non-local replacement ``a v1 => b v2`` provides ``b`` at ``v2``; a local one
  (``=> ./dir``) provides the *original* path and version;
* a version longer than 27 characters (a pseudo-version) becomes the 7-character commit
  prefix; otherwise the leading ``v`` is stripped.

Where go_mod_vendor.prov's output is not a valid RPM version, we differ:

======================================================  =================  =========================
Go version                                              go_mod_vendor.prov  vendaudit
======================================================  =================  =========================
``v1.0.0-rc.1`` (pre-release)                           ``1.0.0-rc.1``      ``1.0.0~rc.1``
``v0.5.0-beta`` (pre-release, any)                      ``0.5.0-beta``      ``0.5.0~beta``
``v17.12.0-ce-rc1.0.2020…-bd33bbf0497b+incompatible``   ``incompa``         ``bd33bbf``
short pre-release pseudo ``v1.2.3-pre.0.2020…-abcdef12345…`` (≤27)  n/a    commit prefix
``v0.12.4-0`` (hyphen, not a pseudo-version)            ``0.12.4-0``        ``0.12.4~0``
``=> ../dir`` (local replacement outside ``./``)        crashes             original path + version
``# path => ./dir`` wildcard, no version                ``path =`` (empty)  skipped
======================================================  =================  =========================

rpm forbids ``-`` inside a version (it would read ``1.0.0-rc.1`` as version ``1.0.0``
release ``rc.1``), and ``~`` sorts a pre-release before its release as Go does.
Replacement-only headers (no vendored packages) are still emitted, as the script does;
:attr:`BundledProvide.vendored` tells them apart.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass

from vendaudit.gomod.modulestxt import ModulesTxt
from vendaudit.versions import pseudo as _pseudo

__all__ = ["BundledProvide", "bundled_provides", "prov_version", "render_provides"]

_RPM_VERSION_OK = re.compile(r"^[A-Za-z0-9._+~^]+$")


@dataclass(frozen=True, slots=True)
class BundledProvide:
    """One ``bundled(golang(...)) = version`` provide and where it came from."""

    module: str
    """The module path provided (the replacement's path for a non-local replacement)."""
    version: str
    """The RPM version string (see the module docstring)."""
    go_version: str
    """The Go version it was derived from."""
    original: str
    """The module path as required (differs from ``module`` when replaced)."""
    vendored: bool = True
    """False for replacement-only headers (no package of it is vendored)."""
    differs: str = ""
    """What go_mod_vendor.prov would print instead, when it differs (``""``: identical)."""

    @property
    def line(self) -> str:
        """``bundled(golang(<module>)) = <version>`` as rpm prints it."""
        return f"bundled(golang({self.module})) = {self.version}"


def _prov_script(version: str) -> str:
    """Exactly go_mod_vendor.prov's transformation (for comparison and diagnostics)."""
    if len(version) > 27:
        return version[-12:-1][:7]
    return version.lstrip("v")


def prov_version(go_version: str) -> str:
    """The RPM version for a Go module version (valid where go_mod_vendor.prov is not)."""
    if _pseudo.is_pseudo_version(go_version):
        return _pseudo.pseudo_version_rev(go_version)[:7]
    script = _prov_script(go_version)
    if len(go_version) <= 27 and _RPM_VERSION_OK.match(script):
        return script
    base = go_version.removeprefix("v")
    core, plus, build = base.partition("+")
    core = core.replace("-", "~", 1).replace("-", ".")
    return core + plus + build


def bundled_provides(modules_txt: ModulesTxt) -> list[BundledProvide]:
    """One provide per module header of ``modules_txt`` (rules in the module docstring)."""
    out: list[BundledProvide] = []
    seen: set[tuple[str, str]] = set()
    headers = [(m.path, m.version, m.replacement, bool(m.packages)) for m in modules_txt.modules]
    known = {(m.path, m.version) for m in modules_txt.modules}
    headers += [
        (path, version, repl, False)
        for (path, version), repl in modules_txt.replacements.items()
        if (path, version) not in known
    ]
    for path, version, repl, vendored in headers:
        module, go_version = path, version
        if repl is not None and repl.version:
            module, go_version = repl.path, repl.version
        if not go_version:
            continue  # a wildcard header with a local replacement: no version to give
        rpm_version = prov_version(go_version)
        script = _prov_script(go_version)
        local_outside = repl is not None and not repl.version and not repl.path.startswith("./")
        differs = "" if script == rpm_version and not local_outside else script
        if local_outside:
            differs = "(go_mod_vendor.prov fails on this line)"
        key = (module, rpm_version)
        if key in seen:
            continue
        seen.add(key)
        out.append(BundledProvide(module, rpm_version, go_version, path, vendored, differs))
    return out


def render_provides(provides: list[BundledProvide], fmt: str = "rpm", spec: bool = False) -> str:
    """Render provides: ``rpm`` (one per line; ``spec=True`` adds ``Provides:``) or ``json``."""
    if fmt == "json":
        rows = [asdict(p) | {"line": p.line} for p in provides]
        return json.dumps(rows, indent=2) + "\n"
    prefix = "Provides: " if spec else ""
    return "".join(f"{prefix}{p.line}\n" for p in provides)
