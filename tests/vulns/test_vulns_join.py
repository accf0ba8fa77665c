"""The join with the audit: one security verdict per (module, entry, target)."""

from __future__ import annotations

from pathlib import Path

import pytest

from vendaudit.model import DistroPackage, Finding, MatchKind, Module, Target, TargetStatus, Verdict
from vendaudit.versions.debian import debian_to_go
from vendaudit.vulns import SecurityVerdict as SV
from vendaudit.vulns import find_vulns, parse_entry, security_view
from vendaudit.vulns.model import Entry

DB = Path(__file__).resolve().parents[2] / "fixtures" / "govulndb"
SID, TRIXIE = Target("debian", "sid"), Target("debian", "trixie")


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return [parse_entry(p.read_bytes(), p.name) for p in sorted((DB / "ID").glob("*.json"))]


def finding(
    module: Module,
    verdict: Verdict,
    version: str | None,
    target: Target = SID,
    *,
    match: MatchKind = MatchKind.EXACT,
    binary: str = "golang-x-dev",
) -> Finding:
    pkg = None
    if version is not None:
        pkg = DistroPackage("src", binary, debian_to_go(version), module.path, match, 1)
    return Finding(module, target, verdict, pkg)


def verdict(entries: list[Entry], module: Module, f: Finding) -> tuple[SV, str]:
    vulns = find_vulns([module], entries)
    assert vulns, module
    view = security_view("db", "m", vulns, entries, [f], [TargetStatus(f.target)])
    [(_, [cell])] = view.findings
    return cell.verdict, cell.reason


GRPC = Module("google.golang.org/grpc", "v1.57.0")


@pytest.mark.parametrize(
    ("version", "audit", "expected"),
    [
        ("1.57.1-1", Verdict.SATISFIED, SV.FIXED_IN_DISTRO),
        ("1.60.1-2", Verdict.SATISFIED, SV.FIXED_IN_DISTRO),
        ("1.56.2-1", Verdict.OUTDATED, SV.AFFECTED_IN_DISTRO),
        ("1.58.0-1", Verdict.SATISFIED, SV.AFFECTED_IN_DISTRO),  # a later affected range
        ("1.56.3-1", Verdict.OUTDATED, SV.FIXED_IN_DISTRO),  # older than required, yet fixed
    ],
)
def test_tagged_package(entries: list[Entry], version: str, audit: Verdict, expected: SV) -> None:
    assert verdict(entries, GRPC, finding(GRPC, audit, version))[0] is expected


def test_not_packaged_and_other_major(entries: list[Entry]) -> None:
    assert verdict(entries, GRPC, finding(GRPC, Verdict.MISSING, None))[0] is SV.NOT_PACKAGED
    got = verdict(entries, GRPC, finding(GRPC, Verdict.OTHER_MAJOR, "2.0.0-1"))
    assert got[0] is SV.NOT_PACKAGED


def test_no_fix(entries: list[Entry]) -> None:
    dht = Module("github.com/shiyanhui/dht", "v0.0.0-20201219151056-5a4f5d5b5a4d")
    f = finding(dht, Verdict.SATISFIED, "0.0~git20201219.5a4f5d5-1")
    assert verdict(entries, dht, f)[0] is SV.NO_FIX_YET


def test_snapshot_against_pseudo_fix_by_date(entries: list[Entry]) -> None:
    crypto = Module("golang.org/x/crypto", "v0.0.0-20190101000000-aaaaaaaaaaaa")
    newer = finding(crypto, Verdict.SATISFIED, "1:0.0~git20200301.abcdef1-1")
    assert verdict(entries, crypto, newer) == (SV.FIXED_IN_DISTRO, "by date")
    older = finding(crypto, Verdict.SATISFIED, "1:0.0~git20191201.abcdef1-1")
    assert verdict(entries, crypto, older)[0] is SV.AFFECTED_IN_DISTRO


def test_tag_vs_snapshot_cannot_be_ordered_is_unknown(entries: list[Entry]) -> None:
    jwt = Module("github.com/golang-jwt/jwt/v4", "v4.4.0")
    f = finding(jwt, Verdict.UNKNOWN, "0.0~git20240101.abcdef1-1")
    assert verdict(entries, jwt, f)[0] is SV.UNKNOWN


def test_audit_verdict_is_used_transitively(entries: list[Entry]) -> None:
    # A snapshot the audit judged (by tag date) as satisfying v4.5.1 is past the fix 4.5.1.
    jwt = Module("github.com/golang-jwt/jwt/v4", "v4.4.0")
    vulns = find_vulns([jwt], entries)
    at_fix = Module(jwt.path, "v4.5.1")
    # Same module path, requirement at the fix: the finding's module decides the requirement.
    f = Finding(
        at_fix,
        SID,
        Verdict.SATISFIED,
        finding(jwt, Verdict.SATISFIED, "0.0~git20250101.abcdef1-1").package,
        by_date=True,
    )
    view = security_view("db", "m", vulns, entries, [f], [TargetStatus(SID)])
    assert view.findings[0][1][0].verdict is SV.FIXED_IN_DISTRO
    g = Finding(Module(jwt.path, "v4.5.0"), SID, Verdict.OUTDATED, f.package, by_date=True)
    view = security_view("db", "m", vulns, entries, [g], [TargetStatus(SID)])
    assert view.findings[0][1][0].verdict is SV.AFFECTED_IN_DISTRO


def test_prefix_match_and_failed_target_are_unknown(entries: list[Entry]) -> None:
    f = finding(GRPC, Verdict.UNKNOWN, "1.60.0-1", match=MatchKind.PREFIX)
    assert verdict(entries, GRPC, f)[0] is SV.UNKNOWN
    vulns = find_vulns([GRPC], entries)
    view = security_view("db", "m", vulns, entries, [], [TargetStatus(SID, error="HTTP 500")])
    cell = view.findings[0][1][0]
    assert (cell.verdict, cell.reason) == (SV.UNKNOWN, "target failed: HTTP 500")


def test_advice_ranks_by_entries_fixed(entries: list[Entry]) -> None:
    docker = Module("github.com/docker/docker", "v20.10.0+incompatible")
    dns = Module("github.com/miekg/dns", "v1.0.0")
    modules = [GRPC, docker, dns]
    vulns = find_vulns(modules, entries)
    findings = [
        finding(GRPC, Verdict.SATISFIED, "1.57.1-1", binary="golang-google-grpc-dev"),
        finding(dns, Verdict.SATISFIED, "1.1.0-1", binary="golang-github-miekg-dns-dev"),
        finding(docker, Verdict.MISSING, None),
        finding(GRPC, Verdict.OUTDATED, "1.50.0-1", TRIXIE),
        finding(dns, Verdict.SATISFIED, "1.1.0-1", TRIXIE, binary="golang-github-miekg-dns-dev"),
        finding(docker, Verdict.MISSING, None, TRIXIE),
    ]
    view = security_view(
        "db", "m", vulns, entries, findings, [TargetStatus(SID), TargetStatus(TRIXIE)]
    )
    assert [a.text() for a in view.advice] == [
        "unvendor github.com/miekg/dns first: fixes GO-2020-0006 (CVE-2017-15133); "
        "golang-github-miekg-dns-dev 1.1.0-1 in sid is fixed",
        "unvendor google.golang.org/grpc first: fixes GO-2023-2153 (GHSA-m425-mq94-257g); "
        "golang-google-grpc-dev 1.57.1-1 in sid is fixed",
        "unvendor github.com/miekg/dns first: fixes GO-2020-0006 (CVE-2017-15133); "
        "golang-github-miekg-dns-dev 1.1.0-1 in trixie is fixed",
    ]
    verdicts = {(v.module, c.target): c.verdict for v, cells in view.findings for c in cells}
    assert verdicts[(docker.path, "debian:sid")] is SV.NOT_PACKAGED
    assert verdicts[(GRPC.path, "debian:trixie")] is SV.AFFECTED_IN_DISTRO


def test_fixed_but_older_than_required_is_no_unvendoring_advice(entries: list[Entry]) -> None:
    """grpc 1.56.3 in the distro is outside every affected range of GO-2023-2153, but older
    than the vendored v1.57.0: the cell says fixed-in-distro, the plan cannot unvendor it
    as is, so "unvendor google.golang.org/grpc first" would send the packager astray."""
    vulns = find_vulns([GRPC], entries)
    f = finding(GRPC, Verdict.OUTDATED, "1.56.3-1", binary="golang-google-grpc-dev")
    view = security_view("db", "m", vulns, entries, [f], [TargetStatus(SID)])
    assert view.findings[0][1][0].verdict is SV.FIXED_IN_DISTRO
    assert view.advice == ()
