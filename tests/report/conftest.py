"""Hand-built audit results for the report tests, and the golden-file helper.

The sample covers every verdict, a snapshot decided by date, a replaced module, a target
that failed to load (every verdict ``unknown`` with its error) and plans for Debian and
Fedora.  It is built from the shared model, exactly as the lead's engine would hand it over.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from vendaudit.model import (
    DistroPackage,
    Finding,
    KeepEntry,
    MatchKind,
    Module,
    ModVersion,
    PackagedVersion,
    Project,
    QueueEntry,
    Target,
    TargetStatus,
    UpdateEntry,
    Verdict,
)
from vendaudit.plans import DebianPlan, FedoraPlan, Plan
from vendaudit.report import Report, build_report

GOLDEN = Path(__file__).parent / "golden"
GENERATED_AT = "2026-03-01T12:00:00Z"

SID = Target("debian", "sid")
TRIXIE = Target("debian", "trixie")
RAWHIDE = Target("fedora", "rawhide")
EPEL = Target("epel", "10")

APP = "github.com/example/app"
COBRA = Module("github.com/spf13/cobra", "v1.8.0", packages=("github.com/spf13/cobra",))
PFLAG = Module("github.com/spf13/pflag", "v1.0.5", indirect=True)
XNET = Module("golang.org/x/net", "v0.0.0-20240301120000-abcdef123456", indirect=True)
FOOBAR = Module("github.com/foo/bar", "v1.2.3")
CONTAINERD = Module("github.com/containerd/containerd/v2", "v2.0.0")
FORK = Module("github.com/old/fork", "v1.0.0", replace=ModVersion("github.com/me/fork", "v1.0.1"))
LOCAL = Module("github.com/example/tools", "v0.0.0", replace=ModVersion("./tools", ""))
MULTIERR = Module("github.com/hashicorp/go-multierror", "v1.1.1", indirect=True)
PIPE = Module("github.com/pipe|name/x", "v0.1.0", indirect=True)  # Markdown must escape '|'

MODULES = (COBRA, PFLAG, XNET, FOOBAR, CONTAINERD, FORK, LOCAL, MULTIERR, PIPE)


def _pkg(
    source: str, binary: str, version: str, go: str | None, ipath: str, **kw: object
) -> DistroPackage:
    pv = PackagedVersion(version, version.split("-")[0], go, **kw)  # type: ignore[arg-type]
    return DistroPackage(source, binary, pv, ipath, MatchKind.EXACT, 1)


def _sample_findings() -> list[Finding]:
    cobra_sid = _pkg(
        "golang-github-spf13-cobra",
        "golang-github-spf13-cobra-dev",
        "1.8.0-1",
        "v1.8.0",
        COBRA.path,
    )
    cobra_trixie = _pkg(
        "golang-github-spf13-cobra",
        "golang-github-spf13-cobra-dev",
        "1.6.1-1",
        "v1.6.1",
        COBRA.path,
    )
    cobra_fc = _pkg(
        "golang-github-spf13-cobra",
        "golang-github-spf13-cobra-devel",
        "1.8.0-2.fc42",
        "v1.8.0",
        COBRA.path,
    )
    pflag = _pkg(
        "golang-github-spf13-pflag",
        "golang-github-spf13-pflag-dev",
        "1.0.5-2",
        "v1.0.5",
        PFLAG.path,
    )
    xnet = _pkg(
        "golang-golang-x-net",
        "golang-golang-x-net-dev",
        "1:0.0~git20231101.1234567-1",
        None,
        XNET.path,
        snapshot_date=dt.date(2023, 11, 1),
        snapshot_commit="1234567",
    )
    ctr = DistroPackage(
        "containerd",
        "golang-github-containerd-containerd-dev",
        PackagedVersion("1.7.24~ds1-1", "1.7.24", "v1.7.24"),
        "github.com/containerd/containerd",
        MatchKind.MAJOR,
        1,
    )
    merr = _pkg(
        "golang-github-hashicorp-go-multierror",
        "golang-github-hashicorp-go-multierror-dev",
        "1.1.1-3",
        "v1.1.1",
        MULTIERR.path,
    )
    out: list[Finding] = []
    for t in (SID, TRIXIE):
        newer = t == SID
        out += [
            Finding(
                COBRA,
                t,
                Verdict.SATISFIED if newer else Verdict.OUTDATED,
                cobra_sid if newer else cobra_trixie,
                "" if newer else "packaged v1.6.1 < required v1.8.0",
            ),
            Finding(PFLAG, t, Verdict.SATISFIED, pflag),
            Finding(
                XNET,
                t,
                Verdict.OUTDATED,
                xnet,
                "snapshot 2023-11-01 is older than pseudo-version 2024-03-01",
                by_date=True,
            ),
            Finding(FOOBAR, t, Verdict.MISSING, None, "no package declares this import path"),
            Finding(CONTAINERD, t, Verdict.OTHER_MAJOR, ctr, "packaged major 1, required 2"),
            Finding(FORK, t, Verdict.REPLACED, None, "replaced by github.com/me/fork v1.0.1"),
            Finding(LOCAL, t, Verdict.REPLACED, None, "replaced by local directory ./tools"),
            Finding(MULTIERR, t, Verdict.SATISFIED, merr),
            Finding(PIPE, t, Verdict.MISSING, None, "no package | nothing"),
        ]
    out += [
        Finding(COBRA, RAWHIDE, Verdict.SATISFIED, cobra_fc),
        Finding(PFLAG, RAWHIDE, Verdict.MISSING, None, "no golang(github.com/spf13/pflag)"),
        Finding(XNET, RAWHIDE, Verdict.MISSING, None, "not packaged"),
        Finding(FOOBAR, RAWHIDE, Verdict.MISSING, None, "not packaged"),
        Finding(CONTAINERD, RAWHIDE, Verdict.MISSING, None, "not packaged"),
        Finding(FORK, RAWHIDE, Verdict.REPLACED, None, "replaced"),
        Finding(LOCAL, RAWHIDE, Verdict.REPLACED, None, "replaced"),
        Finding(MULTIERR, RAWHIDE, Verdict.MISSING, None, "not packaged"),
        Finding(PIPE, RAWHIDE, Verdict.MISSING, None, "not packaged"),
    ]
    err = "https://dl.fedoraproject.org/pub/epel/10/: connection refused"
    out += [Finding(m, EPEL, Verdict.UNKNOWN, None, err) for m in MODULES]
    return out


def _sample_plans() -> dict[str, Plan]:
    sid = DebianPlan(
        SID,
        build_depends=(
            "golang-github-containerd-containerd-dev",
            "golang-github-hashicorp-go-multierror-dev",
            "golang-github-spf13-cobra-dev (>= 1.8.0)",
            "golang-github-spf13-pflag-dev",
        ),
        files_excluded=("vendor/github.com/hashicorp", "vendor/github.com/spf13"),
        keep=(
            KeepEntry("vendor/github.com/foo/bar", "~", "not packaged"),
            KeepEntry("vendor/golang.org/x/net", "~F~", "packaged snapshot is older"),
            KeepEntry("vendor/github.com/containerd/containerd/v2", "~C~", "other major"),
        ),
        update=(
            UpdateEntry(
                XNET.path,
                XNET.version,
                "golang-golang-x-net",
                "1:0.0~git20231101.1234567-1",
                "4 months",
                by_date=True,
            ),
        ),
        create=(
            QueueEntry(FOOBAR.path, FOOBAR.version, "golang-github-foo-bar", unblocks=2),
            QueueEntry(
                PIPE.path,
                PIPE.version,
                "golang-github-pipe-name-x",
                0,
                cycle=(PIPE.path, FOOBAR.path),
            ),
        ),
        notes=("2 modules are replaced and stay vendored",),
    )
    trixie = DebianPlan(
        TRIXIE,
        build_depends=("golang-github-spf13-pflag-dev",),
        update=(
            UpdateEntry(
                COBRA.path, "v1.8.0", "golang-github-spf13-cobra", "1.6.1-1", "2 minor versions"
            ),
        ),
    )
    rawhide = FedoraPlan(
        RAWHIDE,
        provides=(
            "Provides: bundled(golang(github.com/foo/bar)) = 1.2.3",
            "bundled(golang(golang.org/x/net)) = 0^20240301gitabcdef1",
        ),
        build_requires=("golang(github.com/spf13/cobra) >= 1.8.0",),
    )
    return {SID.id: sid, TRIXIE.id: trixie, RAWHIDE.id: rawhide}


@dataclass(frozen=True)
class FakeModuleLicense:
    """Stands in for vendaudit.licenses.ModuleLicense (engineer E)."""

    path: str
    spdx: str | None
    files: tuple[str, ...]
    detector: str
    note: str
    copyright: tuple[str, ...] = ()


@dataclass(frozen=True)
class FakeLicenseReport:
    """Stands in for vendaudit.licenses.LicenseReport."""

    per_module: tuple[FakeModuleLicense, ...]
    expression: str
    unrecognised: tuple[str, ...]
    missing: tuple[str, ...]


def make_sample_report() -> Report:
    """The realistic report used by the golden tests."""
    project = Project(
        "vendor.mod", APP, "1.22", MODULES, modules_txt="vendor/modules.txt", sums="vendor.sum"
    )
    statuses = [
        TargetStatus(
            SID, "https://deb.debian.org/debian/dists/sid/InRelease (gpgv: good)", packages=2345
        ),
        TargetStatus(
            TRIXIE,
            "https://deb.debian.org/debian/dists/trixie/InRelease",
            notes=("InRelease signature not checked: gpgv missing",),
            packages=2101,
        ),
        TargetStatus(RAWHIDE, "https://mdapi.fedoraproject.org/rawhide", packages=1890),
        TargetStatus(EPEL, error="https://dl.fedoraproject.org/pub/epel/10/: connection refused"),
    ]
    edges = [
        (APP, COBRA.key),
        (APP, FOOBAR.key),
        (APP, CONTAINERD.key),
        (APP, FORK.key),
        (COBRA.key, PFLAG.key),
        (FOOBAR.key, XNET.key),
        (FOOBAR.key, PIPE.key),
        (PIPE.key, FOOBAR.key),
        (CONTAINERD.key, FOOBAR.key),
        (CONTAINERD.key, MULTIERR.key),
        (FORK.key, XNET.key),
    ]
    lic = FakeLicenseReport(
        per_module=(
            FakeModuleLicense(
                COBRA.path,
                "Apache-2.0",
                ("LICENSE.txt",),
                "spdx-match",
                "",
                ("2013 Steve Francia",),
            ),
            FakeModuleLicense(FOOBAR.path, None, ("COPYING",), "spdx-match", "custom text"),
        ),
        expression="Apache-2.0 AND LicenseRef-unknown",
        unrecognised=(FOOBAR.path,),
        missing=(XNET.path,),
    )
    return build_report(
        project,
        statuses,
        _sample_findings(),
        _sample_plans(),
        graph_edges=edges,
        licenses=lic,
        generated_at=GENERATED_AT,
        tool_version="0.1.0",
    )


def make_empty_report() -> Report:
    """No modules, no targets."""
    return build_report(
        Project("go.mod", "example.com/empty", "1.22", ()),
        [],
        [],
        {},
        generated_at=GENERATED_AT,
        tool_version="0.1.0",
    )


def make_big_report(n: int = 3000) -> Report:
    """A generated report with ``n`` modules over three targets (markdown limits, schema)."""
    mods = tuple(
        Module(f"example.com/m{i:05d}/pkg", f"v1.{i}.0", indirect=i % 3 == 0) for i in range(n)
    )
    verdicts = list(Verdict)
    findings = [
        Finding(m, t, verdicts[(i + j) % len(verdicts)], None, f"reason {i} in {t.id}")
        for i, m in enumerate(mods)
        for j, t in enumerate((SID, TRIXIE, RAWHIDE))
    ]
    plans = {SID.id: DebianPlan(SID, files_excluded=tuple(f"vendor/{m.path}" for m in mods))}
    edges = [(mods[i].key, mods[i // 2].key) for i in range(1, n)]
    return build_report(
        Project("go.mod", "example.com/big", "1.22", mods),
        [TargetStatus(SID), TargetStatus(TRIXIE), TargetStatus(RAWHIDE)],
        findings,
        plans,
        graph_edges=edges,
        generated_at=GENERATED_AT,
        tool_version="0.1.0",
    )


@pytest.fixture
def sample_report() -> Report:
    """The realistic sample report."""
    return make_sample_report()


@pytest.fixture
def empty_report() -> Report:
    """The empty report."""
    return make_empty_report()


@pytest.fixture(scope="session")
def big_report() -> Report:
    """A generated 3000-module report."""
    return make_big_report()


@pytest.fixture(scope="session")
def medium_report() -> Report:
    """A generated 600-module report (schema validation is slow on bigger ones)."""
    return make_big_report(600)


@pytest.fixture
def golden() -> Callable[[str, str], None]:
    """Compare text with tests/report/golden/<name>; VENDAUDIT_UPDATE_GOLDEN=1 rewrites it."""

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if os.environ.get("VENDAUDIT_UPDATE_GOLDEN") == "1":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        assert path.exists(), f"{path} missing: run with VENDAUDIT_UPDATE_GOLDEN=1"
        expected = path.read_text(encoding="utf-8")
        assert text == expected, f"{name} differs from golden (VENDAUDIT_UPDATE_GOLDEN=1 rewrites)"

    return check
