"""JSON serialisation, the round trip used by diff, schema validation and build_report rules."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import jsonschema
import pytest

from vendaudit.model import ExcludedEntry, Finding, Module, Project, Target, TargetStatus, Verdict
from vendaudit.plans import DebianPlan
from vendaudit.report import (
    Report,
    ReportFormatError,
    build_report,
    load_report,
    load_schema,
    render_json,
    report_from_json,
    to_json_dict,
)

GOLDEN = Path(__file__).parent / "golden"


def test_top_level_key_order(sample_report: Report) -> None:
    doc = json.loads(render_json(sample_report))
    assert list(doc) == [
        "schema_version", "tool", "generated_at", "project", "targets", "modules", "plan",
        "summary", "graph", "licenses",
    ]  # fmt: skip
    assert doc["summary"]["debian:sid"] == {
        "satisfied": 3, "outdated": 1, "other-major": 1, "missing": 2, "replaced": 2,
        "unknown": 0, "total": 9,
    }  # fmt: skip
    assert "licenses" not in json.loads(render_json(_no_lic()))


def _no_lic() -> Report:
    return build_report(Project("go.mod", "m", "1.22", ()), [], [], {}, tool_version="0")


@pytest.mark.parametrize("name", ["sample_report", "empty_report", "big_report"])
def test_round_trip(name: str, request: pytest.FixtureRequest) -> None:
    report: Report = request.getfixturevalue(name)
    assert report_from_json(json.loads(render_json(report))) == report


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(load_schema())


@pytest.mark.parametrize(
    "path",
    [
        p
        for p in sorted(GOLDEN.glob("*.json"))
        if not p.name.startswith("diff") and not p.name.endswith((".cdx.json", ".spdx.json"))
    ],
    ids=str,
)
def test_goldens_validate(path: Path) -> None:
    jsonschema.Draft202012Validator(load_schema()).validate(json.loads(path.read_text()))


def test_generated_report_validates(medium_report: Report) -> None:
    jsonschema.Draft202012Validator(load_schema()).validate(to_json_dict(medium_report))


def test_schema_rejects_drift(sample_report: Report) -> None:
    doc = to_json_dict(sample_report)
    doc["modules"][0]["results"]["debian:sid"]["verdict"] = "fine"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(load_schema()).validate(doc)


def test_unknown_schema_version_is_refused() -> None:
    with pytest.raises(ReportFormatError) as err:
        report_from_json({"schema_version": 7}, filename="OLD.json")
    assert str(err.value) == "OLD.json: schema_version 7 is not supported (this vendaudit reads 1)"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], r"not a vendaudit report \(no schema_version\)"),
        ({"schema_version": 1}, "missing key 'targets'"),
    ],
)
def test_malformed_reports(data: object, message: str) -> None:
    with pytest.raises(ReportFormatError, match=message):
        report_from_json(data, filename="x.json")


def test_load_report_errors(tmp_path: Path) -> None:
    with pytest.raises(ReportFormatError, match=r"^.*nope\.json: cannot read: No such file"):
        load_report(tmp_path / "nope.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(ReportFormatError, match=r"bad\.json: invalid JSON at line 1 column 2"):
        load_report(bad)


def test_failed_target_and_gaps_become_unknown() -> None:
    sid, bad = Target("debian", "sid"), Target("fedora", "rawhide")
    b = Module("b.example/b", "v1.0.0")
    a = Module("a.example/a", "v1.0.0")
    report = build_report(
        Project("go.mod", "m", "1.22", (b, a)),
        [TargetStatus(sid), TargetStatus(bad, error="mirror down")],
        [Finding(a, sid, Verdict.SATISFIED)],
        {},
        tool_version="0",
        generated_at="t",
    )
    assert [m.path for m in report.modules] == ["a.example/a", "b.example/b"]
    assert report.target_ids == ("debian:sid", "fedora:rawhide")
    cell = report.modules[0].result("fedora:rawhide")
    assert cell is not None and cell.verdict is Verdict.UNKNOWN and cell.reason == "mirror down"
    gap = report.modules[1].result("debian:sid")
    assert gap is not None and gap.verdict is Verdict.UNKNOWN
    assert report.summary_for("debian:sid").count(Verdict.UNKNOWN) == 1


def test_generated_at_honours_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert _no_lic().generated_at == "2023-11-14T22:13:20Z"


def test_plan_marks_and_exclusions_round_trip_and_old_reports_load(sample_report: Report) -> None:
    plan = sample_report.plans[0]
    tid = plan.target.id
    assert isinstance(plan, DebianPlan)
    marked = dataclasses.replace(
        plan,
        build_depends_indirect=plan.build_depends[:1],
        excluded_unused=(ExcludedEntry("vendor/github.com/sean-/seed", "imported only by x"),),
    )
    report = dataclasses.replace(sample_report, plans=(marked, *sample_report.plans[1:]))
    doc = json.loads(render_json(report))
    jsonschema.validate(doc, load_schema())
    assert report_from_json(doc) == report
    # A report written before these fields existed still loads (they are optional).
    for p in doc["plan"].values():
        del p["build_depends_indirect"], p["excluded_unused"]
    jsonschema.validate(doc, load_schema())
    loaded = report_from_json(doc).plan(tid)
    assert isinstance(loaded, DebianPlan) and loaded.excluded_unused == ()
