"""``vendaudit history NAME``: a watched project's trend from the command line."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from vendaudit.cli.app import ExitCode, app, fail
from vendaudit.cli.watch import DbOption, open_store


@app.command("history")
def history_cmd(
    name: Annotated[str, typer.Argument(help="A watched project.")],
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    limit: Annotated[int, typer.Option("--limit", help="Newest runs to show.", min=1)] = 30,
) -> None:
    """Show NAME's runs, newest first: verdict counts per target and what changed."""
    from vendaudit.service import UnknownProject
    from vendaudit.service.render import history_json, history_table

    if fmt not in ("table", "json"):
        fail(f"vendaudit: --format: unknown value {fmt!r} (one of table, json)", ExitCode.USAGE)
    store = open_store(db)
    try:
        runs = store.runs(name, limit=limit)
    except UnknownProject as exc:
        fail(f"vendaudit: {exc}", ExitCode.BAD_INPUT)
    finally:
        store.close()
    if fmt == "json":
        typer.echo(json.dumps(history_json(name, runs), indent=2, ensure_ascii=False))
    else:
        typer.echo(history_table(name, runs), nl=False)
