"""Where the watch list and its history live: SQLite by default, PostgreSQL for teams.

Everything goes through SQLAlchemy Core, so the two databases run the same statements.
A run is written in one transaction (run row, per-target counts, per-module verdicts):
a process killed mid-run leaves nothing half-written, and two writers never lose each
other's rows.  On SQLite the file is in WAL mode, so readers (the web pages) never wait
for a writer, and every write transaction starts with ``BEGIN IMMEDIATE`` so that two
writers queue on the lock instead of failing when one upgrades a read lock.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from vendaudit.model import Verdict
from vendaudit.report import Report, diff_reports, report_from_json, to_json_dict
from vendaudit.service.errors import StoreError, UnknownProject
from vendaudit.service.schema import (
    migrate,
    projects,
    run_modules,
    run_security,
    run_targets,
    run_vulns,
    runs,
)
from vendaudit.service.vulnstore import (
    CHECK_OK,
    SecuritySummary,
    VulnUse,
    fixable_lines,
    insert_security,
    latest_vuln_uses,
    security_summaries,
)
from vendaudit.vulns.model import SecurityView

__all__ = [
    "COUNT_COLUMNS",
    "ModuleUse",
    "RunSummary",
    "SecuritySummary",
    "Store",
    "TargetCounts",
    "VulnUse",
    "WatchedProject",
    "default_db_url",
    "module_rows",
    "utcnow",
]

COUNT_COLUMNS: tuple[tuple[Verdict, str], ...] = (
    (Verdict.SATISFIED, "satisfied"),
    (Verdict.OUTDATED, "outdated"),
    (Verdict.OTHER_MAJOR, "other_major"),
    (Verdict.MISSING, "missing"),
    (Verdict.REPLACED, "replaced"),
    (Verdict.UNKNOWN, "unknown"),
)
"""Verdict → its count column in ``run_targets``."""

# Everything of a run but its report: what lists, charts and feeds read.
_SUMMARY_COLUMNS = tuple(c for c in runs.c if c.name != "report_json")

# Any fixed 64-bit number: the key of the PostgreSQL advisory lock guarding migrations.
_PG_MIGRATION_LOCK = 0x76656E6461756474


def utcnow() -> str:
    """Now, UTC, to the second, as ISO 8601 with ``Z`` (sorts as text)."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def default_db_url() -> str:
    """``VENDAUDIT_DB``, else ``vendaudit.sqlite3`` in the platform's user data dir."""
    env = os.environ.get("VENDAUDIT_DB")
    if env:
        return env
    from platformdirs import user_data_dir

    return str(Path(user_data_dir("vendaudit")) / "vendaudit.sqlite3")


@dataclass(frozen=True, slots=True)
class WatchedProject:
    """One entry of the watch list."""

    name: str
    manifest: str
    """Absolute local path, or an https URL of a raw go.mod / vendor.mod."""
    modules_txt: str | None
    targets: tuple[str, ...]
    created_at: str


@dataclass(frozen=True, slots=True)
class TargetCounts:
    """Verdict counts of one target in one run."""

    target: str
    counts: tuple[tuple[Verdict, int], ...]
    total: int
    error: str | None

    def count(self, verdict: Verdict) -> int:
        """How many modules got ``verdict``."""
        return dict(self.counts).get(verdict, 0)


@dataclass(frozen=True, slots=True)
class RunSummary:
    """One stored run without its report (what lists, charts and feeds need)."""

    id: int
    project: str
    started_at: str
    finished_at: str
    status: str
    error: str | None
    manifest_hash: str | None
    targets: tuple[str, ...]
    counts: tuple[TargetCounts, ...]
    changes: tuple[str, ...]
    """What changed since the previous successful run, one line each."""
    security: SecuritySummary | None = None
    """The run's vulnerability check; None when it did not check (never "none found")."""

    def counts_for(self, target: str) -> TargetCounts | None:
        """The counts of ``target`` (None when the run did not audit it)."""
        return next((c for c in self.counts if c.target == target), None)


@dataclass(frozen=True, slots=True)
class ModuleUse:
    """A watched project requiring a module, with its verdict in one target (latest run)."""

    project: str
    run_id: int
    version: str
    target: str
    verdict: Verdict
    package: str | None
    package_version: str | None


def _engine_url(url: str) -> str:
    """A SQLAlchemy URL for ``--db``: a path, ``sqlite:///…`` or ``postgresql://…``."""
    if url.startswith(("postgresql://", "postgres://")):
        # psycopg 3 is the driver we ship with the `service` extra.
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    if "://" in url:
        return url
    return "sqlite:///" + str(Path(url).expanduser().resolve())


class Store:
    """The service database.  Build with :meth:`open`; thread-safe (one engine, a pool)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"

    @classmethod
    def open(cls, url: str | None = None) -> Store:
        """Open (creating and migrating when needed) the database at ``url``."""
        raw = url or default_db_url()
        try:
            eng_url = sa.make_url(_engine_url(raw))
        except sa.exc.ArgumentError as exc:
            raise StoreError(f"--db {raw!r}: not a path or database URL") from exc
        if eng_url.get_backend_name() == "sqlite":
            engine = _sqlite_engine(eng_url)
        else:
            engine = sa.create_engine(eng_url, pool_pre_ping=True)
        store = cls(engine)
        try:
            store._migrate()
        except sa.exc.SQLAlchemyError as exc:
            engine.dispose()
            raise StoreError(f"{eng_url.render_as_string()}: {_one_line(exc)}") from exc
        except ValueError as exc:
            engine.dispose()
            raise StoreError(f"{eng_url.render_as_string()}: {exc}") from exc
        return store

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    @contextmanager
    def write(self) -> Iterator[sa.Connection]:
        """One write transaction (``BEGIN IMMEDIATE`` on SQLite), committed on success."""
        with self.engine.execution_options(vendaudit_write=True).begin() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[sa.Connection]:
        """One read-only transaction (a consistent snapshot)."""
        with self.engine.begin() as conn:
            yield conn

    def _migrate(self) -> None:
        with self.write() as conn:
            if not self.is_sqlite:
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
            migrate(conn)

    # -- watch list -------------------------------------------------------------------

    def add_project(
        self, name: str, manifest: str, targets: Sequence[str], modules_txt: str | None = None
    ) -> WatchedProject:
        """Watch a project, or update the manifest and targets of the one with this name."""
        values = {
            "manifest": manifest,
            "modules_txt": modules_txt,
            "targets": ",".join(targets),
        }
        with self.write() as conn:
            row = conn.execute(sa.select(projects.c.id).where(projects.c.name == name)).first()
            if row is None:
                conn.execute(sa.insert(projects).values(name=name, created_at=utcnow(), **values))
            else:
                conn.execute(sa.update(projects).where(projects.c.id == row[0]).values(**values))
        return self.project(name)

    def remove_project(self, name: str) -> None:
        """Stop watching ``name`` and delete its history."""
        with self.write() as conn:
            pid = self._project_id(conn, name)
            run_ids = sa.select(runs.c.id).where(runs.c.project_id == pid).scalar_subquery()
            conn.execute(sa.delete(run_modules).where(run_modules.c.run_id.in_(run_ids)))
            conn.execute(sa.delete(run_vulns).where(run_vulns.c.run_id.in_(run_ids)))
            conn.execute(sa.delete(run_security).where(run_security.c.run_id.in_(run_ids)))
            conn.execute(sa.delete(run_targets).where(run_targets.c.run_id.in_(run_ids)))
            conn.execute(sa.delete(runs).where(runs.c.project_id == pid))
            conn.execute(sa.delete(projects).where(projects.c.id == pid))

    def projects(self) -> list[WatchedProject]:
        """The watch list, by name."""
        with self.read() as conn:
            rows = conn.execute(sa.select(projects).order_by(projects.c.name)).all()
        return [_project(r) for r in rows]

    def project(self, name: str) -> WatchedProject:
        """The watched project ``name``; raises :class:`UnknownProject`."""
        with self.read() as conn:
            row = conn.execute(sa.select(projects).where(projects.c.name == name)).first()
        if row is None:
            raise UnknownProject(f"no watched project named {name!r}")
        return _project(row)

    @staticmethod
    def _project_id(conn: sa.Connection, name: str) -> int:
        pid = conn.execute(sa.select(projects.c.id).where(projects.c.name == name)).scalar()
        if pid is None:
            raise UnknownProject(f"no watched project named {name!r}")
        return int(pid)

    # -- runs -------------------------------------------------------------------------

    def record_run(
        self,
        name: str,
        report: Report | None,
        *,
        manifest_hash: str | None,
        targets: Sequence[str],
        started_at: str,
        error: str | None = None,
    ) -> int:
        """Store one run of ``name`` atomically and return its id.

        ``report`` is None for a run that failed before auditing (``error`` says why).  The
        feed lines are computed here, against the previous successful run, inside the same
        transaction, so two writers of one project still chain their diffs correctly.
        """
        with self.write() as conn:
            pid = self._project_id(conn, name)
            changes: list[str] = []
            report_json = None
            if report is not None:
                doc = to_json_dict(report)
                report_json = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
                prev = conn.execute(
                    sa.select(runs.c.report_json)
                    .where(runs.c.project_id == pid, runs.c.status == "ok")
                    .order_by(runs.c.id.desc())
                    .limit(1)
                ).scalar()
                if prev is not None:
                    old = report_from_json(json.loads(prev))
                    if _checked(report.security) and not _checked(old.security):
                        # New and fixed vulnerabilities count from the last check that
                        # worked, not from a run that skipped or failed it.
                        base = self._last_checked_security(conn, pid)
                        if base is not None:
                            old = dataclasses.replace(old, security=base)
                    changes = change_lines(old, report)
            run_id = conn.execute(
                sa.insert(runs)
                .values(
                    project_id=pid,
                    started_at=started_at,
                    finished_at=utcnow(),
                    status="ok" if report is not None else "error",
                    error=error,
                    manifest_hash=manifest_hash,
                    targets=",".join(targets),
                    report_schema=report.schema_version if report is not None else None,
                    report_json=report_json,
                    changes_json=json.dumps(changes, ensure_ascii=False),
                )
                .returning(runs.c.id)
            ).scalar_one()
            if report is not None:
                _insert_rows(conn, run_id, report, doc)
                if report.security is not None:
                    insert_security(conn, run_id, report.security)
        return int(run_id)

    @staticmethod
    def _last_checked_security(conn: sa.Connection, pid: int) -> SecurityView | None:
        text = conn.execute(
            sa.select(runs.c.report_json)
            .join(run_security, run_security.c.run_id == runs.c.id)
            .where(
                runs.c.project_id == pid, runs.c.status == "ok", run_security.c.status == CHECK_OK
            )
            .order_by(runs.c.id.desc())
            .limit(1)
        ).scalar()
        return None if text is None else report_from_json(json.loads(text)).security

    def runs(
        self, name: str, *, limit: int | None = None, ok_only: bool = False
    ) -> list[RunSummary]:
        """``name``'s runs, newest first."""
        with self.read() as conn:
            pid = self._project_id(conn, name)
            query = sa.select(*_SUMMARY_COLUMNS).where(runs.c.project_id == pid)
            if ok_only:
                query = query.where(runs.c.status == "ok")
            query = query.order_by(runs.c.id.desc())
            if limit is not None:
                query = query.limit(limit)
            return self._summaries(conn, conn.execute(query).all(), {pid: name})

    def latest_runs(self, per_project: int = 2) -> dict[str, list[RunSummary]]:
        """The newest ``per_project`` successful runs of every project, newest first."""
        with self.read() as conn:
            names = {r.id: r.name for r in conn.execute(sa.select(projects.c.id, projects.c.name))}
            # One indexed (project_id, id) look-up per project: a window over every run
            # costs far more once the history is long.
            newest: list[int] = []
            for pid in names:
                newest += conn.execute(
                    sa.select(runs.c.id)
                    .where(runs.c.project_id == pid, runs.c.status == "ok")
                    .order_by(runs.c.id.desc())
                    .limit(per_project)
                ).scalars()
            rows = conn.execute(
                sa.select(*_SUMMARY_COLUMNS).where(runs.c.id.in_(newest)).order_by(runs.c.id.desc())
            ).all()
            out: dict[str, list[RunSummary]] = {n: [] for n in names.values()}
            for s in self._summaries(conn, rows, names):
                out[s.project].append(s)
        return out

    def recent_changes(
        self, name: str | None = None, limit: int = 50, *, security: bool = False
    ) -> list[RunSummary]:
        """The newest runs that changed something (of one project or all), newest first.

        ``security``: only runs with a vulnerability line (new, fixed, fixable).
        """
        with self.read() as conn:
            names = {r.id: r.name for r in conn.execute(sa.select(projects.c.id, projects.c.name))}
            query = sa.select(*_SUMMARY_COLUMNS).where(
                runs.c.status == "ok", runs.c.changes_json != "[]"
            )
            if security:
                # The lines are JSON strings: each starts right after a quote.
                query = query.where(
                    sa.or_(
                        runs.c.changes_json.like('%"new vulnerability: %'),
                        runs.c.changes_json.like('%"vulnerability fix%'),
                    )
                )
            if name is not None:
                query = query.where(runs.c.project_id == self._project_id(conn, name))
            rows = conn.execute(query.order_by(runs.c.id.desc()).limit(limit)).all()
            return self._summaries(conn, rows, names)

    def run(self, run_id: int) -> RunSummary | None:
        """One run by id."""
        with self.read() as conn:
            row = conn.execute(sa.select(*_SUMMARY_COLUMNS).where(runs.c.id == run_id)).first()
            if row is None:
                return None
            name = conn.execute(
                sa.select(projects.c.name).where(projects.c.id == row.project_id)
            ).scalar_one()
            return self._summaries(conn, [row], {row.project_id: name})[0]

    def report_json(self, run_id: int) -> str | None:
        """The stored JSON report of a run (None for a failed or unknown run)."""
        with self.read() as conn:
            value = conn.execute(sa.select(runs.c.report_json).where(runs.c.id == run_id)).scalar()
        return None if value is None else str(value)

    def report(self, run_id: int) -> Report | None:
        """The stored report of a run, rebuilt as the view-model every renderer reads."""
        text = self.report_json(run_id)
        return None if text is None else report_from_json(json.loads(text))

    def previous_ok_run(self, run_id: int) -> int | None:
        """The id of the same project's successful run before ``run_id``."""
        with self.read() as conn:
            pid = conn.execute(sa.select(runs.c.project_id).where(runs.c.id == run_id)).scalar()
            if pid is None:
                return None
            prev = conn.execute(
                sa.select(sa.func.max(runs.c.id)).where(
                    runs.c.project_id == pid, runs.c.status == "ok", runs.c.id < run_id
                )
            ).scalar()
        return None if prev is None else int(prev)

    def module_uses(self, module: str) -> list[ModuleUse]:
        """Which projects require ``module`` in their latest successful run, per target."""
        with self.read() as conn:
            latest = (
                sa.select(sa.func.max(runs.c.id).label("id"))
                .where(runs.c.status == "ok")
                .group_by(runs.c.project_id)
                .subquery()
            )
            rows = conn.execute(
                sa.select(projects.c.name, run_modules)
                .join(runs, runs.c.id == run_modules.c.run_id)
                .join(projects, projects.c.id == runs.c.project_id)
                .where(
                    run_modules.c.module == module, run_modules.c.run_id.in_(sa.select(latest.c.id))
                )
                .order_by(projects.c.name, run_modules.c.target)
            ).all()
        return [
            ModuleUse(
                r.name,
                r.run_id,
                r.version,
                r.target,
                Verdict(r.verdict),
                r.package,
                r.package_version,
            )
            for r in rows
        ]

    def vuln_uses(self, module: str | None = None) -> list[VulnUse]:
        """The findings of every project's newest successful run (of ``module``, or all)."""
        with self.read() as conn:
            return latest_vuln_uses(conn, module=module)

    def security_of(self, run_ids: Sequence[int]) -> dict[int, SecuritySummary]:
        """The vulnerability check of each run that did check (the others are absent)."""
        with self.read() as conn:
            return security_summaries(conn, run_ids)

    def due_projects(self, older_than: dt.timedelta) -> list[str]:
        """Projects never run, or whose newest run started more than ``older_than`` ago."""
        cutoff = (dt.datetime.now(dt.UTC) - older_than).strftime("%Y-%m-%dT%H:%M:%SZ")
        with self.read() as conn:
            last = (
                sa.select(runs.c.project_id, sa.func.max(runs.c.started_at).label("at"))
                .group_by(runs.c.project_id)
                .subquery()
            )
            rows = conn.execute(
                sa.select(projects.c.name, last.c.at)
                .outerjoin(last, last.c.project_id == projects.c.id)
                .order_by(projects.c.name)
            ).all()
        return [r.name for r in rows if r.at is None or r.at < cutoff]

    def _summaries(
        self, conn: sa.Connection, rows: Sequence[sa.Row[Any]], names: dict[int, str]
    ) -> list[RunSummary]:
        ids = [r.id for r in rows]
        counts: dict[int, list[TargetCounts]] = {i: [] for i in ids}
        for chunk in _chunks(ids, 500):
            for t in conn.execute(
                sa.select(run_targets).where(run_targets.c.run_id.in_(chunk))
            ).all():
                counts[t.run_id].append(
                    TargetCounts(
                        t.target,
                        tuple((v, int(getattr(t, col))) for v, col in COUNT_COLUMNS),
                        int(t.total),
                        t.error,
                    )
                )
        security = security_summaries(conn, ids)
        out = []
        for r in rows:
            order = r.targets.split(",") if r.targets else []
            tc = sorted(
                counts[r.id], key=lambda c: order.index(c.target) if c.target in order else 99
            )
            out.append(
                RunSummary(
                    id=int(r.id),
                    project=names.get(r.project_id, "?"),
                    started_at=r.started_at,
                    finished_at=r.finished_at,
                    status=r.status,
                    error=r.error,
                    manifest_hash=r.manifest_hash,
                    targets=tuple(order),
                    counts=tuple(tc),
                    changes=tuple(json.loads(r.changes_json or "[]")),
                    security=security.get(int(r.id)),
                )
            )
        return out


def change_lines(old: Report, new: Report) -> list[str]:
    """Feed lines for what changed from ``old`` to ``new`` (see :mod:`vendaudit.report.diff`)."""
    from vendaudit.report.diff import Direction

    diff = diff_reports(old, new)
    lines: list[str] = []
    for t in diff.of(Direction.BETTER):
        pkg = t.package
        if t.new is Verdict.SATISFIED and pkg is not None:
            release = t.target.split(":", 1)[1]
            action = new.plan(t.target).unvendor_action(t.module)
            lines.append(f"{pkg.binary} {pkg.version} reached {release}: {action}")
        else:
            lines.append(t.line())
    lines += diff.regressions()
    lines += [f"vulnerability fixed: {v}" for v in diff.vulns_fixed]
    lines += fixable_lines(old.security, new.security)
    lines += [t.line() for t in diff.of(Direction.UNAVAILABLE)]
    lines += [f"module removed: {m.path} {m.version}" for m in diff.modules_removed]
    lines += [f"version bump: {b.module} {b.old} → {b.new}" for b in diff.version_bumps]
    lines += [f"target added: {t}" for t in diff.targets_added]
    lines += [f"target removed: {t}" for t in diff.targets_removed]
    return lines


def _checked(view: SecurityView | None) -> bool:
    return view is not None and view.error is None


def _insert_rows(conn: sa.Connection, run_id: int, report: Report, doc: dict[str, Any]) -> None:
    # The plan as the report's JSON spells it, so it reads the same in both places.
    plans: dict[str, Any] = doc.get("plan") or {}
    target_rows = []
    for t in report.targets:
        summary = report.summary_for(t.id)
        row: dict[str, Any] = {col: summary.count(v) for v, col in COUNT_COLUMNS}
        row.update(
            run_id=run_id,
            target=t.id,
            total=summary.total,
            error=t.error,
            notes_json=json.dumps(list(t.notes), ensure_ascii=False),
            plan_json=json.dumps(plans.get(t.id), ensure_ascii=False),
        )
        target_rows.append(row)
    if target_rows:
        conn.execute(sa.insert(run_targets), target_rows)
    for chunk in _chunks(module_rows(run_id, report), 2000):
        conn.execute(sa.insert(run_modules), chunk)


def module_rows(run_id: int, report: Report) -> list[dict[str, Any]]:
    """``report``'s ``run_modules`` rows for run ``run_id``: one per module and target."""
    return [
        {
            "run_id": run_id,
            "module": m.path,
            "target": tid,
            "version": m.version,
            "verdict": cell.verdict.value,
            "package": cell.package.binary if cell.package else None,
            "package_version": cell.package.version if cell.package else None,
        }
        for m in report.modules
        for tid, cell in m.results
    ]


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _project(row: sa.Row[Any]) -> WatchedProject:
    return WatchedProject(
        name=row.name,
        manifest=row.manifest,
        modules_txt=row.modules_txt,
        targets=tuple(t for t in row.targets.split(",") if t),
        created_at=row.created_at,
    )


def _one_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


def _sqlite_engine(url: sa.URL) -> sa.Engine:
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's begin event issue BEGIN itself (pysqlite's own would be deferred).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=60000")
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        write = conn.get_execution_options().get("vendaudit_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine
