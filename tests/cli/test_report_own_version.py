"""`report` asks the module proxy whether a covering package's version is the module's own.

Real sid stanzas (fixtures/debian/mapping-multimodule.Sources): golang-opentelemetry-proto
1.10.0 declares go.opentelemetry.io/proto (no such module); etcd 3.5.30 declares
go.etcd.io/etcd.  The proxy answers are shaped like proxy.golang.org's.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpx import HTTPXMock
from typer.testing import CliRunner

from vendaudit.cli import app

PROXY = "https://proxy.golang.org"
SOURCES = (
    Path(__file__).resolve().parents[2] / "fixtures" / "debian" / "mapping-multimodule.Sources"
)
GO_MOD = """module example.com/app

go 1.24

require (
\tgo.etcd.io/etcd/server/v3 v3.5.16
\tgo.opentelemetry.io/proto/otlp v1.11.0
)
"""


def _run(tmp_path: Path, *extra: str) -> tuple[int, dict[str, dict[str, object]], str]:
    manifest = tmp_path / "go.mod"
    manifest.write_text(GO_MOD)
    args = ["report", str(manifest), "--index", f"debian:sid={SOURCES}", "--format", "json"]
    args += ["--cache-dir", str(tmp_path / "cache"), *extra]
    result = CliRunner().invoke(app, args)
    doc = json.loads(result.stdout) if result.stdout.strip() else {"modules": []}
    results = {m["path"]: m["results"]["debian:sid"] for m in doc["modules"]}
    return result.exit_code, results, result.stderr


@pytest.fixture(autouse=True)
def _default_proxy(monkeypatch: pytest.MonkeyPatch, httpx_mock: HTTPXMock) -> None:
    # The early reachability probe of the proxy (any answer will do).
    httpx_mock.add_response(url=f"{PROXY}/", status_code=302, is_optional=True)
    monkeypatch.setenv("GOPROXY", f"{PROXY},direct")
    monkeypatch.delenv("GONOPROXY", raising=False)
    monkeypatch.delenv("GOPRIVATE", raising=False)
    monkeypatch.delenv("GOFLAGS", raising=False)


def test_packaged_version_is_the_modules_own(tmp_path: Path, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        url=f"{PROXY}/go.opentelemetry.io/proto/otlp/@v/v1.10.0.info",
        json={"Version": "v1.10.0", "Time": "2026-03-02T10:00:00Z"},
    )
    httpx_mock.add_response(
        url=f"{PROXY}/go.opentelemetry.io/proto/@v/v1.10.0.info",
        status_code=404,
        text="not found: module go.opentelemetry.io/proto: no matching versions",
    )
    httpx_mock.add_response(
        url=f"{PROXY}/go.etcd.io/etcd/server/v3/@v/v3.5.30.info",
        json={"Version": "v3.5.30", "Time": "2026-01-20T09:00:00Z"},
    )
    httpx_mock.add_response(
        url=f"{PROXY}/go.etcd.io/etcd/@v/v3.5.30.info",
        status_code=410,
        text="not found: go.etcd.io/etcd@v3.5.30: invalid version",
    )
    code, results, err = _run(tmp_path)
    assert code == 0, err
    otlp = results["go.opentelemetry.io/proto/otlp"]
    # 1.10.0 is otlp's own version, and older than the required v1.11.0.
    assert otlp["verdict"] == "outdated"
    assert "go.opentelemetry.io/proto/otlp@v1.10.0 exists" in str(otlp["reason"])
    etcd = results["go.etcd.io/etcd/server/v3"]
    assert etcd["verdict"] == "satisfied"
    assert etcd["package"]["match"] == "prefix-major"  # type: ignore[index]

    # Offline: the positive answers are cached, the 404/410 are not (they are not
    # immutable: a module may get that version later), so nothing is concluded.
    code, again, _ = _run(tmp_path, "--offline")
    assert code == 0
    assert again["go.opentelemetry.io/proto/otlp"]["verdict"] == "unknown"


def test_covering_module_with_that_version_decides_nothing(
    tmp_path: Path, httpx_mock: HTTPXMock
) -> None:
    """When the covering path has the version too, the version is the covering module's."""
    for path, version in (
        ("go.opentelemetry.io/proto/otlp", "v1.10.0"),
        ("go.opentelemetry.io/proto", "v1.10.0"),
        ("go.etcd.io/etcd/server/v3", "v3.5.30"),
        ("go.etcd.io/etcd", "v3.5.30"),
    ):
        httpx_mock.add_response(
            url=f"{PROXY}/{path}/@v/{version}.info",
            json={"Version": version, "Time": "2026-01-20T09:00:00Z"},
        )
    # The dates step then asks for the required tags' dates; none is known.
    httpx_mock.add_response(
        url=f"{PROXY}/go.opentelemetry.io/proto/otlp/@v/v1.11.0.info", status_code=404
    )
    httpx_mock.add_response(
        url=f"{PROXY}/go.etcd.io/etcd/server/v3/@v/v3.5.16.info", status_code=404
    )
    code, results, err = _run(tmp_path)
    assert code == 0, err
    assert results["go.opentelemetry.io/proto/otlp"]["verdict"] == "unknown"
    assert results["go.etcd.io/etcd/server/v3"]["verdict"] == "unknown"


def test_unreachable_proxy_decides_nothing(tmp_path: Path, httpx_mock: HTTPXMock) -> None:
    import httpx

    httpx_mock.add_exception(httpx.ConnectError("connection refused"), is_reusable=True)
    code, results, _ = _run(tmp_path)
    assert code == 0
    assert results["go.opentelemetry.io/proto/otlp"]["verdict"] == "unknown"
