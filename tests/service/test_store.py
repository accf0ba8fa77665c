"""The store on a real SQLite file (and PostgreSQL in CI): migrations, runs, crash safety."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from vendaudit.model import Verdict
from vendaudit.report import Report, render_json
from vendaudit.service import Store, StoreError, UnknownProject
from vendaudit.service.schema import DB_SCHEMA_VERSION

SWARMKIT = "github.com/moby/swarmkit/v2"


def test_migrates_once_and_records_version(db_url: str) -> None:
    Store.open(db_url).close()
    s = Store.open(db_url)  # a second open finds the schema current
    with s.read() as conn:
        from vendaudit.service.schema import current_version

        assert current_version(conn) == DB_SCHEMA_VERSION
    s.close()


def test_sqlite_file_is_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite3"
    Store.open(str(path)).close()
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite3"
    Store.open(str(path)).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE schema_meta SET value='999' WHERE key='schema_version'")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="newer than this vendaudit"):
        Store.open(str(path))


def test_default_location_honours_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VENDAUDIT_DB", str(tmp_path / "env.sqlite3"))
    Store.open().close()
    assert (tmp_path / "env.sqlite3").exists()


def test_watch_list_round_trip(store: Store) -> None:
    store.add_project("a", "/x/go.mod", ["debian:sid", "fedora:43"])
    store.add_project("b", "https://example.org/go.mod", ["debian:sid"], "https://e/modules.txt")
    assert [p.name for p in store.projects()] == ["a", "b"]
    assert store.project("a").targets == ("debian:sid", "fedora:43")
    store.add_project("a", "/y/go.mod", ["debian:trixie"])  # re-adding updates
    assert store.project("a").manifest == "/y/go.mod"
    store.remove_project("a")
    with pytest.raises(UnknownProject):
        store.project("a")
    with pytest.raises(UnknownProject):
        store.remove_project("a")


def test_runs_store_counts_verdicts_and_changes(
    store: Store, qs_report: Report, helpers: Any
) -> None:
    store.add_project("qs", "/x/vendor.mod", ["debian:sid"])
    first = store.record_run(
        "qs",
        qs_report,
        manifest_hash="h1",
        targets=["debian:sid"],
        started_at="2026-01-01T00:00:00Z",
    )
    better = helpers.with_verdict(qs_report, SWARMKIT, Verdict.SATISFIED, "0.0~git2024-1")
    second = store.record_run(
        "qs", better, manifest_hash="h1", targets=["debian:sid"], started_at="2026-01-02T00:00:00Z"
    )
    runs = store.runs("qs")
    assert [r.id for r in runs] == [second, first]
    sid_before = runs[1].counts_for("debian:sid")
    sid_now = runs[0].counts_for("debian:sid")
    assert sid_before is not None and sid_now is not None
    assert sid_now.count(Verdict.MISSING) == sid_before.count(Verdict.MISSING) - 1
    assert runs[1].changes == ()
    assert f"golang-x-dev 0.0~git2024-1 reached sid: drop vendor/{SWARMKIT}" in runs[0].changes
    assert json.loads(store.report_json(second) or "")["schema_version"] == 1
    assert store.report(first) == qs_report
    assert store.previous_ok_run(second) == first
    uses = store.module_uses(SWARMKIT)
    assert [(u.project, u.run_id, u.verdict) for u in uses] == [("qs", second, Verdict.SATISFIED)]
    assert [r.id for r in store.recent_changes()] == [second]
    latest = store.latest_runs(2)
    assert [r.id for r in latest["qs"]] == [second, first]


def test_failed_run_is_kept_but_not_diffed(store: Store, qs_report: Report) -> None:
    store.add_project("qs", "/x/vendor.mod", ["debian:sid"])
    ok = store.record_run(
        "qs", qs_report, manifest_hash="h", targets=["debian:sid"], started_at="t"
    )
    bad = store.record_run(
        "qs", None, manifest_hash=None, targets=["debian:sid"], started_at="t", error="boom"
    )
    assert store.runs("qs")[0].status == "error"
    assert store.report(bad) is None
    assert [r.id for r in store.latest_runs(2)["qs"]] == [ok]


def test_due_projects(store: Store, qs_report: Report) -> None:
    import datetime as dt

    store.add_project("never", "/x", ["debian:sid"])
    store.add_project("fresh", "/x", ["debian:sid"])
    from vendaudit.service.store import utcnow

    store.record_run(
        "fresh", qs_report, manifest_hash="h", targets=["debian:sid"], started_at=utcnow()
    )
    assert store.due_projects(dt.timedelta(hours=1)) == ["never"]


_WRITER = textwrap.dedent(
    """
    import json, sys
    from vendaudit.report import report_from_json
    from vendaudit.service import Store
    url, name, path, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    report = report_from_json(json.load(open(path, encoding="utf-8")))
    store = Store.open(url)
    i = 0
    while count < 0 or i < count:
        rid = store.record_run(name, report, manifest_hash=str(i), targets=["debian:sid"],
                               started_at="2026-01-01T00:00:00Z")
        print(rid, flush=True)
        i += 1
    """
)


def _writer(url: str, name: str, report_file: Path, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _WRITER, url, name, str(report_file), str(count)],
        stdout=subprocess.PIPE,
        text=True,
    )


def test_concurrent_writers_lose_nothing(db_url: str, tmp_path: Path, qs_report: Report) -> None:
    store = Store.open(db_url)
    for n in ("p0", "p1", "p2"):
        store.add_project(n, "/x", ["debian:sid"])
    report_file = tmp_path / "r.json"
    report_file.write_text(render_json(qs_report), encoding="utf-8")
    # Three processes, two of them on the same project, all at once.
    procs = [_writer(db_url, n, report_file, 15) for n in ("p0", "p1", "p1")]
    for p in procs:
        out, _ = p.communicate(timeout=300)
        assert p.returncode == 0
        assert len(out.split()) == 15
    assert len(store.runs("p0")) == 15
    assert len(store.runs("p1")) == 30
    assert len(store.module_uses(SWARMKIT)) == 2  # newest run of p0 and of p1
    store.close()


def test_writer_killed_mid_run_leaves_previous_runs(
    db_url: str, tmp_path: Path, qs_report: Report, helpers: Any
) -> None:
    store = Store.open(db_url)
    store.add_project("big", "/x", ["debian:sid"])
    big = helpers.bigger(qs_report, 150)  # 2,700 modules: each run writes a while
    report_file = tmp_path / "big.json"
    report_file.write_text(render_json(big), encoding="utf-8")
    proc = _writer(db_url, "big", report_file, -1)
    assert proc.stdout is not None
    committed = [int(proc.stdout.readline()) for _ in range(3)]
    time.sleep(0.05)  # well inside the next run's transaction
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    runs = store.runs("big")
    assert set(committed) <= {r.id for r in runs}
    modules = len(big.modules)
    for r in runs:
        sid = r.counts_for("debian:sid")
        assert sid is not None and sid.total == modules
        assert len(store.report(r.id).modules) == modules  # type: ignore[union-attr]
    with store.read() as conn:
        import sqlalchemy as sa

        from vendaudit.service.schema import run_modules

        n = conn.execute(sa.select(sa.func.count()).select_from(run_modules)).scalar()
        assert n == modules * len(runs)  # no orphan rows of a half-written run
        if store.is_sqlite:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    # And the database takes new runs.
    store.record_run("big", qs_report, manifest_hash="x", targets=["debian:sid"], started_at="t")
    store.close()
