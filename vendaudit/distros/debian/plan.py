"""The Debian unvendoring plan for one target: docker.io's debian/ as the model.

:func:`build_debian_plan` turns one target's findings into the end state of unvendoring
(``Build-Depends``, ``Files-Excluded``, the ``~``-marked directories that stay) and the work
to get there (packages to update, modules to package).

Which module goes where:

=================  ==========================================================
satisfied           used: Build-Depends + Files-Excluded
outdated            used (the versioned Build-Depends demands the update) and
                    listed in ``update``; with ``only_satisfied`` kept ``~``
other-major         kept ``~`` (says which major exists) and queued in ``create``
missing             kept ``~`` and queued in ``create``
replaced            kept ``~F~`` (a fork: the distro package is not the code)
unknown             kept ``~`` (never guessed), counted in the notes
own package         kept ``~``: the package is the main module's own ``-dev``
                    (moby/buildkit via docker.io's golang-github-docker-docker-dev)
in ``cycles``       kept ``~C~`` unless already satisfied (a packaged module in a
                    cycle is simply used; packaging or updating it would need the
                    main module first)
=================  ==========================================================

Modules with no vendored package (modules.txt was read and lists none) are not built,
so they are left out entirely: no Build-Depends, no pattern (uscan-summary would flag a
pattern that matches nothing), only a count in the notes.

Files-Excluded rules (patterns are uscan globs, where ``*`` also matches ``/``):

1. a used module ``m`` is excluded as ``vendor/m``;
2. unless a kept module lives below it (``vendor/m/sub``): then each of ``m``'s own package
   directories ``p`` (from modules.txt) is excluded as ``vendor/p`` when no kept module
   lives at or below it; ``m``'s root files (and any package directory holding a kept
   module) cannot be matched without also matching the kept module — ``vendor/m/*.go``
   would remove ``vendor/m/sub/x.go`` too — so they stay vendored and a note says so;
3. the topmost directory whose every vendored module (at least two) is excluded wholesale
   replaces them (``vendor/golang.org``, ``vendor/google.golang.org``, as docker.io writes
   it); never ``vendor`` itself (``vendor/modules.txt`` stays, as in docker.io) nor a bare
   hosting site such as ``vendor/github.com`` (it would swallow every future dependency);
4. patterns covered by another pattern are dropped; the list is sorted.

Build-Depends: one line per binary, ``binary (>= X~)`` from the required version, with the
package's epoch (``golang-golang-x-net-dev (>= 1:0.39.0~)``: without it no 1: version
would satisfy it); the highest constraint wins when several modules share a binary.
A *prefix* match (a module covered by its repository's source, e.g. ``moby/sys/mountinfo``
by golang-github-moby-sys) adds the binary without a version: the sub-module's own
version numbers say nothing about the covering source's version.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from vendaudit.distros.debian.naming import debian_dev_name, free_dev_name
from vendaudit.model import (
    ExcludedEntry,
    Finding,
    KeepEntry,
    Module,
    Project,
    QueueEntry,
    Target,
    UpdateEntry,
    Verdict,
)
from vendaudit.plans import DebianPlan
from vendaudit.versions.debian import debian_compare
from vendaudit.versions.modpath import module_major
from vendaudit.versions.satisfy import version_constraint_debian

__all__ = ["PackageImports", "build_debian_plan"]

NOT_PACKAGED, FORK, CYCLE = "~", "~F~", "~C~"
# Hosting sites hold unrelated projects: vendor/github.com would silently swallow any
# dependency added later, so collapsing stops one level below them.
_NO_COLLAPSE = frozenset(
    {"github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "git.sr.ht", "gitee.com"}
)


class PackageImports(Protocol):
    """The package-level walk of a vendor tree (``analysis.packages.PackageGraph``'s shape)."""

    @property
    def packages(self) -> Mapping[str, str]:
        """Every compiled package → the module providing it (main module's included)."""
        ...

    @property
    def imports(self) -> Mapping[str, tuple[str, ...]]:
        """Package → the non-std packages it imports."""
        ...

    @property
    def test_imports(self) -> Mapping[str, tuple[str, ...]]:
        """Root package → what its ``_test.go`` files import (when tests were walked)."""
        ...

    @property
    def roots(self) -> tuple[str, ...]:
        """The packages the build starts from."""
        ...


def _still_compiled(walk: PackageImports, excluded: Collection[str]) -> set[str]:
    """Modules whose vendored packages are still compiled once ``excluded`` are gone.

    The walk restarts at the build's root packages and never enters a package of an
    excluded module: that code comes from its Build-Depends now, and whatever it imports
    comes with it, not from vendor/.
    """
    seen: set[str] = set()
    stack = list(walk.roots)
    while stack:
        pkg = stack.pop()
        if pkg in seen or walk.packages.get(pkg) in excluded:
            continue
        seen.add(pkg)
        stack.extend(walk.imports.get(pkg, ()))
        if pkg in walk.roots:
            stack.extend(walk.test_imports.get(pkg, ()))
    return {walk.packages[p] for p in seen if p in walk.packages}


def _importers(walk: PackageImports, wanted: Collection[str]) -> dict[str, set[str]]:
    """For each module in ``wanted``: the other modules whose compiled packages import it."""
    out: dict[str, set[str]] = {m: set() for m in wanted}
    for table in (walk.imports, walk.test_imports):
        for pkg, deps in table.items():
            src = walk.packages.get(pkg)
            for dep in deps:
                dst = walk.packages.get(dep)
                if dst in out and src is not None and src != dst:
                    out[dst].add(src)
    return out


def _epoch(distro_version: str) -> int:
    """The epoch of a Debian version (``1:0.62.0-1`` → 1): a constraint must carry it."""
    head, sep, _ = distro_version.partition(":")
    return int(head) if sep and head.isdigit() else 0


def _vendor(path: str) -> str:
    return f"vendor/{path}"


def _under(child: str, parent: str) -> bool:
    """``child`` is ``parent`` or lies below it (``/`` boundary)."""
    return child == parent or child.startswith(parent + "/")


@dataclass(frozen=True, slots=True)
class _Dep:
    """One Build-Depends candidate: binary plus an optional ``(op version)`` constraint."""

    binary: str
    op: str = ""
    version: str = ""

    @property
    def line(self) -> str:
        return f"{self.binary} ({self.op} {self.version})" if self.op else self.binary


def _parse_constraint(binary: str, constraint: str) -> _Dep:
    op, _, version = constraint.strip().partition(" ")
    return _Dep(binary, op, version.strip()) if version.strip() else _Dep(binary)


def _stronger(a: _Dep, b: _Dep) -> _Dep:
    """The stronger of two constraints on one binary (``>>`` beats ``>=`` on a tie)."""
    if not a.op or not b.op:
        return a if a.op else b
    c = debian_compare(a.version, b.version)
    if c == 0:
        return a if a.op == ">>" else b
    return a if c > 0 else b


def _behind(finding: Finding, version: str) -> str:
    """How far behind the package is (the audit's reason as a fallback)."""
    return finding.behind or finding.reason


def _keep_reason(finding: Finding, version: str, want_major: int) -> str:
    pkg = finding.package
    if finding.verdict is Verdict.OTHER_MAJOR and pkg is not None:
        return (
            f"needs v{want_major}; only v{pkg.major} packaged ({pkg.binary} "
            f"{pkg.version.distro_version})"
        )
    if finding.verdict is Verdict.MISSING:
        return f"not packaged in {finding.target.id}"
    if finding.verdict is Verdict.OUTDATED and pkg is not None:
        return f"packaged {pkg.version.distro_version} < required {version} ({pkg.binary})"
    return finding.reason or finding.verdict.value


def _ancestors(path: str) -> list[str]:
    """The proper ``/``-prefixes of ``path``, shortest first (``a/b/c`` → ``a``, ``a/b``)."""
    elems = path.split("/")
    return ["/".join(elems[:n]) for n in range(1, len(elems))]


def _collapse(vendored: Sequence[str], wholesale: set[str]) -> set[str]:
    """Directories (≥ 2 vendored modules, all excluded wholesale) replacing their modules."""
    # One pass over every module's ancestor directories: how many modules each holds and
    # whether all of them are excluded wholesale (linear in the total path length).
    count: dict[str, int] = {}
    blocked: set[str] = set()
    for path in vendored:
        # A module directory counts as holding itself: a kept github.com/foo/bar blocks
        # collapsing its used nested modules into vendor/github.com/foo/bar.
        for d in (*_ancestors(path), path):
            count[d] = count.get(d, 0) + 1
            if path not in wholesale:
                blocked.add(d)
    collapsed = {
        d for d, n in count.items() if n >= 2 and d not in blocked and d not in _NO_COLLAPSE
    }
    # Keep only the topmost collapsed directories.
    return {d for d in collapsed if not any(a in collapsed for a in _ancestors(d))}


def _excluded(
    used: Sequence[Module], kept: Sequence[str], vendored: Sequence[str]
) -> tuple[list[str], list[str]]:
    """Files-Excluded patterns (without ``vendor/``) and notes about partial exclusions.

    Linear in the total length of the paths: kept modules are indexed by every directory
    above them, so a used module finds the kept ones inside it with one lookup instead of
    a scan of every kept module.
    """
    kept_set = set(kept)
    inside: dict[str, list[str]] = {}  # directory → kept modules strictly below it
    for k in kept_set:
        for a in _ancestors(k):
            inside.setdefault(a, []).append(k)
    patterns: set[str] = set()
    wholesale: set[str] = set()
    notes: list[str] = []
    for mod in used:
        inner = inside.get(mod.path)
        if not inner:
            patterns.add(mod.path)
            wholesale.add(mod.path)
            continue
        stays: list[str] = []
        for pkg in mod.packages or (mod.path,):
            # A package at or below a kept module strictly inside this one is not this
            # module's directory (modules.txt never lists such).
            tail = [a for a in (*_ancestors(pkg), pkg) if _under(a, mod.path) and a != mod.path]
            if any(a in kept_set for a in tail):
                continue
            if pkg in inside:
                stays.append(pkg)
            else:
                patterns.add(pkg)
        if stays:
            notes.append(
                f"{_vendor(mod.path)}: {', '.join(_vendor(p) for p in stays)} stay vendored "
                f"(kept {', '.join(sorted(inner))} lives inside; a pattern would remove it too)"
            )
    collapsed = _collapse(vendored, wholesale)
    patterns = {p for p in patterns if not any(a in collapsed for a in _ancestors(p))}
    patterns |= collapsed
    final = {p for p in patterns if not any(a in patterns for a in _ancestors(p))}
    return sorted(_vendor(p) for p in final), notes


def build_debian_plan(
    project: Project,
    findings: Sequence[Finding],
    *,
    only_satisfied: bool = False,
    cycles: Mapping[str, tuple[str, ...]] | None = None,
    order: Callable[[Sequence[QueueEntry]], Sequence[QueueEntry]] | None = None,
    target: Target | None = None,
    unused: Collection[str] = (),
    walk: PackageImports | None = None,
    direct_only: bool = False,
    taken: Collection[str] = (),
) -> DebianPlan:
    """The unvendoring plan for ONE target's findings (see the module docstring).

    ``unused`` names vendored modules no package of the build compiles in (from the vendor
    graph for the build's GOOS/GOARCH/tags): they are excluded without a Build-Depends, as
    docker.io drops Windows-only and fuzzing-only vendored code.  ``walk`` (the vendor
    tree's package walk) goes one step further: a module that would stay vendored but whose
    packages only excluded modules import is not compiled from vendor/ after the plan, so it
    is excluded too, without a Build-Depends (moby: ``github.com/sean-/seed``, imported only
    by ``hashicorp/memberlist``).  ``direct_only`` writes only the Build-Depends a direct
    requirement needs (docker.io's way: the ``-dev`` packages' Depends bring the rest).
    ``taken`` holds the binary names that exist in the target: a module to package is
    never proposed under one of them (:func:`~vendaudit.distros.debian.naming.free_dev_name`).
    ``cycles`` maps a module path to the cycle through the main module it is part of;
    ``order`` sorts the packaging queue by dependencies (default: by path).  ``target`` is
    only needed when ``findings`` is empty.  Raises ValueError for mixed targets.
    """
    targets = {f.target for f in findings}
    if len(targets) > 1:
        raise ValueError(f"findings of several targets: {', '.join(sorted(map(str, targets)))}")
    if target is None:
        if not targets:
            raise ValueError("no findings and no target: cannot tell which target to plan")
        target = targets.pop()
    cycles = cycles or {}
    has_txt = project.modules_txt is not None
    main = project.main_module
    own_binaries = {debian_dev_name(main), debian_dev_name(main, keep_major=False)}

    deps: dict[str, _Dep] = {}
    direct: set[str] = set()  # binaries a direct requirement needs
    used: list[Module] = []
    keep: list[KeepEntry] = []
    update: list[UpdateEntry] = []
    create: list[QueueEntry] = []
    notes: list[str] = []
    unbuilt = forks = unknown = prefixed = 0
    not_compiled: list[Module] = []
    for f in findings:
        mod = f.module
        if has_txt and not mod.packages:
            unbuilt += 1
            continue
        if mod.path in unused:
            not_compiled.append(mod)
            continue
        version = mod.required_version
        pkg = f.package
        usable = pkg is not None and pkg.binary != ""
        verdict = f.verdict
        if verdict is Verdict.REPLACED:
            forks += 1
            keep.append(KeepEntry(_vendor(mod.path), FORK, f.reason or "replaced in go.mod"))
            continue
        if mod.path in cycles and verdict is not Verdict.SATISFIED:
            cycle = " -> ".join(cycles[mod.path]) or mod.path
            keep.append(KeepEntry(_vendor(mod.path), CYCLE, f"cycle: {cycle}"))
            continue
        if verdict is Verdict.OUTDATED and pkg is not None:
            update.append(
                UpdateEntry(
                    module=mod.path,
                    needed=version,
                    package=pkg.binary or pkg.source,
                    packaged=pkg.version.distro_version,
                    behind=_behind(f, version),
                    by_date=f.by_date,
                )
            )
        use = verdict is Verdict.SATISFIED or (verdict is Verdict.OUTDATED and not only_satisfied)
        if use and usable and pkg is not None and pkg.cycle:
            # Its source Build-Depends on this project's own binary (nydus-snapshotter on
            # golang-github-docker-docker-dev): it cannot be built before this project.
            keep.append(KeepEntry(_vendor(mod.path), NOT_PACKAGED, f"{pkg.binary}: {pkg.cycle}"))
            continue
        if use and usable and pkg is not None and pkg.binary in own_binaries:
            # docker.io declares moby/buildkit and ships golang-github-docker-docker-dev:
            # moby cannot Build-Depend on its own -dev (docker.io Build-Conflicts with it).
            reason = f"provided only by this project's own package {pkg.binary}"
            keep.append(KeepEntry(_vendor(mod.path), NOT_PACKAGED, reason))
            continue
        if use and usable:
            assert pkg is not None
            if pkg.match.covers:
                prefixed += 1
                dep = _Dep(pkg.binary)
            else:
                epoch = _epoch(pkg.version.distro_version)
                dep = _parse_constraint(pkg.binary, version_constraint_debian(version, epoch=epoch))
            old = deps.get(pkg.binary)
            deps[pkg.binary] = dep if old is None else _stronger(old, dep)
            if not mod.indirect:
                direct.add(pkg.binary)
            used.append(mod)
            continue
        if verdict is Verdict.UNKNOWN:
            unknown += 1
        want = module_major(mod.path, version)
        keep.append(KeepEntry(_vendor(mod.path), NOT_PACKAGED, _keep_reason(f, version, want)))
        if verdict in (Verdict.MISSING, Verdict.OTHER_MAJOR):
            name, renamed = free_dev_name(mod.path, version, taken)
            create.append(QueueEntry(mod.path, version, name))
            if renamed:
                notes.append(f"{mod.path}: {renamed}")

    dropped: list[ExcludedEntry] = []
    if walk is not None and keep:
        keep, dropped = _drop_unreached(walk, keep, {m.path for m in (*used, *not_compiled)})
        gone = {d.path.removeprefix("vendor/") for d in dropped}
        create = [q for q in create if q.module not in gone]
        update = [u for u in update if u.module not in gone]
    by_path = {f.module.path: f.module for f in findings}
    vendored = [
        f.module.path
        for f in findings
        if not has_txt or f.module.packages  # modules with a vendor/ directory
    ]
    kept_paths = [k.path.removeprefix("vendor/") for k in keep]
    excluded_mods = [
        *used,
        *not_compiled,
        *(by_path[d.path.removeprefix("vendor/")] for d in dropped),
    ]
    files_excluded, excluded_notes = _excluded(excluded_mods, kept_paths, vendored)
    notes[:0] = excluded_notes
    queue = sorted(create, key=lambda q: q.module)
    if order is not None:
        queue = list(order(queue))

    indirect = sorted(set(deps) - direct)
    if direct_only and indirect:
        notes.append(
            f"{len(indirect)} Build-Depends needed only by indirect requirements left out "
            "(--direct-only): the -dev packages' own Depends must bring them"
        )
        deps = {b: d for b, d in deps.items() if b in direct}
        indirect = []
    if dropped:
        notes.append(
            f"{len(dropped)} vendored module(s) are imported only by excluded modules: "
            "excluded without a Build-Depends (nothing compiled from vendor/ needs them)"
        )
    if not_compiled:
        notes.append(
            f"{len(not_compiled)} vendored module(s) are not compiled into this build "
            "(vendor graph): excluded without a Build-Depends"
        )
    if forks:
        notes.append(f"{forks} module(s) replaced (fork) in go.mod: kept vendored (~F~)")
    if unknown:
        notes.append(f"{unknown} module(s) could not be judged: kept vendored; check by hand")
    if prefixed:
        notes.append(
            f"{prefixed} module(s) are covered by their repository's source (prefix match): "
            "their Build-Depends carry no version; check the source ships them"
        )
    if unbuilt:
        notes.append(f"{unbuilt} required module(s) have no vendored package (not built): ignored")
    if files_excluded:
        notes.append(
            "bump the repack suffix (+dfsgN/+dsN) whenever Files-Excluded changes; "
            "a -dev binary of this source must repeat these Build-Depends in its Depends"
        )
    return DebianPlan(
        target=target,
        build_depends=tuple(d.line for _, d in sorted(deps.items())),
        files_excluded=tuple(files_excluded),
        keep=tuple(sorted(keep, key=lambda k: k.path)),
        # One entry per module, even if the findings named it twice.
        update=tuple(
            sorted({u.module: u for u in reversed(update)}.values(), key=lambda u: u.module)
        ),
        create=tuple(queue),
        build_depends_indirect=tuple(deps[b].line for b in indirect),
        excluded_unused=tuple(
            sorted(
                [
                    *(ExcludedEntry(_vendor(m.path), _NOT_COMPILED) for m in not_compiled),
                    *dropped,
                ],
                key=lambda e: e.path,
            )
        ),
        notes=tuple(notes),
    )


_NOT_COMPILED = "no package of it is compiled into this build (GOOS/GOARCH/tags)"


def _drop_unreached(
    walk: PackageImports, keep: list[KeepEntry], excluded: set[str]
) -> tuple[list[KeepEntry], list[ExcludedEntry]]:
    """Split ``keep`` into what is still compiled from vendor/ and what no longer is."""
    compiled = _still_compiled(walk, excluded)
    in_walk = set(walk.packages.values())
    stays: list[KeepEntry] = []
    gone: dict[str, KeepEntry] = {}
    for k in keep:
        path = k.path.removeprefix("vendor/")
        # Only modules the walk saw compiled are judged; the rest are not ours to drop.
        if path in in_walk and path not in compiled:
            gone[path] = k
        else:
            stays.append(k)
    importers = _importers(walk, gone)
    dropped = []
    for path, k in gone.items():
        users = sorted(importers[path])
        via = ", ".join(users) if users else "nothing"
        dropped.append(
            ExcludedEntry(
                k.path,
                f"imported only by {via}, not built from vendor/ after this plan "
                f"(would have stayed: {k.reason})",
            )
        )
    return stays, dropped
