"""The plan object of schema_version 1, shared by the built-in ``deb`` and ``rpm`` families.

Both families write one object with every field of either (another family's stay ``[]``)
and no ``family`` key, as reports have since schema_version 1; a plug-in family writes
its own object instead (``Plan.to_json``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vendaudit.model import Target

__all__ = ["OPTIONAL_KEYS", "V1_KEYS", "check_keys", "v1_object"]

V1_KEYS = (
    "build_depends",
    "files_excluded",
    "keep",
    "build_depends_indirect",
    "excluded_unused",
    "update",
    "create",
    "provides",
    "build_requires",
    "notes",
)
"""Every schema_version 1 plan object carries all of these, in this order."""

OPTIONAL_KEYS = frozenset({"build_depends_indirect", "excluded_unused"})
"""Reports written before these fields existed still load."""


def v1_object(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The schema_version 1 object: ``fields`` in :data:`V1_KEYS` order, the rest ``[]``."""
    return {key: fields.get(key, []) for key in V1_KEYS}


def check_keys(target: Target, doc: Mapping[str, Any], others: tuple[str, ...]) -> None:
    """Raise ``KeyError`` for a missing required key, ``ValueError`` when a field of the
    other family (``others``) is not empty: a plan is of its target's family only."""
    missing = [key for key in V1_KEYS if key not in doc and key not in OPTIONAL_KEYS]
    if missing:
        raise KeyError(missing[0])
    for key in others:
        if doc.get(key):
            raise ValueError(f"plan of {target.id}: {key!r} is not a field of its family's plan")
