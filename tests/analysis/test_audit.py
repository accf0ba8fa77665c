"""The audit engine: one verdict per module and target, from hand-made candidates."""

from __future__ import annotations

import datetime as dt

from vendaudit.analysis.audit import audit, judge
from vendaudit.distros.interface import DistroError, DistroIndex, Failed, Loaded
from vendaudit.model import (
    DistroPackage,
    MatchKind,
    Module,
    ModVersion,
    Project,
    Target,
    Verdict,
)
from vendaudit.versions import debian_to_go

SID = Target("debian", "sid")


def pkg(
    binary: str,
    version: str,
    path: str,
    match: MatchKind = MatchKind.EXACT,
    major: int = 1,
    own: bool = True,
) -> DistroPackage:
    return DistroPackage(
        binary.removesuffix("-dev"), binary, debian_to_go(version), path, match, major, own
    )


def test_satisfied_outdated_missing() -> None:
    net = Module("golang.org/x/net", "v0.39.0")
    ok = judge(net, SID, [pkg("golang-golang-x-net-dev", "1:0.62.0-1", "golang.org/x/net")])
    assert ok.verdict is Verdict.SATISFIED
    assert "satisfies v0.39.0" in ok.reason
    grpc = Module("google.golang.org/grpc", "v1.72.2")
    old = judge(grpc, SID, [pkg("golang-google-grpc-dev", "1.66.3-2", "google.golang.org/grpc")])
    assert old.verdict is Verdict.OUTDATED
    assert old.behind and "behind" in old.behind
    gone = judge(Module("github.com/moby/swarmkit/v2", "v2.0.0"), SID, [])
    assert gone.verdict is Verdict.MISSING and gone.package is None


def test_other_major_names_what_exists() -> None:
    backoff = Module("github.com/cenkalti/backoff/v4", "v4.3.0")
    v5 = pkg(
        "golang-github-cenkalti-backoff-v5-dev",
        "5.0.3-4",
        "github.com/cenkalti/backoff/v5",
        MatchKind.MAJOR,
        5,
    )
    f = judge(backoff, SID, [v5])
    assert f.verdict is Verdict.OTHER_MAJOR
    assert "needs v4; only v5 packaged" in f.reason


def test_fork_is_replaced_but_same_path_pin_is_not() -> None:
    fork = Module(
        "github.com/docker/go-connections",
        "v0.5.0",
        replace=ModVersion("github.com/example-fork/go-connections", "v0.5.1"),
    )
    cand = [pkg("golang-github-docker-go-connections-dev", "0.5.0-1", fork.path)]
    assert judge(fork, SID, cand).verdict is Verdict.REPLACED
    local = Module("github.com/moby/moby/api", "v1.55.0", replace=ModVersion("./api"))
    f = judge(local, SID, [])
    assert f.verdict is Verdict.REPLACED and "local directory ./api" in f.reason
    pinned = Module(fork.path, "v0.4.0", replace=ModVersion(fork.path, "v0.6.0"))
    f = judge(pinned, SID, cand)
    assert f.verdict is Verdict.OUTDATED  # judged against the pinned v0.6.0
    assert "v0.6.0" in f.reason


def test_snapshot_decided_by_date() -> None:
    ansi = Module("github.com/Azure/go-ansiterm", "v0.0.0-20250102033503-faa5f7b0171c")
    snap = pkg("golang-github-azure-go-ansiterm-dev", "0.0~git20210617.d185dfc-2", ansi.path)
    f = judge(ansi, SID, [snap])
    assert f.verdict is Verdict.OUTDATED and f.by_date
    assert snap.version.snapshot_date == dt.date(2021, 6, 17)


def test_untagged_snapshot_against_tag_is_unknown_not_a_guess() -> None:
    term = Module("github.com/moby/term", "v0.5.2")
    snap = pkg("golang-github-moby-term-dev", "0.0~git20230502.9c3c875-1", term.path)
    f = judge(term, SID, [snap])
    assert f.verdict is Verdict.UNKNOWN
    assert f.package == snap


def test_prefix_match_judged_by_covering_requirement() -> None:
    s3 = Module("github.com/aws/aws-sdk-go-v2/service/s3", "v1.80.0")
    cover = pkg(
        "golang-github-aws-aws-sdk-go-v2-dev",
        "1.41.7-2",
        "github.com/aws/aws-sdk-go-v2",
        MatchKind.PREFIX,
        own=False,
    )
    f = judge(s3, SID, [cover], {"github.com/aws/aws-sdk-go-v2": "v1.30.3"})
    assert f.verdict is Verdict.SATISFIED
    assert "judged by github.com/aws/aws-sdk-go-v2 v1.30.3" in f.reason
    # Without the covering requirement the version says nothing about this module.
    assert judge(s3, SID, [cover]).verdict is Verdict.UNKNOWN


def test_another_projects_version_is_not_compared() -> None:
    buildkit = Module("github.com/moby/buildkit", "v0.25.2")
    docker = pkg("golang-github-docker-docker-dev", "28.5.2+dfsg4-5", buildkit.path, own=False)
    f = judge(buildkit, SID, [docker])
    assert f.verdict is Verdict.UNKNOWN
    assert "not github.com/moby/buildkit's own" in f.reason


class _Failing(DistroIndex):
    target = SID
    provenance = "test"

    def lookup(self, module: Module) -> list[DistroPackage]:
        raise DistroError("boom")


def test_failed_target_or_lookup_is_unknown_never_missing() -> None:
    project = Project("go.mod", "example.com/m", "1.22", (Module("example.com/a", "v1.0.0"),))
    failed = audit(project, [Failed(SID, "HTTP 503")])
    assert [f.verdict for f in failed] == [Verdict.UNKNOWN]
    assert "HTTP 503" in failed[0].reason
    broken = audit(project, [Loaded(SID, _Failing())])
    assert [f.verdict for f in broken] == [Verdict.UNKNOWN]


def test_exact_path_with_another_major_is_compared_not_other_major() -> None:
    getopt = Module("github.com/pborman/getopt", "v1.1.0")
    deb = pkg("golang-github-pborman-getopt-dev", "2.2.0-1", getopt.path, major=2)
    f = judge(getopt, SID, [deb])
    assert f.verdict is Verdict.SATISFIED
    assert "major v2" in f.reason
