"""``vendaudit sweep``: every Go application of a suite, audited in one batch."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from vendaudit.cli.app import ExitCode, app, fail
from vendaudit.cli.common import make_fetcher, write_output
from vendaudit.cli.report import parse_indexes, parse_keyrings, parse_mirrors, parse_targets


def _generated_at() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch and epoch.isdigit() else None
    return (when or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat()


@app.command("sweep")
def sweep_cmd(
    distro: Annotated[
        list[str],
        typer.Option(
            "--distro",
            "-d",
            envvar="VENDAUDIT_DISTRO",
            help="Targets to audit against, comma-separated (the first Debian/Ubuntu one is "
            "the suite whose applications are listed, unless --apps-from says otherwise).",
        ),
    ] = [],  # noqa: B006 - typer reads the default, never mutates it
    manifests: Annotated[
        Path | None,
        typer.Option(
            "--manifests",
            help="Read the applications from DIR/<application>/go.mod (or vendor.mod) "
            "instead of listing and fetching them.",
        ),
    ] = None,
    apps_from: Annotated[
        str | None, typer.Option("--apps-from", help="The suite whose Go applications to list.")
    ] = None,
    output_dir: Annotated[
        Path | None,
        typer.Option(
            "--output-dir",
            help="Write archive.{json,md,html}, one report per application under apps/, "
            "and fetched manifests under manifests/.",
        ),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="json, markdown or html (stdout or -o).")
    ] = "markdown",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="Rows per ranked table.")] = 50,
    sources_base: Annotated[
        str, typer.Option("--sources-url", help="Debsources base URL.")
    ] = "https://sources.debian.org",
    rate: Annotated[
        float, typer.Option("--rate", help="At most this many Debsources requests a second.")
    ] = 8.0,
    index: Annotated[
        list[str], typer.Option("--index", help="Use a local index file: TARGET=PATH.")
    ] = [],  # noqa: B006
    apt_lists: Annotated[
        Path | None, typer.Option("--apt-lists", help="Read the Sources files apt downloaded.")
    ] = None,
    dnf_cache: Annotated[
        Path | None, typer.Option("--dnf-cache", help="Read repodata from dnf's cache dir.")
    ] = None,
    mirror: Annotated[
        list[str], typer.Option("--mirror", envvar="VENDAUDIT_MIRROR", help="URL, or DISTRO=URL.")
    ] = [],  # noqa: B006
    cache_dir: Annotated[
        Path | None, typer.Option("--cache-dir", envvar="VENDAUDIT_CACHE_DIR")
    ] = None,
    offline: Annotated[
        bool, typer.Option("--offline", envvar="VENDAUDIT_OFFLINE", help="Use only the cache.")
    ] = False,
    allow_unsigned: Annotated[
        bool,
        typer.Option(
            "--allow-unsigned",
            envvar="VENDAUDIT_ALLOW_UNSIGNED",
            help="Accept an InRelease whose signature cannot be verified (as report does).",
        ),
    ] = False,
    keyring: Annotated[
        list[str],
        typer.Option("--keyring", envvar="VENDAUDIT_KEYRING", help="PATH or DISTRO=PATH."),
    ] = [],  # noqa: B006
    timeout: Annotated[
        float | None,
        typer.Option(
            "--timeout",
            envvar="VENDAUDIT_TIMEOUT",
            min=0.1,
            help="Seconds for the whole run's downloads.",
        ),
    ] = None,
    tag_dates: Annotated[
        bool,
        typer.Option(
            "--tag-dates/--no-tag-dates",
            envvar="VENDAUDIT_TAG_DATES",
            help="Ask the Go module proxy for tag dates (as report does).",
        ),
    ] = True,
) -> None:
    """Audit every Go application of a suite in one batch and rank what to package next."""
    from vendaudit import api
    from vendaudit.distros.interface import Failed
    from vendaudit.report.model import Report
    from vendaudit.sweep.local import SweepInputError, read_manifest_dir
    from vendaudit.sweep.render import ARCHIVE_FORMATS, render_archive
    from vendaudit.sweep.run import run_sweep

    if fmt not in ARCHIVE_FORMATS:
        fail(
            f"vendaudit: --format {fmt!r}: use one of {', '.join(ARCHIVE_FORMATS)}", ExitCode.USAGE
        )
    indexes = parse_indexes(index)
    from vendaudit.model import Target

    targets = parse_targets(distro) or [Target.parse(t) for t in indexes]
    if not targets:
        fail("vendaudit: no target: give --distro (e.g. --distro debian:sid)", ExitCode.USAGE)
    lookup = api.LookupOptions(
        mirrors=parse_mirrors(mirror),
        local_indexes=indexes,
        apt_lists=apt_lists,
        dnf_cache=dnf_cache,
        allow_unsigned=allow_unsigned,
        keyrings=parse_keyrings(keyring),
    )
    fetcher = make_fetcher(cache_dir, offline, run_timeout=timeout)
    with api.load_targets(targets, lookup, fetcher=fetcher) as loaded:
        if manifests is not None:
            try:
                found = read_manifest_dir(manifests)
            except SweepInputError as exc:
                fail(str(exc))
            rule = f"every subdirectory of {manifests} holding a go.mod or vendor.mod"
        else:
            from vendaudit.sweep.listing import SweepListingError, fetch_applications

            try:
                found, rule = fetch_applications(
                    loaded.targets,
                    loaded.fetcher,
                    lookup,
                    apps_from=apps_from,
                    base=sources_base,
                    rate=rate,
                    dest=(output_dir / "manifests") if output_dir else None,
                )
            except SweepListingError as exc:
                fail(f"vendaudit: {exc}", ExitCode.ALL_TARGETS_FAILED)
        failed = [
            (r.target.id, r.status.error or "failed")
            for r in loaded.results
            if isinstance(r, Failed)
        ]
        generated_at = _generated_at()
        options = api.AuditOptions(
            tag_dates=tag_dates,
            graph=api.GraphChoice.NONE,
            licenses=False,
            generated_at=generated_at,
        )

        def audit_one(path: Path) -> Report:
            return api.audit(api.load_project(path), loaded, options)

        view = run_sweep(
            found,
            audit_one,
            [t.id for t in targets],
            rule=rule,
            generated_at=generated_at,
            target_errors=failed,
            output_dir=output_dir,
        )
    if output_dir is not None:
        for name, kind in (
            ("archive.json", "json"),
            ("archive.md", "markdown"),
            ("archive.html", "html"),
        ):
            write_output(render_archive(view, kind, limit=limit), output_dir / name)
    if output is not None or output_dir is None:
        write_output(render_archive(view, fmt, limit=limit), output)
    sys.stderr.write(f"sweep: {len(view.apps)} applications, {view.audited} audited\n")
    for tid in view.targets:
        sys.stderr.write(
            f"{tid}: {len(view.missing_for(tid))} modules missing, "
            f"{len(view.outdated_for(tid))} packages outdated\n"
        )
    if loaded.all_failed:
        raise typer.Exit(int(ExitCode.ALL_TARGETS_FAILED))
