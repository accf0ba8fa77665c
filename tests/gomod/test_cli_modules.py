"""CLI: ``vendaudit modules`` and ``vendaudit vendor-check``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner, Result

import vendaudit.cli.modules  # noqa: F401 - registers the commands on the app
from vendaudit.cli.app import app

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "vendor"

SCHEMA = {
    "type": "object",
    "required": ["manifest", "main_module", "go", "modules_txt", "modules"],
    "additionalProperties": False,
    "properties": {
        "manifest": {"type": "string"},
        "main_module": {"type": "string"},
        "go": {"type": "string"},
        "modules_txt": {"type": ["string", "null"]},
        "modules": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": [
                    "path",
                    "version",
                    "indirect",
                    "replace",
                    "explicit",
                    "packages",
                    "go_version",
                ],
                "properties": {
                    "path": {"type": "string"},
                    "version": {"type": "string"},
                    "indirect": {"type": "boolean"},
                    "replace": {
                        "oneOf": [
                            {"type": "null"},
                            {
                                "type": "object",
                                "required": ["path", "version"],
                                "additionalProperties": False,
                                "properties": {
                                    "path": {"type": "string"},
                                    "version": {"type": "string"},
                                },
                            },
                        ]
                    },
                    "explicit": {"type": ["boolean", "null"]},
                    "packages": {"type": "array", "items": {"type": "string"}},
                    "go_version": {"type": ["string", "null"]},
                },
            },
        },
    },
}


def run(*args: str) -> Result:
    result = CliRunner().invoke(app, list(args))
    # Only clean exits: never an uncaught exception (a traceback for the user).
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_modules_json() -> None:
    result = run("modules", str(FIXTURES / "consistent"), "--json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    jsonschema.validate(doc, SCHEMA)
    assert doc["main_module"] == "example.com/m"
    assert doc["go"] == "1.22"
    assert doc["modules_txt"] == str(FIXTURES / "consistent" / "vendor" / "modules.txt")
    assert doc["modules"][0] == {
        "path": "example.com/a",
        "version": "v1.0.0",
        "indirect": False,
        "replace": None,
        "explicit": True,
        "packages": ["example.com/a", "example.com/a/sub"],
        "go_version": "1.21",
    }
    assert [m["path"] for m in doc["modules"]] == [
        "example.com/a",
        "example.com/b",
        "golang.org/x/text",
    ]


def test_modules_json_without_modules_txt(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text("module example.com/m\n\nrequire example.com/a v1.0.0\n")
    doc = json.loads(run("modules", str(tmp_path / "go.mod"), "--json").stdout)
    jsonschema.validate(doc, SCHEMA)
    assert doc["modules_txt"] is None and doc["go"] == ""
    assert doc["modules"][0]["explicit"] is None and doc["modules"][0]["go_version"] is None


def test_modules_table_and_modules_txt_option() -> None:
    other = FIXTURES / "dir-replace" / "vendor" / "modules.txt"
    result = run("modules", str(FIXTURES / "dir-replace"), "--modules-txt", str(other))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("example.com/m (go 1.22) from ")
    assert lines[1].split() == ["MODULE", "VERSION", "FLAGS", "PKGS", "REPLACED", "BY"]
    assert lines[2].split() == ["example.com/api", "v1.5.0", "explicit,go1.23", "1", "./api"]
    assert lines[-1] == f"2 modules, {other}"


def test_vendor_check_consistent() -> None:
    result = run("vendor-check", str(FIXTURES / "consistent"))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "is consistent" in result.stderr


def test_vendor_check_inconsistent_prints_go_message(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    shutil.copytree(FIXTURES / "version-bump", root)
    result = run("vendor-check", str(root / "go.mod"))
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr == (
        f"go: inconsistent vendoring in {root}:\n"
        "\texample.com/a@v1.1.0: is explicitly required in go.mod, but not marked as explicit"
        " in vendor/modules.txt\n"
        "\texample.com/a@v1.0.0: is marked as explicit in vendor/modules.txt, but not explicitly"
        " required in go.mod\n"
        "\n"
        "\tTo ignore the vendor directory, use -mod=readonly or -mod=mod.\n"
        "\tTo sync the vendor directory, run:\n"
        "\t\tgo mod vendor\n"
    )


def test_vendor_check_without_modules_txt() -> None:
    result = run("vendor-check", str(FIXTURES / "no-modules-txt"))
    assert result.exit_code == 3
    assert result.stderr.count("not marked as explicit") == 2


@pytest.mark.parametrize("command", ["modules", "vendor-check"])
@pytest.mark.parametrize(
    ("files", "target", "message"),
    [
        ({}, "missing.mod", "missing.mod: no such file"),
        ({}, ".", "no go.mod or vendor.mod in this directory"),
        ({"go.mod": b"\x7fELF\x02\x01\x01\x00\x00\xff\xfe"}, "go.mod", "go.mod:1"),
        ({"go.mod": b"go 1.22\n"}, "go.mod", "missing module declaration"),
        (
            {"go.mod": b"module example.com/m\n", "vendor/modules.txt": b"# a v1\n\x00\x01"},
            ".",
            "modules.txt:2: unexpected NUL byte",
        ),
        (
            {"go.mod": b"module example.com/m\n", "vendor/modules.txt/x": b""},
            ".",
            "modules.txt: is a directory",
        ),
    ],
)
def test_bad_input_exits_3(
    tmp_path: Path, command: str, files: dict[str, bytes], target: str, message: str
) -> None:
    for name, body in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(body)
    result = run(command, str(tmp_path / target))
    assert result.exit_code == 3
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_explicit_modules_txt_must_exist(tmp_path: Path) -> None:
    result = run("vendor-check", str(FIXTURES / "consistent"), "--modules-txt", "nope.txt")
    assert result.exit_code == 3
    assert result.stderr == "nope.txt: no such file\n"


@pytest.mark.realworld
def test_realworld_moby(realworld: Path, tmp_path: Path) -> None:
    assert run("vendor-check", str(realworld / "moby")).exit_code == 0
    assert run("vendor-check", str(realworld / "moby-v2-head")).exit_code == 0
    doc = json.loads(run("modules", str(realworld / "moby"), "--json").stdout)
    jsonschema.validate(doc, SCHEMA)
    assert doc["manifest"].endswith("vendor.mod") and len(doc["modules"]) == 234


def test_vendor_check_unrequired_vendored_module(tmp_path: Path) -> None:
    (tmp_path / "vendor").mkdir()
    (tmp_path / "go.mod").write_text("module example.com/m\n\ngo 1.22\n")
    (tmp_path / "vendor" / "modules.txt").write_text("# example.com/b v1.2.0\nexample.com/b\n")
    result = run("vendor-check", str(tmp_path))
    assert result.exit_code == 3
    assert result.stderr.startswith(
        "go: vendored module example.com/b@v1.2.0 should be required explicitly in go.mod\n"
    )
