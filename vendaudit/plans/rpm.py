"""The ``rpm`` family's plan: what a Fedora/EPEL packager declares for one target."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from vendaudit.model import QueueEntry, Target, UpdateEntry
from vendaudit.plans.base import Plan, PlanSection, strs
from vendaudit.plans.v1 import OPTIONAL_KEYS, check_keys, v1_object

__all__ = ["FedoraPlan"]


@dataclass(frozen=True, slots=True)
class FedoraPlan(Plan):
    """What a Fedora/EPEL packager declares for one target (bundled provides, BuildRequires)."""

    FAMILY: ClassVar[str] = "rpm"
    FAMILY_IN_JSON: ClassVar[bool] = False

    target: Target
    provides: tuple[str, ...] = ()
    """``Provides: bundled(golang(...)) = ...`` lines."""
    build_requires: tuple[str, ...] = ()
    """``BuildRequires: golang(...) >= ...`` lines."""
    update: tuple[UpdateEntry, ...] = ()
    create: tuple[QueueEntry, ...] = ()
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The schema_version 1 plan object (the ``deb`` fields empty)."""
        return v1_object(
            {
                **self.common_json(),
                "provides": list(self.provides),
                "build_requires": list(self.build_requires),
            }
        )

    @classmethod
    def from_json(cls, target: Target, doc: Mapping[str, Any]) -> FedoraPlan:
        """Read back :meth:`to_json`'s object."""
        check_keys(target, doc, ("build_depends", "files_excluded", "keep", *OPTIONAL_KEYS))
        update, create, notes = cls.common_from_json(doc)
        return cls(
            target,
            provides=strs(doc["provides"]),
            build_requires=strs(doc["build_requires"]),
            update=update,
            create=create,
            notes=notes,
        )

    @classmethod
    def empty(cls, target: Target) -> FedoraPlan:
        """Nothing to do."""
        return cls(target)

    def unvendor_action(self, module: str) -> str:
        """Fedora stops declaring the ``bundled()`` provide: ``unbundle MODULE``."""
        return f"unbundle {module}"

    def sections(self) -> Sequence[PlanSection]:
        """Update and create, then Provides and BuildRequires."""
        return [
            *self.common_sections(),
            PlanSection("Provides", self.provides),
            PlanSection("BuildRequires", self.build_requires),
        ]

    def diff_fields(self) -> dict[str, list[str]]:
        """Update and create, then provides and BuildRequires, then notes."""
        common = self.common_diff_fields()
        notes = common.pop("notes")
        return {
            **common,
            "provides": list(self.provides),
            "build_requires": list(self.build_requires),
            "notes": notes,
        }
