"""Security findings in the store (SQLite, and PostgreSQL in CI): rows, summaries, change
lines, and the v1 → v2 migration."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from vendaudit.report import Report
from vendaudit.service import Store
from vendaudit.service.schema import DB_SCHEMA_VERSION, current_version
from vendaudit.vulns.model import SecurityVerdict

JWT = "github.com/golang-jwt/jwt/v4"
DNS = "github.com/miekg/dns"
BW = "debian:bookworm"


def _run(store: Store, name: str, report: Report, targets: tuple[str, ...] = (BW,)) -> int:
    return store.record_run(
        name, report, manifest_hash="h", targets=list(targets), started_at="2026-01-01T00:00:00Z"
    )


def test_checked_run_keeps_its_security_section(store: Store, vuln_report: Report) -> None:
    store.add_project("v", "/x/go.mod", [BW])
    rid = _run(store, "v", vuln_report)
    assert store.report(rid) == vuln_report  # report_json → Report, security included
    summary = store.runs("v")[0].security
    assert summary is not None and summary.known and summary.error is None
    assert summary.findings == 7 and summary.vulnerable_modules == 7
    assert summary.database == vuln_report.security.database  # type: ignore[union-attr]
    assert summary.modified == "2026-08-21T20:38:00Z"
    assert summary.fixable(BW) == 3
    assert summary.count(BW, SecurityVerdict.NOT_PACKAGED) == 2
    assert summary.count(BW, SecurityVerdict.AFFECTED_IN_DISTRO) == 2
    uses = store.vuln_uses(DNS)
    assert [(u.entry_id, u.version, u.target, u.verdict) for u in uses] == [
        ("GO-2020-0006", "v1.0.0", BW, SecurityVerdict.FIXED_IN_DISTRO)
    ]
    assert "CVE-2017-15133" in uses[0].aliases
    assert uses[0].package == "golang-github-miekg-dns-dev" and uses[0].packaged == "1.1.50-2"
    assert len(store.vuln_uses()) == 7


def test_not_checked_failed_and_none_found_differ(
    store: Store, qs_report: Report, vuln_report: Report, helpers: Any
) -> None:
    for n in ("plain", "failed", "clean"):
        store.add_project(n, "/x", [BW])
    _run(store, "plain", qs_report)
    _run(store, "failed", helpers.vulns_unknown(vuln_report, "offline: not cached"))
    clean = vuln_report
    for module in {v.module for v, _ in vuln_report.security.findings}:  # type: ignore[union-attr]
        clean = helpers.without_vuln(clean, module)
    _run(store, "clean", clean)
    plain, failed, none = (store.runs(n)[0].security for n in ("plain", "failed", "clean"))
    assert plain is None
    assert failed is not None and not failed.known and failed.error == "offline: not cached"
    assert none is not None and none.known and none.vulnerable_modules == 0
    assert store.vuln_uses() == []


def test_change_lines_new_fixed_and_fixable(
    store: Store, vuln_report: Report, qs_report: Report, helpers: Any
) -> None:
    store.add_project("v", "/x/go.mod", [BW])
    before = helpers.without_vuln(vuln_report, DNS)
    _run(store, "v", before)
    # jwt's copy in bookworm became fixed; dns's entry appears.
    now = helpers.with_vuln_verdict(vuln_report, JWT, "fixed-in-distro")
    _run(store, "v", now)
    changes = store.runs("v")[0].changes
    assert "new vulnerability: GO-2020-0006 github.com/miekg/dns@v1.0.0" in changes
    assert (
        "vulnerability fixable by unvendoring in bookworm: GO-2024-3250 "
        "github.com/golang-jwt/jwt/v4@v4.4.0 (golang-github-golang-jwt-jwt-dev 4.4.3-1)"
    ) in changes
    # A run that did not check, then one whose check failed: no "fixed" for everything.
    _run(store, "v", dataclasses.replace(vuln_report, security=None))
    _run(store, "v", helpers.vulns_unknown(vuln_report))
    for r in store.runs("v", limit=2):
        assert not any("vulnerab" in c for c in r.changes), r.changes
    # The next working check compares with the last one that worked (run 2).
    _run(store, "v", helpers.without_vuln(now, DNS))
    assert store.runs("v")[0].changes == (
        "vulnerability fixed: GO-2020-0006 github.com/miekg/dns@v1.0.0",
    )


def test_remove_project_deletes_findings(store: Store, vuln_report: Report) -> None:
    store.add_project("v", "/x/go.mod", [BW])
    _run(store, "v", vuln_report)
    store.remove_project("v")
    assert store.vuln_uses() == []
    assert store.security_of([1]) == {}


def test_v1_database_migrates(
    tmp_path: Path, qs_report: Report, vuln_report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vendaudit.service import schema

    path = tmp_path / "v1.sqlite3"
    # A database as the first release wrote it: only migration 1, a project with a run.
    with monkeypatch.context() as m:
        m.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:1])
        m.setattr(schema, "DB_SCHEMA_VERSION", 1)
        old = Store.open(str(path))
        old.add_project("qs", "/x/vendor.mod", ["debian:sid"])
        old_run = _run(old, "qs", qs_report, ("debian:sid",))
        old.close()
    tables = {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")}
    assert "run_vulns" not in tables and "runs" in tables
    store = Store.open(str(path))
    with store.read() as conn:
        assert current_version(conn) == DB_SCHEMA_VERSION == 2
    (run,) = store.runs("qs")
    assert run.id == old_run and run.security is None  # an old run: not checked
    assert store.report(old_run) == qs_report
    new_run = _run(store, "qs", vuln_report, (BW,))
    summary = store.runs("qs")[0].security
    assert summary is not None and summary.findings == 7
    assert {u.run_id for u in store.vuln_uses()} == {new_run}
    store.close()


def test_v1_database_migrates_on_every_backend(
    db_url: str, qs_report: Report, vuln_report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vendaudit.service import schema

    with monkeypatch.context() as m:
        m.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:1])
        m.setattr(schema, "DB_SCHEMA_VERSION", 1)
        old = Store.open(db_url)
        old.add_project("qs", "/x/vendor.mod", ["debian:sid"])
        _run(old, "qs", qs_report, ("debian:sid",))
        old.close()
    store = Store.open(db_url)
    assert store.runs("qs")[0].security is None
    _run(store, "qs", vuln_report)
    assert store.runs("qs")[0].security is not None
    store.close()
