"""Policy files: fail_on, per-target and per-verdict ignores, expiry, and bad files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from vendaudit.model import Verdict
from vendaudit.report import Policy, PolicyError, Report
from vendaudit.report.policy import Expired, Ignored, Violation, parse_verdicts

BEFORE = dt.date(2026, 6, 1)
AFTER = dt.date(2027, 1, 1)  # `until` is exclusive: the ignore stops on this day


@pytest.fixture
def policy(fixtures: Path) -> Policy:
    return Policy.load(fixtures / "report" / "policy.toml")


def test_parse(policy: Policy) -> None:
    assert policy.fail_on == (Verdict.MISSING, Verdict.OUTDATED)
    first = policy.ignores[0]
    assert first.targets == ("debian:sid",) and first.until == dt.date(2027, 1, 1)
    assert policy.ignores[2].until == dt.date(2026, 1, 1)  # a quoted date is accepted too


def test_evaluate_before_expiry(policy: Policy, sample_report: Report) -> None:
    res = policy.evaluate(sample_report, BEFORE)
    assert Ignored("github.com/foo/bar", "debian:sid", Verdict.MISSING, "waiting for ITP #123") in (
        res.ignored
    )
    # Per-target: the same module still fails elsewhere.
    assert Violation("github.com/foo/bar", "debian:trixie", Verdict.MISSING) in res.failing
    # Glob + verdict filter: x/net outdated is ignored everywhere, missing is not.
    assert not [
        v for v in res.failing if v.module == "golang.org/x/net" and v.verdict == "outdated"
    ]
    assert Violation("golang.org/x/net", "fedora:rawhide", Verdict.MISSING) in res.failing
    # The third ignore expired on 2026-01-01: listed, and its module fails again.
    assert res.expired == (
        Expired(
            "github.com/pipe|name/x", dt.date(2026, 1, 1), "was meant to be packaged by new year"
        ),
    )
    assert Violation("github.com/pipe|name/x", "debian:sid", Verdict.MISSING) in res.failing
    assert not res.ok
    # Unknown verdicts are not in fail_on: a broken mirror alone never fails the policy.
    assert all(v.target != "epel:10" for v in res.failing)


def test_evaluate_after_expiry(policy: Policy, sample_report: Report) -> None:
    res = policy.evaluate(sample_report, AFTER)
    assert Violation("github.com/foo/bar", "debian:sid", Verdict.MISSING) in res.failing
    assert {e.module for e in res.expired} == {"github.com/foo/bar", "github.com/pipe|name/x"}


def test_cli_fail_on_overrides_file(policy: Policy, sample_report: Report) -> None:
    res = policy.evaluate(sample_report, BEFORE, fail_on_cli=[Verdict.OTHER_MAJOR])
    assert {v.verdict for v in res.failing} == {Verdict.OTHER_MAJOR}
    assert policy.evaluate(sample_report, BEFORE, fail_on_cli=[]).ok


def test_empty_report_passes(policy: Policy, empty_report: Report) -> None:
    assert policy.evaluate(empty_report, BEFORE).ok


def test_default_policy_fails_nothing(sample_report: Report) -> None:
    assert Policy().evaluate(sample_report, BEFORE).ok


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("policy-bad-toml.toml", r"policy-bad-toml\.toml: invalid TOML: "),
        ("policy-typo.toml", r"policy-typo\.toml: ignore #1: unknown key 'untill'"),
    ],
)
def test_bad_files(fixtures: Path, name: str, message: str) -> None:
    with pytest.raises(PolicyError, match=message):
        Policy.load(fixtures / "report" / name)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('fail_on = ["broken"]', r"p\.toml: fail_on: unknown verdict 'broken' \(valid: satisfied"),
        ("fail_on = 3", "fail_on must be a list"),
        ("colour = 1", "unknown key 'colour'"),
        ("ignore = 1", "ignore must be an array of tables"),
        ('[[ignore]]\nreason = "x"', r"ignore #1: 'module' is required"),
        ('[[ignore]]\nmodule = "m"', r"ignore #1 \(m\): 'reason' is required"),
        ('[[ignore]]\nmodule = "m"\nreason = "r"\ntargets = ["arch:x"]', "invalid target 'arch:x'"),
        ('[[ignore]]\nmodule = "m"\nreason = "r"\nuntil = "soon"', "'until' must be a date"),
        ('[[ignore]]\nmodule = "m"\nreason = "r"\nuntil = 3', "'until' must be a date"),
        ('[[ignore]]\nmodule = "m"\nreason = "r"\nverdicts = ["nope"]', "unknown verdict 'nope'"),
    ],
)
def test_bad_content(text: str, message: str) -> None:
    with pytest.raises(PolicyError, match=message):
        Policy.from_toml(text.encode(), "p.toml")


def test_unreadable_and_non_utf8(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="cannot read"):
        Policy.load(tmp_path / "absent.toml")
    with pytest.raises(PolicyError, match="not UTF-8"):
        Policy.from_toml(b"\xff\xfe", "p.toml")


def test_parse_verdicts_commas() -> None:
    assert parse_verdicts(["missing,outdated", " missing "]) == (Verdict.MISSING, Verdict.OUTDATED)
