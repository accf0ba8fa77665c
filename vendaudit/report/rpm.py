"""RPM spec fragments for Fedora/EPEL targets: bundled Provides and BuildRequires."""

from __future__ import annotations

from vendaudit.plans import FedoraPlan
from vendaudit.report.model import Report

__all__ = ["render_rpm"]


def _line(tag: str, entry: str) -> str:
    # The planner may hand over bare dependencies or whole spec lines; accept both so a
    # change of spelling upstream never yields "Provides: Provides: ...".
    entry = entry.strip()
    return entry if entry.lower().startswith(tag.lower() + ":") else f"{tag}: {entry}"


def render_rpm(report: Report) -> str:
    """Spec-file lines per ``rpm`` plan (Fedora, EPEL), each headed by ``# fedora:rawhide``."""
    blocks: list[str] = []
    for t in report.targets:
        plan = report.plan(t.id)
        if not isinstance(plan, FedoraPlan):
            continue  # another family's plan (a failed rpm target still has an empty one)
        lines = [f"# {t.id}"]
        if t.error:
            lines.append(f"# target failed: {t.error}")
        lines += [f"# {note}" for note in plan.notes]
        lines += [_line("Provides", p) for p in plan.provides]
        lines += [_line("BuildRequires", b) for b in plan.build_requires]
        if len(lines) == 1:
            lines.append("# nothing to declare")
        blocks.append("\n".join(lines))
    if not blocks:
        return "# no Fedora or EPEL targets in this report\n"
    return "\n\n".join(blocks) + "\n"
