"""``--apt-lists [DIR]``: the optional value click options cannot express."""

from __future__ import annotations

from pathlib import Path

from vendaudit.cli import _optional_values

DEFAULT = "/var/lib/apt/lists"


def test_apt_lists_gets_its_default_when_no_dir_follows(tmp_path: Path) -> None:
    assert _optional_values(["report", "go.mod", "--apt-lists"]) == [
        "report",
        "go.mod",
        "--apt-lists",
        DEFAULT,
    ]
    assert _optional_values(["report", "--apt-lists", "go.mod", "-d", "debian:sid"]) == [
        "report",
        "--apt-lists",
        DEFAULT,
        "go.mod",
        "-d",
        "debian:sid",
    ]
    given = ["report", "--apt-lists", str(tmp_path), "go.mod"]
    assert _optional_values(given) == given
    assert _optional_values(["report", "go.mod"]) == ["report", "go.mod"]


def test_apt_lists_followed_by_a_directory_manifest(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text("module example.com/m\n")
    argv = ["report", "--apt-lists", str(tmp_path), "-d", "debian:sid"]
    assert _optional_values(argv) == [
        "report",
        "--apt-lists",
        DEFAULT,
        str(tmp_path),
        "-d",
        "debian:sid",
    ]
