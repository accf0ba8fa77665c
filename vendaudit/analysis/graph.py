"""The module requirement graph (``go mod graph`` pruned to the build list) and its views.

Two ways to build a :class:`ModuleGraph`:

* :func:`build_module_graph` (``--source proxy``): for every required module ``M@v``
  fetch M's own go.mod (through its replacement, if any) and add ``M → N`` for each
  requirement whose path is in the build list, pointing at the *selected* version.  This
  is the build-list slice of ``go mod graph``: modules outside the build list (pruned by
  MVS or graph pruning, §5.5) and the ``go``/``toolchain`` pseudo-nodes are left out.
  A go.mod that cannot be fetched marks its node ``unavailable``; the graph is partial.
* :func:`build_vendor_graph` (``--source vendor``): offline, from the package imports of
  the main module and vendor/ for one GOOS/GOARCH/tags (see :mod:`.packages`); every
  required module gets ``used`` true/false.

Node names follow ``go mod graph``: ``path@version``, the main module bare.  All networkx
use stays in this package.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx  # type: ignore[import-untyped]  # no stubs; see report

from vendaudit.analysis.buildconstraint import BuildContext
from vendaudit.analysis.goproxy import ProxyClient, ProxyError
from vendaudit.analysis.packages import PackageGraph, package_graph
from vendaudit.gomod.errors import ManifestError
from vendaudit.gomod.modfile import parse_modfile
from vendaudit.model import Module, Project
from vendaudit.progress import NULL_PROGRESS, Progress

__all__ = ["ModuleGraph", "build_module_graph", "build_vendor_graph"]


class ModuleGraph:
    """A directed module graph: an edge ``A → B`` means A requires (or imports from) B."""

    def __init__(self, main: str, source: str) -> None:
        self.main = main
        self.source = source
        """``proxy`` or ``vendor``."""
        self._g: Any = nx.DiGraph()
        self._g.add_node(main, path=main, version="", main=True)
        self._deps_cache: Any = None
        self._closure_cache: dict[str, set[str]] | None = None
        self.packages: PackageGraph | None = None
        """The package-level walk behind a vendor graph (None for proxy graphs)."""

    # -- construction -------------------------------------------------------------

    def add_module(self, mod: Module) -> str:
        """Add a required module's node; returns its name."""
        self._deps_cache = self._closure_cache = None
        self._g.add_node(
            mod.key,
            path=mod.path,
            version=mod.version,
            main=False,
            replace=(f"{mod.replace.path} {mod.replace.version}".strip() if mod.replace else None),
        )
        return mod.key

    def add_edge(self, src: str, dst: str, version: str = "") -> None:
        """Add ``src → dst`` (``version``: the version src asks for, if known)."""
        self._deps_cache = self._closure_cache = None
        self._g.add_edge(src, dst, version=version)

    def set_attr(self, node: str, **attrs: object) -> None:
        """Set node attributes (``unavailable``, ``used``, ``packages``…)."""
        self._g.nodes[node].update(attrs)

    # -- queries ------------------------------------------------------------------

    def nodes(self) -> list[str]:
        """Every node, main module first, then sorted."""
        return [self.main, *sorted(n for n in self._g if n != self.main)]

    def __contains__(self, node: object) -> bool:
        return node in self._g

    def attrs(self, node: str) -> dict[str, Any]:
        """The attributes of ``node``."""
        return dict(self._g.nodes[node])

    def edges(self) -> list[tuple[str, str]]:
        """All edges, sorted (main module's first, like ``go mod graph``)."""
        return sorted(self._g.edges(), key=lambda e: (e[0] != self.main, e))

    def requires(self, module: str) -> set[str]:
        """Direct successors of ``module``."""
        return set(self._g.successors(module)) if module in self._g else set()

    def required_by(self, module: str) -> set[str]:
        """Direct predecessors of ``module``."""
        return set(self._g.predecessors(module)) if module in self._g else set()

    def node_for(self, path: str) -> str | None:
        """The node of module ``path`` (a bare path or ``path@version``), if present."""
        if path in self._g:
            return path
        for node, data in self._g.nodes(data=True):
            if data.get("path") == path:
                return str(node)
        return None

    def unavailable(self) -> dict[str, str]:
        """Nodes whose go.mod could not be obtained → the error."""
        return {n: d["unavailable"] for n, d in self._g.nodes(data=True) if d.get("unavailable")}

    def unused(self) -> list[str]:
        """Modules with ``used`` false (vendor graphs only; empty for proxy graphs)."""
        return sorted(n for n, d in self._g.nodes(data=True) if d.get("used") is False)

    def shortest_path(self, src: str, dst: str) -> list[str] | None:
        """A shortest path ``src … dst`` (ties broken by node name), or None."""
        if src not in self._g or dst not in self._g:
            return None
        # BFS over sorted successors so the answer does not depend on insertion order.
        parent: dict[str, str | None] = {src: None}
        frontier = [src]
        while frontier and dst not in parent:
            nxt: list[str] = []
            for node in frontier:
                for succ in sorted(self._g.successors(node)):
                    if succ not in parent:
                        parent[succ] = node
                        nxt.append(succ)
            frontier = nxt
        if dst not in parent:
            return None
        path = [dst]
        while (p := parent[path[-1]]) is not None:
            path.append(p)
        return path[::-1]

    def cycles_with_main(self) -> dict[str, tuple[str, ...]]:
        """Modules that (transitively) require the main module back → shortest chain to it.

        E.g. swarmkit requires github.com/docker/docker: Debian marks such modules ``~C~``.
        """
        back = nx.ancestors(self._g, self.main)
        out: dict[str, tuple[str, ...]] = {}
        for node in sorted(back):
            path = self.shortest_path(node, self.main)
            if path is not None:
                out[node] = tuple(path)
        return out

    def _deps(self) -> Any:
        """The graph without the main module: edges back to it are not packaging dependencies.

        Cached (a real copy, since walking a subgraph *view* is slow) until the next change.
        """
        if self._deps_cache is None:
            self._deps_cache = self._g.subgraph([n for n in self._g if n != self.main]).copy()
        return self._deps_cache

    def strongly_connected(self) -> list[set[str]]:
        """Dependency cycles among the required modules (components of more than one node).

        Cycles through the main module are reported by :meth:`cycles_with_main` instead.
        """
        return [set(c) for c in nx.strongly_connected_components(self._deps()) if len(c) > 1]

    def _closure(self) -> dict[str, set[str]]:
        """Node → every node it reaches in :meth:`_deps` (bitsets over the condensation)."""
        if self._closure_cache is None:
            deps = self._deps()
            cond = nx.condensation(deps)
            members = cond.graph["mapping"]  # node -> component id
            comps = cond.nodes.data("members")  # component id -> its nodes
            names = sorted(deps)
            index = {node: i for i, node in enumerate(names)}
            reach: dict[int, int] = {}
            for cid in reversed(list(nx.topological_sort(cond))):
                bits = 0
                for succ in cond.successors(cid):
                    bits |= reach[succ]
                    for node in comps[succ]:
                        bits |= 1 << index[node]
                if len(comps[cid]) > 1:  # a cycle reaches its own members
                    for node in comps[cid]:
                        bits |= 1 << index[node]
                reach[cid] = bits
            closure: dict[str, set[str]] = {}
            for node, cid in members.items():
                bits = reach[cid] & ~(1 << index[node])
                closure[node] = {names[i] for i in range(bits.bit_length()) if bits >> i & 1}
            self._closure_cache = closure
        return self._closure_cache

    def descendants(self, node: str) -> set[str]:
        """Every required module reachable from ``node`` without passing the main module."""
        return set(self._closure().get(node, ()))

    def dependents_map(self) -> dict[str, set[str]]:
        """Required module → every required module that reaches it without the main module."""
        out: dict[str, set[str]] = {n: set() for n in self._closure()}
        for src, reach in self._closure().items():
            for dst in reach:
                out[dst].add(src)
        return out

    # -- renderings ---------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict: nodes with attributes, edges, unused, cycles with main."""
        nodes = []
        for n in self.nodes():
            d = self._g.nodes[n]
            entry: dict[str, Any] = {
                "id": n,
                "path": d.get("path", n),
                "version": d.get("version", ""),
                "main": bool(d.get("main")),
            }
            for key in ("replace", "used", "unavailable", "packages"):
                if d.get(key) is not None:
                    entry[key] = d[key]
            nodes.append(entry)
        return {
            "schema_version": 1,
            "main": self.main,
            "source": self.source,
            "nodes": nodes,
            "edges": [self._edge_json(a, b) for a, b in self.edges()],
            "unused": self.unused(),
            "unavailable": self.unavailable(),
            "cycles_with_main": {k: list(v) for k, v in self.cycles_with_main().items()},
        }

    def _edge_json(self, src: str, dst: str) -> dict[str, str]:
        edge = {"from": src, "to": dst}
        version = self._g.edges[src, dst].get("version")
        if version:
            edge["requires"] = version  # what src's go.mod asks for (MVS may select higher)
        return edge

    def to_text(self) -> str:
        """``go mod graph`` style: one ``from to`` line per edge."""
        return "".join(f"{a} {b}\n" for a, b in self.edges())

    def to_dot(self) -> str:
        """Graphviz DOT; unused modules dashed, unavailable ones red."""
        lines = ["digraph modules {", "  rankdir=LR;", "  node [shape=box];"]
        for n in self.nodes():
            d = self._g.nodes[n]
            style = []
            if d.get("main"):
                style.append("style=bold")
            if d.get("used") is False:
                style.append("style=dashed")
            if d.get("unavailable"):
                style.append("color=red")
            attrs = f" [{', '.join(style)}]" if style else ""
            lines.append(f"  {json.dumps(n)}{attrs};")
        lines += [f"  {json.dumps(a)} -> {json.dumps(b)};" for a, b in self.edges()]
        lines.append("}")
        return "\n".join(lines) + "\n"

    def to_mermaid(self) -> str:
        """A Mermaid flowchart (node ids are ``n0``, ``n1``…; labels are the names)."""
        ids = {n: f"n{i}" for i, n in enumerate(self.nodes())}
        lines = ["graph LR"]
        for n, i in ids.items():
            label = n.replace('"', "#quot;")
            lines.append(f'  {i}["{label}"]')
        lines += [f"  {ids[a]} --> {ids[b]}" for a, b in self.edges()]
        for n, i in ids.items():
            if self._g.nodes[n].get("used") is False:
                lines.append(f"  style {i} stroke-dasharray: 5 5")
        return "\n".join(lines) + "\n"


def _local_mod(project: Project, mod: Module) -> bytes:
    """The go.mod of a directory replacement, relative to the manifest's directory."""
    assert mod.replace is not None
    return (Path(project.manifest).parent / mod.replace.path / "go.mod").read_bytes()


def build_module_graph(
    project: Project, proxy: ProxyClient, *, progress: Progress = NULL_PROGRESS
) -> ModuleGraph:
    """Build the requirement graph among the project's build list (see module docstring).

    Never raises for a single module: failures are recorded as ``unavailable`` nodes.
    """
    graph = ModuleGraph(project.main_module, "proxy")
    selected = {m.path: m.key for m in project.modules}
    for mod in project.modules:
        graph.add_edge(graph.main, graph.add_module(mod), mod.version)

    # A replaced module's requirements come from the replacement's go.mod (as in cmd/go);
    # a directory replacement (no version) is read from disk, the others are fetched.
    want = {
        m.key: (m.replace.path, m.replace.version) if m.replace else (m.path, m.version)
        for m in project.modules
        if m.replace is None or m.replace.version
    }
    task = "go.mod files"
    progress.start(task, len(want))
    fetched = proxy.mod_files(want.values(), on_done=lambda p, v: progress.advance(task))
    progress.done(task)

    for mod in project.modules:
        data: bytes | ProxyError
        if mod.key in want:
            data = fetched[want[mod.key]]
        else:
            try:
                data = _local_mod(project, mod)
            except OSError as exc:
                data = ProxyError(f"{mod.key}: reading replacement go.mod: {exc}")
        if isinstance(data, ProxyError):
            graph.set_attr(mod.key, unavailable=str(data))
            continue
        try:
            mf = parse_modfile(data, f"{mod.key}/go.mod", lax=True)
        except ManifestError as exc:
            graph.set_attr(mod.key, unavailable=str(exc))
            continue
        for req in mf.require:
            if req.path == project.main_module:
                graph.add_edge(mod.key, graph.main, req.version)
            elif req.path in selected and req.path != mod.path:
                graph.add_edge(mod.key, selected[req.path], req.version)
    return graph


def build_vendor_graph(
    project: Project,
    vendor_dir: Path | None = None,
    *,
    goos: str = "linux",
    goarch: str = "amd64",
    tags: Iterable[str] = (),
    cgo: bool | None = None,
    tests: bool = False,
    patterns: Iterable[str] = ("./...",),
    any_tags: bool = False,
) -> ModuleGraph:
    """Build the graph of modules whose packages are compiled in, from source imports.

    Module edges come from package imports (``A → B`` when a compiled package of A imports
    one of B).  Every required module is a node with ``used``; nodes carry their compiled
    ``packages``.  ``cgo`` defaults to "on iff ``cgo`` is among the tags".
    """
    tagset = frozenset(tags)
    ctx = BuildContext(
        goos=goos,
        goarch=goarch,
        tags=tagset,
        cgo=("cgo" in tagset) if cgo is None else cgo,
        any_tags=any_tags,
    )
    root = Path(project.manifest).parent
    pkg_modules = {pkg: m.path for m in project.modules for pkg in m.packages}
    pg = package_graph(
        root,
        project.main_module,
        [m.path for m in project.modules],
        pkg_modules,
        ctx=ctx,
        tests=tests,
        patterns=tuple(patterns),
        vendor_dir=vendor_dir,
    )
    graph = ModuleGraph(project.main_module, "vendor")
    graph.packages = pg
    node = {project.main_module: project.main_module}
    for mod in project.modules:
        node[mod.path] = graph.add_module(mod)
    by_module: dict[str, list[str]] = {}
    for pkg, modpath in pg.packages.items():
        by_module.setdefault(modpath, []).append(pkg)
    for mod in project.modules:
        pkgs = by_module.get(mod.path, [])
        graph.set_attr(mod.key, used=bool(pkgs), packages=pkgs)
    graph.set_attr(graph.main, packages=by_module.get(project.main_module, []))
    for table in (pg.imports, pg.test_imports):
        for pkg, deps in table.items():
            src = node.get(pg.packages[pkg])
            for dep in deps:
                dst = node.get(pg.packages.get(dep, ""))
                if src and dst and src != dst:
                    graph.add_edge(src, dst)
    return graph
