"""An inline SVG picture of the packaging graph: what is missing or outdated, and what it blocks.

Nodes are the modules that need packaging work (missing, outdated, other-major in some
target) plus every module that depends on them, transitively.  They are laid out in
longest-path layers, leaves first (left), so reading left to right is the packaging order.
Cycles are collapsed (strongly connected components share a layer).  The layout is computed
here so the HTML needs no JavaScript library and no network.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass
from html import escape

from vendaudit.model import Verdict
from vendaudit.report.model import ATTENTION, ModuleRow, Report

__all__ = ["BLOCKED_COLOR", "VERDICT_COLORS", "GraphLayout", "layout_graph", "render_svg"]

VERDICT_COLORS: dict[Verdict, str] = {
    Verdict.SATISFIED: "#1a7f37",
    Verdict.OUTDATED: "#b08800",
    Verdict.OTHER_MAJOR: "#8250df",
    Verdict.MISSING: "#cf222e",
    Verdict.REPLACED: "#0969da",
    Verdict.UNKNOWN: "#6e7781",
}
"""Stroke colour per verdict, shared with the HTML badges."""

BLOCKED_COLOR = "#57606a"
"""Nodes that are fine themselves but wait for a dependency."""

MAX_NODES = 300
_NODE_W, _NODE_H, _COL_GAP, _ROW_GAP, _MARGIN = 250, 26, 64, 12, 16
# ~6.7 px per monospace character at 11px, minus the colour bar and padding.
_LABEL_CHARS = 33
# Worst first: the colour of a node is its worst verdict over the targets that loaded.
_SEVERITY = (Verdict.MISSING, Verdict.OTHER_MAJOR, Verdict.OUTDATED)


@dataclass(frozen=True, slots=True)
class PlacedNode:
    """A node with its computed position."""

    path: str
    verdict: Verdict | None
    """Worst actionable verdict, ``None`` for a module that is only blocked."""
    title: str
    x: int
    y: int


@dataclass(frozen=True, slots=True)
class GraphLayout:
    """Positions for every node and the edges between them (dependency -> dependent)."""

    nodes: tuple[PlacedNode, ...]
    edges: tuple[tuple[str, str], ...]
    width: int
    height: int
    note: str
    """Caption shown under the picture (empty when there is nothing to add)."""


def _bare(node: str) -> str:
    # `go mod graph` spells nodes path@version; the report keys modules by path.
    return node.rsplit("@", 1)[0] if "@" in node else node


def _worst(row: ModuleRow) -> Verdict | None:
    verdicts = {cell.verdict for _, cell in row.results}
    return next((v for v in _SEVERITY if v in verdicts), None)


def _title(row: ModuleRow | None, path: str, blocks: int) -> str:
    lines = [f"{path} {row.version}" if row else path]
    if row:
        lines += [f"{tid}: {cell.short()}" for tid, cell in row.results]
    if blocks:
        lines.append(f"blocks {blocks} module{'s' if blocks != 1 else ''}")
    return "\n".join(lines)


def layout_graph(report: Report) -> GraphLayout:
    """Choose the nodes and compute their layered positions."""
    rows = {m.path: m for m in report.modules}
    relevant = {p for p, m in rows.items() if _worst(m) in ATTENTION}
    main = report.project.main_module
    edges = {
        (_bare(a), _bare(b))
        for a, b in report.graph_edges
        if _bare(a) != _bare(b) and main not in (_bare(a), _bare(b))
    }
    dependents: dict[str, set[str]] = defaultdict(set)
    for a, b in edges:
        dependents[b].add(a)
    # Everything that (transitively) waits for a relevant module is blocked by it.
    chosen = set(relevant)
    queue = deque(relevant)
    while queue:
        for up in dependents[queue.popleft()]:
            if up not in chosen:
                chosen.add(up)
                queue.append(up)
    note = ""
    if len(chosen) > MAX_NODES:
        keep = sorted(relevant)[:MAX_NODES]
        keep += sorted(chosen - relevant)[: MAX_NODES - len(keep)]
        note = f"Showing {MAX_NODES} of {len(chosen)} modules; the JSON report has them all."
        chosen = set(keep)
    sub = tuple(sorted((b, a) for a, b in edges if a in chosen and b in chosen))

    succ = _successors(sub, chosen)
    blocks = {p: len(_reachable(succ, p)) for p in chosen}
    if not sub:
        layers = _grid(sorted(chosen))
        if chosen:
            note = (note + " " if note else "") + (
                "No dependency edges in this report: modules needing work are shown unlinked."
            )
    else:
        layers = _layers(sub, succ)
    nodes: list[PlacedNode] = []
    for col, members in enumerate(layers):
        for idx, path in enumerate(members):
            nodes.append(
                PlacedNode(
                    path=path,
                    verdict=_worst(rows[path]) if path in rows else None,
                    title=_title(rows.get(path), path, blocks.get(path, 0)),
                    x=_MARGIN + col * (_NODE_W + _COL_GAP),
                    y=_MARGIN + idx * (_NODE_H + _ROW_GAP),
                )
            )
    ncols = len(layers)
    nrows = max((len(m) for m in layers), default=0)
    width = 2 * _MARGIN + max(ncols * _NODE_W + (ncols - 1) * _COL_GAP, 0)
    height = 2 * _MARGIN + max(nrows * _NODE_H + (nrows - 1) * _ROW_GAP, 0)
    return GraphLayout(tuple(nodes), sub, width, height, note)


def _successors(edges: tuple[tuple[str, str], ...], nodes: set[str]) -> dict[str, list[str]]:
    succ: dict[str, list[str]] = {n: [] for n in sorted(nodes)}
    for a, b in edges:  # dependency -> dependent
        succ[a].append(b)
    return succ


def _reachable(succ: dict[str, list[str]], start: str) -> set[str]:
    seen: set[str] = set()
    stack = list(succ[start])
    while stack:
        n = stack.pop()
        if n not in seen and n != start:
            seen.add(n)
            stack.extend(succ[n])
    return seen


def _components(succ: dict[str, list[str]]) -> dict[str, int]:
    """Tarjan's strongly connected components, iteratively (module graphs can be deep)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    comp: dict[str, int] = {}
    stack: list[str] = []
    count = 0
    for root in succ:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
            if i < len(succ[node]):
                work.append((node, i + 1))
                nxt = succ[node][i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt not in comp:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    comp[member] = count
                    if member == node:
                        break
                count += 1
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return comp


def _layers(edges: tuple[tuple[str, str], ...], succ: dict[str, list[str]]) -> list[list[str]]:
    comp = _components(succ)
    preds: dict[str, list[str]] = {n: [] for n in succ}
    for a, b in edges:
        preds[b].append(a)
    # Longest path from the leaves over the component DAG; members of a cycle share a layer.
    level: dict[int, int] = {}
    # Tarjan numbers components in reverse topological order of the successor graph,
    # so dependencies (predecessors) get higher ids: walk ids downwards.
    members: dict[int, list[str]] = defaultdict(list)
    for n, c in comp.items():
        members[c].append(n)
    for c in sorted(members, reverse=True):
        outside = [comp[p] for n in members[c] for p in preds[n] if comp[p] != c]
        level[c] = 1 + max(level[p] for p in outside) if outside else 0
    layers: list[list[str]] = [[] for _ in range(max(level.values(), default=-1) + 1)]
    for c, lv in level.items():
        layers[lv].extend(members[c])
    # One barycentre pass: place each node near the dependencies it is drawn from,
    # which removes most crossings in practice at no cost.
    pos: dict[str, float] = {}
    for col, layer in enumerate(layers):
        if col == 0:
            layer.sort()
        else:
            layer.sort(key=lambda n: (_bary(preds[n], pos), n))
        pos.update({n: float(i) for i, n in enumerate(layer)})
    return layers


def _bary(preds: list[str], pos: dict[str, float]) -> float:
    placed = [pos[p] for p in preds if p in pos]
    return sum(placed) / len(placed) if placed else float("inf")


def _grid(paths: list[str], columns: int = 4) -> list[list[str]]:
    return [paths[c::columns] for c in range(min(columns, len(paths)))]


def _label(path: str) -> str:
    if len(path) <= _LABEL_CHARS:
        return path
    return "…" + path[-(_LABEL_CHARS - 1) :]


def render_svg(report: Report) -> str:
    """The ``<figure>`` with the SVG picture, legend and caption (HTML-embeddable markup)."""
    lay = layout_graph(report)
    if not lay.nodes:
        return (
            '<figure id="graph" class="graph empty"><p>Nothing to package: no module is '
            "missing or outdated in any target.</p></figure>"
        )
    at = {n.path: n for n in lay.nodes}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{lay.width}" height="{lay.height}" '
        f'viewBox="0 0 {lay.width} {lay.height}" role="img" '
        f'aria-label="Packaging graph: {len(lay.nodes)} modules">',
        '<defs><marker id="arrow" viewBox="0 0 8 8" refX="8" refY="4" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M0,0 L8,4 L0,8 z" fill="#8c959f"/></marker></defs>',
        '<g class="edges" fill="none" stroke="#8c959f" stroke-width="1.2">',
    ]
    for dep, dependent in lay.edges:
        a, b = at[dep], at[dependent]
        x1, y1 = a.x + _NODE_W, a.y + _NODE_H // 2
        x2, y2 = b.x, b.y + _NODE_H // 2
        if x2 <= x1:  # same layer (a cycle): loop around the right-hand side
            bend = x1 + _COL_GAP // 2
            d = f"M{x1},{y1} C{bend},{y1} {bend},{y2} {b.x + _NODE_W},{y2}"
            parts.append(f'<path d="{d}" stroke-dasharray="4 3" marker-end="url(#arrow)"/>')
            continue
        mid = (x1 + x2) // 2
        parts.append(
            f'<path d="M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}" marker-end="url(#arrow)"/>'
        )
    parts.append("</g>")
    for n in lay.nodes:
        color = VERDICT_COLORS[n.verdict] if n.verdict else BLOCKED_COLOR
        cls = n.verdict.value if n.verdict else "blocked"
        dash = "" if n.verdict else ' stroke-dasharray="3 2"'
        parts.append(
            f'<g class="node {cls}" data-module="{escape(n.path)}">'
            f"<title>{escape(n.title)}</title>"
            f'<rect x="{n.x}" y="{n.y}" width="{_NODE_W}" height="{_NODE_H}" rx="5" '
            f'fill="#ffffff" stroke="{color}" stroke-width="2"{dash}/>'
            f'<rect x="{n.x}" y="{n.y}" width="6" height="{_NODE_H}" rx="2" fill="{color}"/>'
            f'<text x="{n.x + 12}" y="{n.y + 17}">{escape(_label(n.path))}</text></g>'
        )
    parts.append("</svg>")
    legend = "".join(
        f'<span class="key"><i style="border-color:{VERDICT_COLORS[v]};'
        f'background:{VERDICT_COLORS[v]}"></i>{v.value}</span>'
        for v in _SEVERITY
    )
    legend += (
        f'<span class="key"><i style="border-color:{BLOCKED_COLOR};border-style:dashed"></i>'
        "blocked (waits for a dependency)</span>"
        '<span class="key">A → B: A must be packaged before B · left to right = packaging '
        "order</span>"
    )
    caption = f'<figcaption><div class="legend">{legend}</div>'
    if lay.note:
        caption += f'<p class="note">{escape(lay.note)}</p>'
    caption += "</figcaption>"
    return (
        f'<figure id="graph" class="graph"><div class="graph-scroll">{"".join(parts)}</div>'
        f"{caption}</figure>"
    )
