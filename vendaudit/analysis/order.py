"""Packaging order: leaves first, how many modules each one unblocks, and cycles.

A packager must package a module's dependencies before the module itself.  Within the
queue's modules this is a topological order of the requirement graph with each strongly
connected component (a dependency cycle) collapsed into one step; ties are broken by
module path so the order is stable.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import replace

from vendaudit.analysis.graph import ModuleGraph
from vendaudit.model import QueueEntry

__all__ = ["order_queue"]


def order_queue(entries: Sequence[QueueEntry], graph: ModuleGraph | None) -> tuple[QueueEntry, ...]:
    """Order ``entries`` leaves first; fill ``unblocks`` and ``cycle``.

    ``unblocks`` counts the other modules of the graph (the project's required modules,
    not the main module) that transitively depend on the entry.  ``cycle`` lists the
    module paths of the entry's strongly connected component, if it has more than one.
    With ``graph`` None: sorted by path, ``unblocks`` 0.
    """
    if graph is None:
        return tuple(sorted((replace(e, unblocks=0) for e in entries), key=lambda e: e.module))
    node_of = {e.module: graph.node_for(e.module) for e in entries}
    path_of = {n: graph.attrs(n).get("path", n) for n in graph.nodes()}
    comp_of: dict[str, int] = {}
    cycles: dict[int, tuple[str, ...]] = {}
    for idx, comp in enumerate(graph.strongly_connected()):
        members = tuple(sorted(path_of[n] for n in comp))
        for n in comp:
            comp_of[n] = idx
        cycles[idx] = members if len(members) > 1 else ()

    dependents = graph.dependents_map()
    enriched = []
    for e in entries:
        node = node_of[e.module]
        count = len(dependents.get(node, ())) if node else 0
        cyc = cycles.get(comp_of[node], ()) if node in comp_of else ()
        enriched.append(replace(e, unblocks=count, cycle=cyc))

    # Kahn's algorithm among the entries: an entry waits for entries it reaches.
    keys = [e.module for e in enriched]
    group = {k: comp_of.get(node_of[k] or "", -1 - i) for i, k in enumerate(keys)}
    deps: dict[str, set[str]] = {}
    for k in keys:
        node = node_of[k]
        reach = graph.descendants(node) if node else set()
        deps[k] = {o for o in keys if o != k and group[o] != group[k] and node_of[o] in reach}
    waiting = {k: len(d) for k, d in deps.items()}
    users: dict[str, list[str]] = {k: [] for k in keys}
    for k, d in deps.items():
        for o in d:
            users[o].append(k)
    heap = [k for k, n in waiting.items() if n == 0]
    heapq.heapify(heap)
    by_key = {e.module: e for e in enriched}
    ordered: list[QueueEntry] = []
    while heap:
        k = heapq.heappop(heap)
        ordered.append(by_key[k])
        for u in users[k]:
            waiting[u] -= 1
            if waiting[u] == 0:
                heapq.heappush(heap, u)
    return tuple(ordered)
