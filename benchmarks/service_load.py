"""Bounded loopback load on the report service: requests/s and p99 latency per endpoint.

Builds a SQLite database of ``--projects`` watched projects with ``--runs`` runs each (one
target, the Quick start fixture's real report: 18 modules per run), serves it with
Hypercorn on 127.0.0.1, and sends a fixed number of requests per endpoint from a few
client threads::

    python benchmarks/service_load.py                # 100 projects x 365 runs
    python benchmarks/service_load.py --projects 10 --runs 30 --requests 200
    python benchmarks/service_load.py --vulns         # every run checked: 7 findings each

The history is written with bulk inserts into the service's own tables (what
``Store.record_run`` writes, minus the per-run diff), so building 36,500 runs takes
seconds; the pages then read it exactly as in production.  With ``--vulns`` every run also
carries the vulnerability check of fixtures/vulns (the real join against bookworm and the
govulndb excerpt, re-targeted), and the security pages are measured too.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from vendaudit.report import report_from_json, to_json_dict
from vendaudit.service import Store
from vendaudit.service.schema import (
    projects,
    run_modules,
    run_security,
    run_targets,
    run_vulns,
    runs,
)
from vendaudit.service.store import COUNT_COLUMNS
from vendaudit.service.store import module_rows as store_module_rows
from vendaudit.service.vulnstore import security_rows
from vendaudit.service.web import create_app

ROOT = Path(__file__).resolve().parents[1]
QS = ROOT / "fixtures" / "quickstart"


def quickstart_report() -> Any:
    """The real Quick start report (``vendaudit report ... -f json``)."""
    out = subprocess.run(
        [
            sys.executable, "-m", "vendaudit", "report", str(QS / "vendor.mod"),
            "--index", f"debian:sid={QS / 'sid-Sources'}", "--offline", "--no-tag-dates",
            "-f", "json",
        ],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return report_from_json(json.loads(out.stdout))


def vuln_rows(tid: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The real fixtures/vulns check as ``run_security`` / ``run_vulns`` rows, for ``tid``."""
    out = subprocess.run(
        [
            sys.executable, "-m", "vendaudit", "report", str(ROOT / "fixtures/vulns/go.mod"),
            "--index", f"debian:bookworm={ROOT / 'fixtures/vulns/bookworm-Sources'}",
            "--offline", "--no-tag-dates", "-f", "json", "--vulns",
            "--govulndb", (ROOT / "fixtures/govulndb").as_uri(),
        ],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    view = report_from_json(json.loads(out.stdout)).security
    assert view is not None
    # The store's own rows, retargeted to the quickstart report's target; the run id is
    # set per run by build().
    head, rows = security_rows(0, view)
    del head["run_id"]
    rows = [{**{k: v for k, v in row.items() if k != "run_id"}, "target": tid} for row in rows]
    return head, rows


def build(store: Store, n_projects: int, n_runs: int, vulns: bool = False) -> float:
    """Fill ``store``; returns the seconds it took."""
    report = quickstart_report()
    sec_head, sec_rows = vuln_rows(report.target_ids[0]) if vulns else ({}, [])
    doc = to_json_dict(report)
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    tid = report.target_ids[0]
    summary = report.summary_for(tid)
    start = time.perf_counter()
    day0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with store.write() as conn:
        run_id = 0
        for p in range(n_projects):
            pid = conn.execute(
                sa.insert(projects)
                .values(
                    name=f"p{p:03d}",
                    manifest=f"/srv/p{p:03d}/go.mod",
                    modules_txt=None,
                    targets=tid,
                    created_at="2026-01-01T00:00:00Z",
                )
                .returning(projects.c.id)
            ).scalar_one()
            run_rows, target_rows, module_rows = [], [], []
            security_rows: list[dict[str, Any]] = []
            finding_rows: list[dict[str, Any]] = []
            for r in range(n_runs):
                run_id += 1
                at = (day0 + dt.timedelta(days=r)).strftime("%Y-%m-%dT%H:%M:%SZ")
                run_rows.append(
                    {
                        "id": run_id,
                        "project_id": pid,
                        "started_at": at,
                        "finished_at": at,
                        "status": "ok",
                        "error": None,
                        "manifest_hash": "0" * 64,
                        "targets": tid,
                        "report_schema": 1,
                        "report_json": text,
                        "changes_json": json.dumps([f"change {r}"] if r % 7 == 0 else []),
                    }
                )
                counts = {col: summary.count(v) for v, col in COUNT_COLUMNS}
                # A little movement so the chart has something to draw.
                counts["missing"] = max(0, counts["missing"] - r // 120)
                target_rows.append(
                    {
                        "run_id": run_id,
                        "target": tid,
                        "total": summary.total,
                        "error": None,
                        "notes_json": "[]",
                        "plan_json": "{}",
                        **counts,
                    }
                )
                module_rows += store_module_rows(run_id, report)
                if vulns:
                    security_rows.append({"run_id": run_id, **sec_head})
                    finding_rows += [{"run_id": run_id, **row} for row in sec_rows]
            conn.execute(sa.insert(runs), run_rows)
            if vulns:
                conn.execute(sa.insert(run_security), security_rows)
                conn.execute(sa.insert(run_vulns), finding_rows)
            conn.execute(sa.insert(run_targets), target_rows)
            conn.execute(sa.insert(run_modules), module_rows)
    return time.perf_counter() - start


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(store: Store, port: int) -> tuple[threading.Thread, Any, asyncio.AbstractEventLoop]:
    """Hypercorn on 127.0.0.1:port in a thread."""
    from hypercorn.asyncio import serve as hc_serve
    from hypercorn.config import Config

    config = Config()
    config.bind = [f"127.0.0.1:{port}"]
    config.loglevel = "WARNING"
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    app = create_app(store)
    thread = threading.Thread(
        target=lambda: loop.run_until_complete(hc_serve(app, config, shutdown_trigger=stop.wait)),  # type: ignore[arg-type]
        daemon=True,
    )
    thread.start()
    for _ in range(200):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    return thread, stop, loop


def load(base: str, path: str, requests: int, clients: int) -> dict[str, float]:
    """``requests`` GETs of ``path`` from ``clients`` threads: rps, p50, p99 (ms)."""
    lat: list[float] = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        with httpx.Client(base_url=base, timeout=60) as http:
            for _ in range(n):
                t0 = time.perf_counter()
                r = http.get(path)
                dt_ms = (time.perf_counter() - t0) * 1000
                assert r.status_code == 200, (path, r.status_code)
                with lock:
                    lat.append(dt_ms)

    share = [requests // clients + (1 if i < requests % clients else 0) for i in range(clients)]
    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(worker, share))
    wall = time.perf_counter() - start
    lat.sort()
    return {
        "requests": float(len(lat)),
        "rps": len(lat) / wall,
        "p50_ms": statistics.median(lat),
        "p99_ms": lat[min(len(lat) - 1, int(len(lat) * 0.99))],
    }


def main() -> None:
    """Build, serve, measure, print a table (and JSON with --json)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--projects", type=int, default=100)
    ap.add_argument("--runs", type=int, default=365)
    ap.add_argument("--requests", type=int, default=300, help="per endpoint")
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--vulns", action="store_true", help="every run checked vulnerabilities")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(str(Path(tmp) / "load.sqlite3"))
        built = build(store, args.projects, args.runs, args.vulns)
        print(f"built {args.projects} x {args.runs} runs in {built:.1f} s", flush=True)
        port = free_port()
        thread, stop, loop = serve(store, port)
        base = f"http://127.0.0.1:{port}"
        mid = f"p{args.projects // 2:03d}"
        endpoints = {
            "overview /": "/",
            f"project /projects/{mid}": f"/projects/{mid}",
            f"API /api/v1/projects/{mid}/runs": f"/api/v1/projects/{mid}/runs",
            "API /api/v1/projects": "/api/v1/projects",
        }
        if args.vulns:
            endpoints.update(
                {
                    "vulnerabilities /vulns": "/vulns",
                    "module /modules/google.golang.org/grpc": "/modules/google.golang.org/grpc",
                    "API /api/v1/vulns": "/api/v1/vulns",
                }
            )
        results = {}
        for label, path in endpoints.items():
            load(base, path, min(20, args.requests), 2)  # warm-up, not counted
            results[label] = load(base, path, args.requests, args.clients)
        loop.call_soon_threadsafe(stop.set)
        thread.join(10)
        store.close()
    n = args.projects * args.runs
    print(
        f"database: {args.projects} projects x {args.runs} runs = {n} runs, built in {built:.1f} s"
    )
    print(f"{'endpoint':44} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for label, r in results.items():
        print(f"{label:44} {r['rps']:8.1f} {r['p50_ms']:8.1f} {r['p99_ms']:8.1f}")
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
