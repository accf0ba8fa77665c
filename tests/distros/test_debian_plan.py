"""The Debian unvendoring plan from hand-made findings."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from vendaudit.distros.debian.plan import build_debian_plan
from vendaudit.model import (
    DistroPackage,
    Finding,
    MatchKind,
    Module,
    ModVersion,
    Project,
    QueueEntry,
    Target,
    Verdict,
)
from vendaudit.versions.debian import debian_to_go

SID = Target("debian", "sid")


def mod(path: str, version: str, *pkgs: str, replace: ModVersion | None = None) -> Module:
    """A vendored module; its packages default to the module root."""
    return Module(path, version, replace=replace, packages=pkgs or (path,))


def pkg(
    binary: str, version: str, path: str, match: MatchKind = MatchKind.EXACT, major: int = 1
) -> DistroPackage:
    return DistroPackage(
        binary.removesuffix("-dev"), binary, debian_to_go(version), path, match, major
    )


def finding(
    module: Module, verdict: Verdict, package: DistroPackage | None = None, reason: str = ""
) -> Finding:
    return Finding(module, SID, verdict, package, reason)


def project(findings: Sequence[Finding], txt: bool = True) -> Project:
    return Project(
        "vendor.mod",
        "github.com/docker/docker",
        "1.24.0",
        tuple(f.module for f in findings),
        modules_txt="vendor/modules.txt" if txt else None,
    )


def plan_of(findings: Sequence[Finding], **kw: object):  # type: ignore[no-untyped-def]
    return build_debian_plan(project(findings), findings, **kw)  # type: ignore[arg-type]


def test_strongest_constraint_wins() -> None:
    yaml = "golang-gopkg-yaml.v3-dev"
    fs = [
        finding(
            mod("gopkg.in/yaml.v3", "v3.0.1"), Verdict.SATISFIED, pkg(yaml, "3.0.5-1", "x", major=3)
        ),
        finding(
            mod("go.yaml.in/yaml/v3", "v3.0.4"),
            Verdict.SATISFIED,
            pkg(yaml, "3.0.5-1", "x", major=3),
        ),
        finding(
            mod("github.com/docker/go-units", "v0.5.0"),
            Verdict.SATISFIED,
            pkg("golang-github-docker-go-units-dev", "0.5.0-1", "github.com/docker/go-units"),
        ),
    ]
    plan = plan_of(fs)
    assert plan.target == SID
    assert plan.build_depends == (
        "golang-github-docker-go-units-dev (>= 0.5.0~)",
        "golang-gopkg-yaml.v3-dev (>= 3.0.4~)",
    )
    assert plan.files_excluded == (
        "vendor/github.com/docker/go-units",
        "vendor/go.yaml.in/yaml/v3",
        "vendor/gopkg.in/yaml.v3",
    )
    assert plan.keep == () and plan.create == () and plan.update == ()
    assert any("repack suffix" in n for n in plan.notes)


def test_prefix_match_has_no_version() -> None:
    sys_pkg = pkg(
        "golang-github-moby-sys-dev",
        "0.0~git20260904.79376e0-2",
        "github.com/moby/sys",
        MatchKind.PREFIX,
    )
    fs = [
        finding(mod("github.com/moby/sys/mountinfo", "v0.7.2"), Verdict.SATISFIED, sys_pkg),
        finding(mod("github.com/moby/sys/user", "v0.4.0"), Verdict.SATISFIED, sys_pkg),
    ]
    plan = plan_of(fs)
    assert plan.build_depends == ("golang-github-moby-sys-dev",)
    # Both modules under vendor/github.com/moby are excluded: collapsed, but not further
    # up to vendor/github.com.
    assert plan.files_excluded == ("vendor/github.com/moby",)
    assert any("prefix match" in n for n in plan.notes)


def test_directory_collapse_like_docker_io() -> None:
    x = "golang-golang-x-{}-dev"
    fs = [
        finding(
            mod("golang.org/x/net", "v0.39.0"),
            Verdict.SATISFIED,
            pkg(x.format("net"), "1:0.62.0-1", "golang.org/x/net"),
        ),
        finding(
            mod("golang.org/x/sys", "v0.33.0"),
            Verdict.SATISFIED,
            pkg(x.format("sys"), "0.38.0-1", "golang.org/x/sys"),
        ),
        finding(
            mod("google.golang.org/grpc", "v1.72.2"),
            Verdict.SATISFIED,
            pkg("golang-google-grpc-dev", "1.81.1-1", "google.golang.org/grpc"),
        ),
        finding(
            mod("google.golang.org/genproto/googleapis/rpc", "v0.0.0-20250505200425-f936aa4a68b2"),
            Verdict.MISSING,
        ),
        finding(
            mod("github.com/a/one", "v1.0.0"),
            Verdict.SATISFIED,
            pkg("golang-github-a-one-dev", "1.0.0-1", "github.com/a/one"),
        ),
    ]
    plan = plan_of(fs)
    assert plan.files_excluded == (
        "vendor/github.com/a/one",  # a single module: no collapse to vendor/github.com
        "vendor/golang.org",
        "vendor/google.golang.org/grpc",
    )
    assert [(k.marker, k.path) for k in plan.keep] == [
        ("~", "vendor/google.golang.org/genproto/googleapis/rpc")
    ]
    assert plan.create == (
        QueueEntry(
            "google.golang.org/genproto/googleapis/rpc",
            "v0.0.0-20250505200425-f936aa4a68b2",
            "golang-google-genproto-googleapis-rpc-dev",
        ),
    )


def test_nested_kept_module_is_not_excluded_wholesale() -> None:
    bar = mod(
        "github.com/foo/bar",
        "v1.2.0",
        "github.com/foo/bar",
        "github.com/foo/bar/pkgdir",
        "github.com/foo/bar/pkgdir/deep",
        "github.com/foo/bar/sub/internal",
    )
    sub = mod("github.com/foo/bar/sub", "v0.1.0")
    fs = [
        finding(bar, Verdict.SATISFIED, pkg("golang-github-foo-bar-dev", "1.2.0-1", bar.path)),
        finding(sub, Verdict.MISSING),
    ]
    plan = plan_of(fs)
    assert plan.files_excluded == ("vendor/github.com/foo/bar/pkgdir",)
    assert plan.build_depends == ("golang-github-foo-bar-dev (>= 1.2.0~)",)
    assert [k.path for k in plan.keep] == ["vendor/github.com/foo/bar/sub"]
    note = next(n for n in plan.notes if n.startswith("vendor/github.com/foo/bar:"))
    assert "vendor/github.com/foo/bar stay" in note or "vendor/github.com/foo/bar," in note
    assert "github.com/foo/bar/sub" in note


def test_kept_parent_blocks_collapse_of_used_children() -> None:
    fs = [
        finding(mod("ex.com/top", "v1.0.0"), Verdict.MISSING),
        finding(
            mod("ex.com/top/a", "v1.0.0"),
            Verdict.SATISFIED,
            pkg("golang-ex-top-a-dev", "1.0.0-1", "ex.com/top/a"),
        ),
        finding(
            mod("ex.com/top/b", "v1.0.0"),
            Verdict.SATISFIED,
            pkg("golang-ex-top-b-dev", "1.0.0-1", "ex.com/top/b"),
        ),
    ]
    plan = plan_of(fs)
    assert plan.files_excluded == ("vendor/ex.com/top/a", "vendor/ex.com/top/b")


def test_markers_and_reasons() -> None:
    fork = mod(
        "github.com/docker/go-connections",
        "v0.5.0",
        replace=ModVersion("github.com/example-fork/go-connections", "v0.5.1"),
    )
    fs = [
        finding(
            fork,
            Verdict.REPLACED,
            None,
            "replaced by github.com/example-fork/go-connections v0.5.1 in go.mod",
        ),
        finding(mod("github.com/moby/swarmkit/v2", "v2.0.0"), Verdict.MISSING),
        finding(
            mod("github.com/cenkalti/backoff/v4", "v4.3.0"),
            Verdict.OTHER_MAJOR,
            pkg(
                "golang-github-cenkalti-backoff-v5-dev",
                "5.0.3-4",
                "github.com/cenkalti/backoff/v5",
                MatchKind.MAJOR,
                5,
            ),
        ),
        finding(mod("github.com/containerd/stargz-snapshotter", "v0.16.3"), Verdict.MISSING),
        finding(mod("github.com/x/unk", "v1.0.0"), Verdict.UNKNOWN, None, "lookup failed"),
    ]
    cycles = {
        "github.com/containerd/stargz-snapshotter": (
            "github.com/docker/docker",
            "github.com/containerd/stargz-snapshotter",
            "github.com/docker/docker",
        )
    }
    plan = plan_of(fs, cycles=cycles)
    keep = {k.path.removeprefix("vendor/"): (k.marker, k.reason) for k in plan.keep}
    assert keep["github.com/docker/go-connections"][0] == "~F~"
    assert "example-fork" in keep["github.com/docker/go-connections"][1]
    assert keep["github.com/moby/swarmkit/v2"] == ("~", "not packaged in debian:sid")
    marker, reason = keep["github.com/cenkalti/backoff/v4"]
    assert marker == "~" and "needs v4" in reason and "only v5" in reason
    marker, reason = keep["github.com/containerd/stargz-snapshotter"]
    assert marker == "~C~" and "cycle:" in reason and "github.com/docker/docker" in reason
    assert keep["github.com/x/unk"][0] == "~"
    assert [q.module for q in plan.create] == [
        "github.com/cenkalti/backoff/v4",
        "github.com/moby/swarmkit/v2",
    ]
    assert [q.name for q in plan.create] == [
        "golang-github-cenkalti-backoff-v4-dev",
        "golang-github-moby-swarmkit-v2-dev",
    ]
    assert plan.build_depends == () and plan.files_excluded == ()
    assert [k.path for k in plan.keep] == sorted(k.path for k in plan.keep)
    assert any("fork" in n for n in plan.notes) and any("judged" in n for n in plan.notes)


def _outdated() -> list[Finding]:
    grpc = pkg("golang-google-grpc-dev", "1.66.3-2", "google.golang.org/grpc")
    return [
        Finding(
            mod("google.golang.org/grpc", "v1.72.2"),
            SID,
            Verdict.OUTDATED,
            grpc,
            "golang-google-grpc-dev 1.66.3-2 is older than v1.72.2: 6 minor versions behind",
            behind="6 minor versions behind",
        ),
        finding(
            mod("golang.org/x/net", "v0.39.0"),
            Verdict.SATISFIED,
            pkg("golang-golang-x-net-dev", "1:0.62.0-1", "golang.org/x/net"),
        ),
    ]


def test_outdated_is_used_and_listed_for_update() -> None:
    plan = plan_of(_outdated())
    assert plan.build_depends == (
        "golang-golang-x-net-dev (>= 1:0.39.0~)",
        "golang-google-grpc-dev (>= 1.72.2~)",
    )
    assert plan.files_excluded == ("vendor/golang.org/x/net", "vendor/google.golang.org/grpc")
    (u,) = plan.update
    assert (u.module, u.needed, u.package, u.packaged, u.behind) == (
        "google.golang.org/grpc",
        "v1.72.2",
        "golang-google-grpc-dev",
        "1.66.3-2",
        "6 minor versions behind",
    )


def test_only_satisfied_keeps_outdated() -> None:
    plan = plan_of(_outdated(), only_satisfied=True)
    assert plan.build_depends == ("golang-golang-x-net-dev (>= 1:0.39.0~)",)
    assert plan.files_excluded == ("vendor/golang.org/x/net",)
    (k,) = plan.keep
    assert (k.path, k.marker) == ("vendor/google.golang.org/grpc", "~")
    assert k.reason.startswith("packaged 1.66.3-2 < required v1.72.2")
    assert len(plan.update) == 1


def test_unvendored_modules_are_ignored_and_order_applies() -> None:
    empty = Module("github.com/not/built", "v1.0.0", packages=())
    fs = [
        finding(empty, Verdict.MISSING),
        finding(mod("ex.com/a", "v1.0.0"), Verdict.MISSING),
        finding(mod("ex.com/b", "v1.0.0"), Verdict.MISSING),
    ]
    plan = plan_of(fs, order=lambda q: list(reversed(q)))
    assert [q.module for q in plan.create] == ["ex.com/b", "ex.com/a"]
    assert [k.path for k in plan.keep] == ["vendor/ex.com/a", "vendor/ex.com/b"]
    assert any("no vendored package" in n for n in plan.notes)
    # Without modules.txt nothing is known to be unbuilt.
    plan = build_debian_plan(project(fs, txt=False), fs)
    assert len(plan.create) == 3


def test_same_path_pin_is_the_requirement() -> None:
    m = mod("ex.com/a", "v1.0.0", replace=ModVersion("ex.com/a", "v1.3.0"))
    fs = [finding(m, Verdict.SATISFIED, pkg("golang-ex-a-dev", "1.4.0-1", "ex.com/a"))]
    assert plan_of(fs).build_depends == ("golang-ex-a-dev (>= 1.3.0~)",)


def test_target_checks() -> None:
    with pytest.raises(ValueError, match="no findings"):
        build_debian_plan(project([]), [])
    assert build_debian_plan(project([]), [], target=SID).target == SID
    fs = [finding(mod("ex.com/a", "v1.0.0"), Verdict.MISSING)]
    other = Finding(mod("ex.com/b", "v1.0.0"), Target("debian", "trixie"), Verdict.MISSING)
    with pytest.raises(ValueError, match="several targets"):
        build_debian_plan(project(fs), [*fs, other])


def test_own_dev_package_is_never_a_build_dependency() -> None:
    own = pkg("golang-github-docker-docker-dev", "28.5.2+dfsg4-5", "github.com/moby/buildkit")
    fs = [finding(mod("github.com/moby/buildkit", "v0.25.2"), Verdict.SATISFIED, own)]
    plan = plan_of(fs)
    assert plan.build_depends == () and plan.files_excluded == ()
    (k,) = plan.keep
    assert (k.marker, k.path) == ("~", "vendor/github.com/moby/buildkit")
    assert "own package golang-github-docker-docker-dev" in k.reason


@pytest.mark.realworld
def test_moby_plan_end_to_end(realworld: Path) -> None:
    """moby's vendor.mod, audited against the sid sample, planned and rendered."""
    from vendaudit.analysis.audit import audit
    from vendaudit.distros.debian.index import DebianIndex
    from vendaudit.distros.debian.sources import parse_sources
    from vendaudit.distros.interface import Loaded
    from vendaudit.gomod import load_project
    from vendaudit.report.debian import render_debian_plan

    project = load_project(realworld / "moby" / "vendor.mod")
    sample = realworld.parent / "samples" / "debian" / "sid-Sources-sample"
    index = DebianIndex(SID, parse_sources(sample.read_bytes()), str(sample))
    findings = audit(project, [Loaded(SID, index)])
    plan = build_debian_plan(project, findings)
    deps = {d.split(" ")[0]: d for d in plan.build_depends}
    assert deps["golang-golang-x-net-dev"] == "golang-golang-x-net-dev (>= 1:0.39.0~)"
    assert deps["golang-opentelemetry-otel-dev"] == "golang-opentelemetry-otel-dev (>= 1.35.0~)"
    assert "golang-github-docker-docker-dev" not in deps
    assert "vendor/go.opentelemetry.io/otel" in plan.files_excluded
    # aws-sdk-go-v2/internal/endpoints/v2 is a sub-module's own major inside the repository
    # golang-github-aws-aws-sdk-go-v2 ships whole (prefix-submodule, issue #9): used, so
    # the whole aws tree is one pattern.
    assert "vendor/github.com/aws/aws-sdk-go-v2" in plan.files_excluded
    kept = {k.path: k.marker for k in plan.keep}
    assert "vendor/github.com/aws/aws-sdk-go-v2/internal/endpoints/v2" not in kept
    # etcd 3.5 covers server/v3 & co. (prefix-major): not to be packaged, but its version
    # is not theirs, so offline they stay vendored as unknown.
    assert kept["vendor/go.etcd.io/etcd/server/v3"] == "~"
    assert not {q.module for q in plan.create} & {"go.etcd.io/etcd/server/v3"}
    # moby/sys snapshot vs tags: the audit cannot compare (unknown), so it stays.
    assert kept["vendor/github.com/moby/sys/mountinfo"] == "~"
    assert kept["vendor/github.com/moby/swarmkit/v2"] == "~"
    assert kept["vendor/github.com/moby/buildkit"] == "~"
    assert "github.com/moby/swarmkit/v2" in {q.module for q in plan.create}
    # Measured: 14 Build-Depends, 14 patterns, 197 kept, 2 updates, 181 to package.
    assert (len(plan.build_depends), len(plan.update), len(plan.create)) == (14, 2, 181)
    text = render_debian_plan(plan)
    assert text.startswith("# debian:sid — generated by vendaudit\n")
    assert " ~vendor/github.com/moby/swarmkit/v2\n" in text


def test_modules_not_compiled_in_are_excluded_without_build_depends() -> None:
    hcsshim = mod("github.com/Microsoft/hcsshim", "v0.13.0")
    net = mod("golang.org/x/net", "v0.39.0")
    fs = [
        finding(hcsshim, Verdict.MISSING),
        finding(net, Verdict.SATISFIED, pkg("golang-golang-x-net-dev", "1:0.62.0-1", net.path)),
    ]
    plan = plan_of(fs, unused={"github.com/Microsoft/hcsshim"})
    assert plan.files_excluded == ("vendor/github.com/Microsoft/hcsshim", "vendor/golang.org/x/net")
    assert plan.build_depends == ("golang-golang-x-net-dev (>= 1:0.39.0~)",)
    assert not plan.keep and not plan.create
    assert any("not compiled into this build" in n for n in plan.notes)


class _Walk:
    """A hand-made package walk (the shape of analysis.packages.PackageGraph)."""

    def __init__(self, edges: dict[str, tuple[str, ...]], main: str = "github.com/docker/docker"):
        self.roots = (main,)
        self.imports = {main: (), **edges}
        self.test_imports: dict[str, tuple[str, ...]] = {}
        pkgs = {p for p in self.imports} | {d for ds in self.imports.values() for d in ds}
        # Module of a package: the longest module path among the test's modules.
        self.packages = {p: p for p in pkgs}


def test_kept_module_imported_only_by_excluded_modules_goes_too() -> None:
    # moby: github.com/sean-/seed is imported only by hashicorp/memberlist, which comes
    # from golang-github-hashicorp-memberlist-dev: nothing compiled from vendor/ needs it.
    main = "github.com/docker/docker"
    memberlist = mod("github.com/hashicorp/memberlist", "v0.4.0")
    seed = mod("github.com/sean-/seed", "v0.0.0-20170313163322-e2103e2c3529")
    swarm = mod("github.com/moby/swarmkit/v2", "v2.0.0")
    fs = [
        finding(
            memberlist,
            Verdict.SATISFIED,
            pkg("golang-github-hashicorp-memberlist-dev", "0.5.0-1", memberlist.path),
        ),
        finding(seed, Verdict.MISSING),
        finding(swarm, Verdict.MISSING),
    ]
    walk = _Walk(
        {
            main: (memberlist.path, swarm.path),
            memberlist.path: (seed.path,),
            swarm.path: (),
            seed.path: (),
        }
    )
    plan = plan_of(fs, walk=walk)
    assert [k.path for k in plan.keep] == ["vendor/github.com/moby/swarmkit/v2"]
    assert [q.module for q in plan.create] == [swarm.path]
    assert "vendor/github.com/sean-/seed" in plan.files_excluded
    (entry,) = plan.excluded_unused
    assert entry.path == "vendor/github.com/sean-/seed"
    assert "imported only by github.com/hashicorp/memberlist" in entry.reason
    assert plan.build_depends == ("golang-github-hashicorp-memberlist-dev (>= 0.4.0~)",)
    from vendaudit.report.debian import render_debian_plan

    text = render_debian_plan(plan)
    assert "#  vendor/github.com/sean-/seed: imported only by" in text


def test_a_kept_module_still_imported_by_kept_code_stays() -> None:
    main = "github.com/docker/docker"
    a = mod("example.com/a", "v1.0.0")  # kept (missing), imported by main
    b = mod("example.com/b", "v1.0.0")  # kept, imported by a (still vendored) and by c
    c = mod("example.com/c", "v1.0.0")  # used
    fs = [
        finding(a, Verdict.MISSING),
        finding(b, Verdict.MISSING),
        finding(c, Verdict.SATISFIED, pkg("golang-example-c-dev", "1.0.0-1", c.path)),
    ]
    walk = _Walk({main: (a.path, c.path), a.path: (b.path,), c.path: (b.path,), b.path: ()})
    plan = plan_of(fs, walk=walk)
    assert [k.path for k in plan.keep] == ["vendor/example.com/a", "vendor/example.com/b"]
    assert not plan.excluded_unused


def test_chains_of_kept_modules_behind_an_excluded_one_all_go() -> None:
    main = "github.com/docker/docker"
    used = mod("example.com/used", "v1.0.0")
    x = mod("example.com/x", "v1.0.0")
    y = mod("example.com/y", "v1.0.0")
    fs = [
        finding(used, Verdict.SATISFIED, pkg("golang-example-used-dev", "1.0.0-1", used.path)),
        finding(x, Verdict.MISSING),
        finding(y, Verdict.UNKNOWN, reason="cannot compare"),
    ]
    walk = _Walk({main: (used.path,), used.path: (x.path,), x.path: (y.path,), y.path: ()})
    plan = plan_of(fs, walk=walk)
    assert not plan.keep and not plan.create
    assert [e.path for e in plan.excluded_unused] == [
        "vendor/example.com/x",
        "vendor/example.com/y",
    ]
    assert "imported only by example.com/x" in plan.excluded_unused[1].reason
    assert plan.files_excluded == ("vendor/example.com",)


def test_build_depends_are_marked_direct_or_indirect() -> None:
    direct = mod("github.com/docker/go-units", "v0.5.0")
    indirect = Module(
        "github.com/pkg/errors", "v0.9.1", indirect=True, packages=("github.com/pkg/errors",)
    )
    both = Module("golang.org/x/sys", "v0.30.0", indirect=True, packages=("golang.org/x/sys/unix",))
    both_direct = mod("golang.org/x/sys/windows-ish", "v0.30.0")
    sysbin = "golang-golang-x-sys-dev"
    fs = [
        finding(
            direct,
            Verdict.SATISFIED,
            pkg("golang-github-docker-go-units-dev", "0.5.0-1", direct.path),
        ),
        finding(
            indirect,
            Verdict.SATISFIED,
            pkg("golang-github-pkg-errors-dev", "0.9.1-3", indirect.path),
        ),
        finding(both, Verdict.SATISFIED, pkg(sysbin, "0.30.0-1", both.path)),
        finding(both_direct, Verdict.SATISFIED, pkg(sysbin, "0.30.0-1", both.path)),
    ]
    plan = plan_of(fs)
    assert plan.build_depends_indirect == ("golang-github-pkg-errors-dev (>= 0.9.1~)",)
    from vendaudit.report.debian import render_debian_plan

    text = render_debian_plan(plan)
    head, _, tail = text.partition("# needed only by indirect requirements")
    assert "golang-github-docker-go-units-dev" in head and sysbin in head
    assert " golang-github-pkg-errors-dev (>= 0.9.1~),\n" in tail
    only = plan_of(fs, direct_only=True)
    assert "golang-github-pkg-errors-dev (>= 0.9.1~)" not in only.build_depends
    assert len(only.build_depends) == 2 and not only.build_depends_indirect
    assert any("--direct-only" in n for n in only.notes)
    # Files-Excluded does not change: the indirect module's code still leaves vendor/.
    assert only.files_excluded == plan.files_excluded
