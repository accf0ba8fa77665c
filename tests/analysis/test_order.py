"""order_queue: leaves first, unblocks counts, cycles named."""

from __future__ import annotations

from vendaudit.analysis.graph import ModuleGraph
from vendaudit.analysis.order import order_queue
from vendaudit.model import Module, QueueEntry


def _graph() -> ModuleGraph:
    g = ModuleGraph("example.com/m", "proxy")
    n = {p: g.add_module(Module(f"x.io/{p}", "v1.0.0")) for p in "abcde"}
    for p in "abcde":
        g.add_edge(g.main, n[p])
    g.add_edge(n["a"], n["b"])
    g.add_edge(n["b"], n["c"])
    g.add_edge(n["c"], n["b"])  # cycle b <-> c
    g.add_edge(n["d"], n["a"])
    g.add_edge(n["c"], g.main)  # requiring the main module is not a packaging dependency
    return g


def _entries(names: str) -> list[QueueEntry]:
    return [QueueEntry(f"x.io/{p}", "v1.0.0", f"golang-x-{p}-dev", unblocks=99) for p in names]


def test_leaves_first_with_cycle() -> None:
    out = order_queue(_entries("edcba"), _graph())
    assert [e.module for e in out] == ["x.io/b", "x.io/c", "x.io/a", "x.io/d", "x.io/e"]
    by = {e.module: e for e in out}
    assert {m: e.unblocks for m, e in by.items()} == {
        "x.io/a": 1,
        "x.io/b": 3,
        "x.io/c": 3,
        "x.io/d": 0,
        "x.io/e": 0,
    }
    assert by["x.io/b"].cycle == by["x.io/c"].cycle == ("x.io/b", "x.io/c")
    assert by["x.io/a"].cycle == ()


def test_subset_of_modules_still_ordered_transitively() -> None:
    # a is not queued (already packaged), but d still waits for b through it.
    out = order_queue(_entries("db"), _graph())
    assert [e.module for e in out] == ["x.io/b", "x.io/d"]


def test_unknown_module_and_no_graph() -> None:
    out = order_queue([*_entries("e"), QueueEntry("y.io/zz", "v1.0.0", "n")], _graph())
    assert [(e.module, e.unblocks) for e in out] == [("x.io/e", 0), ("y.io/zz", 0)]
    plain = order_queue(_entries("cab"), None)
    assert [(e.module, e.unblocks) for e in plain] == [("x.io/a", 0), ("x.io/b", 0), ("x.io/c", 0)]
