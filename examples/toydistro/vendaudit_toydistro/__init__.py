"""A toy distro for vendaudit: targets ``toy:RELEASE``, packages listed in a JSON file.

It brings a whole plan family of its own (``toy``), none of vendaudit's code changed:

* its backend (:mod:`vendaudit_toydistro.backend`) reads the JSON package list;
* its plan type and planner (:mod:`vendaudit_toydistro.plan`): a toy.manifest with
  ``requires`` and ``bundles``, shown in the JSON, Markdown, HTML and table reports;
* ``--format toy`` (:mod:`vendaudit_toydistro.render`), listed in ``--help``;
* its plan object's JSON schema (:data:`PLAN_SCHEMA`), merged into the report schema.

This module holds only data, so that ``vendaudit --help`` imports none of the above.
Point a target at its index with ``--index toy:1=packages.json`` or ``$TOYDISTRO_INDEX``.
"""

from __future__ import annotations

from vendaudit.descriptor import DistroDescriptor, FormatSpec

__all__ = ["DESCRIPTOR", "PLAN_SCHEMA"]

_STRINGS = {"type": "array", "items": {"type": "string"}}

PLAN_SCHEMA = {
    "type": "object",
    "description": "A toy.manifest: toy packages required, modules kept bundled.",
    "properties": {
        "family": {"const": "toy"},
        "requires": _STRINGS,
        "bundles": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "module": {"type": "string"},
                    "version": {"type": "string"},
                    "why": {"type": "string"},
                },
                "required": ["module", "version", "why"],
                "additionalProperties": False,
            },
        },
        # The fields every family shares are described once, in vendaudit's own schema.
        "update": {"$ref": "#/$defs/plan/properties/update"},
        "create": {"$ref": "#/$defs/plan/properties/create"},
        "notes": {"$ref": "#/$defs/plan/properties/notes"},
    },
    "required": ["family", "requires", "bundles", "update", "create", "notes"],
    "additionalProperties": False,
}
"""The JSON schema of a toy plan object (``$defs/plan-toy`` of the report schema)."""

DESCRIPTOR = DistroDescriptor(
    names=("toy",),
    family="toy",
    target_forms=("toy:RELEASE",),
    examples=("toy:1",),
    backend="vendaudit_toydistro.backend:backends",
    planner="vendaudit_toydistro.plan:plan",
    plan_type="vendaudit_toydistro.plan:ToyPlan",
    renderers={"toy": FormatSpec("vendaudit_toydistro.render:render_toy", extension="manifest")},
    plan_schema=PLAN_SCHEMA,
    help="A local JSON list of packages with their Go import paths (example plug-in).",
)
