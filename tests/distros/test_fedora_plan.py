"""build_fedora_plan from findings."""

from __future__ import annotations

from pathlib import Path

from vendaudit.distros.fedora import build_fedora_plan
from vendaudit.distros.fedora.plan import VENDORED_BY_DEFAULT_NOTE
from vendaudit.gomod.modulestxt import parse_modules_txt
from vendaudit.model import (
    DistroPackage,
    Finding,
    MatchKind,
    Module,
    ModVersion,
    PackagedVersion,
    Project,
    Target,
    Verdict,
)

T = Target("fedora", "43")


def _pkg(ipath: str, binary: str, ver: str) -> DistroPackage:
    return DistroPackage(
        binary.removesuffix("-devel"),
        binary,
        PackagedVersion(ver, ver.split("-")[0], None),
        ipath,
        MatchKind.EXACT,
        1,
    )


def test_plan(fixtures: Path) -> None:
    units = Module("github.com/docker/go-units", "v0.5.0")
    net = Module("golang.org/x/net", "v0.44.0")
    walker = Module("github.com/saracen/walker", "v0.1.3")
    snap = Module("github.com/aquasecurity/go-version", "v0.0.0-20210920000000-637058cfe492")
    project = Project("go.mod", "example.com/m", "1.22", (units, net, walker, snap))
    findings = [
        Finding(
            units,
            T,
            Verdict.SATISFIED,
            _pkg(units.path, "golang-github-docker-units-devel", "0.5.0-12"),
        ),
        Finding(
            net,
            T,
            Verdict.OUTDATED,
            _pkg(net.path, "golang-x-net-devel", "0.43.0-1"),
            "1 minor behind",
        ),
        Finding(walker, T, Verdict.MISSING),
        Finding(
            snap,
            T,
            Verdict.SATISFIED,
            _pkg(snap.path, "golang-github-aquasecurity-version-devel", "0-0.4"),
        ),
    ]
    mt_path = fixtures / "fedora" / "modules-fzf.txt"
    plan = build_fedora_plan(
        project, findings, modules_txt=parse_modules_txt(mt_path.read_bytes(), "m")
    )
    assert plan.target == T
    assert plan.build_requires == (
        "BuildRequires: golang(github.com/aquasecurity/go-version)",
        "BuildRequires: golang(github.com/docker/go-units) >= 0.5.0",
    )
    assert [(u.module, u.package, u.packaged) for u in plan.update] == [
        ("golang.org/x/net", "golang-x-net-devel", "0.43.0-1")
    ]
    assert [(c.module, c.name) for c in plan.create] == [
        ("github.com/saracen/walker", "golang-github-saracen-walker")
    ]
    assert len(plan.provides) == 12
    assert plan.provides[0] == "Provides: bundled(golang(github.com/gdamore/encoding)) = 1.0.0"
    assert plan.notes[0] == VENDORED_BY_DEFAULT_NOTE
    assert any("pseudo-version" in n for n in plan.notes)


def test_plan_without_modules_txt() -> None:
    mod = Module("github.com/containerd/platforms", "v1.0.0-rc.1")
    plan = build_fedora_plan(Project("go.mod", "m", "1.22", (mod,)), [], target=T)
    assert plan.provides == (
        "Provides: bundled(golang(github.com/containerd/platforms)) = 1.0.0~rc.1",
    )
    assert any("no vendor/modules.txt" in n for n in plan.notes)


def test_build_requires_use_the_same_required_version_as_debian() -> None:
    # require ex.com/a v1.0.0 + replace ex.com/a => ex.com/a v1.3.0: v1.3.0 must be met.
    mod = Module("ex.com/a", "v1.0.0", replace=ModVersion("ex.com/a", "v1.3.0"))
    f = Finding(mod, T, Verdict.SATISFIED, _pkg("ex.com/a", "golang-ex-a-devel", "1.4.0-1"))
    plan = build_fedora_plan(Project("go.mod", "m", "1.22", (mod,)), [f], target=T)
    assert plan.build_requires == ("BuildRequires: golang(ex.com/a) >= 1.3.0",)
