"""Start-up: commands are imported on demand, and plain options never pull in pydantic."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

import vendaudit.cli
from vendaudit.cli.app import COMMAND_MODULES, app

CLI_DIR = Path(vendaudit.cli.__file__).parent


def _declared_commands() -> dict[str, str]:
    """``@app.command("name")`` → module, read from the sources (nothing imported)."""
    found: dict[str, str] = {}
    for path in sorted(CLI_DIR.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            # `app.add_typer(sub, name="watch")` declares a command group.
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "add_typer"
            ):
                for kw in node.keywords:
                    if kw.arg == "name" and isinstance(kw.value, ast.Constant):
                        found[str(kw.value.value)] = f"vendaudit.cli.{path.stem}"
            if not isinstance(node, ast.FunctionDef):
                continue
            for dec in node.decorator_list:
                if (
                    isinstance(dec, ast.Call)
                    and isinstance(dec.func, ast.Attribute)
                    and dec.func.attr == "command"
                    and isinstance(dec.func.value, ast.Name)
                    and dec.func.value.id == "app"
                    and dec.args
                    and isinstance(dec.args[0], ast.Constant)
                ):
                    found[str(dec.args[0].value)] = f"vendaudit.cli.{path.stem}"
    return found


def test_every_command_is_in_the_lazy_table() -> None:
    declared = _declared_commands()
    declared.pop("version")  # defined beside the app itself
    assert declared == COMMAND_MODULES


def _modules_after(argv: list[str]) -> set[str]:
    code = (
        "import sys\n"
        "from vendaudit.cli import main\n"
        f"sys.argv = {['vendaudit', *argv]!r}\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stdout.flush()\n"
        "sys.stderr.write('\\n'.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return set(done.stderr.splitlines())


def test_an_offline_json_report_imports_only_what_it_uses(fixtures: Path, tmp_path: Path) -> None:
    quick = fixtures / "quickstart"
    argv = ["report", str(quick / "vendor.mod"), "--index", f"debian:sid={quick / 'sid-Sources'}"]
    argv += ["--offline", "--no-tag-dates", "--cache-dir", str(tmp_path), "-f", "json"]
    loaded = _modules_after(argv)
    assert "vendaudit.cli.report" in loaded
    for heavy in (
        "pydantic",
        "networkx",
        "rich",
        "httpx",
        "vendaudit.cli.graph",
        "vendaudit.cli.vulns",
    ):
        assert heavy not in loaded, heavy


def test_version_imports_no_command_module() -> None:
    loaded = _modules_after(["version"])
    assert not {m for m in loaded if m.startswith("vendaudit.cli.")} - {
        "vendaudit.cli.app",
        "vendaudit.cli.fastparams",
    }
    assert "pydantic" not in loaded


def test_option_errors_read_as_typer_words_them(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["report", str(tmp_path), "-d", "debian:sid", "--graph", "x"])
    assert result.exit_code == 2
    assert "Value error, 'x' is not one of 'auto', 'vendor', 'proxy', 'none'." in " ".join(
        result.output.replace("│", " ").split()
    )


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in [*COMMAND_MODULES, "version"]:
        assert name in result.output


def test_every_option_of_every_command_has_a_fast_coercion() -> None:
    import typer.main

    from vendaudit.cli.app import import_command_modules
    from vendaudit.cli.fastparams import _coercion

    import_command_modules()
    group = typer.main.get_command(app)
    slow = [
        f"{name} {param.name}"
        for name, command in group.commands.items()  # type: ignore[attr-defined]
        for param in command.params
        if _coercion(param.type_descriptor.annotation, param.type_descriptor.parameter_info) is None
    ]
    # A new option of another type works, through pydantic: start-up pays ~150 ms for it.
    assert slow == []
