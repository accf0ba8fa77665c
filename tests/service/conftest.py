"""Service test helpers: databases (a real SQLite file; PostgreSQL when VENDAUDIT_TEST_PG is
set), a real report of the Quick start fixture, and variants of it for history."""

from __future__ import annotations

import dataclasses
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("sqlalchemy")
pytest.importorskip("starlette")

from typer.testing import CliRunner

from vendaudit.cli import app
from vendaudit.model import Verdict
from vendaudit.report import Report, report_from_json
from vendaudit.report.model import ModuleRow, PackageInfo, ResultCell, TargetSummary
from vendaudit.service import Store
from vendaudit.service.web import create_app

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
QS = FIXTURES / "quickstart"
MANIFEST = QS / "vendor.mod"
SOURCES = QS / "sid-Sources"
# The real govulndb excerpt, and old versions of real modules it affects (fixtures/vulns).
GOVULNDB = FIXTURES / "govulndb"
VULN_MANIFEST = FIXTURES / "vulns" / "go.mod"
VULN_SOURCES = FIXTURES / "vulns" / "bookworm-Sources"
PG_URL = os.environ.get("VENDAUDIT_TEST_PG")


def reset_postgres(url: str) -> None:
    """Drop every service table so each test starts from an empty database."""
    import sqlalchemy as sa

    from vendaudit.service.schema import metadata
    from vendaudit.service.store import _engine_url

    engine = sa.create_engine(_engine_url(url))
    with engine.begin() as conn:
        metadata.drop_all(conn)
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database URL: a SQLite file, or the CI PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "service.sqlite3")
    if not PG_URL:
        pytest.skip("VENDAUDIT_TEST_PG is not set")
    reset_postgres(PG_URL)
    return PG_URL


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """An open store on a fresh database."""
    s = Store.open(db_url)
    yield s
    s.close()


@pytest.fixture(scope="session")
def qs_report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """The real report of the Quick start fixture against its sid index."""
    cache = tmp_path_factory.mktemp("cache")
    result = CliRunner().invoke(
        app,
        [
            "report", str(MANIFEST), "--index", f"debian:sid={SOURCES}", "--format", "json",
            "--no-tag-dates", "--cache-dir", str(cache), "--offline",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return report_from_json(json.loads(result.stdout))


@pytest.fixture(scope="session")
def vuln_report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    """The real ``report --vulns`` of fixtures/vulns against bookworm and the excerpt."""
    cache = tmp_path_factory.mktemp("cache")
    result = CliRunner().invoke(
        app,
        [
            "report", str(VULN_MANIFEST), "--index", f"debian:bookworm={VULN_SOURCES}",
            "--format", "json", "--no-tag-dates", "--cache-dir", str(cache), "--offline",
            "--vulns", "--govulndb", GOVULNDB.as_uri(),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    report = report_from_json(json.loads(result.stdout))
    assert report.security is not None and report.security.error is None
    return report


def with_vuln_verdict(report: Report, module: str, verdict: str) -> Report:
    """``report`` with the join verdict of ``module``'s findings replaced in every target."""
    from vendaudit.vulns.model import SecurityVerdict

    assert report.security is not None
    findings = tuple(
        (v, tuple(dataclasses.replace(c, verdict=SecurityVerdict(verdict)) for c in cells))
        if v.module == module
        else (v, cells)
        for v, cells in report.security.findings
    )
    return _with_findings(report, findings)


def without_vuln(report: Report, module: str) -> Report:
    """``report`` whose security section no longer lists ``module`` (it moved past the fix)."""
    assert report.security is not None
    findings = tuple((v, c) for v, c in report.security.findings if v.module != module)
    return _with_findings(report, findings)


def _with_findings(report: Report, findings: Any) -> Report:
    from vendaudit.vulns.join import rank_advice

    assert report.security is not None
    security = dataclasses.replace(report.security, findings=findings, advice=rank_advice(findings))
    return dataclasses.replace(report, security=security)


def vulns_unknown(report: Report, why: str = "offline: not in the cache") -> Report:
    """``report`` whose vulnerability check failed."""
    from vendaudit.vulns.model import SecurityView

    return dataclasses.replace(
        report, security=SecurityView("https://vuln.go.dev", "", (), error=why)
    )


def with_verdict(report: Report, module: str, verdict: Verdict, version: str = "1.0.0-1") -> Report:
    """``report`` with ``module``'s verdict in every target replaced (summary recounted)."""
    rows = []
    for m in report.modules:
        if m.path == module:
            pkg = PackageInfo("golang-x-dev", "golang-x-dev", version, None, module, "exact")
            cells = tuple(
                (tid, ResultCell(verdict, pkg if verdict is Verdict.SATISFIED else None, "", False))
                for tid, _ in m.results
            )
            m = dataclasses.replace(m, results=cells)
        rows.append(m)
    return _recount(report, tuple(rows))


def _recount(report: Report, rows: tuple[ModuleRow, ...]) -> Report:
    summary = tuple(
        (tid, TargetSummary.of([c.verdict for r in rows if (c := r.result(tid)) is not None]))
        for tid in report.target_ids
    )
    return dataclasses.replace(report, modules=rows, summary=summary)


def bigger(report: Report, copies: int) -> Report:
    """``report`` with its modules repeated under ``copies`` distinct path prefixes."""
    rows = tuple(
        dataclasses.replace(m, path=f"{m.path}/copy{i}")
        for i in range(copies)
        for m in report.modules
    )
    return _recount(report, rows)


class Helpers:
    """Report builders and paths for the service tests (conftest names are not importable)."""

    manifest = MANIFEST
    sources = SOURCES
    govulndb = GOVULNDB
    vuln_manifest = VULN_MANIFEST
    vuln_sources = VULN_SOURCES
    with_verdict = staticmethod(with_verdict)
    with_vuln_verdict = staticmethod(with_vuln_verdict)
    without_vuln = staticmethod(without_vuln)
    vulns_unknown = staticmethod(vulns_unknown)
    bigger = staticmethod(bigger)


@pytest.fixture
def helpers() -> type[Helpers]:
    """The :class:`Helpers` namespace."""
    return Helpers


SWARMKIT = "github.com/moby/swarmkit/v2"


@pytest.fixture
def filled(store: Store, qs_report: Report, helpers: Any) -> Store:
    """Two projects; ``qs`` has two runs in which swarmkit reached sid."""
    store.add_project("qs", "/x/vendor.mod", ["debian:sid"])
    store.add_project("other", "https://example.org/go.mod", ["debian:sid"])
    kw: dict[str, Any] = {"manifest_hash": "h", "targets": ["debian:sid"]}
    store.record_run("qs", qs_report, started_at="2026-01-01T00:00:00Z", **kw)
    better = helpers.with_verdict(qs_report, SWARMKIT, Verdict.SATISFIED, "2.0-1")
    store.record_run("qs", better, started_at="2026-01-02T00:00:00Z", **kw)
    store.record_run("other", qs_report, started_at="2026-01-02T00:00:00Z", **kw)
    return store


JWT = "github.com/golang-jwt/jwt/v4"
DNS = "github.com/miekg/dns"


@pytest.fixture
def secured(store: Store, vuln_report: Report, qs_report: Report, helpers: Any) -> Store:
    """Projects with vulnerability checks: ``vuln`` (two runs: jwt became fixable in bookworm,
    dns left the findings), ``vuln2`` (one run), ``plain`` (not checked), ``failed`` (check
    failed)."""
    bw: dict[str, Any] = {"manifest_hash": "h", "targets": ["debian:bookworm"]}
    for name in ("vuln", "vuln2"):
        store.add_project(name, str(VULN_MANIFEST), ["debian:bookworm"])
    store.add_project("plain", "/x/vendor.mod", ["debian:sid"])
    store.add_project("failed", "/x/vendor.mod", ["debian:sid"])
    store.record_run("vuln", vuln_report, started_at="2026-01-01T00:00:00Z", **bw)
    now = helpers.without_vuln(helpers.with_vuln_verdict(vuln_report, JWT, "fixed-in-distro"), DNS)
    store.record_run("vuln", now, started_at="2026-01-02T00:00:00Z", **bw)
    store.record_run("vuln2", vuln_report, started_at="2026-01-02T00:00:00Z", **bw)
    sid: dict[str, Any] = {"manifest_hash": "h", "targets": ["debian:sid"]}
    store.record_run("plain", qs_report, started_at="2026-01-02T00:00:00Z", **sid)
    failed = helpers.vulns_unknown(qs_report)
    store.record_run("failed", failed, started_at="2026-01-02T00:00:00Z", **sid)
    return store


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def live_server(filled: Store) -> Iterator[str]:
    """The app under a real Hypercorn on 127.0.0.1 (a thread; stopped at the end)."""
    yield from _serve(filled)


@pytest.fixture
def live_secured(secured: Store) -> Iterator[str]:
    """:func:`live_server` over the :func:`secured` store."""
    yield from _serve(secured)


def _serve(store: Store) -> Iterator[str]:
    import asyncio

    from hypercorn.asyncio import serve
    from hypercorn.config import Config

    port = _free_port()
    config = Config()
    config.bind = [f"127.0.0.1:{port}"]
    config.loglevel = "WARNING"
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    app = create_app(store)
    thread = threading.Thread(
        target=lambda: loop.run_until_complete(serve(app, config, shutdown_trigger=stop.wait)),  # type: ignore[arg-type]
        daemon=True,
    )
    thread.start()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    loop.call_soon_threadsafe(stop.set)
    thread.join(10)
