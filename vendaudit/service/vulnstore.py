"""The security findings of stored runs: the rows written with a run, and what pages query.

A run that checked vulnerabilities has one ``run_security`` row (``ok``, or ``unknown`` with
the reason) and one ``run_vulns`` row per (module, entry, target) with the join's verdict; a
run without the check has neither, so "not checked", "check failed" and "none found" stay
three different answers.  The full :class:`~vendaudit.vulns.model.SecurityView` stays in the
run's report JSON; these rows are what cross-project pages and feeds need without parsing it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from vendaudit.service.schema import projects, run_security, run_vulns, runs
from vendaudit.vulns.model import SecurityVerdict, SecurityView

__all__ = [
    "SecuritySummary",
    "VulnUse",
    "fixable_lines",
    "insert_security",
    "latest_vuln_uses",
    "security_rows",
    "security_summaries",
]

CHECK_OK = "ok"
CHECK_UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class SecuritySummary:
    """The vulnerability check of one run, counted (None on a run: it did not check)."""

    status: str
    """``ok``, or ``unknown`` when the database could not be read: nothing is known then."""
    error: str | None
    database: str
    modified: str
    vulnerable_modules: int
    """Distinct required modules with at least one entry (0 only when ``status`` is ok)."""
    findings: int
    """(module, entry) pairs."""
    verdicts: tuple[tuple[str, tuple[tuple[SecurityVerdict, int], ...]], ...] = ()
    """Per target, how many findings got each join verdict."""

    @property
    def known(self) -> bool:
        """True when the check ran and its counts mean something."""
        return self.status == CHECK_OK

    def count(self, target: str, verdict: SecurityVerdict) -> int:
        """How many findings got ``verdict`` in ``target``."""
        return dict(dict(self.verdicts).get(target, ())).get(verdict, 0)

    def fixable(self, target: str) -> int:
        """How many findings unvendoring onto ``target``'s packages closes."""
        return self.count(target, SecurityVerdict.FIXED_IN_DISTRO)


@dataclass(frozen=True, slots=True)
class VulnUse:
    """One finding of a project's newest successful run, in one target."""

    project: str
    run_id: int
    module: str
    version: str
    entry_id: str
    aliases: tuple[str, ...]
    summary: str
    fixed: str | None
    url: str
    target: str
    verdict: SecurityVerdict
    package: str
    packaged: str
    reason: str


def security_rows(run_id: int, view: SecurityView) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """``view`` as its ``run_security`` row and its per-target ``run_vulns`` rows."""
    known = view.error is None
    head: dict[str, Any] = {
        "run_id": run_id,
        "status": CHECK_OK if known else CHECK_UNKNOWN,
        "error": view.error,
        "database": view.database,
        "modified": view.modified,
        "vulnerable_modules": len({v.module for v, _ in view.findings}),
        "findings": len(view.findings),
    }
    rows = [
        {
            "run_id": run_id,
            "module": v.module,
            "entry_id": v.id,
            "target": c.target,
            "version": v.version,
            "aliases": " ".join(v.aliases),
            "summary": v.summary,
            "fixed": v.fixed,
            "url": v.url,
            "verdict": c.verdict.value,
            "package": c.package,
            "packaged": c.packaged,
            "reason": c.reason,
        }
        for v, cells in view.findings
        for c in cells
    ]
    return head, rows


def insert_security(conn: sa.Connection, run_id: int, view: SecurityView) -> None:
    """Write ``view``'s summary row and its per-target finding rows for run ``run_id``."""
    head, rows = security_rows(run_id, view)
    conn.execute(sa.insert(run_security).values(**head))
    for chunk in _chunks(rows, 1000):
        conn.execute(sa.insert(run_vulns), chunk)


def security_summaries(conn: sa.Connection, run_ids: Sequence[int]) -> dict[int, SecuritySummary]:
    """The check of each run in ``run_ids`` that did check (others are absent)."""
    out: dict[int, SecuritySummary] = {}
    for chunk in _chunks(list(run_ids), 500):
        heads = conn.execute(sa.select(run_security).where(run_security.c.run_id.in_(chunk))).all()
        if not heads:
            continue
        counted: dict[int, dict[str, list[tuple[SecurityVerdict, int]]]] = {}
        for r in conn.execute(
            sa.select(
                run_vulns.c.run_id,
                run_vulns.c.target,
                run_vulns.c.verdict,
                sa.func.count().label("n"),
            )
            .where(run_vulns.c.run_id.in_([h.run_id for h in heads]))
            .group_by(run_vulns.c.run_id, run_vulns.c.target, run_vulns.c.verdict)
        ):
            per = counted.setdefault(r.run_id, {}).setdefault(r.target, [])
            per.append((SecurityVerdict(r.verdict), int(r.n)))
        for h in heads:
            order = list(SecurityVerdict)
            verdicts = tuple(
                (t, tuple(sorted(vs, key=lambda x: order.index(x[0]))))
                for t, vs in sorted(counted.get(h.run_id, {}).items())
            )
            out[int(h.run_id)] = SecuritySummary(
                status=h.status,
                error=h.error,
                database=h.database,
                modified=h.modified,
                vulnerable_modules=int(h.vulnerable_modules),
                findings=int(h.findings),
                verdicts=verdicts,
            )
    return out


def latest_vuln_uses(conn: sa.Connection, *, module: str | None = None) -> list[VulnUse]:
    """The findings of every project's newest successful run (of one module, or all).

    A project whose newest successful run did not check contributes nothing: these are the
    watch list's findings now, not the last ones ever seen.
    """
    latest = (
        sa.select(sa.func.max(runs.c.id).label("id"))
        .where(runs.c.status == "ok")
        .group_by(runs.c.project_id)
        .subquery()
    )
    query = (
        sa.select(projects.c.name, run_vulns)
        .join(runs, runs.c.id == run_vulns.c.run_id)
        .join(projects, projects.c.id == runs.c.project_id)
        .where(run_vulns.c.run_id.in_(sa.select(latest.c.id)))
    )
    if module is not None:
        query = query.where(run_vulns.c.module == module)
    query = query.order_by(
        run_vulns.c.entry_id, projects.c.name, run_vulns.c.module, run_vulns.c.target
    )
    return [
        VulnUse(
            project=r.name,
            run_id=int(r.run_id),
            module=r.module,
            version=r.version,
            entry_id=r.entry_id,
            aliases=tuple(r.aliases.split()),
            summary=r.summary,
            fixed=r.fixed,
            url=r.url,
            target=r.target,
            verdict=SecurityVerdict(r.verdict),
            package=r.package,
            packaged=r.packaged,
            reason=r.reason,
        )
        for r in conn.execute(query).all()
    ]


def fixable_lines(old: SecurityView | None, new: SecurityView | None) -> list[str]:
    """Feed lines for findings of both checks whose packaged copy is now fixed in a target.

    ``GO-… module@version: unvendoring fixes it in sid (pkg 1.2-1)``: the moment a distro's
    update makes dropping the vendored copy close the hole.
    """
    if old is None or new is None or old.error is not None or new.error is not None:
        return []
    before = {(v.module, v.id, c.target): c.verdict for v, cells in old.findings for c in cells}
    lines = []
    for v, cells in new.findings:
        for c in cells:
            was = before.get((v.module, v.id, c.target))
            if was is None or was is SecurityVerdict.FIXED_IN_DISTRO:
                continue
            if c.verdict is SecurityVerdict.FIXED_IN_DISTRO:
                release = c.target.split(":", 1)[-1]
                pkg = f" ({c.package} {c.packaged})" if c.package else ""
                lines.append(
                    f"vulnerability fixable by unvendoring in {release}: "
                    f"{v.id} {v.module}@{v.version}{pkg}"
                )
    return lines


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
