"""The typer application object, the exit codes every command shares, and lazy commands.

Start-up time is most of a warm run, so nothing here imports a command module before
it is needed: :class:`LazyGroup` imports the one module that defines the command being
run (every module only for ``--help`` or an unknown name), and :mod:`vendaudit.cli.fastparams`
keeps typer from importing pydantic to turn ``str`` into ``Path``.
"""

from __future__ import annotations

import importlib
import sys
from enum import IntEnum
from typing import Any, NoReturn

import typer
import typer.core

__all__ = ["COMMAND_MODULES", "ExitCode", "LazyGroup", "app", "fail"]

COMMAND_MODULES: dict[str, str] = {
    "diff": "vendaudit.cli.diff",
    "graph": "vendaudit.cli.graph",
    "history": "vendaudit.cli.history",
    "why": "vendaudit.cli.graph",
    "modfile": "vendaudit.cli.modfile",
    "modules": "vendaudit.cli.modules",
    "vendor-check": "vendaudit.cli.modules",
    "provides": "vendaudit.cli.provides",
    "licenses": "vendaudit.cli.provides",
    "report": "vendaudit.cli.report",
    "render": "vendaudit.cli.report",
    "serve": "vendaudit.cli.serve",
    "vulns": "vendaudit.cli.vulns",
    "sweep": "vendaudit.cli.sweep",
    "watch": "vendaudit.cli.watch",
}
"""Command name → the module whose ``@app.command`` defines it (in ``--help`` order).

A new command module adds its commands here; a name missing from the table still works
(every module is imported to find it), it only costs start-up time.
"""


def import_command_modules(name: str | None = None) -> None:
    """Import the module defining command ``name`` (every cli module when None/unknown)."""
    module = COMMAND_MODULES.get(name) if name is not None else None
    if module is not None:
        importlib.import_module(module)
        return
    import pkgutil

    import vendaudit.cli

    # The table's order first (--help lists commands in import order), then any module
    # the table does not name yet.
    others = sorted(f"vendaudit.cli.{m.name}" for m in pkgutil.iter_modules(vendaudit.cli.__path__))
    for mod in dict.fromkeys([*COMMAND_MODULES.values(), *others]):
        importlib.import_module(mod)


class LazyGroup(typer.core.TyperGroup):
    """A typer group that imports a command's module only when the command is looked up."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """click's parsing, with pydantic-free coercion of the group's own options."""
        from vendaudit.cli.fastparams import install_fast_coercion

        install_fast_coercion(self, ctx)
        return list(super().parse_args(ctx, args))

    def _adopt(self, wanted: str | None) -> None:
        import_command_modules(wanted)
        for info in app.registered_commands:
            name = info.name or (info.callback.__name__ if info.callback else None)
            if name is None or name in self.commands:
                continue
            command = typer.main.get_command_from_info(
                info,
                pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=app.rich_markup_mode,
            )
            self.add_command(command, name)
        # Command groups (``watch add|list|remove|run``) are sub-apps, adopted the same way.
        for group in app.registered_groups:
            if group.name is None or group.name in self.commands:
                continue
            sub = typer.main.get_group_from_info(
                group,
                pretty_exceptions_short=app.pretty_exceptions_short,
                suggest_commands=True,
                rich_markup_mode=app.rich_markup_mode,
            )
            self.add_command(sub, group.name)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """The command ``cmd_name``, importing its module first when needed."""
        from vendaudit.cli.fastparams import install_fast_coercion

        if cmd_name not in self.commands:
            self._adopt(cmd_name)
        if cmd_name not in self.commands:
            self._adopt(None)
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            install_fast_coercion(command, ctx)
        return command

    def list_commands(self, ctx: Any) -> list[str]:
        """Every command (imports every command module: only ``--help`` asks)."""
        self._adopt(None)
        return super().list_commands(ctx)


app = typer.Typer(
    name="vendaudit",
    cls=LazyGroup,
    help="Audit a Go project's vendored modules against Debian, Ubuntu, Fedora and EPEL.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain click help: rich's boxed help squeezes descriptions into a few cut-off
    # characters at 80 columns; click's wraps them whole.
    rich_markup_mode=None,
)


def _print_version(value: bool) -> None:
    if value:
        from vendaudit import __version__

        typer.echo(f"vendaudit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False,
        "--version",
        callback=_print_version,
        is_eager=True,
        help="Print vendaudit's version and exit.",
    ),
) -> None:
    """Audit a Go project's vendored modules against Debian, Ubuntu, Fedora and EPEL."""


class ExitCode(IntEnum):
    """Documented exit codes (README "Exit codes"); mapped here and nowhere else."""

    OK = 0
    FINDINGS = 1
    """``--fail-on`` matched, or ``diff --fail-on-regression`` found a regression."""
    USAGE = 2
    """Bad command line (typer/click's own code)."""
    BAD_INPUT = 3
    """A manifest, modules.txt, report or policy file is missing or invalid."""
    ALL_TARGETS_FAILED = 4
    """Every requested distro target failed to load (or a vulnerability gate's database)."""


def fail(message: str, code: ExitCode = ExitCode.BAD_INPUT) -> NoReturn:
    """Print ``message`` (may be several lines) to stderr and exit with ``code``."""
    sys.stderr.write(message.rstrip("\n") + "\n")
    raise typer.Exit(int(code))


@app.command("version")
def version_cmd() -> None:
    """Print vendaudit's version."""
    from vendaudit import __version__

    typer.echo(__version__)
