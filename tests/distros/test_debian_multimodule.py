"""Issue #9 on trimmed real sid stanzas: multi-module sources, binary names, cycles, names.

fixtures/debian/mapping-multimodule.Sources holds the current (non-ESO) stanzas of ten
real sid sources (2026-12-01 apt lists), trimmed to Package, Binary, Version,
Build-Depends(-Indep) and Go-Import-Path.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from vendaudit.analysis.audit import audit, judge
from vendaudit.distros.debian.index import DebianIndex
from vendaudit.distros.debian.naming import free_dev_name
from vendaudit.distros.debian.plan import build_debian_plan
from vendaudit.distros.debian.sources import parse_relation_names, parse_sources
from vendaudit.distros.interface import Loaded
from vendaudit.model import MatchKind, Module, Project, Target, Verdict

SID = Target("debian", "sid")


@pytest.fixture
def index(fixtures: Path) -> DebianIndex:
    data = (fixtures / "debian" / "mapping-multimodule.Sources").read_bytes()
    return DebianIndex(SID, parse_sources(data), "test")


def best(index: DebianIndex, path: str, version: str) -> tuple[str, str, str]:
    found = index.lookup(Module(path, version))
    assert found, path
    return found[0].source, found[0].binary, found[0].match.value


def test_build_depends_are_parsed(fixtures: Path) -> None:
    data = (fixtures / "debian" / "mapping-multimodule.Sources").read_bytes()
    entries = {e.source: e for e in parse_sources(data)}
    nydus = entries["golang-github-containerd-nydus-snapshotter"].build_depends
    assert "golang-github-docker-docker-dev" in nydus
    assert "debhelper-compat" in nydus and not any("(" in n or " " in n for n in nydus)
    assert entries["golang-k8s-klog"].build_depends == (
        "debhelper-compat",
        "dh-sequence-golang",
        "golang-any",
        "golang-github-go-logr-logr-dev",
    )


def test_relation_names_keep_first_alternatives_only() -> None:
    value = "a (>= 1), b:native [amd64] <!nocheck>,\n c | d, , e:any"
    assert parse_relation_names(value) == ("a", "b", "c", "e")


@pytest.mark.parametrize(
    "path",
    [
        "go.etcd.io/etcd/server/v3",
        "go.etcd.io/etcd/raft/v3",
        "go.etcd.io/etcd/client/pkg/v3",
        "go.etcd.io/etcd/pkg/v3",
    ],
)
def test_etcd_submodules_cross_v3_at_the_source_major(index: DebianIndex, path: str) -> None:
    assert best(index, path, "v3.5.16") == ("etcd", "golang-etcd-server-dev", "prefix-major")


def test_submodule_own_major_inside_a_repository_shipped_whole(index: DebianIndex) -> None:
    path = "github.com/aws/aws-sdk-go-v2/internal/endpoints/v2"
    assert best(index, path, "v2.6.15") == (
        "golang-github-aws-aws-sdk-go-v2",
        "golang-github-aws-aws-sdk-go-v2-dev",
        "prefix-submodule",
    )


def test_major_straight_after_the_declared_path_is_not_a_prefix(index: DebianIndex) -> None:
    # etcd/v3 is a major spelling of go.etcd.io/etcd, never a prefix cross.
    found = index.lookup(Module("go.etcd.io/etcd/v3", "v3.5.16"))
    assert [p.match for p in found] == [MatchKind.MAJOR]
    assert index.lookup(Module("go.etcd.io/etcd/v4/server", "v4.0.0")) == []


def test_binary_name_is_a_candidate(index: DebianIndex) -> None:
    found = index.lookup(Module("github.com/containerd/containerd/api", "v1.9.0"))
    assert [(p.source, p.binary, p.match) for p in found] == [
        ("containerd", "golang-github-containerd-containerd-api-dev", MatchKind.BINARY)
    ]
    assert found[0].import_path == "github.com/containerd/containerd/v2"
    assert not found[0].versions_this_module
    # Judged like a prefix: by the covering module when the project requires it.
    module = Module("github.com/containerd/containerd/api", "v1.9.0")
    reqs = {"github.com/containerd/containerd/v2": "v2.1.4"}
    finding = judge(module, SID, found, reqs)
    assert finding.verdict is Verdict.SATISFIED
    assert "judged by github.com/containerd/containerd/v2 v2.1.4" in finding.reason
    # Without that requirement: a candidate shown, never "missing".
    assert judge(module, SID, found, {}).verdict is Verdict.UNKNOWN


def test_repository_root_binary_name_is_a_candidate(index: DebianIndex) -> None:
    found = index.lookup(Module("github.com/containerd/containerd/pkg/x", "v0.1.0"))
    assert [(p.binary, p.match) for p in found] == [
        ("golang-github-containerd-containerd-dev", MatchKind.BINARY)
    ]
    # A /vN straight below the root is another major line: not that binary's.
    assert index.lookup(Module("github.com/containerd/containerd/v3/x", "v3.0.0")) == []


def test_old_major_gets_a_free_name(index: DebianIndex) -> None:
    taken = index.binary_names()
    assert free_dev_name("github.com/containerd/cgroups", "v1.1.0", taken)[0] == (
        "golang-github-containerd-cgroups-v1-dev"
    )
    name, note = free_dev_name("k8s.io/klog", "v1.0.0", taken)
    assert name == "golang-k8s-klog-v1-dev"
    assert "golang-k8s-klog-dev is taken" in note
    assert free_dev_name("k8s.io/klog/v3", "v3.0.0", taken) == ("golang-k8s-klog-v3-dev", "")


def _project(*modules: Module, main: str = "github.com/docker/docker") -> Project:
    return Project("vendor.mod", main, "1.24", modules)


def test_create_never_proposes_an_existing_binary(index: DebianIndex) -> None:
    mods = (Module("github.com/containerd/cgroups", "v1.1.0"), Module("k8s.io/klog", "v1.0.0"))
    project = _project(*mods)
    findings = audit(project, [Loaded(SID, index)])
    assert {f.verdict for f in findings} == {Verdict.OTHER_MAJOR}
    plan = build_debian_plan(project, findings, taken=index.binary_names())
    names = {q.module: q.name for q in plan.create}
    assert names == {
        "github.com/containerd/cgroups": "golang-github-containerd-cgroups-v1-dev",
        "k8s.io/klog": "golang-k8s-klog-v1-dev",
    }
    assert not set(names.values()) & index.binary_names()
    assert any("golang-github-containerd-cgroups-dev is taken" in n for n in plan.notes)


def test_build_cycle_keeps_the_module_vendored(index: DebianIndex) -> None:
    nydus = Module("github.com/containerd/nydus-snapshotter", "v0.13.4")
    mods = (nydus, Module("k8s.io/klog/v2", "v2.130.1"))
    project = _project(*mods)
    findings = audit(project, [Loaded(SID, index)])
    by_path = {f.module.path: f for f in findings}
    f = by_path[nydus.path]
    assert f.verdict is Verdict.SATISFIED and f.package is not None
    assert "golang-github-docker-docker-dev, a binary of docker.io" in f.package.cycle
    assert by_path["k8s.io/klog/v2"].package is not None
    assert by_path["k8s.io/klog/v2"].package.cycle == ""
    plan = build_debian_plan(project, findings)
    kept = {k.path: (k.marker, k.reason) for k in plan.keep}
    marker, reason = kept["vendor/github.com/containerd/nydus-snapshotter"]
    assert marker == "~" and "build cycle" in reason and "docker.io" in reason
    assert plan.build_depends == ("golang-k8s-klog-dev (>= 2.130.1~)",)


def test_build_cycle_project_named_explicitly(index: DebianIndex) -> None:
    nydus = Module("github.com/containerd/nydus-snapshotter", "v0.13.4")
    # Another main module: no source declares it, so no cycle unless the source is named.
    project = _project(nydus, main="example.com/fork/docker")
    (f,) = audit(project, [Loaded(SID, index)])
    assert f.package is not None and f.package.cycle == ""
    (f,) = audit(project, [Loaded(SID, index)], project_source="docker.io")
    assert f.package is not None and "docker.io" in f.package.cycle


GENPROTO_API = "google.golang.org/genproto/googleapis/api"


@pytest.mark.parametrize(
    ("version", "parent", "verdict"),
    [
        # cri-o's case: its own requirement is newer than the 2026-04-14 snapshot even
        # though the parent's (2025-06) is older: outdated, not "satisfied".
        ("v0.0.0-20260501000000-aaaaaaaaaaaa", "v0.0.0-20250603000000-bbbbbbbbbbbb", "outdated"),
        ("v0.0.0-20260301000000-aaaaaaaaaaaa", "v0.0.0-20270101000000-bbbbbbbbbbbb", "satisfied"),
        # The parent is not required at all: the date still settles it.
        ("v0.0.0-20260301000000-aaaaaaaaaaaa", None, "satisfied"),
        # A tag has no date offline: unknown (the proxy's date settles it later).
        ("v0.1.0", "v0.0.0-20250603000000-bbbbbbbbbbbb", "unknown"),
    ],
)
def test_nested_module_judged_at_its_own_requirement(
    index: DebianIndex, version: str, parent: str | None, verdict: str
) -> None:
    module = Module(GENPROTO_API, version)
    found = index.lookup(module)
    assert (found[0].source, found[0].match) == ("golang-google-genproto", MatchKind.PREFIX)
    reqs = {"google.golang.org/genproto": parent} if parent else {}
    finding = judge(module, SID, found, reqs)
    assert finding.verdict.value == verdict
    if verdict != "unknown":
        assert finding.by_date
        assert "own requirement" in finding.reason


@pytest.mark.realworld
def test_moby_against_the_multimodule_stanzas(realworld: Path, index: DebianIndex) -> None:
    """moby v28.5.2's vendor.mod: what docker.io's packagers Build-Depend on is found."""
    from vendaudit.gomod import load_project

    project = load_project(realworld / "moby" / "vendor.mod")
    findings = {f.module.path: f for f in audit(project, [Loaded(SID, index)])}

    def kind(path: str) -> str:
        pkg = findings[path].package
        assert pkg is not None, path
        return pkg.match.value

    for sub in ("server/v3", "raft/v3", "client/pkg/v3", "pkg/v3"):
        assert kind(f"go.etcd.io/etcd/{sub}") == "prefix-major"
    assert kind("github.com/aws/aws-sdk-go-v2/internal/endpoints/v2") == "prefix-submodule"
    api = findings["github.com/containerd/containerd/api"]
    assert kind(api.module.path) == "binary" and api.verdict is Verdict.SATISFIED
    nydus = findings["github.com/containerd/nydus-snapshotter"]
    assert nydus.package is not None and "docker.io" in nydus.package.cycle
    assert not any(f.verdict is Verdict.MISSING for p, f in findings.items() if "etcd/" in p)
    plan = build_debian_plan(project, list(findings.values()), taken=index.binary_names())
    kept = {k.path: k.reason for k in plan.keep}
    assert "build cycle" in kept["vendor/github.com/containerd/nydus-snapshotter"]
    assert not {q.name for q in plan.create} & index.binary_names()
    assert "golang-github-containerd-containerd-api-dev" in plan.build_depends


def test_binary_name_without_the_major_has_its_sources_major() -> None:
    """sid: golang-github-apache-arrow-go-dev is github.com/apache/arrow-go/v18 (18.2.0)."""
    from vendaudit.distros.debian.entries import SourceEntry

    arrow = SourceEntry(
        "golang-github-apache-arrow-go",
        "18.2.0-1",
        ("golang-github-apache-arrow-go-dev",),
        ("github.com/apache/arrow-go/v18",),
    )
    index = DebianIndex(SID, [arrow], "test")
    module = Module("github.com/apache/arrow/go/v12", "v12.0.1")
    found = index.lookup(module)
    assert [(p.binary, p.match, p.major) for p in found] == [
        ("golang-github-apache-arrow-go-dev", MatchKind.BINARY, 18)
    ]
    finding = judge(module, SID, found, {})
    assert finding.verdict is Verdict.OTHER_MAJOR
