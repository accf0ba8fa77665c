"""The database schema as SQLAlchemy Core tables, and its versioned migrations.

Every change to the schema is a new entry in :data:`MIGRATIONS` (never an edit of an old
one): a database records the highest version applied in ``schema_meta`` and
:func:`migrate` applies the rest, each in the caller's transaction, so a crash mid-way
leaves the previous version in place.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

__all__ = [
    "DB_SCHEMA_VERSION",
    "MIGRATIONS",
    "metadata",
    "migrate",
    "projects",
    "run_modules",
    "run_security",
    "run_targets",
    "run_vulns",
    "runs",
    "schema_meta",
]

metadata = sa.MetaData()

schema_meta = sa.Table(
    "schema_meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.String(200), nullable=False),
)

projects = sa.Table(
    "projects",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("manifest", sa.Text, nullable=False),
    # A local path (absolute) or an https URL of a raw go.mod / vendor.mod.
    sa.Column("modules_txt", sa.Text, nullable=True),
    sa.Column("targets", sa.Text, nullable=False),
    # Comma-separated target ids, in the order the user gave them.
    sa.Column("created_at", sa.String(32), nullable=False),
)

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id"), nullable=False),
    sa.Column("started_at", sa.String(32), nullable=False),
    sa.Column("finished_at", sa.String(32), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    # ``ok``, or ``error`` when the manifest could not be read (no report then).
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("manifest_hash", sa.String(80), nullable=True),
    sa.Column("targets", sa.Text, nullable=False),
    sa.Column("report_schema", sa.Integer, nullable=True),
    # The report's own ``schema_version`` (the JSON document's, not this database's).
    sa.Column("report_json", sa.Text, nullable=True),
    sa.Column("changes_json", sa.Text, nullable=False, default="[]"),
    # Feed lines: what changed since the project's previous successful run.
    sa.Index("ix_runs_project", "project_id", "id"),
)

run_targets = sa.Table(
    "run_targets",
    metadata,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), primary_key=True),
    sa.Column("target", sa.String(100), primary_key=True),
    sa.Column("satisfied", sa.Integer, nullable=False),
    sa.Column("outdated", sa.Integer, nullable=False),
    sa.Column("other_major", sa.Integer, nullable=False),
    sa.Column("missing", sa.Integer, nullable=False),
    sa.Column("replaced", sa.Integer, nullable=False),
    sa.Column("unknown", sa.Integer, nullable=False),
    sa.Column("total", sa.Integer, nullable=False),
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("notes_json", sa.Text, nullable=False),
    sa.Column("plan_json", sa.Text, nullable=False),
)

run_modules = sa.Table(
    "run_modules",
    metadata,
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), primary_key=True),
    sa.Column("module", sa.Text, primary_key=True),
    sa.Column("target", sa.String(100), primary_key=True),
    sa.Column("version", sa.Text, nullable=False),
    sa.Column("verdict", sa.String(20), nullable=False),
    sa.Column("package", sa.Text, nullable=True),
    sa.Column("package_version", sa.Text, nullable=True),
    sa.Index("ix_run_modules_module", "module"),
)


run_security = sa.Table(
    "run_security",
    metadata,
    # One row per run that checked vulnerabilities; no row: the run did not check (never
    # read as "none found").
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), primary_key=True),
    sa.Column("status", sa.String(16), nullable=False),
    # ``ok``, or ``unknown`` when the database could not be read (``error`` says why).
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("database", sa.Text, nullable=False),
    sa.Column("modified", sa.String(64), nullable=False),
    sa.Column("vulnerable_modules", sa.Integer, nullable=False),
    sa.Column("findings", sa.Integer, nullable=False),
)

run_vulns = sa.Table(
    "run_vulns",
    metadata,
    # One row per (module, entry, target) of a checked run: the join's verdict there.
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), primary_key=True),
    sa.Column("module", sa.Text, primary_key=True),
    sa.Column("entry_id", sa.String(64), primary_key=True),
    sa.Column("target", sa.String(100), primary_key=True),
    sa.Column("version", sa.Text, nullable=False),
    sa.Column("aliases", sa.Text, nullable=False),
    # Space-separated (CVE-…, GHSA-…: no alias holds a space).
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("fixed", sa.Text, nullable=True),
    sa.Column("url", sa.Text, nullable=False),
    sa.Column("verdict", sa.String(24), nullable=False),
    sa.Column("package", sa.Text, nullable=False),
    sa.Column("packaged", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Index("ix_run_vulns_entry", "entry_id"),
    sa.Index("ix_run_vulns_module", "module"),
)


def _v1(conn: sa.Connection) -> None:
    # Version 1 is the tables as first released; later versions must ALTER, not edit this.
    metadata.create_all(conn, tables=[projects, runs, run_targets, run_modules])


def _v2(conn: sa.Connection) -> None:
    # The security findings of watch runs (issue #14), queryable across projects.
    metadata.create_all(conn, tables=[run_security, run_vulns])


MIGRATIONS: tuple[tuple[int, Callable[[sa.Connection], None]], ...] = ((1, _v1), (2, _v2))
"""``(version, step)`` in order; a step runs inside the migrating transaction."""

DB_SCHEMA_VERSION = MIGRATIONS[-1][0]
"""The database schema version this vendaudit writes."""


def current_version(conn: sa.Connection) -> int:
    """The schema version recorded in the database (0 for an empty one)."""
    schema_meta.create(conn, checkfirst=True)
    row = conn.execute(
        sa.select(schema_meta.c.value).where(schema_meta.c.key == "schema_version")
    ).first()
    return int(row[0]) if row else 0


def migrate(conn: sa.Connection) -> int:
    """Bring the database to :data:`DB_SCHEMA_VERSION` inside ``conn``'s transaction.

    Returns the version found before.  The caller holds a write lock (SQLite ``BEGIN
    IMMEDIATE``, a PostgreSQL advisory lock) so two processes never migrate at once.
    """
    found = current_version(conn)
    if found > DB_SCHEMA_VERSION:
        raise ValueError(
            f"database schema version {found} is newer than this vendaudit's "
            f"({DB_SCHEMA_VERSION}): upgrade vendaudit"
        )
    for version, step in MIGRATIONS:
        if version > found:
            step(conn)
    if found == 0:
        conn.execute(sa.insert(schema_meta).values(key="schema_version", value="0"))
    if found < DB_SCHEMA_VERSION:
        conn.execute(
            sa.update(schema_meta)
            .where(schema_meta.c.key == "schema_version")
            .values(value=str(DB_SCHEMA_VERSION))
        )
    return found
