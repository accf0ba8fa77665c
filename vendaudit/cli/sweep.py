"""``vendaudit sweep``: every Go application of a suite, audited in one batch."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from vendaudit.cli.app import ExitCode, app, fail
from vendaudit.cli.common import make_fetcher, write_output
from vendaudit.cli.report import parse_targets
from vendaudit.cli.watch import audit_options_from, lookup_from, with_source_options


@app.command("sweep")
@with_source_options
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
    *,
    sources: dict[str, Any],
) -> None:
    """Audit every Go application of a suite in one batch and rank what to package next."""
    from vendaudit import api
    from vendaudit.distros.interface import Failed
    from vendaudit.report.build import generated_now
    from vendaudit.report.model import Report
    from vendaudit.sweep.local import SweepInputError, read_manifest_dir
    from vendaudit.sweep.render import ARCHIVE_FORMATS, render_archive
    from vendaudit.sweep.run import run_sweep

    if fmt not in ARCHIVE_FORMATS:
        fail(
            f"vendaudit: --format {fmt!r}: use one of {', '.join(ARCHIVE_FORMATS)}", ExitCode.USAGE
        )
    from vendaudit.model import Target

    lookup = lookup_from(sources)
    targets = parse_targets(distro) or [Target.parse(t) for t in lookup.local_indexes]
    if not targets:
        fail("vendaudit: no target: give --distro (e.g. --distro debian:sid)", ExitCode.USAGE)
    fetcher = make_fetcher(sources["cache_dir"], sources["offline"], run_timeout=sources["timeout"])
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
        generated_at = generated_now()
        options = dataclasses.replace(audit_options_from(sources), generated_at=generated_at)

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
