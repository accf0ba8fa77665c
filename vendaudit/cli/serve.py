"""``vendaudit serve``: the web pages, API and feeds, with an optional background refresh."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from vendaudit.cli.app import ExitCode, app, fail
from vendaudit.cli.watch import DbOption, execute, open_store, settings_from, with_run_options

if TYPE_CHECKING:
    from vendaudit.service.web import ExtraPage


@app.command("serve")
@with_run_options
def serve_cmd(
    db: DbOption = None,
    host: Annotated[
        str, typer.Option("--host", envvar="VENDAUDIT_HOST", help="Listen address (loopback).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", envvar="VENDAUDIT_PORT")] = 8080,
    refresh: Annotated[
        str | None,
        typer.Option(
            "--refresh",
            envvar="VENDAUDIT_REFRESH",
            help="Run projects whose newest run is older than this (30m, 6h, 1d).",
        ),
    ] = None,
    archive: Annotated[
        Path | None,
        typer.Option(
            "--archive",
            envvar="VENDAUDIT_ARCHIVE",
            help="Serve this archive.json (from 'vendaudit sweep --output-dir') at /archive; "
            "re-read whenever it changes.",
        ),
    ] = None,
    *,
    sources: dict[str, Any],
) -> None:
    """Serve the watch list's pages, /api/v1 and Atom feeds (writes need VENDAUDIT_TOKEN)."""
    from vendaudit.service.scheduler import RunQueue, parse_interval
    from vendaudit.service.web import create_app

    interval = None
    if refresh:
        try:
            interval = parse_interval(refresh)
        except ValueError as exc:
            fail(f"vendaudit: --refresh: {exc}", ExitCode.USAGE)
    settings = settings_from(sources)
    sources = {**sources, "progress": False}
    store = open_store(db)

    def run(names: list[str]) -> None:
        watched = [p for p in store.projects() if p.name in names]
        if watched:
            execute(store, watched, settings, sources)

    def due() -> list[str]:
        return store.due_projects(interval) if interval is not None else []

    queue = RunQueue(run, due=due if interval is not None else None, poll=30.0)
    queue.start()
    token = os.environ.get("VENDAUDIT_TOKEN") or None
    extra = [archive_page(archive)] if archive is not None else []
    web = create_app(store, token=token, trigger=queue.submit, extra_pages=extra)
    if interval is not None:
        queue.submit(due())
    try:
        serve_asgi(web, host, port)
    finally:
        queue.stop()
        store.close()


def archive_page(path: Path) -> ExtraPage:
    """``/archive``: the sweep's archive view from ``path``, re-read when the file changes."""
    from html import escape

    from vendaudit.service.web import ExtraPage
    from vendaudit.sweep.render import ArchiveFormatError, archive_body, load_archive

    seen: dict[str, tuple[int, str]] = {}

    def render(_store: object, _request: object) -> str:
        try:
            stamp = path.stat().st_mtime_ns
        except OSError as exc:
            return f"<h1>Archive</h1><p class=error>{escape(str(path))}: {escape(str(exc))}</p>"
        cached = seen.get("page")
        if cached is not None and cached[0] == stamp:
            return cached[1]
        try:
            body = archive_body(load_archive(path))
        except ArchiveFormatError as exc:
            return f"<h1>Archive</h1><p class=error>{escape(str(exc))}</p>"
        seen["page"] = (stamp, body)
        return body

    return ExtraPage("/archive", "Archive", render)


def serve_asgi(web: Any, host: str, port: int) -> None:
    """Serve ``web`` with Hypercorn until SIGINT or SIGTERM (then finish in-flight requests).

    NOTE(service): Hypercorn, not uvicorn: uvicorn needs click, and with click installed
    httpx imports its own CLI (rich, pygments) on every vendaudit start.
    """
    from hypercorn.asyncio import serve
    from hypercorn.config import Config

    config = Config()
    config.bind = [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"]
    config.include_server_header = False
    config.accesslog = "-"
    config.graceful_timeout = 5.0

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        sys.stderr.write(f"vendaudit: serving on http://{config.bind[0]}/\n")
        await serve(web, config, shutdown_trigger=stop.wait)

    try:
        asyncio.run(main())
    except OSError as exc:
        fail(f"vendaudit: cannot listen on {host}:{port}: {exc.strerror or exc}", ExitCode.USAGE)
