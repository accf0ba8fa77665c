"""Module versions from real vendor/modules.txt files, and the package doctests."""

from __future__ import annotations

import doctest
import importlib
import itertools
from pathlib import Path

import pytest

from vendaudit.versions import modpath, pseudo, semver

MODULES = [
    "vendaudit.versions",
    "vendaudit.versions.semver",
    "vendaudit.versions.modpath",
    "vendaudit.versions.pseudo",
    "vendaudit.versions.gover",
    "vendaudit.versions.debian",
    "vendaudit.versions.rpm",
    "vendaudit.versions.satisfy",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def module_lines(modules_txt: Path) -> list[tuple[str, str]]:
    """(path, version) of every ``# path version`` header (replacement side if any)."""
    out = []
    for line in modules_txt.read_text().splitlines():
        if not line.startswith("# "):
            continue
        fields = line[2:].split()
        if "=>" in fields:
            fields = fields[fields.index("=>") + 1 :]
        if len(fields) == 2 and not fields[0].startswith("."):
            out.append((fields[0], fields[1]))
    return out


@pytest.mark.realworld
@pytest.mark.parametrize("tree", ["moby", "moby-v2-head"])
def test_real_module_versions(realworld: Path, tree: str) -> None:
    modules_txt = realworld / tree / "vendor" / "modules.txt"
    if not modules_txt.is_file():
        pytest.skip(f"{modules_txt} not present")
    pairs = module_lines(modules_txt)
    assert len(pairs) > 50
    n_pseudo = 0
    for path, version in pairs:
        modpath.check_path(path)
        modpath.check(path, version)
        assert semver.canonical_version(version) == version
        assert modpath.module_major(path, version) >= 1 or path.endswith(".v0")
        if pseudo.is_pseudo_version(version):
            n_pseudo += 1
            p = pseudo.parse_pseudo(version)
            assert p.time.year >= 2000 or pseudo.is_zero_pseudo_version(version)
            assert len(p.revision) == 12
            again = pseudo.make_pseudo_version(semver.major(version), p.base, p.time, p.revision)
            assert again == version
    assert n_pseudo > 5
    ordered = semver.sort_versions([v for _, v in pairs])
    assert all(semver.compare(a, b) <= 0 for a, b in itertools.pairwise(ordered))
