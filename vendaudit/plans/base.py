"""The plan protocol every distro family implements, and the plan of an unknown family.

A planner (a descriptor's ``planner``) returns one :class:`Plan` per target; the report
stores it, writes it to JSON (:meth:`Plan.to_json`), reads it back
(:meth:`Plan.from_json` of the family's registered ``plan_type``) and shows it in the
Markdown, HTML and table reports through :meth:`Plan.sections` and
:meth:`Plan.table_lines` — so a plug-in family brings its plan without any code in
:mod:`vendaudit.report`.  Every family's plan carries the packaging queue (``create``),
the packages to update first (``update``) and ``notes``; the rest is its own.

A stored plan whose family no installed descriptor serves becomes a :class:`StoredPlan`:
its JSON kept as it was, shown as stored, never a crash.
"""

from __future__ import annotations

import json
import logging
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

from vendaudit.descriptor import descriptors, distro_names, resolve
from vendaudit.model import QueueEntry, Target, UpdateEntry

logger = logging.getLogger(__name__)

__all__ = [
    "Plan",
    "PlanSection",
    "StoredPlan",
    "empty_plan",
    "plan_from_json",
    "plan_type_for",
    "strs",
]


@dataclass(frozen=True, slots=True)
class PlanSection:
    """A titled block of plan lines: a fenced block in Markdown, ``<pre>`` in HTML."""

    title: str
    lines: tuple[str, ...]


def strs(value: Any) -> tuple[str, ...]:
    """``value`` as a tuple of strings; ``TypeError`` unless it is a JSON list of strings."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError(f"expected a list of strings, got {value!r:.60}")
    return tuple(value)


def json_lines(value: Any) -> list[str]:
    """A JSON field as lines: one per list item, strings as they are, the rest compact JSON."""
    items = value if isinstance(value, list) else [value]
    return [
        v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, sort_keys=True)
        for v in items
    ]


class Plan(ABC):
    """One target's plan, of its distro family (``deb``, ``rpm`` or a plug-in's own).

    Subclass it as a frozen dataclass with at least the fields ``target``, ``update``,
    ``create`` and ``notes``, set :attr:`FAMILY`, and implement :meth:`to_json`,
    :meth:`from_json` and :meth:`empty`; override :meth:`sections`,
    :meth:`table_lines` and :meth:`diff_fields` to show the family's own fields.
    """

    __slots__ = ()

    FAMILY: ClassVar[str]
    """The family name a descriptor declares (``DistroDescriptor.family``)."""
    FAMILY_IN_JSON: ClassVar[bool] = True
    """The report JSON writes ``"family"`` first in the plan object, so a reader without
    the plug-in can tell the plan apart; False only for the built-in ``deb`` and ``rpm``
    families, whose schema_version 1 object predates the key."""

    target: Target
    update: tuple[UpdateEntry, ...]
    """Packaged modules whose package must first reach the required version."""
    create: tuple[QueueEntry, ...]
    """Modules to package, dependencies first."""
    notes: tuple[str, ...]

    @property
    def family(self) -> str:
        """This plan's family name."""
        return type(self).FAMILY

    @abstractmethod
    def to_json(self) -> dict[str, Any]:
        """The plan object of the report JSON (its schema: the descriptor's ``plan_schema``)."""

    @classmethod
    @abstractmethod
    def from_json(cls, target: Target, doc: Mapping[str, Any]) -> Self:
        """The plan :meth:`to_json` wrote; raise ``KeyError``/``TypeError``/``ValueError``
        on a malformed object (the report then fails to load with one line)."""

    @classmethod
    @abstractmethod
    def empty(cls, target: Target) -> Self:
        """The plan with nothing to do (for a target that failed to load)."""

    def unvendor_action(self, module: str) -> str:
        """What a packager does once ``module``'s package satisfies it, for feed lines
        ("… reached sid: drop vendor/X"); families name it in their own words."""
        return f"use the packaged {module}"

    def kept_vendored(self) -> frozenset[str]:
        """Module paths whose vendored copy the plan keeps although a package satisfies
        them (a build cycle, the project's own binary): the SBOM's scope then stays
        ``vendored``.  Default: none."""
        return frozenset()

    def sections(self) -> Sequence[PlanSection]:
        """Titled line blocks for the Markdown and HTML reports (empty ones are not shown)."""
        return self.common_sections()

    def table_lines(self) -> Sequence[str]:
        """Lines the terminal table prints under the target's summary (default: none)."""
        return ()

    def diff_fields(self) -> dict[str, list[str]]:
        """Field name → comparable lines, for ``vendaudit diff``'s plan changes.

        By default every field :meth:`to_json` writes, one line per list item (strings as
        they are, objects as compact JSON), then :meth:`common_diff_fields`.
        """
        common = self.common_diff_fields()
        own = {k: v for k, v in self.to_json().items() if k not in common and k != "family"}
        return {**{k: json_lines(v) for k, v in own.items()}, **common}

    def common_diff_fields(self) -> dict[str, list[str]]:
        """``update``, ``create`` and ``notes`` as comparable lines."""
        return {
            "update": [f"{u.package} {u.packaged} -> {u.needed} ({u.module})" for u in self.update],
            "create": [f"{c.name} ({c.module} {c.version})" for c in self.create],
            "notes": list(self.notes),
        }

    def common_sections(self) -> list[PlanSection]:
        """The ``Update first`` and ``Package (leaves first)`` blocks every family shares."""
        update = tuple(
            f"{u.package}: {u.packaged} -> {u.needed} ({u.module}; {u.behind}"
            + (", by date" if u.by_date else "")
            + ")"
            for u in self.update
        )
        create = tuple(
            f"{c.name}  {c.module} {c.version}"
            + (f"  unblocks {c.unblocks}" if c.unblocks else "")
            + (f"  cycle: {', '.join(c.cycle)}" if c.cycle else "")
            for c in self.create
        )
        return [PlanSection("Update first", update), PlanSection("Package (leaves first)", create)]

    def common_json(self) -> dict[str, Any]:
        """``update``, ``create`` and ``notes`` as every family writes them."""
        return {
            "update": [
                {
                    "module": u.module,
                    "needed": u.needed,
                    "package": u.package,
                    "packaged": u.packaged,
                    "behind": u.behind,
                    "by_date": u.by_date,
                }
                for u in self.update
            ],
            "create": [
                {
                    "module": c.module,
                    "version": c.version,
                    "name": c.name,
                    "unblocks": c.unblocks,
                    "cycle": list(c.cycle),
                }
                for c in self.create
            ],
            "notes": list(self.notes),
        }

    @staticmethod
    def common_from_json(
        doc: Mapping[str, Any],
    ) -> tuple[tuple[UpdateEntry, ...], tuple[QueueEntry, ...], tuple[str, ...]]:
        """``(update, create, notes)`` read back from what :meth:`common_json` wrote."""
        update = tuple(
            UpdateEntry(
                u["module"], u["needed"], u["package"], u["packaged"], u["behind"], u["by_date"]
            )
            for u in doc["update"]
        )
        create = tuple(
            QueueEntry(c["module"], c["version"], c["name"], int(c["unblocks"]), strs(c["cycle"]))
            for c in doc["create"]
        )
        return update, create, strs(doc["notes"])


@dataclass(frozen=True, slots=True)
class StoredPlan(Plan):
    """A stored plan of a family no installed descriptor serves: kept as its JSON was.

    It writes back exactly what was read, and shows its fields as stored (one line per
    field) with a line saying why; its ``update``/``create`` are empty (not understood).
    """

    FAMILY: ClassVar[str] = ""
    FAMILY_IN_JSON: ClassVar[bool] = False  # the stored object already says it, or never did

    target: Target
    stored_family: str
    doc: Mapping[str, Any] = field(default_factory=dict)
    update: tuple[UpdateEntry, ...] = ()
    create: tuple[QueueEntry, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def family(self) -> str:
        """The family the stored object names (``""`` when it names none)."""
        return self.stored_family

    def to_json(self) -> dict[str, Any]:
        """The object as it was read."""
        return dict(self.doc)

    @classmethod
    def from_json(cls, target: Target, doc: Mapping[str, Any]) -> StoredPlan:
        """Keep ``doc``; its notes are read when they are a list of strings."""
        family = doc.get("family")
        notes = doc.get("notes")
        try:
            kept = strs(notes) if notes is not None else ()
        except TypeError:
            kept = ()
        return cls(target, family if isinstance(family, str) else "", dict(doc), notes=kept)

    @classmethod
    def empty(cls, target: Target) -> StoredPlan:
        """An empty stored plan of no family."""
        return cls(target, "")

    def _why(self) -> str:
        family = f"family {self.stored_family!r}" if self.stored_family else "an unknown family"
        return f"{family}, shown as stored: no installed distro plug-in reads it"

    def _fields(self) -> dict[str, list[str]]:
        return {k: json_lines(v) for k, v in self.doc.items() if k not in ("family", "notes")}

    def sections(self) -> Sequence[PlanSection]:
        """One section: why it is shown as stored, then ``field: value`` lines."""
        lines = [f"{key}: {v}" for key, values in self._fields().items() for v in values]
        return [PlanSection(f"Plan of {self._why()}", tuple(lines) or ("(empty)",))]

    def table_lines(self) -> Sequence[str]:
        """One line saying why the plan is not shown."""
        return (f"plan of {self._why()} (see the JSON report)",)

    def diff_fields(self) -> dict[str, list[str]]:
        """Every stored field's values, compared as text."""
        return {**self._fields(), "notes": list(self.notes)}


def plan_type_for(family: str) -> type[Plan] | None:
    """The plan class of ``family``: the first registered descriptor of that family that
    names a ``plan_type`` (None when none does, or it cannot be imported: one warning)."""
    for desc in descriptors():
        if desc.family != family or not desc.plan_type:
            continue
        try:
            cls = resolve(desc.plan_type)
        except Exception as exc:  # a broken plug-in must not break vendaudit
            logger.warning(
                "plan type %s of family %r cannot be loaded: %s", desc.plan_type, family, exc
            )
            return None
        if isinstance(cls, type) and issubclass(cls, Plan):
            return cls
        logger.warning("plan type %s of family %r is not a Plan subclass", desc.plan_type, family)
        return None
    return None


def empty_plan(target: Target) -> Plan:
    """The plan with nothing to do, of ``target``'s family (for a target that failed)."""
    cls = plan_type_for(target.family)
    return cls.empty(target) if cls is not None else StoredPlan(target, target.family)


def plan_from_json(target: Target, doc: Mapping[str, Any]) -> Plan:
    """A stored plan object read back by its family's plan type.

    The family is the object's ``"family"`` when it has one, else its target's (the
    built-in ``deb``/``rpm`` objects carry none).  A family no installed descriptor
    serves is kept as a :class:`StoredPlan`.  Malformed objects raise ``KeyError``,
    ``TypeError`` or ``ValueError`` (a plug-in's other errors become ``ValueError``).
    """
    if not isinstance(doc, Mapping):
        raise TypeError(f"plan of {target.id}: expected an object, got {type(doc).__name__}")
    tag = doc.get("family")
    family = tag if isinstance(tag, str) else target.family
    cls = plan_type_for(family)
    if cls is None:
        return StoredPlan.from_json(target, doc)
    try:
        return cls.from_json(target, doc)
    except (KeyError, TypeError, ValueError, AttributeError):
        if tag is None and target.distro not in distro_names():
            # An unregistered distro's untagged plan was read as rpm-shaped (what such
            # reports held before plug-in families): when it is not, keep it as stored.
            return StoredPlan.from_json(target, doc)
        raise
    except Exception as exc:  # a plug-in's reader: one line, not a traceback
        raise ValueError(
            f"plan of {target.id}: the {family!r} plan type cannot read it: {exc}"
        ) from exc
