"""``vendaudit report --format toy``: a toy.manifest fragment per toy target."""

from __future__ import annotations

from vendaudit.report.model import Report
from vendaudit_toydistro.plan import ToyPlan

__all__ = ["render_toy"]


def render_toy(report: Report) -> str:
    """The manifest fragment of every toy target, each headed ``# toy:1``."""
    blocks: list[str] = []
    for t in report.targets:
        plan = report.plan(t.id)
        if not isinstance(plan, ToyPlan):
            continue
        lines = [f"# {t.id} — toy.manifest fragment (vendaudit)"]
        if t.error:
            lines.append(f"# target failed: {t.error}")
        lines += plan.manifest_lines() or ["# nothing to require or bundle"]
        lines += [f"# to package first: {c.name} ({c.module} {c.version})" for c in plan.create]
        lines += [f"# note: {n}" for n in plan.notes]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n" if blocks else "# no toy targets in this report\n"
