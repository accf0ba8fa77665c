"""Load a Go project: manifest (go.mod or vendor.mod), vendor/modules.txt and go.sum.

This is the one place that touches the file system in the manifest layer; the parsers it
calls are pure functions of bytes.  Every problem surfaces as a
:class:`~vendaudit.gomod.errors.ManifestError` subclass whose messages name the file.

Manifest choice for a directory: ``go.mod``; but ``vendor.mod`` when there is no go.mod, or
when go.mod has no ``require`` at all while a vendor.mod sits beside it.  The latter is moby's
layout: its build scripts write a stub go.mod (``module github.com/docker/docker`` plus a
``go`` line) so the go command can find the module root, and keep the real requirements in
vendor.mod, with sums in vendor.sum.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

from vendaudit.gomod.errors import GoSumError, ManifestError, ModFileError, ModulesTxtError
from vendaudit.gomod.gosum import GoSum, parse_gosum
from vendaudit.gomod.lexer import go_quote
from vendaudit.gomod.model import ModFile
from vendaudit.gomod.modfile import parse_modfile
from vendaudit.gomod.modulestxt import ModulesTxt, VendoredModule, parse_modules_txt
from vendaudit.gomod.vendorcheck import (
    check_vendor_consistency,
    check_vendored_roots,
    effective_replacement,
    format_inconsistency,
    format_unrequired,
    replace_map,
)
from vendaudit.model import Module, Project
from vendaudit.versions import semver
from vendaudit.versions.modpath import length_error

__all__ = [
    "LoadedProject",
    "Manifests",
    "build_project",
    "default_modules_txt",
    "default_sums",
    "load",
    "load_project",
    "read_gosum",
    "read_manifest",
    "read_manifests",
    "read_modules_txt",
    "resolve_manifest",
    "vendor_inconsistency",
]

_MISSING_MODULE = (
    "missing module declaration. To specify the module path:\n\tgo mod edit -module=example.com/mod"
)


def _read(path: Path, error: type[ManifestError]) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise error(f"{path}: no such file") from None
    except IsADirectoryError:
        raise error(f"{path}: is a directory") from None
    except OSError as exc:
        raise error(f"{path}: cannot read: {exc.strerror or exc}") from None


def _is_dir(path: Path) -> bool:
    # pathlib lets ENAMETOOLONG, EACCES and EIO through: for us they mean "not there";
    # the read that follows reports them with the file name.
    try:
        return path.is_dir()
    except OSError:
        return False


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:
        return False


def resolve_manifest(manifest: str | Path) -> Path:
    """The manifest file to read for ``manifest`` (a file, or a module root directory)."""
    path = Path(manifest)
    if not _is_dir(path):
        return path
    gomod, vendormod = path / "go.mod", path / "vendor.mod"
    if not _exists(gomod):
        if _exists(vendormod):
            return vendormod
        raise ModFileError(f"{path}: no go.mod or vendor.mod in this directory")
    if _exists(vendormod):
        # Only a go.mod that requires nothing (moby's stub) yields to vendor.mod.
        stub = parse_modfile(_read(gomod, ModFileError), str(gomod))
        if not stub.require:
            return vendormod
    return gomod


def read_manifest(path: str | Path) -> ModFile:
    """Read and strictly parse a go.mod / vendor.mod; it must have a ``module`` line."""
    p = Path(path)
    mf = parse_modfile(_read(p, ModFileError), str(p))
    if mf.module is None:
        raise ModFileError(f"{p}: {_MISSING_MODULE}")
    return mf


def read_modules_txt(path: str | Path) -> ModulesTxt:
    """Read and parse a vendor/modules.txt."""
    p = Path(path)
    return parse_modules_txt(_read(p, ModulesTxtError), str(p))


def read_gosum(path: str | Path) -> GoSum:
    """Read and parse a go.sum / vendor.sum."""
    p = Path(path)
    return parse_gosum(_read(p, GoSumError), str(p))


def default_modules_txt(manifest: Path) -> Path:
    """``<manifest dir>/vendor/modules.txt``, the file the go command reads."""
    return manifest.parent / "vendor" / "modules.txt"


def default_sums(manifest: Path) -> Path:
    """cmd/go's checksum file for a manifest: strip ``.mod``, add ``.sum``."""
    name = manifest.name.removesuffix(".mod") if manifest.name.endswith(".mod") else manifest.name
    return manifest.with_name(name + ".sum")


def _by_path_then_version(a: Module, b: Module) -> int:
    if a.path != b.path:
        return -1 if a.path < b.path else 1
    return semver.compare(a.version, b.version)


def _shown(path: str) -> str:
    """``path`` quoted for a one-line message, cut after 60 characters."""
    return go_quote(path if len(path) <= 60 else path[:60]) + ("…" if len(path) > 60 else "")


def _check_lengths(manifest: str, mf: ModFile, mt: ModulesTxt | None, mt_name: str) -> None:
    """Refuse module and package paths no file system can hold (see ``length_error``)."""
    paths: list[tuple[str, str, int]] = []
    if mf.module is not None:
        paths.append((mf.module.path, manifest, mf.module.line))
    paths += [(r.path, manifest, r.line) for r in mf.require]
    if mt is not None:
        for vm in mt.modules:
            paths += [(p, mt_name, vm.line) for p in (vm.path, *vm.packages)]
    for path, name, line in paths:
        err = length_error(path)
        if err is not None:
            error = ModFileError if name == manifest else ModulesTxtError
            raise error(f"{name}:{line}: {_shown(path)}: {err}")


def build_project(
    manifest: str, mf: ModFile, mt: ModulesTxt | None, *, modules_txt: str | None, sums: str | None
) -> Project:
    """Combine a parsed manifest and modules.txt into a :class:`~vendaudit.model.Project`.

    Modules are sorted by path, then semver (the order ``go mod vendor`` writes).  Besides
    the ``require`` lines, modules that provide vendored packages without being required are
    included as ``indirect`` (they occur with go < 1.17 manifests, which list only direct
    dependencies, and are part of the vendored code all the same).
    """
    _check_lengths(manifest, mf, mt, modules_txt or "modules.txt")
    rmap = replace_map(mf.replace)
    meta: dict[tuple[str, str], VendoredModule] = {m.key: m for m in mt.modules} if mt else {}

    def module(path: str, version: str, indirect: bool) -> Module:
        vm = meta.get((path, version))
        return Module(
            path=path,
            version=version,
            indirect=indirect,
            replace=effective_replacement(rmap, path, version),
            explicit=None if mt is None else (vm is not None and vm.explicit),
            packages=vm.packages if vm else (),
            go_version=(vm.go_version or None) if vm else None,
        )

    mods = [module(r.path, r.version, r.indirect) for r in mf.require]
    required = {(r.path, r.version) for r in mf.require}
    if mt is not None:
        for key in dict.fromkeys(mt.vendor_list):
            if key not in required and key[1]:
                mods.append(module(key[0], key[1], True))
    mods.sort(key=functools.cmp_to_key(_by_path_then_version))
    if mf.module is None:
        raise ModFileError(f"{manifest}: {_MISSING_MODULE}")
    return Project(
        manifest=manifest,
        main_module=mf.module.path,
        go=mf.go,
        modules=tuple(mods),
        modules_txt=modules_txt,
        sums=sums,
    )


@dataclass(frozen=True, slots=True)
class Manifests:
    """A project's manifest and vendor/modules.txt, parsed, with the files they came from."""

    path: Path
    """The manifest file read (go.mod or vendor.mod)."""
    modfile: ModFile
    modules_txt_path: Path
    """Where modules.txt was looked for (it exists when ``modules_txt`` is not None)."""
    modules_txt: ModulesTxt | None


def read_manifests(manifest: str | Path, *, modules_txt: str | Path | None = None) -> Manifests:
    """Read the manifest (file or module root directory) and its vendor/modules.txt.

    ``modules_txt`` defaults to ``<manifest dir>/vendor/modules.txt`` when that exists; an
    explicitly given file must exist.  Raises a :class:`ManifestError` subclass on any problem.
    """
    path = resolve_manifest(manifest)
    mf = read_manifest(path)
    mt_path = Path(modules_txt) if modules_txt is not None else default_modules_txt(path)
    mt = None
    if modules_txt is not None or _exists(mt_path):
        mt = read_modules_txt(mt_path)
    return Manifests(path, mf, mt_path, mt)


@dataclass(frozen=True, slots=True)
class LoadedProject:
    """What :func:`load` read: the project, and the parsed files it was built from."""

    project: Project
    files: Manifests
    sums: GoSum | None
    """The parsed sums file (``project.sums`` names it), None when there is none."""


def load(
    manifest: str | Path,
    *,
    modules_txt: str | Path | None = None,
    sums: str | Path | None = None,
) -> LoadedProject:
    """:func:`load_project`, also handing back the parsed manifest, modules.txt and sums.

    Callers that need those files again should take them from here instead of reading and
    parsing them a second time.
    """
    files = read_manifests(manifest, modules_txt=modules_txt)
    sums_path = Path(sums) if sums is not None else default_sums(files.path)
    gosum = None
    if sums is not None or _exists(sums_path):
        gosum = read_gosum(sums_path)
    project = build_project(
        os.fspath(files.path),
        files.modfile,
        files.modules_txt,
        modules_txt=os.fspath(files.modules_txt_path) if files.modules_txt is not None else None,
        sums=os.fspath(sums_path) if gosum is not None else None,
    )
    return LoadedProject(project, files, gosum)


def load_project(
    manifest: str | Path,
    *,
    modules_txt: str | Path | None = None,
    sums: str | Path | None = None,
) -> Project:
    """Load the project whose manifest (or module root directory) is ``manifest``.

    ``modules_txt`` defaults to ``<manifest dir>/vendor/modules.txt`` when that exists, and
    ``sums`` to the manifest's ``.sum`` sibling (``go.sum``, ``vendor.sum``) when it exists;
    explicitly given files must exist.  A sums file is parsed so a malformed one is reported,
    but only its path is kept (:func:`load` keeps the parsed files too).  Raises a
    :class:`ManifestError` subclass on any problem.
    """
    return load(manifest, modules_txt=modules_txt, sums=sums).project


def vendor_inconsistency(files: Manifests) -> str | None:
    """The go command's message when go.mod and vendor/modules.txt disagree, else None.

    The four consistency checks first, then go >= 1.17's "vendored module ... should be
    required" (``report`` refuses such input the way ``go build -mod=vendor`` does).
    """
    root = os.path.abspath(files.path.parent)
    errors = check_vendor_consistency(files.modfile, files.modules_txt, root)
    if errors:
        return format_inconsistency(root, errors)
    unrequired = check_vendored_roots(files.modfile, files.modules_txt)
    return format_unrequired(unrequired) if unrequired else None
