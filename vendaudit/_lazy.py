"""Lazy package exports (PEP 562): a package's names are imported on first use.

Start-up time matters (a warm report is mostly imports), so a package ``__init__`` lists
which submodule defines each public name instead of importing every submodule up front;
its ``if TYPE_CHECKING:`` block keeps the same imports for mypy.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(package: str, exports: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: name → ``package.<exports[name]>.name``."""

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{module}"), name)

    return __getattr__
