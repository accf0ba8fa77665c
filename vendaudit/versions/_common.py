"""Plumbing shared by the version parsers: decimal digit strings and key-ordered values."""

from __future__ import annotations

import re
from typing import Any, Self

PSEUDO_RE = re.compile(
    r"^v[0-9]+\.(0\.0-|\d+\.\d+-([^+]*\.)?0\.)\d{14}-[A-Za-z0-9]+"
    r"(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$",
    re.ASCII,
)
"""The shape of a pseudo-version (module/pseudo.go's ``pseudoVersionRE``).

Here, not in :mod:`.pseudo`, so that :mod:`.semver` can tell a pseudo-version without
importing the module that builds on it.
"""


def cut_int(x: str) -> tuple[str, str] | None:
    """Split a leading decimal number off ``x`` (no leading zeros); None if there is none."""
    i = 0
    while i < len(x) and "0" <= x[i] <= "9":
        i += 1
    if i == 0 or (x[0] == "0" and i != 1):
        return None
    return x[:i], x[i:]


def cmp_int(x: str, y: str) -> int:
    """Compare two decimal digit strings (no leading zeros) of any length: -1, 0 or 1."""
    # Arbitrary precision without int(): longer digit string is bigger, then lexical.
    if x == y:
        return 0
    if len(x) != len(y):
        return -1 if len(x) < len(y) else 1
    return -1 if x < y else 1


class KeyOrdered:
    """An immutable value object that is equal, hashed and ordered by its ``_key``.

    Subclasses set their slots with ``object.__setattr__`` in ``__init__``; comparing with
    anything but an instance of the same class gives ``NotImplemented``.
    """

    __slots__ = ()

    _key: Any

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __hash__(self) -> int:
        return hash(self._key)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        return bool(self._key == other._key)

    def __lt__(self, other: Self) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        return bool(self._key < other._key)

    def __le__(self, other: Self) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        return bool(self._key <= other._key)

    def __gt__(self, other: Self) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        return bool(self._key > other._key)

    def __ge__(self, other: Self) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        return bool(self._key >= other._key)
