"""Listing a suite's Go applications from a (trimmed, real) sid Sources index."""

from __future__ import annotations

from pathlib import Path

import pytest

from vendaudit.distros.debian.applications import (
    GoApplication,
    list_go_applications,
)
from vendaudit.distros.debian.sources import DebianIndexError, parse_relation_names


def test_real_stanzas(fixtures: Path) -> None:
    apps = list_go_applications((fixtures / "sweep" / "sid-Sources-apps").read_bytes())
    by_name = {a.source: a for a in apps}
    # age, restic: programs with dh-golang; docker.io: 5 Extra-Source-Only stanzas skipped;
    # lintian: builds with golang-go but declares no Go-Import-Path (still an application);
    # golang-github-etcd-io-gofail: a library source that also ships a program.
    assert sorted(by_name) == [
        "age",
        "docker.io",
        "golang-github-etcd-io-gofail",
        "lintian",
        "restic",
    ]
    assert by_name["docker.io"].version == "28.5.2+dfsg4-5"
    assert by_name["docker.io"].area == "main"
    assert "golang-github-docker-docker-dev" in by_name["docker.io"].binaries
    assert "golang-github-docker-docker-dev" not in by_name["docker.io"].programs
    assert by_name["age"].import_paths == ("filippo.io/age",)
    assert by_name["lintian"].import_paths == ()
    # Not applications: a -dev-only library, a C program, the Go toolchain itself.
    for name in ("golang-github-pkg-errors", "hello", "golang-1.26"):
        assert name not in by_name


def _stanza(name: str, version: str, binaries: str, bd: str, extra: str = "") -> bytes:
    return (
        f"Package: {name}\nBinary: {binaries}\nVersion: {version}\nBuild-Depends: {bd}\n{extra}"
    ).encode()


def test_rule_details() -> None:
    data = b"\n\n".join(
        [
            _stanza("a", "1.0-1", "a", "debhelper-compat (= 13), golang-any (>= 2:1.22~)"),
            _stanza("a", "1:0.5-1", "a", "dh-sequence-golang"),  # epoch: higher
            _stanza("b", "2.0-1", "b, golang-b-dev", "foo | golang-go [amd64] <!nocheck>"),
            _stanza("c", "1.0-1", "golang-c-dev", "dh-golang"),  # library only
            _stanza("d", "1.0-1", "d", "golang-gopkg-foo-dev"),  # a Go *library* dep only
            _stanza("e", "1.0-1", "e", "gcc", "Build-Depends-Indep: dh-golang,\n"),
            _stanza("f", "1.0-1", "f", "golang-go:native", "Section: contrib/devel\n"),
        ]
    )
    apps = {a.source: a for a in list_go_applications(data)}
    assert sorted(apps) == ["a", "b", "e", "f"]
    assert apps["a"].version == "1:0.5-1"
    assert apps["f"].area == "contrib"


def test_crlf_and_continuations() -> None:
    data = (
        b"Package: x\r\nBinary: x,\r\n y\r\nVersion: 1-1\r\n"
        b"Build-Depends: debhelper,\r\n dh-golang\r\n"
    )
    assert list_go_applications(data) == (GoApplication("x", "1-1", "main", ("x", "y")),)


def test_missing_version_is_an_error() -> None:
    with pytest.raises(DebianIndexError, match="no Package or Version"):
        list_go_applications(b"Package: x\nBinary: x\nBuild-Depends: dh-golang\n")


def test_relation_names() -> None:
    assert parse_relation_names(
        "a (>= 1), b:any | c [!amd64], d <!nocheck>,", alternatives=True
    ) == ("a", "b", "c", "d")


def test_backend_lists_the_verified_index(fixtures: Path, tmp_path: Path) -> None:
    from vendaudit.distros.debian import DebianArchiveBackend
    from vendaudit.fetch import Cache, Fetcher
    from vendaudit.model import Target

    sid = Target.parse("debian:sid")
    path = fixtures / "sweep" / "sid-Sources-apps"
    cache = Cache(tmp_path)
    backend = DebianArchiveBackend(Fetcher(None, cache), local_indexes={sid.id: [path]})
    apps, provenance = backend.load_applications(sid)
    assert [a.source for a in apps] == [a.source for a in list_go_applications(path.read_bytes())]
    assert str(path) in provenance
    # Warm: from the derived cache, same answer.
    assert backend.load_applications(sid)[0] == apps


def test_warm_listing_reads_no_index_file(
    fixtures: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index load already knows an unchanged file's SHA256 (its stat key): the
    application list then comes from the derived cache without reading the file again
    (it re-read and re-hashed sid's 10 MB apt list, ~40 ms, on every warm listing)."""
    from vendaudit.distros.debian import DebianArchiveBackend
    from vendaudit.fetch import Cache, Fetcher
    from vendaudit.model import Target

    sid = Target.parse("debian:sid")
    index = tmp_path / "Sources"
    index.write_bytes((fixtures / "sweep" / "sid-Sources-apps").read_bytes())
    backend = DebianArchiveBackend(
        Fetcher(None, Cache(tmp_path / "c")), local_indexes={sid.id: [index]}
    )
    cold = backend.load_applications(sid)
    reads: list[Path] = []
    real = Path.read_bytes

    def counting(self: Path) -> bytes:
        reads.append(self)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", counting)
    assert backend.load_applications(sid) == cold
    assert index not in reads
    # A changed file is read (and listed) afresh.
    index.write_bytes(index.read_bytes() + b"\n")
    assert backend.load_applications(sid)[0] == cold[0]
    assert index in reads
