"""The toy family's own plan: what a toy packager writes in a package's ``toy.manifest``.

It is neither Debian- nor RPM-shaped, so the plug-in brings its plan type
(:class:`ToyPlan`, a :class:`vendaudit.plans.Plan`), its planner (:func:`plan`) and its
``--format toy`` renderer (:mod:`vendaudit_toydistro.render`); vendaudit writes it to
the report JSON, reads it back and shows it in Markdown, HTML and the table through the
methods below.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from vendaudit.distros.registry import PlanRequest
from vendaudit.model import QueueEntry, Target, UpdateEntry, Verdict
from vendaudit.plans import Plan, PlanSection
from vendaudit.plans.base import strs

__all__ = ["ToyBundle", "ToyPlan", "plan", "toy_name"]


@dataclass(frozen=True, slots=True)
class ToyBundle:
    """A module the toy package keeps bundled, and why."""

    module: str
    version: str
    why: str


@dataclass(frozen=True, slots=True)
class ToyPlan(Plan):
    """A toy manifest: ``requires`` lines for what the toy has, ``bundles`` for the rest."""

    FAMILY: ClassVar[str] = "toy"

    target: Target
    requires: tuple[str, ...] = ()
    """``golang-x-net >= 0.39.0``: a toy package at the version the module requires."""
    bundles: tuple[ToyBundle, ...] = ()
    update: tuple[UpdateEntry, ...] = ()
    create: tuple[QueueEntry, ...] = ()
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """``requires``, ``bundles``, then the common fields (vendaudit adds ``family``)."""
        return {
            "requires": list(self.requires),
            "bundles": [
                {"module": b.module, "version": b.version, "why": b.why} for b in self.bundles
            ],
            **self.common_json(),
        }

    @classmethod
    def from_json(cls, target: Target, doc: Mapping[str, Any]) -> ToyPlan:
        """Read back :meth:`to_json`'s object (``KeyError``/``TypeError`` when malformed)."""
        update, create, notes = cls.common_from_json(doc)
        bundles = tuple(ToyBundle(b["module"], b["version"], b["why"]) for b in doc["bundles"])
        return cls(target, strs(doc["requires"]), bundles, update, create, notes)

    @classmethod
    def empty(cls, target: Target) -> ToyPlan:
        """Nothing to require, nothing to bundle."""
        return cls(target)

    def manifest_lines(self) -> list[str]:
        """The ``[requires]`` and ``[bundles]`` blocks of a toy.manifest."""
        lines = ["[requires]", *self.requires] if self.requires else []
        if self.bundles:
            lines += ["[bundles]", *(f"{b.module} {b.version}  # {b.why}" for b in self.bundles)]
        return lines

    def sections(self) -> Sequence[PlanSection]:
        """The manifest fragment, then update and create."""
        return [PlanSection("toy.manifest", tuple(self.manifest_lines())), *self.common_sections()]

    def table_lines(self) -> Sequence[str]:
        """One line for the terminal table."""
        return (
            f"{len(self.requires)} requires, {len(self.bundles)} bundled, "
            f"{len(self.create)} to package (vendaudit report -f toy)",
        )

    def diff_fields(self) -> dict[str, list[str]]:
        """Requires and bundled modules, then update, create and notes."""
        return {
            "requires": list(self.requires),
            "bundles": [f"{b.module} {b.version}" for b in self.bundles],
            **self.common_diff_fields(),
        }


def toy_name(module: str) -> str:
    """The toy package name for a module: ``golang-`` and its path, dashed."""
    return "golang-" + re.sub(r"[^a-z0-9]+", "-", module.lower()).strip("-")


def plan(request: PlanRequest) -> ToyPlan:
    """The descriptor's planner: require what the toy has, bundle (and queue) the rest."""
    requires: list[str] = []
    bundles: list[ToyBundle] = []
    update: list[UpdateEntry] = []
    create: list[QueueEntry] = []
    for f in request.findings:
        if f.target != request.target:
            continue
        needed = f.module.required_version
        if f.verdict is Verdict.SATISFIED and f.package is not None:
            requires.append(f"{f.package.binary} >= {needed.removeprefix('v')}")
            continue
        bundles.append(ToyBundle(f.module.path, needed, f.verdict.value))
        if f.verdict is Verdict.OUTDATED and f.package is not None:
            behind = f.behind or f.reason or f.verdict.value
            packaged = f.package.version.distro_version
            update.append(
                UpdateEntry(f.module.path, needed, f.package.binary, packaged, behind, f.by_date)
            )
        elif f.verdict is Verdict.MISSING:
            create.append(QueueEntry(f.module.path, needed, toy_name(f.module.path)))
    queue: Sequence[QueueEntry] = request.order(create) if request.order else create
    notes = ("bundled modules stay in vendor/; requires replace them",) if bundles else ()
    return ToyPlan(
        request.target,
        tuple(sorted(requires)),
        tuple(bundles),
        tuple(update),
        tuple(queue),
        notes,
    )
