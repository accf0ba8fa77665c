"""FedoraIndex.lookup: EXACT, MAJOR, PACKAGE (with coverage) and PREFIX matches."""

from __future__ import annotations

from pathlib import Path

import pytest

from vendaudit.distros.fedora import FedoraIndex, LookupResult, parse_primary
from vendaudit.model import MatchKind, Module, Target


@pytest.fixture
def index(fixtures: Path) -> FedoraIndex:
    pkgs = parse_primary((fixtures / "fedora" / "primary-release.xml").read_bytes())
    return FedoraIndex(Target("fedora", "43"), pkgs, provenance="test")


def test_exact(index: FedoraIndex) -> None:
    [pkg] = index.lookup(Module("github.com/docker/go-units", "v0.5.0"))
    assert pkg.match is MatchKind.EXACT
    assert (pkg.source, pkg.binary) == (
        "golang-github-docker-units",
        "golang-github-docker-units-devel",
    )
    assert pkg.import_path == "github.com/docker/go-units" and pkg.major == 1
    assert pkg.version.go_version == "v0.5.0"


def test_major_other_spelling(index: FedoraIndex) -> None:
    [pkg] = index.lookup(
        Module("github.com/coreos/go-systemd", "v0.0.0-20190321100706-95778dfbb74e")
    )
    assert pkg.match is MatchKind.MAJOR
    assert pkg.import_path == "github.com/coreos/go-systemd/v22" and pkg.major == 22
    [same] = index.lookup(Module("github.com/coreos/go-systemd/v22", "v22.5.0"))
    assert same.match is MatchKind.EXACT and same.major == 22


def test_package_match_with_coverage(index: FedoraIndex) -> None:
    # A module whose root has no golang-ipath here: found through its packages.
    mod = Module(
        "github.com/aquasecurity/go-version/pkg/semver",
        "v0.0.0-20210920000000-637058cfe492",
        packages=("github.com/aquasecurity/go-version/pkg/semver",),
    )
    res = index.lookup(mod)
    assert isinstance(res, LookupResult)
    assert res[0].match is MatchKind.PACKAGE
    assert res.coverage == {"golang-github-aquasecurity-version-devel": (1, 1)}
    # the full commit from the (commit=...) provide
    assert res[0].version.snapshot_commit == "637058cfe4921e395b56f195224538d7eac61520"


def test_package_partial_coverage(index: FedoraIndex) -> None:
    mod = Module(
        "golang.org/x/net/v9000",
        "v9000.0.0",
        packages=("golang.org/x/net/http2", "golang.org/x/net/idna", "golang.org/x/net/quic"),
    )
    res = index.lookup(mod)
    kinds = [(p.binary, p.match) for p in res]
    assert kinds == [("golang-x-net-devel", MatchKind.MAJOR)]
    mod2 = Module("golang.org/x/netx", "v1.0.0", packages=("golang.org/x/net/http2",))
    res2 = index.lookup(mod2)
    assert [p.match for p in res2] == [MatchKind.PACKAGE]
    assert res2.coverage["golang-x-net-devel"] == (1, 1)


def test_prefix_never_crosses_major(index: FedoraIndex) -> None:
    [pkg] = index.lookup(Module("cloud.google.com/go/storage", "v1.40.0"))
    assert pkg.match is MatchKind.PREFIX and pkg.import_path == "cloud.google.com/go"
    assert index.lookup(Module("cloud.google.com/go/v2/storage", "v2.0.0")) == []


def test_missing(index: FedoraIndex) -> None:
    assert index.lookup(Module("github.com/spf13/cobra", "v1.8.0")) == []
    assert index.packages == 5
