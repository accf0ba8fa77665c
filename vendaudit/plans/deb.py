"""The ``deb`` family's plan: what a Debian/Ubuntu packager does to unvendor one target."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from vendaudit.model import ExcludedEntry, KeepEntry, QueueEntry, Target, UpdateEntry
from vendaudit.plans.base import Plan, PlanSection, strs
from vendaudit.plans.v1 import check_keys, v1_object

__all__ = ["DebianPlan"]


@dataclass(frozen=True, slots=True)
class DebianPlan(Plan):
    """What a Debian/Ubuntu packager does for one target to unvendor (docker.io's debian/)."""

    FAMILY: ClassVar[str] = "deb"
    FAMILY_IN_JSON: ClassVar[bool] = False

    target: Target
    build_depends: tuple[str, ...] = ()
    """``golang-foo-dev (>= 1.2.3~)`` lines for debian/control."""
    files_excluded: tuple[str, ...] = ()
    """debian/copyright ``Files-Excluded`` patterns (``vendor/...``)."""
    keep: tuple[KeepEntry, ...] = ()
    """Vendored directories that stay, with their marker and reason."""
    update: tuple[UpdateEntry, ...] = ()
    create: tuple[QueueEntry, ...] = ()
    build_depends_indirect: tuple[str, ...] = ()
    """The ``build_depends`` lines that only indirect requirements need."""
    excluded_unused: tuple[ExcludedEntry, ...] = ()
    """Vendored modules excluded without a Build-Depends (no built code needs them)."""
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The schema_version 1 plan object (the ``rpm`` fields empty)."""
        return v1_object(
            {
                "build_depends": list(self.build_depends),
                "files_excluded": list(self.files_excluded),
                "keep": [
                    {"path": k.path, "marker": k.marker, "reason": k.reason} for k in self.keep
                ],
                "build_depends_indirect": list(self.build_depends_indirect),
                "excluded_unused": [
                    {"path": e.path, "reason": e.reason} for e in self.excluded_unused
                ],
                **self.common_json(),
            }
        )

    @classmethod
    def from_json(cls, target: Target, doc: Mapping[str, Any]) -> DebianPlan:
        """Read back :meth:`to_json`'s object (older reports lack the optional fields)."""
        check_keys(target, doc, ("provides", "build_requires"))
        update, create, notes = cls.common_from_json(doc)
        return cls(
            target,
            build_depends=strs(doc["build_depends"]),
            files_excluded=strs(doc["files_excluded"]),
            keep=tuple(KeepEntry(k["path"], k["marker"], k["reason"]) for k in doc["keep"]),
            build_depends_indirect=strs(doc.get("build_depends_indirect", [])),
            excluded_unused=tuple(
                ExcludedEntry(e["path"], e["reason"]) for e in doc.get("excluded_unused", [])
            ),
            update=update,
            create=create,
            notes=notes,
        )

    @classmethod
    def empty(cls, target: Target) -> DebianPlan:
        """Nothing to do."""
        return cls(target)

    def kept_vendored(self) -> frozenset[str]:
        """The modules of the ``keep`` entries (``~``-marked ``vendor/MODULE`` lines)."""
        return frozenset(k.path.removeprefix("vendor/") for k in self.keep)

    def unvendor_action(self, module: str) -> str:
        """Debian removes the vendored copy (``Files-Excluded``): ``drop vendor/MODULE``."""
        return f"drop vendor/{module}"

    def sections(self) -> Sequence[PlanSection]:
        """Build-Depends, Files-Excluded and the kept directories, then update and create."""
        out: list[PlanSection] = []
        if self.build_depends:
            deps = [f" {d}," for d in self.build_depends]
            deps[-1] = deps[-1].rstrip(",")
            out.append(PlanSection("Build-Depends", ("Build-Depends:", *deps)))
        if self.files_excluded:
            lines = ("Files-Excluded:", *(f" {f}" for f in self.files_excluded))
            out.append(PlanSection("Files-Excluded", lines))
        keep = tuple(f"{k.marker} {k.path}  # {k.reason}" for k in self.keep)
        return [*out, PlanSection("Keep vendored", keep), *self.common_sections()]

    def diff_fields(self) -> dict[str, list[str]]:
        """Build-Depends, Files-Excluded and kept paths, then update, create and notes."""
        return {
            "build_depends": list(self.build_depends),
            "files_excluded": list(self.files_excluded),
            "keep": [f"{k.marker} {k.path}" for k in self.keep],
            **self.common_diff_fields(),
        }
