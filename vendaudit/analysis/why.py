"""Why is a module needed?  Shortest chains from the main module, like ``go mod why -m``.

For a vendor (package-level) graph the chain is made of *packages*, computed the way
cmd/go's loader builds its import stacks: breadth-first from the main packages in
directory-walk order, each package's imports in sorted order, then its test variant
(printed ``pkg.test``).  Among a module's packages the shallowest wins, ties by path.
For a proxy (module-level) graph the chain is made of module paths.
"""

from __future__ import annotations

from collections.abc import Iterable

from vendaudit.analysis.graph import ModuleGraph
from vendaudit.analysis.packages import PackageGraph

__all__ = ["format_why", "why"]


def _package_stacks(pg: PackageGraph) -> dict[str, list[str]]:
    """Package → its import stack (root first), cmd/go ``buildStacks`` order."""
    parent: dict[str, str | None] = {}
    queue: list[str] = []
    for root in pg.roots:
        if root not in parent:
            parent[root] = None
            queue.append(root)
    i = 0
    while i < len(queue):
        node = queue[i]
        i += 1
        if node.endswith(".test") and node[: -len(".test")] in pg.test_imports:
            nexts: Iterable[str] = pg.test_imports[node[: -len(".test")]]
        else:
            nexts = pg.imports.get(node, ())
            if node in pg.test_imports:
                nexts = [*nexts, node + ".test"]
        for nxt in nexts:
            if nxt not in parent and (nxt in pg.packages or nxt.endswith(".test")):
                parent[nxt] = node
                queue.append(nxt)
    stacks: dict[str, list[str]] = {}
    for pkg in pg.packages:
        if pkg not in parent:
            continue
        chain = [pkg]
        while (p := parent[chain[-1]]) is not None:
            chain.append(p)
        stacks[pkg] = chain[::-1]
    return stacks


def why(graph: ModuleGraph, modules: Iterable[str]) -> dict[str, list[str] | None]:
    """For each module path: the shortest chain from the main module to it, or None."""
    out: dict[str, list[str] | None] = {}
    mods = list(modules)
    if graph.packages is not None:
        pg = graph.packages
        stacks = _package_stacks(pg)
        for mod in mods:
            best: list[str] | None = None
            for pkg in sorted(p for p, m in pg.packages.items() if m == mod):
                chain = stacks.get(pkg)
                if chain is not None and (best is None or len(chain) < len(best)):
                    best = chain
            out[mod] = best
        return out
    for mod in mods:
        node = graph.node_for(mod)
        path = graph.shortest_path(graph.main, node) if node is not None else None
        out[mod] = [graph.attrs(n).get("path", n) for n in path] if path else None
    return out


def format_why(answers: dict[str, list[str] | None]) -> str:
    """Go's text: ``# path`` then the chain, or ``(main module does not need module path)``."""
    blocks = []
    for mod, chain in answers.items():
        body = "\n".join(chain) if chain else f"(main module does not need module {mod})"
        blocks.append(f"# {mod}\n{body}\n")
    return "\n".join(blocks)
