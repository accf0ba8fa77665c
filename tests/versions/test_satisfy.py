"""Satisfaction of Go requirements by packaged versions, and distro constraints."""

from __future__ import annotations

import shutil
import subprocess

import pytest

import vendaudit.versions as versions
from vendaudit.versions.debian import debian_compare, debian_to_go
from vendaudit.versions.rpm import fedora_to_go, rpm_compare
from vendaudit.versions.satisfy import (
    Satisfaction,
    go_compare_lenient,
    satisfies,
    version_constraint_debian,
    version_constraint_rpm,
)

PSEUDO_0524 = "v0.0.0-20240523101010-abcdef123456"

DEBIAN_CASES = [
    # required, Debian version, ok, by_date, behind
    ("v1.2.3", "1.2.3-1", True, False, ""),
    ("v1.2.3", "1.2.4+dfsg-1", True, False, ""),
    ("v1.4.1", "1.2.0-1", False, False, "2 minor versions behind (1.2.0 < 1.4.1)"),
    ("v1.2.4", "1.2.3-1", False, False, "1 patch behind (1.2.3 < 1.2.4)"),
    ("v1.2.6", "1.2.3-1", False, False, "3 patches behind (1.2.3 < 1.2.6)"),
    ("v2.1.0+incompatible", "1:2.0.0-1", False, False, "1 minor version behind (2.0.0 < 2.1.0)"),
    ("v60.1.0", "60.0.0-3", False, False, "1 minor version behind (60.0.0 < 60.1.0)"),
    ("v2.0.0+incompatible", "2.0.0-1", True, False, ""),
    ("v1.2.0", "1.2.0~rc1-1", False, False, "pre-release behind (1.2.0-rc1 < 1.2.0)"),
    ("v1.2.0-rc.1", "1.2.0~rc1-1", True, False, ""),
    ("v1.2.0-rc.2", "1.2.0~rc1-1", False, False, "pre-release behind (1.2.0-rc1 < 1.2.0-rc.2)"),
    # pseudo requirement vs tagged package: Go's order
    ("v1.2.4-0.20200101000000-abcdef123456", "1.2.4-1", True, False, ""),
    ("v0.0.0-20200101000000-abcdef123456", "0.1.0-1", True, False, ""),
    (
        "v1.2.4-0.20240101000000-abcdef123456",
        "1.2.3-1",
        False,
        False,
        "needs a newer commit after 1.2.3 (2024-01-01, abcdef123456); packaged 1.2.3",
    ),
    # pseudo requirement vs tagless snapshot: by date, then commit
    (PSEUDO_0524, "0.0~git20240601.1234567-1", True, True, ""),
    (PSEUDO_0524, "0.0~git20240523.abcdef1-1", True, True, ""),
    (
        PSEUDO_0524,
        "0.0~git20240101.1234567-1",
        False,
        True,
        "snapshot 143 days older (2024-01-01 < 2024-05-23)",
    ),
    (
        PSEUDO_0524,
        "0.0~git20240522.1234567-1",
        False,
        True,
        "snapshot 1 day older (2024-05-22 < 2024-05-23)",
    ),
    (
        PSEUDO_0524,
        "0.0~git20240523.1234567-1",
        None,
        True,
        "same day (2024-05-23), different commit (1234567 vs abcdef123456): cannot tell",
    ),
    (
        PSEUDO_0524,
        "0.0~git20240523-1",
        None,
        True,
        "same day (2024-05-23), different commit (? vs abcdef123456): cannot tell",
    ),
    # tagless snapshot vs tag: cannot tell
    (
        "v1.2.3",
        "0.0~git20240101.abcdef1-1",
        None,
        False,
        "snapshot of 2024-01-01 vs tag v1.2.3: compare dates by hand",
    ),
    # <tag>+git<date> snapshots
    ("v1.2.3", "1.2.3+git20240101.abcdef1-1", True, False, ""),
    ("v1.2.0", "1.2.3+git20240101.abcdef1-1", True, False, ""),
    ("v1.2.4-0.20231201000000-abcdef123456", "1.2.3+git20240101.1234567-1", True, True, ""),
    (
        "v1.2.4-0.20240201000000-abcdef123456",
        "1.2.3+git20240101.1234567-1",
        False,
        True,
        "snapshot 31 days older (2024-01-01 < 2024-02-01)",
    ),
    ("v1.3.1-0.20240201000000-abcdef123456", "1.4.0+git20240101.1234567-1", True, False, ""),
    (
        "v1.3.1-0.20230201000000-abcdef123456",
        "1.2.3+git20240101.1234567-1",
        False,
        False,
        "snapshot after 1.2.3 (1.2.3+git2024-01-01) < 1.3.0",
    ),
    (
        "v1.2.4",
        "1.2.3+git20240101.1234567-1",
        False,
        False,
        "snapshot after 1.2.3 (1.2.3+git2024-01-01) < 1.2.4",
    ),
    # <tag>~git<date>: before <tag>
    (
        "v1.3.0",
        "1.3~git20240101.1234567-1",
        False,
        True,
        "snapshot before 1.3.0 (2024-01-01) < 1.3.0",
    ),
    (
        "v1.2.0",
        "1.3~git20240101.1234567-1",
        None,
        False,
        "snapshot of 2024-01-01 vs tag v1.2.0: compare dates by hand",
    ),
    ("v1.2.1-0.20231201000000-abcdef123456", "1.3~git20240101.1234567-1", True, True, ""),
    # unreadable
    ("v1.2.3", "0.3.4.0.2-1", None, False, "cannot read '0.3.4.0.2-1' as a Go version"),
    ("1.2.3", "1.2.3-1", None, False, "'1.2.3' is not a Go version"),
]


@pytest.mark.parametrize(("required", "debian", "ok", "by_date", "behind"), DEBIAN_CASES)
def test_satisfies_debian(
    required: str, debian: str, ok: bool | None, by_date: bool, behind: str
) -> None:
    assert satisfies(required, debian_to_go(debian)) == Satisfaction(ok, by_date, behind)


FEDORA_CASES = [
    ("v1.2.3", "1.2.3", "1.fc41", True, False),
    ("v1.2.4", "1.2.3", "1.fc41", False, False),
    ("v0.0.0-20210901000000-637058cabcde", "0", "0.4.20210920git637058c.fc37", True, True),
    ("v0.0.0-20211001000000-abcdef123456", "0", "0.4.20210920git637058c.fc37", False, True),
    ("v0.0.0-20211001000000-637058cabcde", "0", "0.1.git637058c.fc41", True, True),
    ("v0.0.0-20211001000000-abcdef123456", "0", "0.1.git637058c.fc41", None, True),
    ("v1.0.1-0.20240101000000-abc1234aaaaa", "1.0^20240101gitabc1234", "1.fc41", True, True),
    ("v27.4.0-rc.4", "27.4.0~rc.4", "1.fc41", True, False),
]


@pytest.mark.parametrize(("required", "version", "release", "ok", "by_date"), FEDORA_CASES)
def test_satisfies_fedora(
    required: str, version: str, release: str, ok: bool | None, by_date: bool
) -> None:
    got = satisfies(required, fedora_to_go(version, release))
    assert (got.ok, got.by_date) == (ok, by_date)
    assert (got.behind == "") is (ok is True)


def test_lenient_compare() -> None:
    assert go_compare_lenient("v1.2.0-rc1", "v1.2.0-rc.1") == 0
    assert go_compare_lenient("v1.2.0-rc1", "v1.2.0-rc.2") == -1
    assert go_compare_lenient("v1.2.0-rc.10", "v1.2.0-rc9") == 1
    p = "v1.2.3-pre.0.20191109021931-daa7c04131f5"
    assert go_compare_lenient(p, "v1.2.3-pre") == 1


DEB_CONSTRAINTS = [
    ("v1.2.3", ">= 1.2.3~"),
    ("v2.0.1+incompatible", ">= 2.0.1~"),
    ("v1.2.0-rc.1", ">= 1.2.0~rc1~"),
    ("v1.2.0-beta2", ">= 1.2.0~beta2~"),
    ("v1.2.0-foo.1", ">= 1.2.0~foo.1~"),
    ("v0.0.0-20240101120000-abcdef123456", ">= 0.0~git20240101~"),
    ("v1.2.4-0.20240101120000-abcdef123456", ">= 1.2.3+git20240101~"),
    ("v1.2.3-rc.1.0.20240101120000-abcdef123456", ">= 1.2.3~rc1+git20240101~"),
]


@pytest.mark.parametrize(("required", "constraint"), DEB_CONSTRAINTS)
def test_version_constraint_debian(required: str, constraint: str) -> None:
    assert version_constraint_debian(required) == constraint


# (required, Debian version, does dpkg's ">=" accept it?) — the constraint must agree with
# the spirit of satisfies(): repacks and same-day snapshots pass.
DEB_ACCEPT = [
    ("v1.2.3", "1.2.3+dfsg-1", True),
    ("v1.2.3", "1.2.3~ds1-1", True),
    ("v1.2.3", "1.2.3-1", True),
    # The trailing "~" that lets ~ds1 repacks in also lets pre-releases in (documented).
    ("v1.2.3", "1.2.3~rc1-1", True),
    ("v1.2.3", "1.2.2-1", False),
    ("v1.2.3", "1.2.2+git20250101.abcdef1-1", False),
    ("v1.2.0-rc.1", "1.2.0~rc1-1", True),
    ("v1.2.0-rc.1", "1.2.0~rc1+ds-1", True),
    ("v1.2.0-rc.1", "1.2.0~beta1-1", False),
    ("v0.0.0-20240101120000-abcdef123456", "0.0~git20240101.abcdef1-1", True),
    ("v0.0.0-20240101120000-abcdef123456", "0.0~git20231231.abcdef1-1", False),
    ("v0.0.0-20240101120000-abcdef123456", "0.1.0-1", True),
    ("v1.2.4-0.20240101120000-abcdef123456", "1.2.3+git20240101.abcdef1-1", True),
    ("v1.2.4-0.20240101120000-abcdef123456", "1.2.4-1", True),
    ("v1.2.4-0.20240101120000-abcdef123456", "1.2.3+dfsg-1", False),
    ("v1.2.4-0.20240101120000-abcdef123456", "1.2.3-1", False),
]


@pytest.mark.parametrize(("required", "debian", "accepted"), DEB_ACCEPT)
def test_debian_constraint_accepts(required: str, debian: str, accepted: bool) -> None:
    bound = version_constraint_debian(required).removeprefix(">= ")
    assert (debian_compare(debian, bound) >= 0) is accepted
    if shutil.which("dpkg"):
        rc = subprocess.run(["dpkg", "--compare-versions", debian, "ge", bound], check=False)
        assert (rc.returncode == 0) is accepted


def test_version_constraint_debian_epoch() -> None:
    assert version_constraint_debian("v0.62.0", epoch=1) == ">= 1:0.62.0~"


RPM_CONSTRAINTS = [
    ("v1.2.3", "1.2.3"),
    ("v2.0.1+incompatible", "2.0.1"),
    ("v1.2.0-rc.1", "1.2.0~rc.1"),
    ("v0.0.0-20240101120000-abcdef123456", "0"),
    ("v1.2.4-0.20240101120000-abcdef123456", "1.2.3"),
    ("v1.2.3-rc.1.0.20240101120000-abcdef123456", "1.2.3~rc.1"),
]


@pytest.mark.parametrize(("required", "constraint"), RPM_CONSTRAINTS)
def test_version_constraint_rpm(required: str, constraint: str) -> None:
    assert version_constraint_rpm(required) == constraint


def test_rpm_constraint_orders() -> None:
    assert rpm_compare("1.2.0~rc.1-1", version_constraint_rpm("v1.2.0-rc.1")) > 0
    assert rpm_compare("1.2.0-1", version_constraint_rpm("v1.2.0-rc.1")) > 0
    assert rpm_compare("1.1.9-1", version_constraint_rpm("v1.2.0-rc.1")) < 0


def test_public_api() -> None:
    assert versions.go_compare("v1.9.0", "v1.10.0") == -1
    assert versions.debian_compare("1:0.1-1", "2.0-1") == 1
    assert versions.rpm_compare("1.0~rc1", "1.0") == -1
    p = versions.parse_pseudo("v1.1.1-0.20240131200429-02120488a4c0")
    assert (p.base, p.revision, p.time.year) == ("v1.1.0", "02120488a4c0", 2024)
    assert versions.is_pseudo_version("v0.0.0-20240131200429-02120488a4c0")
    assert str(versions.GoVersion.parse("v1.2")) == "v1.2.0"
    assert set(versions.__all__) >= {
        "go_compare",
        "parse_pseudo",
        "debian_compare",
        "rpm_compare",
        "GoVersion",
        "PseudoVersion",
        "is_pseudo_version",
    }
    for name in versions.__all__:
        assert getattr(versions, name).__doc__, name
