"""Plans: what a packager does per target, one plan type per distro family.

:class:`Plan` is the protocol (an abstract base) every family's plan implements — the
built-in :class:`DebianPlan` (``deb``) and :class:`FedoraPlan` (``rpm``) exactly like a
plug-in's; a descriptor names its family's class as ``plan_type`` (``docs/plugins.md``).
"""

from __future__ import annotations

from vendaudit.plans.base import (
    Plan,
    PlanSection,
    StoredPlan,
    empty_plan,
    plan_from_json,
    plan_type_for,
)
from vendaudit.plans.deb import DebianPlan
from vendaudit.plans.rpm import FedoraPlan

__all__ = [
    "DebianPlan",
    "FedoraPlan",
    "Plan",
    "PlanSection",
    "StoredPlan",
    "empty_plan",
    "plan_from_json",
    "plan_type_for",
]
