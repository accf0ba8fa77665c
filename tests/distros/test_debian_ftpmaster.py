"""The ftp-master API backend against payloads shaped like dak's (see samples/debian-api)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest
from pytest_httpx import HTTPXMock

from vendaudit.distros.debian import ftpmaster
from vendaudit.distros.debian.entries import SourceEntry
from vendaudit.distros.debian.ftpmaster import (
    FtpMasterBackend,
    dak_suite_name,
    parse_by_metadata,
    parse_madison,
)
from vendaudit.distros.debian.sources import DebianIndexError
from vendaudit.distros.interface import DistroDataError, DistroError, DistroUnreachable
from vendaudit.fetch import Cache, Fetcher, make_client
from vendaudit.model import Module, Target

API = "https://api.ftp-master.debian.org"


class RecordingIndex:
    """Stand-in for DebianIndex that keeps what the backend handed it."""

    def __init__(
        self,
        target: Target,
        entries: Sequence[SourceEntry],
        provenance: str,
        notes: tuple[str, ...] = (),
    ) -> None:
        self.entries = {e.source: e for e in entries}
        self.provenance = provenance
        self.notes = notes


@pytest.fixture(autouse=True)
def standin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ftpmaster, "DebianIndex", RecordingIndex)


def payload(fixtures: Path, name: str) -> bytes:
    return (fixtures / "debian" / name).read_bytes()


def fake_madison(full: list[dict[str, Any]], seen: list[httpx.Request]) -> Any:
    """A madison endpoint: filters the full answer by `package` like dak does."""

    def respond(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        params = request.url.params
        assert params["f"] == "json" and params["b"] == "dsc"
        names = params["package"].split()
        assert "s" not in params  # every suite: an absent source is then a short answer
        out: dict[str, Any] = {}
        for name in names:
            by_suite = full[0].get(name, {})
            if by_suite:
                out[name] = by_suite
        return httpx.Response(200, json=[out] if out else [])

    return respond


def serve(httpx_mock: HTTPXMock, fixtures: Path) -> list[httpx.Request]:
    httpx_mock.add_response(url=f"{API}/suites", content=payload(fixtures, "ftpmaster-suites.json"))
    httpx_mock.add_response(
        url=f"{API}/binary/by_metadata/Go-Import-Path",
        content=payload(fixtures, "ftpmaster-by-metadata-go.json"),
        headers={"Content-Type": "application/json; charset=UTF-8"},
    )
    full = json.loads(payload(fixtures, "ftpmaster-madison-go.json"))
    seen: list[httpx.Request] = []
    httpx_mock.add_callback(
        fake_madison(full, seen), url=re.compile(rf"{re.escape(API)}/madison\?.*"), is_reusable=True
    )
    return seen


def backend(tmp_path: Path, **kw: Any) -> FtpMasterBackend:
    return FtpMasterBackend(Fetcher(make_client(), Cache(tmp_path / "c"), backoff=0), **kw)


def test_sid_through_the_api(httpx_mock: HTTPXMock, tmp_path: Path, fixtures: Path) -> None:
    seen = serve(httpx_mock, fixtures)
    index, status = backend(tmp_path, batch_size=2).load_with_status(Target("debian", "sid"))
    # rakyll-statik is known to dak (by_metadata) but madison lists it in no suite: its
    # modules are unknown, not missing.
    assert isinstance(index, ftpmaster._Unanswered)
    with pytest.raises(DistroError, match="no answer for golang-github-rakyll-statik"):
        index.lookup(Module("github.com/rakyll/statik", "v0.1.7"))
    assert isinstance(index.inner, RecordingIndex)
    got = index.inner.entries
    assert set(got) == {
        "docker.io",
        "fdroidcl",
        "golang-github-cenkalti-backoff",
        "golang-golang-x-net",
        "golang-gopkg-yaml.v3",
    }
    assert got["golang-golang-x-net"].version == "1:0.62.0-1"  # epoch beats 0.99.0-1
    assert got["golang-gopkg-yaml.v3"].version == "3.0.5-1"  # not the +b1 binNMU row
    assert got["golang-gopkg-yaml.v3"].import_paths == ("gopkg.in/yaml.v3", "go.yaml.in/yaml/v3")
    assert got["fdroidcl"].import_paths == ("mvdan.cc/fdroidcl",)
    assert got["docker.io"].binaries == (
        "docker-cli",
        "docker-doc",
        "docker.io",
        "docker.io-dbgsym",
        "golang-github-docker-docker-dev",
    )
    assert got["golang-github-cenkalti-backoff"].binaries == (
        "golang-github-cenkalti-backoff-dev",
        "golang-github-cenkalti-backoff-v5-dev",
    )
    assert status.packages == 5 and "madison s=unstable" in status.provenance
    assert any("not signature-checked" in n for n in status.notes)
    # Six sources in batches of two: three madison calls.
    assert len(seen) == 3


def test_codename_maps_to_dak_suite_and_contrib_keys_count(
    httpx_mock: HTTPXMock, tmp_path: Path, fixtures: Path
) -> None:
    seen = serve(httpx_mock, fixtures)
    index = backend(tmp_path).load(Target("debian", "trixie"))
    assert isinstance(index, ftpmaster._Unanswered)
    assert isinstance(index.inner, RecordingIndex)
    versions = {s: e.version for s, e in index.inner.entries.items()}
    assert versions == {
        "docker.io": "26.1.5+dfsg1-9",
        "fdroidcl": "0.7.0-2",  # listed under stable/contrib
        "golang-golang-x-net": "1:0.27.0-2",
        "golang-gopkg-yaml.v3": "3.0.4-3",
    }
    # One batch; names are '+'-joined in the query string (madison splits on whitespace).
    assert "package=docker.io+fdroidcl+" in str(seen[0].url)


def test_madison_empty_answer(httpx_mock: HTTPXMock, tmp_path: Path, fixtures: Path) -> None:
    serve(httpx_mock, fixtures)
    index = backend(tmp_path).load(Target("debian", "experimental"))
    assert isinstance(index, ftpmaster._Unanswered)
    assert isinstance(index.inner, RecordingIndex) and index.inner.entries == {}


def test_unknown_suite(httpx_mock: HTTPXMock, tmp_path: Path, fixtures: Path) -> None:
    httpx_mock.add_response(url=f"{API}/suites", content=payload(fixtures, "ftpmaster-suites.json"))
    with pytest.raises(DistroError, match=r"debian:potato: suite 'potato' unknown"):
        backend(tmp_path).load(Target("debian", "potato"))


def test_empty_by_metadata_is_an_outage_not_nothing_packaged(
    httpx_mock: HTTPXMock, tmp_path: Path, fixtures: Path
) -> None:
    httpx_mock.add_response(url=f"{API}/suites", content=payload(fixtures, "ftpmaster-suites.json"))
    httpx_mock.add_response(url=f"{API}/binary/by_metadata/Go-Import-Path", json=[])
    with pytest.raises(DistroDataError, match="no Go-Import-Path rows"):
        backend(tmp_path).load(Target("debian", "sid"))


def test_api_down_is_unreachable(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    for _ in range(3):
        httpx_mock.add_response(url=f"{API}/suites", status_code=503)
    with pytest.raises(DistroUnreachable, match=r"debian:sid: .*HTTP 503"):
        backend(tmp_path).load(Target("debian", "sid"))


def test_html_instead_of_json(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    httpx_mock.add_response(url=f"{API}/suites", text="<html>maintenance</html>")
    with pytest.raises(DistroDataError, match=r"^debian:sid: ftp-master /suites: not JSON"):
        backend(tmp_path).load(Target("debian", "sid"))


def test_only_debian_is_supported(tmp_path: Path) -> None:
    b = backend(tmp_path)
    assert b.supports(Target("debian", "sid")) and not b.supports(Target("ubuntu", "noble"))


def test_parsers_directly(fixtures: Path) -> None:
    assert dak_suite_name(payload(fixtures, "ftpmaster-suites.json"), "sid") == "unstable"
    assert dak_suite_name(payload(fixtures, "ftpmaster-suites.json"), "testing") == "testing"
    madison = payload(fixtures, "ftpmaster-madison-go.json")
    assert parse_madison(madison, "unstable")["golang-gopkg-yaml.v3"] == "3.0.5-1"
    assert "fdroidcl" in parse_madison(madison, "stable")
    assert parse_madison(b"[]", "unstable") == {}
    go = parse_by_metadata(payload(fixtures, "ftpmaster-by-metadata-go.json"))
    assert go["docker.io"].import_paths[-1] == "github.com/moby/ipvs"
    with pytest.raises(DebianIndexError, match="unexpected row"):
        parse_by_metadata(b'[{"binary": "x"}]')


def test_shared_answers_are_fetched_once(
    httpx_mock: HTTPXMock, tmp_path: Path, fixtures: Path
) -> None:
    serve(httpx_mock, fixtures)
    b = backend(tmp_path)
    b.load(Target("debian", "sid"))
    b.load(Target("debian", "trixie"))
    urls = [str(r.url) for r in httpx_mock.get_requests()]
    assert urls.count(f"{API}/suites") == 1
    assert urls.count(f"{API}/binary/by_metadata/Go-Import-Path") == 1


@pytest.mark.parametrize(
    "body",
    [
        b'[{"docker.io": {"unstable": {"not a version!": {"architectures": ["source"]}}}}]',
        b'[{"docker.io": {"unstable": {"1.0-1": {"architectures": "source"}}}}]',
        b'[{"docker.io": {"unstable": {"1.0-1": {"source": 7}}}}]',
        b'[{"docker.io": {"unstable": ["1.0-1"]}}]',
        b'[{"docker.io": ["unstable"]}]',
        b'[{"docker.io": {"unstable": {"1.0-1": "main"}}}]',
        b'{"docker.io": {}}',
    ],
)
def test_malformed_madison_is_a_target_error(body: bytes) -> None:
    with pytest.raises(DebianIndexError, match="ftp-master madison"):
        parse_madison(body, "unstable")


def test_empty_madison_batches_make_modules_unknown_not_missing(
    httpx_mock: HTTPXMock, tmp_path: Path, fixtures: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vendaudit.analysis.audit import audit
    from vendaudit.distros.debian.index import DebianIndex
    from vendaudit.distros.interface import Loaded
    from vendaudit.model import Project

    monkeypatch.setattr(ftpmaster, "DebianIndex", DebianIndex)
    full = json.loads(payload(fixtures, "ftpmaster-madison-go.json"))
    seen: list[httpx.Request] = []
    answer = fake_madison(full, seen)
    httpx_mock.add_response(url=f"{API}/suites", content=payload(fixtures, "ftpmaster-suites.json"))
    httpx_mock.add_response(
        url=f"{API}/binary/by_metadata/Go-Import-Path",
        content=payload(fixtures, "ftpmaster-by-metadata-go.json"),
    )

    # The first batch comes back empty (an overloaded dak), the others are right.
    calls: list[int] = []

    def respond(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        return httpx.Response(200, json=[]) if len(calls) == 1 else answer(request)

    madison = re.compile(rf"{re.escape(API)}/madison\?.*")
    httpx_mock.add_callback(respond, url=madison, is_reusable=True)
    index = backend(tmp_path, batch_size=2).load(Target("debian", "sid"))
    modules = (Module("github.com/docker/docker", "v28.5.2+incompatible"),)
    project = Project("go.mod", "example.com/app", "1.22", modules)
    found = audit(project, [Loaded(Target("debian", "sid"), index)])
    verdicts = {f.module.path: f.verdict.value for f in found}
    # docker.io sorts first, in the empty batch: unknown, never missing.
    assert verdicts == {"github.com/docker/docker": "unknown"}
