"""Seeded fuzz targets: every parser returns or raises its documented error, nothing else.

See :mod:`tests.fuzz.mutate` for the mutations and ``VENDAUDIT_FUZZ_CASES``.
"""

from __future__ import annotations

import contextlib
import json

from tests.fuzz.mutate import byte_cases, read_seeds, run_target
from vendaudit.analysis.goproxy import parse_info
from vendaudit.distros.debian.ftpmaster import (
    dak_suite_name,
    parse_by_metadata,
    parse_madison_all,
)
from vendaudit.distros.debian.index import DebianIndex
from vendaudit.distros.debian.inrelease import parse_release
from vendaudit.distros.debian.sources import parse_sources
from vendaudit.distros.fedora.index import FedoraIndex
from vendaudit.distros.fedora.primary import parse_primary
from vendaudit.distros.fedora.repomd import parse_repomd
from vendaudit.distros.interface import DistroError
from vendaudit.gomod.errors import ManifestError
from vendaudit.gomod.gosum import parse_gosum
from vendaudit.gomod.modfile import parse_modfile
from vendaudit.gomod.modulestxt import parse_modules_txt
from vendaudit.gomod.project import build_project
from vendaudit.gomod.vendorcheck import check_vendor_consistency, check_vendored_roots
from vendaudit.model import Module, Target
from vendaudit.report.policy import Policy, PolicyError

GOSUM = (
    b"golang.org/x/mod v0.2.0/go.mod h1:s0Qsj1ACt9ePp/hMypM3fl4fZqREWJwdYDEqhRiZZUA=\n"
    b"golang.org/x/mod v0.2.0 h1:KU7oHjnv3XNWfa5COkzUifxZmxp1TyI7ImMXqFxLwvQ=\n"
    b"github.com/a/b v1.0.0-20200101000000-abcdefabcdef "
    b"h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
)
INFO = [
    b'{"Version":"v1.2.3","Time":"2023-05-02T10:11:12Z"}',
    b'{"Version":"v0.0.0-20230502101112-9c3c875a1b2c","Time":"2023-05-02T10:11:12.5+02:00",'
    b'"Origin":{"VCS":"git","URL":"https://x","Hash":"9c3c875"}}',
]
SUITES = b'[{"name":"unstable","codename":"sid","dakname":"unstable"},{"name":"stable"}]'


def test_fuzz_modfile() -> None:
    seeds = read_seeds("gomod/*.mod", "gomod/bad/*.mod", "vendor/*/go.mod", "vendor/*/vendor.mod")

    def call(data: bytes) -> None:
        parse_modfile(data, "go.mod")
        parse_modfile(data, "vendor.mod", lax=True)

    run_target("modfile", byte_cases("modfile", seeds), call, (ManifestError,))


def test_fuzz_modules_txt_and_vendor_check() -> None:
    seeds = read_seeds("vendor/*/vendor/modules.txt", "fedora/modules-*.txt")
    gomods = read_seeds("vendor/*/go.mod")
    mf = parse_modfile(gomods[0], "go.mod")

    def call(data: bytes) -> None:
        mt = parse_modules_txt(data, "vendor/modules.txt")
        check_vendor_consistency(mf, mt, "/src/m")
        check_vendored_roots(mf, mt)
        build_project("go.mod", mf, mt, modules_txt="vendor/modules.txt", sums=None)

    run_target("modules.txt", byte_cases("modules.txt", seeds), call, (ManifestError,))


def test_fuzz_project_manifest_side() -> None:
    """Mutated manifests against their own modules.txt: the whole load and vendor check."""
    seeds = read_seeds("vendor/*/go.mod")
    mt = parse_modules_txt(read_seeds("vendor/consistent/vendor/modules.txt")[0], "modules.txt")

    def call(data: bytes) -> None:
        mf = parse_modfile(data, "go.mod")
        check_vendor_consistency(mf, mt, "/src/m")
        build_project("go.mod", mf, mt, modules_txt="modules.txt", sums=None)

    run_target("project", byte_cases("project", seeds), call, (ManifestError,))


def test_fuzz_gosum() -> None:
    run_target(
        "go.sum",
        byte_cases("go.sum", [GOSUM]),
        lambda d: parse_gosum(d, "go.sum"),
        (ManifestError,),
    )


def test_fuzz_debian_sources() -> None:
    seeds = read_seeds("debian/*Sources", "debian/*.Sources", "quickstart/*Sources")
    target = Target.parse("debian:sid")
    probe = [
        Module("github.com/moby/sys/mountinfo", "v0.7.2"),
        Module("golang.org/x/net", "v0.39.0"),
        Module("github.com/google/go-github/v60", "v60.0.0"),
    ]

    def call(data: bytes) -> None:
        index = DebianIndex(target, parse_sources(data), "fuzz")
        for module in probe:
            index.lookup(module)

    run_target("sources", byte_cases("sources", seeds), call, (DistroError,))


def test_fuzz_inrelease() -> None:
    seeds = read_seeds("debian/*InRelease", "samples:debian/*InRelease")
    run_target("inrelease", byte_cases("inrelease", seeds), parse_release, (DistroError,))


def test_fuzz_repomd() -> None:
    seeds = read_seeds("samples:fedora/*repomd.xml")
    run_target("repomd", byte_cases("repomd", seeds), parse_repomd, (DistroError,))


def test_fuzz_primary() -> None:
    seeds = read_seeds("fedora/primary-*.xml", "samples:fedora/*primary*.xml")
    target = Target.parse("fedora:rawhide")
    probe = [Module("github.com/junegunn/fzf", "v0.56.0"), Module("golang.org/x/sys", "v0.1.0")]

    def call(data: bytes) -> None:
        index = FedoraIndex(target, parse_primary(data))
        for module in probe:
            index.lookup(module)

    run_target("primary", byte_cases("primary", seeds), call, (DistroError,))


def test_fuzz_goproxy_info() -> None:
    # parse_info documents ValueError for every malformed answer.
    run_target("info", byte_cases("info", INFO), parse_info, (ValueError,))


def test_fuzz_ftpmaster() -> None:
    seeds = read_seeds("debian/ftpmaster-*.json")

    def call_guarded(data: bytes) -> None:
        # Each parser on its own: one raising must not hide another's crash.
        for parse in (parse_madison_all, parse_by_metadata, lambda d: dak_suite_name(d, "sid")):
            with contextlib.suppress(DistroError):
                parse(data)

    run_target("ftpmaster", byte_cases("ftpmaster", [*seeds, SUITES]), call_guarded, ())
    json.loads(SUITES)  # the seed itself is valid JSON


def test_fuzz_policy() -> None:
    seeds = read_seeds("report/policy*.toml")
    run_target(
        "policy",
        byte_cases("policy", seeds),
        lambda d: Policy.from_toml(d, "policy.toml"),
        (PolicyError,),
    )
