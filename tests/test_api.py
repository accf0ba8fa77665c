"""``vendaudit.api``: the audit as a library call, without the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from vendaudit import api
from vendaudit.gomod.errors import ManifestError
from vendaudit.model import Target, Verdict
from vendaudit.plans import DebianPlan
from vendaudit.report import ReportFormat, report_from_json
from vendaudit.report.json import to_json_dict

QS = Path(__file__).resolve().parents[1] / "fixtures" / "quickstart"
SID = Target("debian", "sid")
OPTIONS = api.AuditOptions(tag_dates=False, generated_at="2026-12-01T00:00:00+00:00")


def _targets(tmp_path: Path, *extra: str) -> api.LoadedTargets:
    lookup = api.LookupOptions(local_indexes={"debian:sid": (QS / "sid-Sources",)})
    return api.load_targets(["debian:sid", *extra], lookup, cache_dir=tmp_path, offline=True)


def _project(tmp_path: Path, name: str, requires: str) -> Path:
    d = tmp_path / name
    d.mkdir()
    (d / "go.mod").write_text(f"module example.com/{name}\n\ngo 1.22\n\nrequire (\n{requires})\n")
    return d / "go.mod"


def test_audit_quickstart_gives_the_report(tmp_path: Path) -> None:
    with _targets(tmp_path) as targets:
        report = api.audit(api.load_project(QS / "vendor.mod"), targets, OPTIONS)
    assert report.target_ids == ("debian:sid",)
    assert report.generated_at == OPTIONS.generated_at
    cells = {m.path: m.result("debian:sid") for m in report.modules}
    xnet = cells["golang.org/x/net"]
    assert xnet is not None and xnet.verdict is Verdict.SATISFIED
    swarmkit = cells["github.com/moby/swarmkit/v2"]
    assert swarmkit is not None and swarmkit.verdict is Verdict.MISSING
    plan = report.plan("debian:sid")
    assert isinstance(plan, DebianPlan)
    assert "golang-golang-x-net-dev (>= 1:0.39.0~)" in plan.build_depends
    assert report.summary_for("debian:sid").total == 18
    # The report is the view-model every renderer reads, and JSON round-trips it.
    assert report_from_json(to_json_dict(report)) == report
    assert ReportFormat.MARKDOWN.render(report).startswith("#")


def test_targets_loaded_once_serve_many_projects(tmp_path: Path) -> None:
    a = _project(tmp_path, "a", "\tgolang.org/x/net v0.1.0\n")
    b = _project(tmp_path, "b", "\tgithub.com/not/packaged v1.0.0\n")
    with _targets(tmp_path) as targets:
        reports = [api.audit(api.load_project(m), targets, OPTIONS) for m in (a, b)]
        again = api.audit(api.load_project(a), targets, OPTIONS)
    verdicts = [[m.result("debian:sid").verdict for m in r.modules] for r in reports]  # type: ignore[union-attr]
    assert verdicts == [[Verdict.SATISFIED], [Verdict.MISSING]]
    assert again == reports[0]


def test_a_failed_target_is_data_not_an_exception(tmp_path: Path) -> None:
    # fedora:rawhide offline with an empty cache cannot load: unknown, never missing.
    with _targets(tmp_path, "fedora:rawhide") as targets:
        assert not targets.all_failed
        report = api.audit(api.load_project(QS / "vendor.mod"), targets, OPTIONS)
    row = report.target("fedora:rawhide")
    assert row is not None and row.error
    assert {m.result("fedora:rawhide").verdict for m in report.modules} == {Verdict.UNKNOWN}  # type: ignore[union-attr]


def test_bad_manifest_and_unavailable_graph_are_typed_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad" / "go.mod"
    bad.parent.mkdir()
    bad.write_text("module example.com/bad\n\nrequire (\n\tnot a line\n")
    with pytest.raises(ManifestError, match=r"go\.mod:\d+: "):
        api.load_project(bad)
    plain = _project(tmp_path, "plain", "\tgolang.org/x/net v0.1.0\n")
    vendor_graph = api.AuditOptions(tag_dates=False, graph=api.GraphChoice.VENDOR)
    with _targets(tmp_path) as targets, pytest.raises(api.GraphUnavailable, match="vendor/"):
        api.audit(api.load_project(plain), targets, vendor_graph)


def test_bad_go_environment_for_a_graph_is_a_typed_error(tmp_path: Path) -> None:
    options = api.AuditOptions(
        tag_dates=False, graph=api.GraphChoice.PROXY, environ={"GOPROXY": "ftp://proxy.example"}
    )
    with _targets(tmp_path) as targets, pytest.raises(api.GoEnvironmentError):
        api.audit(api.load_project(QS / "vendor.mod"), targets, options)
