"""Benchmark: build_module_graph for 300 modules from a warm cache (offline).

Pre-populates a vendaudit Cache with 300 synthetic go.mod files (module i requires the
next five), then times ``build_module_graph`` with ``Fetcher(offline=True)``.

    .venv/bin/python benchmarks/graph_build.py [--modules 300] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from vendaudit.analysis.goenv import GoEnv
from vendaudit.analysis.goproxy import ProxyClient
from vendaudit.analysis.graph import build_module_graph
from vendaudit.analysis.order import order_queue
from vendaudit.fetch import Cache, Fetcher, make_client
from vendaudit.fetch.cache import CachedResponse
from vendaudit.model import Module, Project, QueueEntry
from vendaudit.versions.modpath import escape_path

PROXY = "https://proxy.golang.org"


def _project(n: int) -> Project:
    mods = tuple(Module(f"github.com/Org{i % 17}/mod{i:04d}", f"v1.{i}.0") for i in range(n))
    return Project("bench/go.mod", "example.com/bench", "1.22", mods)


def _populate(cache: Cache, project: Project) -> None:
    mods = project.modules
    for i, m in enumerate(mods):
        reqs = "".join(f"\t{r.path} {r.version}\n" for r in mods[i + 1 : i + 6])
        body = f"module {m.path}\n\ngo 1.21\n\nrequire (\n{reqs})\n".encode()
        url = f"{PROXY}/{escape_path(m.path)}/@v/{m.version}.mod"
        cache.put_response(CachedResponse(url, body, None, None, 0.0))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--modules", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    project = _project(args.modules)
    with tempfile.TemporaryDirectory() as tmp, make_client() as client:
        cache = Cache(Path(tmp))
        _populate(cache, project)
        env = GoEnv.from_environ({"GOPROXY": PROXY})
        times = []
        for _ in range(args.repeat):
            proxy = ProxyClient(Fetcher(client, cache, offline=True), env)
            t0 = time.perf_counter()
            graph = build_module_graph(project, proxy)
            times.append(time.perf_counter() - t0)
        assert not graph.unavailable(), graph.unavailable()
        t0 = time.perf_counter()
        entries = [QueueEntry(m.path, m.version, m.path) for m in project.modules]
        order_queue(entries, graph)
        t_order = time.perf_counter() - t0
    print(
        f"graph_build: {args.modules} modules, {len(graph.edges())} edges, warm cache, offline: "
        f"median {statistics.median(times) * 1000:.0f} ms (min {min(times) * 1000:.0f} ms, "
        f"{args.repeat} runs); order_queue {t_order * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
