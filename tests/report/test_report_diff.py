"""diff_reports: every transition kind, module/plan/target changes, and the diff command."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vendaudit.cli import app
from vendaudit.model import Verdict
from vendaudit.plans import DebianPlan
from vendaudit.report import DiffFormat, Report, diff_reports, render_json
from vendaudit.report.diff import Direction
from vendaudit.report.model import ModuleRow, PackageInfo, ResultCell, TargetRow

PKG = PackageInfo(
    "golang-github-spf13-cobra", "golang-github-spf13-cobra-dev", "1.8.0-1", "v1.8.0",
    "github.com/spf13/cobra", "exact",
)  # fmt: skip


def with_cell(
    report: Report, path: str, tid: str, verdict: Verdict, package: PackageInfo | None = None
) -> Report:
    """``report`` with one cell replaced (summaries are not recomputed: diff never reads them)."""
    rows = []
    for m in report.modules:
        if m.path == path:
            cells = tuple(
                (t, ResultCell(verdict, package, "changed", False) if t == tid else c)
                for t, c in m.results
            )
            m = dataclasses.replace(m, results=cells)
        rows.append(m)
    return dataclasses.replace(report, modules=tuple(rows))


def test_identical_reports(sample_report: Report) -> None:
    d = diff_reports(sample_report, sample_report)
    assert d.is_empty and not d.has_regression
    assert DiffFormat.TABLE.render(d).endswith("No changes.\n")


def test_transitions_each_kind(sample_report: Report) -> None:
    new = with_cell(
        sample_report, "github.com/spf13/cobra", "debian:trixie", Verdict.SATISFIED, PKG
    )
    new = with_cell(new, "github.com/foo/bar", "debian:sid", Verdict.OUTDATED)
    new = with_cell(new, "github.com/spf13/pflag", "debian:sid", Verdict.MISSING)
    new = with_cell(new, "golang.org/x/net", "debian:sid", Verdict.UNKNOWN)
    new = with_cell(new, "github.com/foo/bar", "epel:10", Verdict.MISSING)  # from unknown
    new = with_cell(new, "github.com/old/fork", "debian:trixie", Verdict.MISSING)  # replaced->
    d = diff_reports(sample_report, new)
    lines = {t.line(): t.direction for t in d.transitions}
    assert lines == {
        "now satisfiable in debian:trixie: golang-github-spf13-cobra-dev 1.8.0-1 "
        "(github.com/spf13/cobra)": Direction.BETTER,
        "improved in debian:sid: github.com/foo/bar missing → outdated": Direction.BETTER,
        "regressed in debian:sid: github.com/spf13/pflag satisfied → missing": Direction.WORSE,
        "data unavailable in debian:sid: golang.org/x/net outdated → unknown": (
            Direction.UNAVAILABLE
        ),
        "data unavailable in epel:10: github.com/foo/bar unknown → missing": (
            Direction.UNAVAILABLE
        ),
        # The product's order puts `replaced` last, so leaving it counts as progress.
        "improved in debian:trixie: github.com/old/fork replaced → missing": Direction.BETTER,
    }
    assert d.has_regression
    assert d.regressions() == [
        "regressed in debian:sid: github.com/spf13/pflag satisfied → missing"
    ]


def test_only_unavailable_is_not_a_regression(sample_report: Report) -> None:
    new = with_cell(sample_report, "github.com/spf13/cobra", "debian:sid", Verdict.UNKNOWN)
    d = diff_reports(sample_report, new)
    assert not d.has_regression
    assert "Data unavailable:" in DiffFormat.TABLE.render(d)


def _bigger(report: Report) -> Report:
    """Module added (missing) and removed, a version bump, a target swap, plan edits."""
    added = ModuleRow(
        "github.com/new/dep", "v0.3.0", True, None,
        tuple((t, ResultCell(Verdict.MISSING, None, "", False)) for t in report.target_ids),
    )  # fmt: skip
    bumped = [
        dataclasses.replace(m, version="v1.9.0") if m.path == "github.com/spf13/cobra" else m
        for m in report.modules
        if m.path != "github.com/example/tools"
    ]
    sid_plan = report.plan("debian:sid")
    assert isinstance(sid_plan, DebianPlan)
    plan = dataclasses.replace(
        sid_plan,
        build_depends=(*sid_plan.build_depends[1:], "golang-github-new-dep-dev"),
    )
    noble = TargetRow("ubuntu:noble", "ubuntu", "noble", "", (), None, 0)
    return dataclasses.replace(
        report,
        generated_at="2026-03-02T12:00:00Z",
        targets=(*report.targets[:3], noble),
        modules=tuple(sorted([*bumped, added], key=lambda m: m.path)),
        plans=(plan, *(p for p in report.plans if p.target.id != "debian:sid")),
    )


def test_modules_targets_plans(sample_report: Report, golden: Callable[[str, str], None]) -> None:
    d = diff_reports(sample_report, _bigger(sample_report))
    assert [m.path for m in d.modules_added] == ["github.com/new/dep"]
    assert [m.path for m in d.modules_removed] == ["github.com/example/tools"]
    assert [(b.module, b.old, b.new) for b in d.version_bumps] == [
        ("github.com/spf13/cobra", "v1.8.0", "v1.9.0")
    ]
    assert d.targets_added == ("ubuntu:noble",) and d.targets_removed == ("epel:10",)
    (change,) = d.plan_changes
    assert change.field == "build_depends"
    assert change.added == ("golang-github-new-dep-dev",)
    assert change.removed == ("golang-github-containerd-containerd-dev",)
    # New unpackaged module in a target both runs audited: a regression; ubuntu:noble is new.
    assert d.regressions() == [
        f"new module needs packaging in {t}: github.com/new/dep v0.3.0 (missing)"
        for t in ("debian:sid", "debian:trixie", "fedora:rawhide")
    ]
    for fmt, ext in (
        (DiffFormat.TABLE, "txt"),
        (DiffFormat.MARKDOWN, "md"),
        (DiffFormat.JSON, "json"),
    ):
        golden(f"diff.{ext}", fmt.render(d))


def test_empty_diff_every_format(empty_report: Report) -> None:
    d = diff_reports(empty_report, empty_report)
    for fmt in DiffFormat:
        assert fmt.render(d)
    assert json.loads(DiffFormat.JSON.render(d))["has_regression"] is False


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _write(tmp_path: Path, name: str, report: Report) -> Path:
    path = tmp_path / name
    path.write_text(render_json(report))
    return path


def test_cli_regression_exit_code(sample_report: Report, tmp_path: Path, runner: CliRunner) -> None:
    old = _write(tmp_path, "old.json", sample_report)
    new = _write(
        tmp_path, "new.json",
        with_cell(sample_report, "github.com/spf13/pflag", "debian:sid", Verdict.MISSING),
    )  # fmt: skip
    res = runner.invoke(app, ["diff", str(old), str(new)])
    assert res.exit_code == 0, res.output
    assert "regressed in debian:sid: github.com/spf13/pflag satisfied → missing" in res.output
    res = runner.invoke(app, ["diff", str(old), str(new), "--fail-on-regression"])
    assert res.exit_code == 1
    res = runner.invoke(app, ["diff", str(new), str(old), "--fail-on-regression"])
    assert res.exit_code == 0
    out = tmp_path / "diff.md"
    res = runner.invoke(app, ["diff", str(old), str(new), "-f", "markdown", "-o", str(out)])
    assert res.exit_code == 0 and res.output == ""
    assert out.read_text().startswith("## vendaudit diff:")


def test_cli_bad_inputs_exit_3(
    sample_report: Report, tmp_path: Path, runner: CliRunner, fixtures: Path
) -> None:
    good = _write(tmp_path, "good.json", sample_report)
    cases = {
        fixtures
        / "report"
        / "schema7.json": "schema_version 7 is not supported (this vendaudit reads 1)",
        fixtures / "report" / "truncated.json": "invalid JSON at line",
        tmp_path / "absent.json": "cannot read",
    }
    for path, message in cases.items():
        res = runner.invoke(app, ["diff", str(path), str(good)])
        assert res.exit_code == 3, (path, res.output)
        assert message in res.stderr
        assert len(res.stderr.strip().splitlines()) == 1


def test_cli_unknown_format_is_usage(
    sample_report: Report, tmp_path: Path, runner: CliRunner
) -> None:
    good = _write(tmp_path, "good.json", sample_report)
    res = runner.invoke(app, ["diff", str(good), str(good), "--format", "xml"])
    assert res.exit_code == 2


def test_downgrades_are_shown_apart_from_bumps(sample_report: Report) -> None:
    from vendaudit.report.diff import render_diff, render_diff_json

    rows = tuple(
        dataclasses.replace(r, version="v1.7.0") if r.path == "github.com/spf13/cobra" else r
        for r in sample_report.modules
    )
    d = diff_reports(sample_report, dataclasses.replace(sample_report, modules=rows))
    (b,) = d.version_bumps
    assert (b.old, b.new, b.downgrade) == ("v1.8.0", "v1.7.0", True)
    text = render_diff(d)
    assert "Version downgrades:\n  github.com/spf13/cobra v1.8.0 → v1.7.0" in text
    assert "Version bumps:" not in text
    assert json.loads(render_diff_json(d))["version_bumps"][0]["downgrade"] is True
