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
