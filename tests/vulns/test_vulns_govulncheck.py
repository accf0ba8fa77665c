"""Differential: ``vendaudit vulns`` against ``govulncheck -scan module`` on the same database.

Runs benchmarks/compare_govulncheck.py's harness (a stub tree importing every vendored
package, so govulncheck loads every module that has vendored code) on the crafted edge
cases, on moby's real manifests with the real 14-entry excerpt, and on moby with random
databases around its own module versions.  Skipped when govulncheck (``$GOVULNCHECK``, PATH,
or Debian sid's .deb unpacked in /tmp/gvc) or Go is missing.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
MOBY = ROOT.parent / "shared" / "realworld" / "moby"
EXCERPT = (ROOT / "fixtures" / "govulndb").as_uri()

pytestmark = pytest.mark.govulncheck


@pytest.fixture(scope="module")
def harness() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "compare_govulncheck", ROOT / "benchmarks" / "compare_govulncheck.py"
    )
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def tools(harness: ModuleType) -> tuple[str, str]:
    gvc, go = harness.find_govulncheck(), harness.find_go()
    if gvc is None or go is None:
        pytest.skip("govulncheck or go not installed (apt-get download govulncheck/sid)")
    return gvc, go


def test_crafted_edge_cases(harness: ModuleType, tools: tuple[str, str], tmp_path: Path) -> None:
    gomod, modules_txt, db = harness.crafted_case(tmp_path)
    ours, theirs = harness.compare_stub(*tools, gomod, modules_txt, db)
    assert ours == theirs
    assert len(ours) > 20  # the cases did run


@pytest.mark.realworld
def test_moby_on_the_real_excerpt(harness: ModuleType, tools: tuple[str, str]) -> None:
    if not MOBY.is_dir():
        pytest.skip("../shared/realworld/moby is absent")
    ours, theirs = harness.compare_stub(
        *tools, MOBY / "vendor.mod", MOBY / "vendor" / "modules.txt", EXCERPT
    )
    assert ours == theirs


@pytest.mark.realworld
@pytest.mark.parametrize("seed", [1, 2])
def test_moby_on_random_databases(
    harness: ModuleType, tools: tuple[str, str], tmp_path: Path, seed: int
) -> None:
    if not MOBY.is_dir():
        pytest.skip("../shared/realworld/moby is absent")
    modules_txt = MOBY / "vendor" / "modules.txt"
    db = harness.synth_db(modules_txt, tmp_path / "db", seed)
    ours, theirs = harness.compare_stub(*tools, MOBY / "vendor.mod", modules_txt, db)
    assert ours == theirs
    assert len(ours) > 100


def test_real_tree_keeps_the_compiled_modules(
    harness: ModuleType, tools: tuple[str, str], tmp_path: Path
) -> None:
    # On a real tree govulncheck loads the package in "." for the host: a module imported
    # only from a windows file or a test is not checked; `vulns --packages .` agrees.
    root = tmp_path / "tree"
    mods = {"ex.org/all": "v1.0.0", "ex.org/win": "v1.0.0", "ex.org/test": "v1.0.0"}
    require = "".join(f"\t{m} {v}\n" for m, v in mods.items())
    (root / "vendor").mkdir(parents=True)
    (root / "go.mod").write_text(f"module example.com/main\n\ngo 1.22\n\nrequire (\n{require})\n")
    txt = "".join(f"# {m} {v}\n## explicit\n{m}\n" for m, v in mods.items())
    (root / "vendor" / "modules.txt").write_text(txt)
    for m in mods:
        (root / "vendor" / m).mkdir(parents=True)
        (root / "vendor" / m / "x.go").write_text("package x\n")
    (root / "main.go").write_text('package main\n\nimport _ "ex.org/all"\n\nfunc main() {}\n')
    (root / "main_windows.go").write_text('package main\n\nimport _ "ex.org/win"\n')
    (root / "main_test.go").write_text('package main\n\nimport _ "ex.org/test"\n')
    entries = [
        {
            "id": f"GO-2099-000{i}",
            "modified": "2026-01-01T00:00:00Z",
            "affected": [{"package": {"name": m, "ecosystem": "Go"}, "ranges": []}],
        }
        for i, m in enumerate(mods)
    ]
    harness.write_db(tmp_path / "db", entries)
    ours, theirs = harness.compare_real(*tools, root, (tmp_path / "db").as_uri())
    assert ours == theirs == {("ex.org/all", "v1.0.0", "GO-2099-0000", "")}
