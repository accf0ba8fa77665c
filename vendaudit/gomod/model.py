"""Immutable model of a parsed go.mod / vendor.mod file.

The shapes mirror golang.org/x/mod/modfile's ``File`` as far as ``go mod edit -json``
exposes it, plus the line number of each statement so that later checks can report
``file:line: message`` like the go command does.
"""

from __future__ import annotations

from dataclasses import dataclass

# ModVersion belongs to the shared model (a Module's replacement is one); re-exported here
# because every go.mod statement speaks of it.
from vendaudit.model import ModVersion

__all__ = [
    "Exclude",
    "Godebug",
    "Ignore",
    "ModFile",
    "ModVersion",
    "ModuleStmt",
    "Replace",
    "Require",
    "Retract",
    "Tool",
]


@dataclass(frozen=True, slots=True)
class ModuleStmt:
    """The ``module`` directive."""

    path: str
    deprecated: str = ""
    """Text of the ``// Deprecated:`` paragraph, ``""`` when there is none."""
    line: int = 0


@dataclass(frozen=True, slots=True)
class Require:
    """One ``require`` line."""

    path: str
    version: str
    indirect: bool = False
    line: int = 0


@dataclass(frozen=True, slots=True)
class Exclude:
    """One ``exclude`` line."""

    path: str
    version: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class Replace:
    """One ``replace`` line: ``old [oldver] => new [newver]``.

    ``new.version == ""`` means a directory replacement (``new.path`` is a local dir).
    """

    old: ModVersion
    new: ModVersion
    line: int = 0

    @property
    def is_local(self) -> bool:
        """True for a directory replacement (``=> ./dir``)."""
        return self.new.version == ""


@dataclass(frozen=True, slots=True)
class Retract:
    """One ``retract`` line; a single version is the interval ``[v, v]``."""

    low: str
    high: str
    rationale: str = ""
    line: int = 0


@dataclass(frozen=True, slots=True)
class Godebug:
    """One ``godebug key=value`` line."""

    key: str
    value: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class Tool:
    """One ``tool`` line (Go 1.24+)."""

    path: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class Ignore:
    """One ``ignore`` line (Go 1.25+)."""

    path: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class ModFile:
    """A whole parsed go.mod (or vendor.mod) file."""

    filename: str
    module: ModuleStmt | None = None
    go: str = ""
    toolchain: str = ""
    godebug: tuple[Godebug, ...] = ()
    require: tuple[Require, ...] = ()
    exclude: tuple[Exclude, ...] = ()
    replace: tuple[Replace, ...] = ()
    retract: tuple[Retract, ...] = ()
    tool: tuple[Tool, ...] = ()
    ignore: tuple[Ignore, ...] = ()
