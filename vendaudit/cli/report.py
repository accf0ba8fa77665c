"""``vendaudit report``: the main job — audit manifests against distro releases.

Wiring only: parse the options, call :mod:`vendaudit.api`, render, write, map exit codes.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from vendaudit import api
from vendaudit.cli.app import ExitCode, app, fail
from vendaudit.cli.common import (
    check_output,
    choice,
    make_fetcher,
    make_progress,
    one_of,
    write_output,
)
from vendaudit.descriptor import targets_help
from vendaudit.model import Target, Verdict
from vendaudit.report.formats import ReportFormat

if TYPE_CHECKING:
    from vendaudit.fetch import Fetcher
    from vendaudit.gomod.project import LoadedProject
    from vendaudit.report import Report
    from vendaudit.report.policy import Policy


class DebianBackendChoice(StrEnum):
    """Where Debian data comes from."""

    SOURCES = "sources"
    API = "api"


def parse_targets(values: Sequence[str]) -> list[Target]:
    """``--distro a,b --distro c`` → targets in order, without duplicates."""
    targets: list[Target] = []
    for value in values:
        for item in value.split(","):
            if not item.strip():
                continue
            try:
                target = Target.parse(item)
            except ValueError as exc:
                fail(f"vendaudit: {exc}", ExitCode.USAGE)
            if target not in targets:
                targets.append(target)
    return targets


def parse_indexes(values: Sequence[str]) -> dict[str, tuple[Path, ...]]:
    """``--index debian:sid=PATH`` (repeatable) → target id → files."""
    out: dict[str, list[Path]] = {}
    for value in values:
        spec, sep, path = value.partition("=")
        if not sep or not path:
            fail(f"vendaudit: --index {value!r}: expected TARGET=PATH", ExitCode.USAGE)
        try:
            target = Target.parse(spec)
        except ValueError as exc:
            fail(f"vendaudit: --index {value!r}: {exc}", ExitCode.USAGE)
        p = Path(path)
        try:
            p.stat()
        except OSError as exc:  # ENOENT, and ENAMETOOLONG/EACCES too, in one line
            fail(f"{p}: {(exc.strerror or 'cannot read').lower()}", ExitCode.BAD_INPUT)
        out.setdefault(target.id, []).append(p)
    return {k: tuple(v) for k, v in out.items()}


def parse_mirrors(values: Sequence[str]) -> dict[str, str]:
    """``--mirror URL`` (every registered distro) or ``--mirror debian=URL``."""
    from vendaudit.distros.registry import parse_mirrors as parse

    return parse(values)


def parse_keyrings(values: Sequence[str]) -> dict[str, tuple[Path, ...]]:
    """``--keyring PATH`` (Debian and Ubuntu) or ``--keyring ubuntu=PATH``, repeatable."""
    out: dict[str, list[Path]] = {}
    for value in values:
        name, sep, path = value.partition("=")
        distros = [name.lower()] if sep and name.lower() in ("debian", "ubuntu") else []
        p = Path(path if distros else value)
        if not p.is_file():
            fail(f"{p}: --keyring: no such file", ExitCode.BAD_INPUT)
        for distro in distros or ["debian", "ubuntu"]:
            out.setdefault(distro, []).append(p)
    return {k: tuple(v) for k, v in out.items()}


@app.command("report")
def report_cmd(
    manifests: Annotated[
        list[Path],
        typer.Argument(
            help="go.mod or vendor.mod (or the directory holding it); several need --output-dir.",
            show_default=False,
        ),
    ],
    distro: Annotated[
        list[str],
        typer.Option(
            "--distro",
            "-d",
            envvar="VENDAUDIT_DISTRO",
            help=targets_help() + " Defaults to the targets named by --index.",
        ),
    ] = [],  # noqa: B006 - typer reads the default, never mutates it
    modules_txt: Annotated[
        Path | None, typer.Option("--modules-txt", help="Default: vendor/modules.txt beside it.")
    ] = None,
    index: Annotated[
        list[str],
        typer.Option("--index", help="Use a local index file: TARGET=PATH (repeatable)."),
    ] = [],  # noqa: B006
    apt_lists: Annotated[
        Path | None,
        typer.Option(
            "--apt-lists",
            help="Read Sources files apt already downloaded (default dir /var/lib/apt/lists).",
        ),
    ] = None,
    dnf_cache: Annotated[
        Path | None, typer.Option("--dnf-cache", help="Read repodata from dnf's cache dir.")
    ] = None,
    mirror: Annotated[
        list[str],
        typer.Option("--mirror", envvar="VENDAUDIT_MIRROR", help="URL, or DISTRO=URL."),
    ] = [],  # noqa: B006
    debian_backend: Annotated[
        DebianBackendChoice,
        typer.Option("--debian-backend", envvar="VENDAUDIT_DEBIAN_BACKEND"),
    ] = DebianBackendChoice.SOURCES,
    cache_dir: Annotated[
        Path | None, typer.Option("--cache-dir", envvar="VENDAUDIT_CACHE_DIR")
    ] = None,
    offline: Annotated[
        bool, typer.Option("--offline", envvar="VENDAUDIT_OFFLINE", help="Use only the cache.")
    ] = False,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            envvar="VENDAUDIT_FORMAT",
            help=f"{one_of(ReportFormat)}.",
        ),
    ] = "table",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report here, not stdout.")
    ] = None,
    output_dir: Annotated[
        Path | None,
        typer.Option(
            "--output-dir",
            help="Write one report per manifest here, named after the manifest's directory "
            "(balboa/go.mod -> DIR/balboa.json); the indexes are loaded once.",
        ),
    ] = None,
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on",
            envvar="VENDAUDIT_FAIL_ON",
            help="Exit 1 when a module has one of these verdicts, e.g. outdated,missing.",
        ),
    ] = None,
    policy: Annotated[
        Path | None,
        typer.Option("--policy", envvar="VENDAUDIT_POLICY", help="TOML policy (ignores, fail_on)."),
    ] = None,
    only_satisfied: Annotated[
        bool,
        typer.Option(
            "--only-satisfied", help="Build-Depends/Files-Excluded only for what builds today."
        ),
    ] = False,
    direct_only: Annotated[
        bool,
        typer.Option(
            "--direct-only",
            help="Debian Build-Depends only for direct requirements (the -dev packages' "
            "Depends bring the rest, as docker.io relies on).",
        ),
    ] = False,
    graph: Annotated[
        api.GraphChoice,
        typer.Option(
            "--graph",
            help="Dependency graph for the packaging order: vendor tree, proxy, or none.",
        ),
    ] = api.GraphChoice.AUTO,
    licenses: Annotated[
        bool | None,
        typer.Option("--licenses/--no-licenses", help="Detect licenses of the vendor/ tree."),
    ] = None,
    progress: Annotated[
        bool | None,
        typer.Option("--progress/--no-progress", help="Default: on a TTY, unless CI is set."),
    ] = None,
    allow_unsigned: Annotated[
        bool,
        typer.Option(
            "--allow-unsigned",
            envvar="VENDAUDIT_ALLOW_UNSIGNED",
            help="Accept an InRelease whose signature is missing, bad or cannot be checked "
            "(the report says so). Without it such a target is refused, like apt does.",
        ),
    ] = False,
    keyring: Annotated[
        list[str],
        typer.Option(
            "--keyring",
            envvar="VENDAUDIT_KEYRING",
            help="Archive keyring for InRelease signatures: PATH, or DISTRO=PATH (repeatable; "
            "default: apt's debian-archive-keyring / ubuntu-archive-keyring).",
        ),
    ] = [],  # noqa: B006
    timeout: Annotated[
        float | None,
        typer.Option(
            "--timeout",
            envvar="VENDAUDIT_TIMEOUT",
            min=0.1,
            help="Seconds for the whole run's downloads; what is not fetched by then is "
            "reported unknown.",
        ),
    ] = None,
    vendor_check: Annotated[
        bool,
        typer.Option(
            "--vendor-check/--no-vendor-check",
            help="Refuse (exit 3, Go's messages) a vendor/modules.txt that disagrees with "
            "the manifest, as go build -mod=vendor does.",
        ),
    ] = True,
    tag_dates: Annotated[
        bool,
        typer.Option(
            "--tag-dates/--no-tag-dates",
            envvar="VENDAUDIT_TAG_DATES",
            help="Ask the Go module proxy (GOPROXY) for tag dates to settle snapshot-vs-tag "
            "comparisons; cached forever, honours --offline.",
        ),
    ] = True,
    debian_source: Annotated[
        str | None,
        typer.Option(
            "--debian-source",
            envvar="VENDAUDIT_DEBIAN_SOURCE",
            help="This project's Debian source (default: the one whose Go-Import-Path is the "
            "main module); packages whose source Build-Depends on its binaries are build "
            "cycles and stay vendored.",
        ),
    ] = None,
    vulns: Annotated[
        bool,
        typer.Option(
            "--vulns/--no-vulns",
            envvar="VENDAUDIT_VULNS",
            help="Check the modules against the Go vulnerability database (GOVULNDB) and say "
            "per target whether the packaged copy is fixed; honours --offline.",
        ),
    ] = False,
    govulndb: Annotated[
        str | None,
        typer.Option(
            "--govulndb",
            envvar="GOVULNDB",
            help="Go vulnerability database URL (file:// works); default https://vuln.go.dev.",
        ),
    ] = None,
) -> None:
    """Audit each MANIFEST's required modules against one or more distro releases."""
    from vendaudit.distros.registry import LookupOptions
    from vendaudit.report.policy import Policy, PolicyError, parse_verdicts, split_vulnerable

    report_format = choice(ReportFormat, fmt)
    if len(manifests) > 1 and output_dir is None:
        fail(
            "vendaudit: several manifests: give --output-dir DIR (one report per manifest)",
            ExitCode.USAGE,
        )
    if output_dir is not None and output is not None:
        fail("vendaudit: --output and --output-dir exclude each other", ExitCode.USAGE)
    if len(manifests) > 1 and modules_txt is not None:
        fail("vendaudit: --modules-txt names the modules.txt of one manifest", ExitCode.USAGE)
    check_output(output)
    if output_dir is not None and output_dir.exists() and not output_dir.is_dir():
        fail(f"{output_dir}: cannot write the reports: not a directory (--output-dir)")
    indexes = parse_indexes(index)
    targets = parse_targets(distro) or [Target.parse(t) for t in indexes]
    if not targets:
        fail("vendaudit: no target: give --distro (e.g. --distro debian:sid)", ExitCode.USAGE)
    fail_names, fail_vulnerable = split_vulnerable([fail_on] if fail_on else [])
    try:
        fail_verdicts = parse_verdicts(fail_names)
    except PolicyError as exc:
        fail(f"vendaudit: {exc}", ExitCode.USAGE)
    try:
        # No policy file is the empty policy: --fail-on alone decides.
        policy_obj = Policy.load(policy) if policy is not None else Policy()
    except PolicyError as exc:
        fail(str(exc))
    # A gate on vulnerabilities must look for them: without this, --fail-on vulnerable
    # (or the policy's fail_on) without --vulns passed every run unchecked.
    vulns = vulns or (fail_vulnerable if fail_on else policy_obj.fail_on_vulnerable)
    # One manifest is read before any download: a bad one fails fast (exit 3).
    first = _load_or_fail(manifests[0], modules_txt, vendor_check) if output_dir is None else None

    lookup = LookupOptions(
        mirrors=parse_mirrors(mirror),
        local_indexes=indexes,
        apt_lists=apt_lists,
        dnf_cache=dnf_cache,
        debian_backend=debian_backend.value,
        allow_unsigned=allow_unsigned,
        keyrings=parse_keyrings(keyring),
    )
    options = api.AuditOptions(
        tag_dates=tag_dates,
        graph=graph,
        only_satisfied=only_satisfied,
        direct_only=direct_only,
        licenses=licenses,
        debian_source=debian_source,
        on_warning=_warn,
        vulns=vulns,
        govulndb=govulndb,
    )
    prog = make_progress(progress)
    with prog:
        # Bars only while the indexes load: the reports are written with the bars gone.
        fetcher = make_fetcher(cache_dir, offline, prog, run_timeout=timeout)
        if tag_dates:
            _probe_proxy(fetcher[0])
        loaded = api.load_targets(targets, lookup, progress=prog, fetcher=fetcher)
    with loaded:
        run = _Run(
            loaded,
            options,
            report_format,
            policy_obj,
            fail_verdicts,
            fail_vulnerable if fail_on else None,
        )
        if first is not None:
            codes = [run.one(first, output, prefix="")]
        else:
            assert output_dir is not None
            codes = run.many(manifests, output_dir, modules_txt, vendor_check=vendor_check)
    raise typer.Exit(int(max(codes)))


def terminal_width(output: Path | None) -> int | None:
    """The width the table must fit: ``$COLUMNS``, else the terminal's; None for a file/pipe."""
    if output is not None:
        return None
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        import shutil

        return shutil.get_terminal_size().columns
    return None


def _probe_proxy(fetcher: Fetcher) -> None:
    """Start checking that the first GOPROXY entry answers, while the indexes load: a dead
    or black-holed proxy then costs little more than a --no-tag-dates run."""
    from vendaudit.analysis.goenv import GoEnv, GoEnvError

    try:
        env = GoEnv.from_environ(os.environ)
    except GoEnvError:
        return  # reported when the dates are looked up
    for spec in env.proxies[:1]:
        if spec.url.startswith(("http://", "https://")):
            fetcher.probe(spec.url)


@dataclass(frozen=True)
class _Run:
    """What every manifest of one ``report`` run shares: the indexes, options and policy."""

    loaded: api.LoadedTargets
    options: api.AuditOptions
    report_format: ReportFormat
    policy: Policy
    fail_verdicts: Sequence[Verdict]
    fail_vulnerable: bool | None = None
    """``--fail-on`` named ``vulnerable`` (None: no ``--fail-on``, the policy decides)."""

    def one(self, project: LoadedProject, output: Path | None, *, prefix: str) -> ExitCode:
        """Audit, render and write one project; its exit code (errors said on stderr)."""
        try:
            report = api.audit(project, self.loaded, self.options)
        except api.GoEnvironmentError as exc:
            return _error(str(exc), ExitCode.USAGE)
        except api.GraphUnavailable as exc:
            return _error(str(exc), ExitCode.BAD_INPUT)
        color = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
        text = self.report_format.render(report, color=color, width=terminal_width(output))
        write_output(text, output)
        # The summary and the notes go to stderr whatever the format (README "Using it"),
        # so a pipe of the table still shows them on the terminal.
        _summary(report, prefix)
        if self.loaded.all_failed:
            return ExitCode.ALL_TARGETS_FAILED
        failing = _failing(report, self.fail_verdicts, self.policy, self.fail_vulnerable)
        gate = self.fail_vulnerable
        if gate is None:
            gate = self.policy.fail_on_vulnerable
        if gate and report.security is not None and report.security.error is not None:
            # The gate could not look: "unknown" must not pass as "none found" (as the
            # vulns command, exit 4 when the database cannot be read).
            return ExitCode.ALL_TARGETS_FAILED
        if failing:
            return ExitCode.FINDINGS
        return ExitCode.OK

    def many(
        self,
        manifests: Sequence[Path],
        output_dir: Path,
        modules_txt: Path | None = None,
        *,
        vendor_check: bool = True,
    ) -> list[ExitCode]:
        """One report per manifest in ``output_dir``; a bad manifest is its own error line."""
        from vendaudit.gomod.errors import ManifestError

        try:
            output_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            fail(f"{output_dir}: cannot create: {exc.strerror or exc}", ExitCode.BAD_INPUT)
        ext = self.report_format.extension
        codes: list[ExitCode] = []
        for manifest, name in zip(manifests, report_names(manifests), strict=True):
            try:
                project = api.load_project(manifest, modules_txt, vendor_check=vendor_check)
            except ManifestError as exc:
                codes.append(_error(str(exc), ExitCode.BAD_INPUT))
                continue
            except api.InconsistentVendoring as exc:
                codes.append(_error(f"{exc}\n{_NO_VENDOR_CHECK}", ExitCode.BAD_INPUT))
                continue
            codes.append(self.one(project, output_dir / f"{name}.{ext}", prefix=f"{manifest}: "))
        return codes


_NO_VENDOR_CHECK = "vendaudit: use --no-vendor-check to audit anyway"


def _load_or_fail(manifest: Path, modules_txt: Path | None, vendor_check: bool) -> LoadedProject:
    """The project, or exit 3 with Go's message (a bad manifest, inconsistent vendoring)."""
    from vendaudit.gomod.errors import ManifestError

    try:
        # An inconsistent vendor/ would make every plan line wrong: refuse it as go does.
        return api.load_project(manifest, modules_txt, vendor_check=vendor_check)
    except ManifestError as exc:
        fail(str(exc), ExitCode.BAD_INPUT)
    except api.InconsistentVendoring as exc:
        fail(f"{exc}\n{_NO_VENDOR_CHECK}", ExitCode.BAD_INPUT)


def report_names(manifests: Sequence[Path]) -> list[str]:
    """A file stem per manifest: its directory's name, ``-2``, ``-3``… on a clash (in order).

    ``balboa/go.mod`` and ``balboa/`` are both ``balboa``; a manifest in the working
    directory is named after that directory.
    """
    names: list[str] = []
    taken: set[str] = set()
    for manifest in manifests:
        path = Path(os.path.abspath(manifest))
        stem = (path if path.is_dir() else path.parent).name or "report"
        name, n = stem, 1
        while name in taken:
            n += 1
            name = f"{stem}-{n}"
        taken.add(name)
        names.append(name)
    return names


def _warn(message: str) -> None:
    sys.stderr.write(message + "\n")


def _error(message: str, code: ExitCode) -> ExitCode:
    sys.stderr.write(message.rstrip("\n") + "\n")
    return code


def _failing(
    report: Report, verdicts: Sequence[Verdict], policy: Policy, vulnerable: bool | None = None
) -> int:
    """How many results fail the policy (``--fail-on`` replaces its list, ``vulnerable`` too).

    Each failing module is named on stderr (a CI log must say *what* failed), and so is an
    ignore that names no module of this manifest (a typo, or a module since dropped).
    """
    cli = verdicts or (() if vulnerable is not None else None)
    result = policy.evaluate(
        report, today=dt.date.today(), fail_on_cli=cli, vulnerable_cli=vulnerable
    )
    for module, until, reason in result.expired:
        sys.stderr.write(f"vendaudit: policy ignore for {module} expired on {until}: {reason}\n")
    paths = [row.path for row in report.modules]
    for ig in policy.ignores:
        if not any(ig.names_module(p) for p in paths):
            sys.stderr.write(
                f"vendaudit: policy ignore for {ig.module} matches no module of "
                f"{report.project.manifest} ({ig.reason})\n"
            )
    security = report.security
    if security is not None and security.error is None:
        today = dt.date.today()
        for ig in policy.ignores:
            if (
                ig.id
                and ig.active(today)
                and not any(
                    ig.matches_vuln(v.module, (v.id, *v.aliases)) for v, _ in security.findings
                )
            ):
                # A typo, or a vulnerability since fixed: the ignore can be dropped.
                sys.stderr.write(
                    f"vendaudit: policy ignore for {ig.id} matches no vulnerability found "
                    f"in {report.project.manifest} ({ig.reason})\n"
                )
    for v in result.failing:
        sys.stderr.write(f"vendaudit: fails: {v.module} is {v.verdict.value} in {v.target}\n")
    for module, entry in result.vulnerable:
        sys.stderr.write(f"vendaudit: fails: {module} is affected by {entry}\n")
    if report.security is not None and report.security.error is not None:
        sys.stderr.write(f"vendaudit: note: {report.security.error}\n")
    return len(result.failing) + len(result.vulnerable)


def _summary(report: Report, prefix: str) -> None:
    """One pluralised line per target on stderr, from the report's own counts."""
    for t in report.targets:
        if t.error is not None:
            sys.stderr.write(f"{prefix}{t.id}: failed to load: {t.error}\n")
            continue
        summary = report.summary_for(t.id)
        parts = [f"{n} {v.value}" for v, n in summary.counts if n]
        noun = "module" if summary.total == 1 else "modules"
        line = f"{t.id}: {summary.total} {noun}: {', '.join(parts) or 'none'}"
        sys.stderr.write(f"{prefix}{line}\n")
        for note in t.notes:
            sys.stderr.write(f"{prefix}{t.id}: note: {note}\n")


@app.command("render")
def render_cmd(
    report_json: Annotated[Path, typer.Argument(help="A report written by --format json.")],
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help=f"{one_of(ReportFormat)}."),
    ] = "markdown",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here, not stdout.")
    ] = None,
) -> None:
    """Render a stored JSON report in another format (no lookups, no network)."""
    from vendaudit.report import ReportFormatError, load_report

    report_format = choice(ReportFormat, fmt)
    check_output(output)
    try:
        report = load_report(report_json)
    except ReportFormatError as exc:
        fail(str(exc))
    color = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    write_output(report_format.render(report, color=color, width=terminal_width(output)), output)
