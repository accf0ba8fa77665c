"""Analysis layer: the audit (verdicts) and the dependency graph (networkx lives here only).

Graph pieces are imported lazily by their users; this package re-exports the audit API,
which every report needs, and names the graph entry points for discovery.
"""

from vendaudit.analysis.audit import audit, by_target, judge

__all__ = ["audit", "by_target", "judge"]
