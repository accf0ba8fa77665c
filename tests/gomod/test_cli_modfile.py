"""``vendaudit modfile``: JSON output, summary, and errors with exit code 3."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from vendaudit.cli import app
from vendaudit.cli.app import ExitCode

runner = CliRunner()


def test_json_is_byte_identical_to_go_golden(fixtures: Path) -> None:
    mod = fixtures / "gomod" / "html-chars.mod"
    result = runner.invoke(app, ["modfile", "--json", str(mod)])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == (fixtures / "gomod" / "html-chars.json").read_bytes()


def test_summary(fixtures: Path) -> None:
    result = runner.invoke(app, ["modfile", str(fixtures / "gomod" / "vendor-mod-moby-style.mod")])
    assert result.exit_code == 0, result.output
    assert "module    github.com/docker/docker" in result.stdout
    assert "require   5 (3 direct, 2 indirect)" in result.stdout
    assert "exclude   2" in result.stdout


def test_summary_writes_undecodable_bytes_back_raw(tmp_path: Path) -> None:
    mod = tmp_path / "go.mod"
    mod.write_bytes(b"module example.com/\xffm\n\ngo 1.21\n")
    result = runner.invoke(app, ["modfile", str(mod)])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(b"module    example.com/\xffm\n")


def test_lax_option(tmp_path: Path) -> None:
    mod = tmp_path / "go.mod"
    mod.write_text("module x.y/m\nfoo bar\n")
    assert runner.invoke(app, ["modfile", str(mod)]).exit_code == ExitCode.BAD_INPUT
    result = runner.invoke(app, ["modfile", "--lax", "--json", str(mod)])
    assert result.exit_code == 0
    assert '"Path": "x.y/m"' in result.stdout


def test_all_errors_on_stderr_exit_3(fixtures: Path) -> None:
    bad = fixtures / "gomod" / "bad" / "several-errors.mod"
    result = runner.invoke(app, ["modfile", str(bad)])
    assert result.exit_code == ExitCode.BAD_INPUT
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 4
    assert lines[0] == (
        f'{bad}:2: require example.com/a: version "1.2.3" invalid: must be of the form v1.2.3'
    )
    assert "Traceback" not in result.output


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.mod"
    result = runner.invoke(app, ["modfile", str(missing)])
    assert result.exit_code == ExitCode.BAD_INPUT
    assert result.stderr == f"{missing}: No such file or directory\n"


def test_directory(tmp_path: Path) -> None:
    result = runner.invoke(app, ["modfile", "--json", str(tmp_path)])
    assert result.exit_code == ExitCode.BAD_INPUT
    assert result.stderr == f"{tmp_path}: Is a directory\n"


def test_binary_garbage_is_a_clean_error(tmp_path: Path) -> None:
    mod = tmp_path / "go.mod"
    mod.write_bytes(bytes(range(256)))
    result = runner.invoke(app, ["modfile", str(mod)])
    assert result.exit_code == ExitCode.BAD_INPUT
    assert result.stderr == f"{mod}:1: unexpected input character '\\x00'\n"
