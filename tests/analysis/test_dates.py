"""Settling "cannot compare" verdicts by dates (analysis.dates)."""

from __future__ import annotations

import datetime as dt

from vendaudit.analysis.dates import dates_needed, fetch_dates, settle_by_dates
from vendaudit.model import DistroPackage, Finding, MatchKind, Module, Target, Verdict
from vendaudit.versions import debian_to_go

SID = Target("debian", "sid")


def unknown(module: Module, binary: str, version: str, path: str, match: MatchKind) -> Finding:
    pkg = DistroPackage(binary[:-4], binary, debian_to_go(version), path, match, 1)
    return Finding(module, SID, Verdict.UNKNOWN, pkg, "cannot compare")


def test_prefix_match_with_tagged_package_uses_both_dates() -> None:
    mod = Module("go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp", "v0.60.0")
    f = unknown(
        mod,
        "golang-opentelemetry-contrib-dev",
        "1.46.0-1",
        "go.opentelemetry.io/contrib",
        MatchKind.PREFIX,
    )
    wanted = dates_needed([f])
    assert wanted == [(mod.path, "v0.60.0"), ("go.opentelemetry.io/contrib", "v1.46.0")]
    times = {
        wanted[0]: dt.datetime(2025, 3, 5, tzinfo=dt.UTC),
        wanted[1]: dt.datetime(2026, 5, 1, tzinfo=dt.UTC),
    }
    dates = fetch_dates(wanted, lambda p, v: times.get((p, v)))
    (settled,) = settle_by_dates([f], dates)
    assert settled.verdict is Verdict.SATISFIED and settled.by_date
    assert "2026-05-01" in settled.reason


def test_undatable_stays_unknown_and_same_day_commits_are_not_guessed() -> None:
    mod = Module("github.com/moby/term", "v0.5.2")
    f = unknown(
        mod, "golang-github-moby-term-dev", "0.0~git20230502.9c3c875-1", mod.path, MatchKind.EXACT
    )
    assert settle_by_dates([f], {}) == [f]
    pseudo = Module("github.com/x/y", "v0.0.0-20230502101010-abcdefabcdef")
    g = unknown(
        pseudo, "golang-github-x-y-dev", "0.0~git20230502.1234567-1", pseudo.path, MatchKind.EXACT
    )
    assert dates_needed([g]) == []
    assert settle_by_dates([g], {}) == [g]


def test_other_projects_version_is_never_dated() -> None:
    mod = Module("github.com/moby/buildkit", "v0.25.2")
    pkg = DistroPackage(
        "docker.io",
        "golang-github-docker-docker-dev",
        debian_to_go("28.5.2+dfsg4-5"),
        mod.path,
        MatchKind.EXACT,
        1,
        own_version=False,
    )
    f = Finding(mod, SID, Verdict.UNKNOWN, pkg, "another project's version")
    assert dates_needed([f]) == []
