"""The layers import each other without cycles (README "Design notes").

Every ``import`` and ``from … import`` in ``vendaudit/`` is read with :mod:`ast`, at any
depth: function-level (lazy) imports count like module-level ones, because a cycle that
is only deferred is still a cycle in the design.  Imports under ``if TYPE_CHECKING:`` are
left out: they never run, and annotations may name a type of a higher layer.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

import vendaudit

PACKAGE = Path(vendaudit.__file__).parent


def _module_name(path: Path) -> str:
    parts = ("vendaudit", *path.relative_to(PACKAGE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(node: ast.AST, module: str, is_package: bool) -> Iterator[str]:
    """Absolute names imported anywhere below ``node``, skipping TYPE_CHECKING blocks."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for sub in child.orelse:
                yield from _imports(sub, module, is_package)
            continue
        if isinstance(child, ast.Import):
            yield from (alias.name for alias in child.names)
        elif isinstance(child, ast.ImportFrom):
            if child.level:
                base = module.split(".")
                base = base[: len(base) - child.level + (1 if is_package else 0)]
                prefix = ".".join(base + ([child.module] if child.module else []))
            else:
                prefix = child.module or ""
            yield prefix
            # `from vendaudit.report import json` imports the submodule report.json.
            yield from (f"{prefix}.{alias.name}" for alias in child.names)
        yield from _imports(child, module, is_package)


def _modules() -> dict[str, set[str]]:
    """Module name → the vendaudit modules it imports."""
    graph: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = _module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        targets = set(_imports(tree, name, path.name == "__init__.py"))
        graph[name] = {t for t in targets if t == "vendaudit" or t.startswith("vendaudit.")}
    known = set(graph)
    # Keep the names that are modules (drop the imported functions and classes).
    return {m: {t for t in ts if t in known and t != m} for m, ts in graph.items()}


def _top(module: str) -> str:
    """``vendaudit.distros.debian.index`` → ``distros``; ``vendaudit.model`` → ``model``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as a path ``[a, b, …, a]``, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)) is not None:
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)) is not None:
            return found
    return None


def _layer_graph(modules: dict[str, set[str]]) -> dict[str, set[str]]:
    layers: dict[str, set[str]] = {}
    for module, targets in modules.items():
        src = _top(module)
        if not src:
            continue  # vendaudit/__init__.py (the version) imports nothing of the layers
        layers.setdefault(src, set()).update(_top(t) for t in targets if _top(t) not in ("", src))
    return layers


def _why(modules: dict[str, set[str]], a: str, b: str) -> list[str]:
    return sorted(
        f"{m} -> {t}" for m, ts in modules.items() for t in ts if _top(m) == a and _top(t) == b
    )


def test_no_cycle_between_top_level_packages() -> None:
    modules = _modules()
    cycle = _find_cycle(_layer_graph(modules))
    if cycle is not None:
        edges = [line for a, b in itertools.pairwise(cycle) for line in _why(modules, a, b)]
        pytest.fail(f"import cycle between packages {' -> '.join(cycle)}:\n" + "\n".join(edges))


def test_no_cycle_between_modules() -> None:
    # A package's __init__ re-exporting its own modules is not a cycle of the design:
    # drop the edges from a module to the __init__ of a package that contains it.
    modules = {m: {t for t in ts if not m.startswith(t + ".")} for m, ts in _modules().items()}
    cycle = _find_cycle(modules)
    assert cycle is None, f"import cycle between modules: {' -> '.join(cycle)}"


def test_the_checker_sees_lazy_imports_and_skips_type_checking() -> None:
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from vendaudit.cli import app\n"
        "def f():\n    from vendaudit.analysis import audit\n"
        "    import vendaudit.fetch\n"
        "from . import model\n"
    )
    found = set(_imports(tree, "vendaudit.distros.interface", False))
    assert {"vendaudit.analysis.audit", "vendaudit.fetch", "vendaudit.distros.model"} <= found
    assert "vendaudit.cli.app" not in found
    assert _find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _find_cycle({"a": {"b"}, "b": set()}) is None
