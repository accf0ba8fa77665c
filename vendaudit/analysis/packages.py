"""The packages compiled into a build, walked offline over the main module and vendor/.

Mirrors ``go list -mod=vendor -deps PATTERNS``: the root packages are the main-module
directories matching the patterns (``./...`` skips ``vendor``, ``testdata``, ``_*``, ``.*``
and nested modules), imports are resolved to the main module's tree or to ``vendor/``,
and each package is attributed to a module through vendor/modules.txt (the package lines,
else the longest module-path prefix).  Standard-library imports (no dot in the first
path element) and cgo's ``"C"`` are not followed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from vendaudit.analysis.buildconstraint import BuildContext
from vendaudit.analysis.imports import PackageFiles, is_std, relative_dir, scan_dir

__all__ = ["PackageGraph", "match_pattern", "package_graph"]


@dataclass(frozen=True, slots=True)
class PackageGraph:
    """The result of a package walk."""

    main_module: str
    packages: Mapping[str, str]
    """Every compiled non-std package → the module path providing it."""
    imports: Mapping[str, tuple[str, ...]]
    """Package → the non-std packages its non-test files import."""
    roots: tuple[str, ...]
    test_imports: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Root package → non-std imports of its ``_test.go`` files (only with ``tests``)."""
    missing: Mapping[str, str] = field(default_factory=dict)
    """Import path that resolves to no directory with Go files → one importer."""
    bad_files: tuple[str, ...] = ()


def match_pattern(pattern: str) -> re.Pattern[str]:
    """cmd/go ``MatchPattern``: ``...`` matches any string; ``x/...`` also matches ``x``."""
    rx = re.escape(pattern).replace(r"\.\.\.", ".*")
    if rx.endswith("/.*"):
        rx = rx[: -len("/.*")] + "(/.*)?"
    return re.compile(rx + r"\Z")


def _normalise(pattern: str, main: str) -> str:
    if pattern in (".", "./"):
        return main
    if pattern.startswith("./"):
        return main + "/" + pattern[2:].rstrip("/")
    return pattern


def _main_dirs(root: Path) -> Iterable[str]:
    """Relative directories of the main module that ``./...`` may match."""
    for dirpath, dirnames, _ in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        keep = []
        for d in sorted(dirnames):
            if d[0] in "._" or d in ("testdata", "vendor"):
                continue
            if os.path.exists(os.path.join(dirpath, d, "go.mod")):
                continue  # a nested module is not part of this one
            keep.append(d)
        dirnames[:] = keep
        yield "" if rel == "." else rel.replace(os.sep, "/")


class _Resolver:
    """Import path → (module path, directory)."""

    def __init__(
        self,
        root: Path,
        vendor: Path,
        main: str,
        module_paths: Iterable[str],
        pkg_modules: Mapping[str, str],
    ) -> None:
        self.root, self.vendor, self.main = root, vendor, main
        self.pkg_modules = pkg_modules
        # Longest first, so the first prefix hit is the owning module.
        self.modules = sorted({*module_paths, main}, key=len, reverse=True)

    def module_of(self, path: str) -> str | None:
        if path in self.pkg_modules:
            return self.pkg_modules[path]
        for mod in self.modules:
            if path == mod or path.startswith(mod + "/"):
                return mod
        return None

    def locate(self, path: str) -> tuple[str, Path] | None:
        mod = self.module_of(path)
        if mod is None:
            return None
        if mod == self.main:
            return mod, relative_dir(self.root, path, mod)
        return mod, self.vendor / path


def package_graph(
    root: Path,
    main_module: str,
    module_paths: Iterable[str],
    pkg_modules: Mapping[str, str],
    *,
    ctx: BuildContext,
    tests: bool = False,
    patterns: Sequence[str] = ("./...",),
    vendor_dir: Path | None = None,
) -> PackageGraph:
    """Walk the packages ``go list -deps`` would report for ``patterns`` in ``ctx``.

    ``module_paths`` are the required modules; ``pkg_modules`` maps vendored package
    import paths to their module (modules.txt package lines).  With ``tests``, the root
    packages' ``_test.go`` imports are followed too (``go list -deps -test``).
    """
    resolver = _Resolver(
        root, vendor_dir or root / "vendor", main_module, module_paths, pkg_modules
    )
    regexes = [match_pattern(_normalise(p, main_module)) for p in patterns]
    scanned: dict[str, PackageFiles | None] = {}

    def scan(path: str, directory: Path, with_tests: bool) -> PackageFiles | None:
        if path not in scanned:
            scanned[path] = scan_dir(str(directory), ctx, tests=with_tests)
        return scanned[path]

    roots: dict[str, str] = {}  # root package → its module, in walk order
    for rel in _main_dirs(root):
        path = f"{main_module}/{rel}" if rel else main_module
        if not any(rx.match(path) for rx in regexes):
            continue
        loc = resolver.locate(path)
        if loc is None or loc[0] != main_module:
            continue  # a directory that belongs to a replaced module inside the tree
        if scan(path, root / rel, tests) is not None:
            roots[path] = main_module
    # Import-path patterns naming vendored packages (no wildcard) are roots too.
    for pat in patterns:
        if "..." not in pat and not pat.startswith(".") and pat not in roots:
            loc = resolver.locate(pat)
            if loc and loc[0] != main_module and scan(pat, loc[1], False) is not None:
                roots[pat] = loc[0]

    def followed(dep: str) -> bool:
        # A dotless path is standard library, unless the main module itself is dotless
        # (Go's own "cmd" and "std" modules): its packages are ours to walk.
        if dep == "C":
            return False
        return not is_std(dep) or dep == main_module or dep.startswith(main_module + "/")

    packages: dict[str, str] = {}
    imports: dict[str, tuple[str, ...]] = {}
    test_imports: dict[str, tuple[str, ...]] = {}
    missing: dict[str, str] = {}
    bad: list[str] = []
    # Only packages already located and scanned (with Go files) are pushed.
    stack = list(reversed(roots.items()))
    while stack:
        path, module = stack.pop()
        if path in packages:
            continue
        files = scanned[path]
        assert files is not None
        packages[path] = module
        bad.extend(f"{path}/{b}" for b in files.bad)
        own = {d for d in files.imports if followed(d)}
        imports[path] = tuple(sorted(own))
        deps = set(own)
        if path in roots and files.test_imports:
            tdeps = {d for d in files.test_imports if followed(d)}
            test_imports[path] = tuple(sorted(tdeps))
            deps |= tdeps
        deps.discard(path)
        for dep in sorted(deps, reverse=True):
            if dep in packages:
                continue
            dloc = resolver.locate(dep)
            if dloc is None or scan(dep, dloc[1], False) is None:
                missing.setdefault(dep, path)
                continue
            stack.append((dep, dloc[0]))
    return PackageGraph(
        main_module,
        dict(sorted(packages.items())),
        imports,
        tuple(roots),
        test_imports,
        missing,
        tuple(bad),
    )
