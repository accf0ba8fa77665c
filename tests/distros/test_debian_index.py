"""Go module → Debian package mapping (DebianIndex) over real sid stanzas."""

from __future__ import annotations

from pathlib import Path

import pytest

from vendaudit.distros.debian.entries import SourceEntry
from vendaudit.distros.debian.index import DebianIndex, is_major_element
from vendaudit.model import MatchKind, Module, Target

SID = Target("debian", "sid")


def read_entries(path: Path) -> list[SourceEntry]:
    """A tiny Sources reader for fixtures: no ESO stanzas, Go sources only."""
    entries = []
    for stanza in path.read_text().split("\n\n"):
        fields: dict[str, str] = {}
        key = ""
        for line in stanza.splitlines():
            if line[:1] in (" ", "\t"):
                fields[key] += "\n" + line
            elif ":" in line:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
        if "Go-Import-Path" not in fields or fields.get("Extra-Source-Only") == "yes":
            continue
        paths = tuple(p.strip() for p in fields["Go-Import-Path"].split(",") if p.strip())
        binaries = tuple(b.strip() for b in fields["Binary"].split(",") if b.strip())
        entries.append(SourceEntry(fields["Package"], fields["Version"], binaries, paths))
    return entries


def index_of(fixtures: Path, *names: str) -> DebianIndex:
    entries = [e for n in names for e in read_entries(fixtures / "debian" / n)]
    return DebianIndex(SID, entries, "test")


def first(index: DebianIndex, path: str, version: str = "v1.0.0") -> tuple[str, str, str, int]:
    found = index.lookup(Module(path, version))
    assert found, path
    p = found[0]
    return p.source, p.binary, p.match.value, p.major


def test_exact_yaml_both_paths(fixtures: Path) -> None:
    index = index_of(fixtures, "mapping-exact-yaml.txt")
    want = ("golang-gopkg-yaml.v3", "golang-gopkg-yaml.v3-dev", "exact", 3)
    assert first(index, "gopkg.in/yaml.v3", "v3.0.1") == want
    assert first(index, "go.yaml.in/yaml/v3", "v3.0.4") == want
    found = index.lookup(Module("gopkg.in/yaml.v3", "v3.0.1"))
    assert len(found) == 1
    assert found[0].version.distro_version == "3.0.5-1"
    assert found[0].import_path == "gopkg.in/yaml.v3"


def test_gopkg_in_other_major(fixtures: Path) -> None:
    index = index_of(fixtures, "mapping-exact-yaml.txt")
    found = index.lookup(Module("gopkg.in/yaml.v2", "v2.4.0"))
    assert [(p.match, p.major, p.import_path) for p in found] == [
        (MatchKind.MAJOR, 3, "gopkg.in/yaml.v3")
    ]
    assert index.lookup(Module("go.yaml.in/yaml/v4", "v4.0.0"))[0].major == 3


def test_backoff_v5_and_v4(fixtures: Path) -> None:
    index = index_of(fixtures, "mapping-major.txt")
    assert first(index, "github.com/cenkalti/backoff/v5", "v5.0.2") == (
        "golang-github-cenkalti-backoff",
        "golang-github-cenkalti-backoff-v5-dev",
        "exact",
        5,
    )
    # v4 is not packaged: v5 is offered as another major, never the transitional -dev.
    _, binary, kind, major = first(index, "github.com/cenkalti/backoff/v4", "v4.3.0")
    assert (binary, kind, major) == ("golang-github-cenkalti-backoff-v5-dev", "major", 5)
    assert first(index, "github.com/cenkalti/backoff", "v2.2.1+incompatible")[2:] == ("major", 5)


def test_xxhash_v2_prefers_v2_binary(fixtures: Path) -> None:
    index = index_of(fixtures, "mapping-major.txt")
    assert first(index, "github.com/cespare/xxhash/v2", "v2.3.0") == (
        "golang-github-cespare-xxhash-v2",
        "golang-github-cespare-xxhash-v2-dev",
        "exact",
        2,
    )
    assert first(index, "github.com/cespare/xxhash", "v1.1.0")[2:] == ("major", 2)


def test_go_github_major_from_debian_version(fixtures: Path) -> None:
    index = index_of(fixtures, "mapping-major.txt")
    found = index.lookup(Module("github.com/google/go-github/v60", "v60.0.0"))
    assert [(p.binary, p.match, p.major) for p in found] == [
        ("golang-github-google-go-github-dev", MatchKind.MAJOR, 60)
    ]
    # The bare path is declared, but the package provides v60, not v1.
    bare = index.lookup(Module("github.com/google/go-github", "v17.0.0+incompatible"))
    assert (bare[0].match, bare[0].major) == (MatchKind.EXACT, 60)
    assert first(index, "github.com/google/go-github/v57", "v57.0.0")[3] == 60


def test_path_major_beats_debian_version(fixtures: Path) -> None:
    index = index_of(fixtures, "mapping-major.txt")
    # antlr declares /v4 but ships a plain -dev; chroma declares /v2 and ships -v2-dev.
    assert first(index, "github.com/antlr4-go/antlr/v4", "v4.13.1") == (
        "golang-github-antlr4-go-antlr",
        "golang-github-antlr4-go-antlr-dev",
        "exact",
        4,
    )
    assert first(index, "github.com/alecthomas/chroma/v2", "v2.20.0")[1:] == (
        "golang-github-alecthomas-chroma-v2-dev",
        "exact",
        2,
    )


def test_irregular_name_godbus(fixtures: Path) -> None:
    index = index_of(fixtures, "mapping-major.txt")
    assert first(index, "github.com/godbus/dbus/v5", "v5.1.0") == (
        "golang-dbus",
        "golang-dbus-dev",
        "major",
        5,
    )


@pytest.mark.parametrize(
    ("path", "source", "import_path"),
    [
        ("github.com/aws/aws-sdk-go-v2/service/s3", "golang-github-aws-aws-sdk-go-v2", None),
        ("github.com/aws/aws-sdk-go-v2/config", "golang-github-aws-aws-sdk-go-v2", None),
        ("go.opentelemetry.io/otel/sdk", "golang-opentelemetry-otel", None),
        ("go.opentelemetry.io/otel/exporters/otlp/otlptrace", "golang-opentelemetry-otel", None),
        ("github.com/moby/sys/mountinfo", "golang-github-moby-sys", None),
        ("github.com/moby/sys/user", "golang-github-moby-sys", None),
    ],
)
def test_prefix(fixtures: Path, path: str, source: str, import_path: str | None) -> None:
    index = index_of(fixtures, "mapping-prefix.txt")
    found = index.lookup(Module(path, "v1.2.0"))
    assert [(p.source, p.match) for p in found] == [(source, MatchKind.PREFIX)]
    assert path.startswith(found[0].import_path + "/")
    assert found[0].binary == source + "-dev"


@pytest.mark.parametrize(
    "path",
    [
        "github.com/aws/aws-sdk-go",  # boundary on "/": not under aws-sdk-go-v2
        "github.com/aws/aws-sdk-go/service/s3",
        "go.opentelemetry.io/otel/v2/sdk",
        "golang.org/x/sync",  # golang.org/x is no cover
        "github.com/moby/swarmkit/v2",
        "github.com/moby",
    ],
)
def test_no_wrong_prefix(fixtures: Path, path: str) -> None:
    index = index_of(fixtures, "mapping-prefix.txt")
    assert index.lookup(Module(path, "v2.0.0")) == []


def test_other_major_is_major_not_prefix(fixtures: Path) -> None:
    index = index_of(fixtures, "mapping-prefix.txt")
    found = index.lookup(Module("go.opentelemetry.io/otel/v2", "v2.0.0"))
    assert [(p.match, p.major) for p in found] == [(MatchKind.MAJOR, 1)]


def test_prefix_never_crosses_major_but_may_follow_one(fixtures: Path) -> None:
    entries = [
        SourceEntry("golang-example-foo", "1.0.0-1", ("golang-example-foo-dev",), ("ex.com/foo",)),
        SourceEntry(
            "golang-example-foo-v2", "2.1.0-1", ("golang-example-foo-v2-dev",), ("ex.com/foo/v2",)
        ),
    ]
    index = DebianIndex(SID, entries, "test")
    assert [p.source for p in index.lookup(Module("ex.com/foo/v2/sub", "v2.1.0"))] == [
        "golang-example-foo-v2"
    ]
    # A final /vN below a sub-directory is that sub-module's own major (issue #9): the
    # source of the repository root covers it; a /vN in the middle still stops the search.
    found = index.lookup(Module("ex.com/foo/sub/v3", "v3.0.0"))
    assert [(p.source, p.match) for p in found] == [
        ("golang-example-foo", MatchKind.PREFIX_SUBMODULE)
    ]
    assert index.lookup(Module("ex.com/foo/v3/sub", "v3.0.0")) == []


def test_longest_prefix_wins() -> None:
    entries = [
        SourceEntry("golang-ex-a", "1.0-1", ("golang-ex-a-dev",), ("ex.com/a",)),
        SourceEntry("golang-ex-a-b", "1.0-1", ("golang-ex-a-b-dev",), ("ex.com/a/b",)),
    ]
    index = DebianIndex(SID, entries, "test")
    assert [p.source for p in index.lookup(Module("ex.com/a/b/c", "v1.0.0"))] == ["golang-ex-a-b"]


def test_several_binaries(fixtures: Path) -> None:
    index = index_of(fixtures, "mapping-binaries.txt")
    assert first(index, "github.com/golang/protobuf", "v1.5.4")[1] == (
        "golang-github-golang-protobuf-1-5-dev"
    )
    assert first(index, "golang.org/x/oauth2", "v0.29.0")[1] == "golang-golang-x-oauth2-dev"
    assert first(index, "go.etcd.io/etcd", "v3.5.0+incompatible")[1] == "golang-etcd-server-dev"
    assert first(index, "github.com/coreos/etcd", "v3.3.0+incompatible")[:3] == (
        "etcd",
        "golang-etcd-server-dev",
        "exact",
    )


def test_docker_io_dev_and_programs(fixtures: Path) -> None:
    index = index_of(fixtures, "mapping-program.txt")
    assert first(index, "github.com/docker/docker", "v28.5.2+incompatible") == (
        "docker.io",
        "golang-github-docker-docker-dev",
        "exact",
        28,
    )
    assert first(index, "github.com/moby/buildkit", "v0.25.1")[1] == (
        "golang-github-docker-docker-dev"
    )
    assert not index.notes  # the warning only matters to projects that use those paths
    cli = [Module("github.com/docker/cli", "v28.5.2+incompatible")]
    assert any("github.com/docker/cli" in n and "docker.io" in n for n in index.notes_for(cli))
    assert index.notes_for([Module("golang.org/x/net", "v0.39.0")]) == ()
    # lf ships no -dev: never a library match, but listed as a program.
    assert (
        index.lookup(Module("github.com/gokcehan/lf", "v0.0.0-20240101000000-abcdef123456")) == []
    )
    assert index.programs("github.com/gokcehan/lf") == ("lf",)
    # fdroidcl's trailing comma: both paths, the -dev chosen by its real name.
    assert first(index, "mvdan.cc/fdroidcl/adb")[1] == "golang-github-mvdan-fdroidcl-dev"
    assert index.packages == 3


def test_same_path_several_sources_highest_first() -> None:
    entries = [
        SourceEntry("golang-old-foo", "1.2.0-1", ("golang-old-foo-dev",), ("ex.com/foo",)),
        SourceEntry("golang-ex-foo", "1:1.0.0-1", ("golang-ex-foo-dev",), ("ex.com/foo",)),
    ]
    index = DebianIndex(SID, entries, "test")
    found = index.lookup(Module("ex.com/foo", "v1.0.0"))
    assert [p.source for p in found] == ["golang-ex-foo", "golang-old-foo"]


def test_same_major_first() -> None:
    entries = [
        SourceEntry("golang-ex-foo", "1.0.0-1", ("golang-ex-foo-dev",), ("ex.com/foo",)),
        SourceEntry("golang-ex-foo-v2", "2.0.0-1", ("golang-ex-foo-v2-dev",), ("ex.com/foo/v2",)),
        SourceEntry("golang-ex-foo-v3", "3.0.0-1", ("golang-ex-foo-v3-dev",), ("ex.com/foo/v3",)),
    ]
    index = DebianIndex(SID, entries, "test")
    found = index.lookup(Module("ex.com/foo/v2", "v2.0.0"))
    assert [(p.major, p.match) for p in found] == [
        (2, MatchKind.EXACT),
        (3, MatchKind.MAJOR),
        (1, MatchKind.MAJOR),
    ]


def test_is_major_element() -> None:
    assert is_major_element("v2") and is_major_element("v18")
    assert not any(map(is_major_element, ["v1", "v0", "v02", "v", "vx", "v2.1", "2"]))


@pytest.mark.realworld
def test_moby_against_sid_sample(realworld: Path) -> None:
    """Every module of moby v28.5.2's vendor.mod against the real sid sample."""
    from vendaudit.distros.debian.sources import parse_sources
    from vendaudit.gomod import load_project

    project = load_project(realworld / "moby" / "vendor.mod")
    sample = realworld.parent / "samples" / "debian" / "sid-Sources-sample"
    index = DebianIndex(SID, parse_sources(sample.read_bytes()), str(sample))
    best = {m.path: index.lookup(m)[:1] for m in project.modules}
    kinds = {path: found[0].match.value for path, found in best.items() if found}
    # Measured: 234 modules; 53 mapped (16 exact, 2 major, 30 prefix, 4 prefix-major,
    # 1 prefix-submodule), 181 not in the sample.
    assert len(project.modules) == 234
    assert len(kinds) == 53
    assert sorted(kinds.values()).count("prefix") == 30
    assert sorted(kinds.values()).count("prefix-major") == 4

    def one(path: str) -> tuple[str, str, str, int]:
        p = best[path][0]
        return p.binary, p.match.value, p.version.distro_version, p.major

    assert one("golang.org/x/net") == ("golang-golang-x-net-dev", "exact", "1:0.62.0-1", 1)
    assert one("gopkg.in/yaml.v3")[:2] == ("golang-gopkg-yaml.v3-dev", "exact")
    assert one("github.com/cenkalti/backoff/v4")[1:] == ("major", "5.0.3-4", 5)
    assert one("github.com/godbus/dbus/v5") == ("golang-dbus-dev", "major", "5.1.0-1", 5)
    assert one("github.com/moby/sys/mountinfo")[:2] == ("golang-github-moby-sys-dev", "prefix")
    assert one("go.opentelemetry.io/otel/sdk")[:2] == ("golang-opentelemetry-otel-dev", "prefix")
    assert one("github.com/aws/aws-sdk-go-v2/service/sts")[1] == "prefix"
    assert one("github.com/golang/protobuf")[0] == "golang-github-golang-protobuf-1-5-dev"
    # docker.io carries buildkit: its -dev, but not docker's major 28.
    assert one("github.com/moby/buildkit") == (
        "golang-github-docker-docker-dev",
        "exact",
        "28.5.2+dfsg4-5",
        1,
    )
    assert best["github.com/moby/swarmkit/v2"] == []
    assert one("go.etcd.io/etcd/server/v3")[:2] == ("golang-etcd-server-dev", "prefix-major")
    endpoints = one("github.com/aws/aws-sdk-go-v2/internal/endpoints/v2")
    assert endpoints[:2] == ("golang-github-aws-aws-sdk-go-v2-dev", "prefix-submodule")
    assert best["github.com/containerd/containerd/v2"] == []


def test_date_versions_are_not_majors_and_sub_module_binaries_are_chosen() -> None:
    from vendaudit.distros.debian.entries import SourceEntry
    from vendaudit.distros.debian.index import DebianIndex
    from vendaudit.model import Target

    entries = [
        SourceEntry(
            "golang-github-nwidger-jsoncolor",
            "20161209-3",
            ("golang-github-nwidger-jsoncolor-dev",),
            ("github.com/nwidger/jsoncolor",),
        ),
        SourceEntry(
            "golang-google-cloud",
            "0.121.0-1",
            ("golang-google-cloud-dev", "golang-google-cloud-compute-metadata-dev"),
            ("cloud.google.com/go",),
        ),
    ]
    index = DebianIndex(Target("debian", "sid"), entries, "test")
    (jc,) = index.lookup(
        Module("github.com/nwidger/jsoncolor", "v0.0.0-20170215171346-75a6de4340e5")
    )
    assert jc.major == 1
    (md,) = index.lookup(Module("cloud.google.com/go/compute/metadata", "v0.6.0"))
    assert md.binary == "golang-google-cloud-compute-metadata-dev"
