"""The go command's vendor consistency check (cmd/go ``checkVendorConsistency``).

Whenever ``-mod=vendor`` is in effect, the go command compares the main module's go.mod (or
``-modfile`` vendor.mod) with vendor/modules.txt and refuses to build if they disagree.  This
module reproduces the four checks in Go's order and wording, so that vendaudit's verdict and
message are the ones a packager would get from ``go build -mod=vendor``.

Only single-module mode is modelled (no go.work): the ``## workspace`` marker is ignored here,
as the go command ignores it when ``-mod=vendor`` is given explicitly.
"""

from __future__ import annotations

import os

from vendaudit.gomod.model import ModFile, ModVersion, Replace
from vendaudit.gomod.modulestxt import ModulesTxt
from vendaudit.versions import semver
from vendaudit.versions.gover import gover_compare

__all__ = [
    "check_vendor_consistency",
    "check_vendored_roots",
    "effective_replacement",
    "format_inconsistency",
    "format_unrequired",
    "is_pre114",
    "replace_map",
]


def is_pre114(mf: ModFile) -> bool:
    """Whether Go relaxes the check: ``go`` < 1.14, or no (or a malformed) ``go`` line.

    cmd/go's go.mod index records ``""`` for a missing go line and a malformed version compares
    lowest, so both count as "before 1.14" here even though 1.16 is assumed elsewhere.
    """
    return gover_compare(mf.go, "1.14") < 0


def replace_map(replaces: tuple[Replace, ...]) -> dict[tuple[str, str], ModVersion]:
    """Index ``replace`` directives by exact ``(old path, old version)``; the later one wins.

    (cmd/go dies with "conflicting replacements" when two *different* replacements share a
    key; vendaudit keeps the later one, as ``go mod edit`` would on cleanup.)
    """
    return {(r.old.path, r.old.version): r.new for r in replaces}


def effective_replacement(
    rmap: dict[tuple[str, str], ModVersion], path: str, version: str
) -> ModVersion | None:
    """The replacement Go applies to ``path@version``: exact key first, then wildcard."""
    exact = rmap.get((path, version))
    if exact is not None:
        return exact
    return rmap.get((path, ""))


def _describe(m: ModVersion) -> str:
    return m.path if m.version == "" else f"{m.path}@{m.version}"


def _error(path: str, version: str, detail: str) -> str:
    return f"{path}: {detail}" if version == "" else f"{path}@{version}: {detail}"


def check_vendor_consistency(mf: ModFile, mt: ModulesTxt | None, module_root: str) -> list[str]:
    """Run Go's four checks; return one ``path[@version]: detail`` string per problem.

    ``mt`` is ``None`` when vendor/modules.txt does not exist (Go then reads it as empty).
    ``module_root`` is accepted for symmetry with :func:`format_inconsistency`; the check
    itself compares relative replacement directories exactly as written, as Go does outside
    workspace mode.  An empty list means consistent.
    """
    del module_root  # only workspace mode re-bases relative directories
    mt = mt if mt is not None else ModulesTxt()
    pre114 = is_pre114(mf)
    meta = {m.key: m for m in mt.modules}
    errors: list[str] = []

    # 1. Every require must be marked explicit (pre114: must not contradict vendored version).
    for r in mf.require:
        vm = meta.get((r.path, r.version))
        if vm is not None and vm.explicit:
            continue
        if pre114:
            vv = mt.vendor_version(r.path)
            if vv is not None and vv != r.version:
                errors.append(
                    _error(
                        r.path,
                        r.version,
                        "is explicitly required in go.mod, but vendor/modules.txt "
                        f"indicates {r.path}@{vv}",
                    )
                )
        else:
            errors.append(
                _error(
                    r.path,
                    r.version,
                    "is explicitly required in go.mod, but not marked as explicit "
                    "in vendor/modules.txt",
                )
            )

    # 2. Every replace must be recorded, with the same target.  Unlike check 1, Go names the
    # real manifest here (ShortPath of the -modfile / go.mod), e.g. "vendor.mod" for moby.
    source = os.path.basename(mf.filename) or "go.mod"
    main_path = mf.module.path if mf.module is not None else None
    rmap = replace_map(mf.replace)
    seen: set[tuple[str, str]] = set()
    for rep in mf.replace:
        old = (rep.old.path, rep.old.version)
        if old in seen:
            continue
        seen.add(old)
        if rep.old.path == main_path and rep.old.version == "":
            new = None  # Go never replaces the main module's own (version-less) path.
        else:
            new = effective_replacement(rmap, *old)
        recorded = mt.replacements.get(old)
        if recorded is None:
            if new is None:
                continue
            if pre114 and (old[1] == "" or mt.vendor_version(old[0]) != old[1]):
                # Before 1.14, modules.txt omitted wildcard replacements and replacements
                # of modules without vendored packages.
                continue
            errors.append(
                _error(
                    *old,
                    f"is replaced in {source}, but not marked as replaced in vendor/modules.txt",
                )
            )
        elif new != recorded:
            # For the main module Go found no replacement and no source file either, and
            # prints both as empty strings ("is replaced by  in , but ..."); we do the same.
            shown, where = (_describe(new), source) if new is not None else ("", "")
            errors.append(
                _error(
                    *old,
                    f"is replaced by {shown} in {where}, but marked as replaced by "
                    f"{_describe(recorded)} in vendor/modules.txt",
                )
            )

    # 3. Every vendored module marked explicit must be required with that exact version.
    required = {(r.path, r.version) for r in mf.require}
    for key in mt.vendor_list:
        vm = meta.get(key)
        if vm is not None and vm.explicit and key not in required:
            errors.append(
                _error(
                    *key,
                    "is marked as explicit in vendor/modules.txt, but not explicitly "
                    "required in go.mod",
                )
            )

    # 4. Every replacement recorded in modules.txt must exist in go.mod.
    for path, version in mt.replaced:
        if path == main_path and version == "":
            found = None
        else:
            found = effective_replacement(rmap, path, version)
        if found is None:
            errors.append(
                _error(
                    path,
                    version,
                    "is marked as replaced in vendor/modules.txt, but not replaced in go.mod",
                )
            )
    return errors


def format_inconsistency(root: str, errors: list[str]) -> str:
    """The go command's full message for ``errors`` found in the module at ``root``."""
    details = "".join(f"\n\t{e}" for e in errors)
    return (
        f"go: inconsistent vendoring in {root}:{details}\n\n"
        "\tTo ignore the vendor directory, use -mod=readonly or -mod=mod.\n"
        "\tTo sync the vendor directory, run:\n"
        "\t\tgo mod vendor"
    )


def check_vendored_roots(mf: ModFile, mt: ModulesTxt | None) -> list[str]:
    """The check cmd/go runs *after* a consistent result, for go ≥ 1.17 (pruned graphs).

    Every module that provides vendored packages must be the highest required version of its
    path (``initVendor``); returns the offending modules as ``path[@version]``.
    """
    if mt is None or gover_compare(mf.go, "1.17") < 0:
        return []
    main_path = mf.module.path if mf.module is not None else None
    selected: dict[str, str] = {}
    for r in mf.require:
        if r.path not in selected or semver.compare(selected[r.path], r.version) < 0:
            selected[r.path] = r.version
    bad = []
    for path, version in mt.vendor_list:
        have = "" if path == main_path else selected.get(path)
        if have != version:
            bad.append(f"{path}@{version}" if version else path)
    return bad


def format_unrequired(modules: list[str]) -> str:
    """The go command's message for :func:`check_vendored_roots` problems (``-mod=vendor``)."""
    lines = [f"go: vendored module {m} should be required explicitly in go.mod" for m in modules]
    lines.append("go: updates to go.mod needed, disabled by -mod=vendor; to update it:")
    return "\n".join(lines) + "\n\tgo mod tidy"
