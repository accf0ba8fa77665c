"""`report --vulns`: the security section in every format, the SBOMs, policy and diff."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from typer.testing import CliRunner

from vendaudit.cli import app
from vendaudit.report import Report, ReportFormat, load_schema
from vendaudit.report.diff import diff_reports
from vendaudit.report.json import report_from_json, to_json_dict
from vendaudit.report.policy import Policy

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "fixtures"
GOLDEN = Path(__file__).parent / "golden"
SPDX_SCHEMA = ROOT / "vendaudit" / "report" / "sbom" / "spdx-2.3.schema.json"
Golden = Callable[[str, str], None]


def run(tmp_path: Path, *extra: str) -> tuple[int, str, str]:
    args = [
        "report",
        "fixtures/vulns/go.mod",
        "--index",
        "debian:bookworm=fixtures/vulns/bookworm-Sources",
        "--no-tag-dates",
        "--cache-dir",
        str(tmp_path / "cache"),
        "--vulns",
        "--govulndb",
        (FIX / "govulndb").as_uri(),
        *extra,
    ]
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def vuln_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Report:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    code, out, err = run(tmp_path, "--format", "json")
    assert code == 0, err
    report = report_from_json(json.loads(out))
    assert report.security is not None
    # Goldens must not depend on the clock or the checkout's location.
    security = dataclasses.replace(report.security, database="file:///fixtures/govulndb")
    return dataclasses.replace(report, generated_at="2026-12-01T00:00:00+00:00", security=security)


def test_json_round_trip_and_schema(vuln_report: Report) -> None:
    doc = to_json_dict(vuln_report)
    jsonschema.Draft202012Validator(load_schema()).validate(doc)
    assert report_from_json(json.loads(json.dumps(doc))) == vuln_report
    assert doc["sums"]["google.golang.org/grpc@v1.57.0"].startswith("h1:")


def test_join_on_real_bookworm(vuln_report: Report) -> None:
    assert vuln_report.security is not None
    verdicts = {
        (v.module, v.id): cells[0].verdict.value for v, cells in vuln_report.security.findings
    }
    assert verdicts == {
        ("github.com/docker/docker", "GO-2022-0390"): "not-packaged",
        ("github.com/golang-jwt/jwt/v4", "GO-2024-3250"): "affected-in-distro",
        ("github.com/miekg/dns", "GO-2020-0006"): "fixed-in-distro",
        ("github.com/shiyanhui/dht", "GO-2020-0040"): "not-packaged",
        ("golang.org/x/net", "GO-2020-0014"): "fixed-in-distro",
        ("google.golang.org/grpc", "GO-2023-2153"): "affected-in-distro",
        ("gopkg.in/yaml.v3", "GO-2022-0603"): "fixed-in-distro",
    }
    assert vuln_report.security.advice[0].text() == (
        "unvendor github.com/miekg/dns first: fixes GO-2020-0006 (CVE-2017-15133); "
        "golang-github-miekg-dns-dev 1.1.50-2 in bookworm is fixed"
    )


EXT = {
    "table": "txt",
    "markdown": "md",
    "html": "html",
    "cyclonedx": "cdx.json",
    "spdx": "spdx.json",
}


@pytest.mark.parametrize("fmt", list(EXT), ids=str)
def test_security_goldens(vuln_report: Report, golden: Golden, fmt: str) -> None:
    text = ReportFormat(fmt).render(vuln_report)
    golden(f"security.{EXT[fmt]}", text)
    if fmt in ("table", "markdown", "html"):
        assert "GO-2023-2153" in text and "fixed-in-distro" in text


@pytest.mark.parametrize(
    "name", ["security.cdx.json", "sample.cdx.json", "empty.cdx.json"], ids=str
)
def test_cyclonedx_validates(name: str) -> None:
    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str((GOLDEN / name).read_text())
    assert error is None, error


@pytest.mark.parametrize(
    "name", ["security.spdx.json", "sample.spdx.json", "empty.spdx.json"], ids=str
)
def test_spdx_validates(name: str) -> None:
    schema = json.loads(SPDX_SCHEMA.read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    doc = json.loads((GOLDEN / name).read_text())
    jsonschema.Draft7Validator(schema).validate(doc)
    # What the schema cannot say (SPDX 2.3 §10; spdx-tools rejects the document otherwise):
    # every LicenseRef a package uses is defined in hasExtractedLicensingInfos.
    used = {
        r for p in doc["packages"] for r in re.findall(r"LicenseRef-[\w.-]+", p["licenseDeclared"])
    }
    defined = {i["licenseId"] for i in doc.get("hasExtractedLicensingInfos", [])}
    assert used <= defined
    assert name != "sample.spdx.json" or used == {"LicenseRef-unknown"}


def test_cyclonedx_content(vuln_report: Report) -> None:
    doc = json.loads(ReportFormat.CYCLONEDX.render(vuln_report))
    comps = {c["name"]: c for c in doc["components"]}
    assert comps["github.com/docker/docker"]["purl"] == (
        "pkg:golang/github.com/docker/docker@v20.10.13%2Bincompatible"
    )
    dns = {p["name"]: p["value"] for p in comps["github.com/miekg/dns"]["properties"]}
    assert dns["vendaudit:scope"] == "distro"
    assert dns["vendaudit:provided-by:debian:bookworm"] == (
        "pkg:deb/debian/golang-github-miekg-dns-dev@1.1.50-2?distro=bookworm"
    )
    assert dns["vendaudit:go.sum"].startswith("h1:")
    states = {v["id"]: v["analysis"]["state"] for v in doc["vulnerabilities"]}
    assert states["GO-2020-0006"] == "resolved"  # distro copy is used and fixed
    assert states["GO-2023-2153"] == "in_triage"
    assert doc["serialNumber"].startswith("urn:uuid:")
    # Deterministic: the same report gives the same bytes (serial derived from content).
    assert ReportFormat.CYCLONEDX.render(vuln_report) == ReportFormat.CYCLONEDX.render(vuln_report)


def test_source_date_epoch(vuln_report: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    doc = json.loads(ReportFormat.SPDX.render(vuln_report))
    assert doc["creationInfo"]["created"] == "2026-01-01T00:00:00Z"
    cdx = json.loads(ReportFormat.CYCLONEDX.render(vuln_report))
    assert cdx["metadata"]["timestamp"].startswith("2026-01-01T00:00:00")


def test_fail_on_vulnerable_and_expiring_ignores(vuln_report: Report) -> None:
    today = dt.date(2026, 12, 1)
    assert len(Policy().evaluate(vuln_report, today, vulnerable_cli=True).vulnerable) == 7
    policy = Policy.from_toml(
        b'fail_on = ["vulnerable"]\n'
        b'[[ignore]]\nid = "CVE-2017-15133"\nreason = "distro copy fixed"\n'
        b'[[ignore]]\nid = "GO-2023-2153"\nuntil = 2026-06-01\nreason = "old"\n',
        "policy.toml",
    )
    result = policy.evaluate(vuln_report, today)
    assert ("github.com/miekg/dns", "GO-2020-0006") not in result.vulnerable
    assert ("google.golang.org/grpc", "GO-2023-2153") in result.vulnerable  # expired
    assert [e.module for e in result.expired] == ["GO-2023-2153"]
    assert not result.ok


def test_cli_fail_on_vulnerable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, _, err = run(tmp_path, "--fail-on", "vulnerable")
    assert code == 1
    assert "google.golang.org/grpc is affected by GO-2023-2153" in err


def test_fail_on_vulnerable_checks_without_vulns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The gate implies the check: without --vulns it used to pass every run unchecked."""
    monkeypatch.chdir(ROOT)
    base = [
        "report",
        "fixtures/vulns/go.mod",
        "--index",
        "debian:bookworm=fixtures/vulns/bookworm-Sources",
    ]
    base += [
        "--no-tag-dates",
        "--cache-dir",
        str(tmp_path / "c"),
        "--govulndb",
        (FIX / "govulndb").as_uri(),
    ]
    result = CliRunner().invoke(app, [*base, "--fail-on", "vulnerable"])
    assert result.exit_code == 1
    assert "google.golang.org/grpc is affected by GO-2023-2153" in result.stderr
    policy = tmp_path / "policy.toml"
    policy.write_text('fail_on = ["vulnerable"]\n')
    assert CliRunner().invoke(app, [*base, "--policy", str(policy)]).exit_code == 1
    # --fail-on replaces the policy's list: no vulnerability gate, no check.
    result = CliRunner().invoke(app, [*base, "--policy", str(policy), "--fail-on", "missing"])
    assert result.exit_code == 1  # a missing module, not a vulnerability
    assert "affected by" not in result.stderr


def test_offline_empty_cache_is_unknown_and_fails_the_gate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A gate that could not look exits 4 (as `vulns` does), never 0 for "none found"."""
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(
        app,
        [
            "report",
            "fixtures/vulns/go.mod",
            "--index",
            "debian:bookworm=fixtures/vulns/bookworm-Sources",
            "--no-tag-dates",
            "--offline",
            "--cache-dir",
            str(tmp_path / "empty"),
            "--vulns",
            "--format",
            "json",
            "--fail-on",
            "vulnerable",
        ],
    )
    assert result.exit_code == 4, result.stderr
    doc = json.loads(result.stdout)
    assert doc["security"]["findings"] == []
    assert "--offline" in doc["security"]["error"]
    assert "vulnerabilities unknown" in result.stderr


def test_an_ignore_by_id_that_matches_nothing_is_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As a module ignore that names no module: a typo'd or obsolete id is told on stderr."""
    monkeypatch.chdir(ROOT)
    policy = tmp_path / "policy.toml"
    policy.write_text(
        '[[ignore]]\nid = "GO-2099-0001"\nreason = "typo"\n'
        '[[ignore]]\nid = "GHSA-m425-mq94-257g"\nreason = "grpc server unused"\n'
    )
    code, _, err = run(tmp_path, "--policy", str(policy), "--fail-on", "vulnerable")
    assert code == 1
    assert "policy ignore for GO-2099-0001 matches no vulnerability found in" in err
    assert "GHSA-m425-mq94-257g matches no" not in err
    assert "affected by GO-2023-2153" not in err  # ignored through its alias


def test_sboms_say_when_vulnerabilities_are_unknown(vuln_report: Report) -> None:
    """No vulnerabilities in an SBOM must not read as "none found" when the database could
    not be read: both formats say so (CycloneDX metadata property, SPDX creation comment)."""
    assert vuln_report.security is not None
    failed = dataclasses.replace(
        vuln_report,
        security=dataclasses.replace(
            vuln_report.security, modified="", findings=(), advice=(), error="db.json: offline"
        ),
    )
    cdx = json.loads(ReportFormat.CYCLONEDX.render(failed))
    assert "vulnerabilities" not in cdx or cdx["vulnerabilities"] == []
    props = {p["name"]: p["value"] for p in cdx["metadata"]["properties"]}
    assert props["vendaudit:vulnerabilities"] == "unknown: db.json: offline"
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(json.dumps(cdx)) is None
    spdx = json.loads(ReportFormat.SPDX.render(failed))
    assert spdx["creationInfo"]["comment"] == "vulnerabilities unknown: db.json: offline"
    no_check = json.loads(ReportFormat.SPDX.render(dataclasses.replace(vuln_report, security=None)))
    assert "comment" not in no_check["creationInfo"]


def test_diff_new_and_fixed(vuln_report: Report) -> None:
    assert vuln_report.security is not None
    findings = vuln_report.security.findings
    older = dataclasses.replace(
        vuln_report, security=dataclasses.replace(vuln_report.security, findings=findings[1:])
    )
    newer = dataclasses.replace(
        vuln_report, security=dataclasses.replace(vuln_report.security, findings=findings[:-1])
    )
    d = diff_reports(older, newer)
    assert d.vulns_new == ("GO-2022-0390 github.com/docker/docker@v20.10.13+incompatible",)
    assert d.vulns_fixed == ("GO-2022-0603 gopkg.in/yaml.v3@v3.0.0-20210107192922-496545a6307b",)
    assert d.has_regression
    # A run whose check failed says nothing about new or fixed vulnerabilities.
    broken = dataclasses.replace(
        vuln_report, security=dataclasses.replace(vuln_report.security, error="offline")
    )
    assert diff_reports(older, broken).vulns_new == ()


def test_a_module_the_plan_keeps_vendored_stays_vendored_in_the_sbom(vuln_report: Report) -> None:
    """The SBOM shows the tree after the first target's plan: a package that satisfies a
    module the plan still keeps (a build cycle) does not make it "distro", nor its fix
    "resolved"."""
    from vendaudit.model import KeepEntry
    from vendaudit.plans import DebianPlan

    first = vuln_report.targets[0].id
    plan = vuln_report.plan(first)
    assert isinstance(plan, DebianPlan)
    keep = KeepEntry("vendor/github.com/miekg/dns", "~", "cycle: builds with this project")
    kept = dataclasses.replace(plan, keep=(*plan.keep, keep))
    report = dataclasses.replace(
        vuln_report, plans=tuple(kept if p is plan else p for p in vuln_report.plans)
    )
    doc = json.loads(ReportFormat.CYCLONEDX.render(report))
    comps = {c["name"]: c for c in doc["components"]}
    dns = {p["name"]: p["value"] for p in comps["github.com/miekg/dns"]["properties"]}
    assert dns["vendaudit:scope"] == "vendored"
    states = {v["id"]: v["analysis"]["state"] for v in doc["vulnerabilities"]}
    assert states["GO-2020-0006"] == "in_triage"
