"""A toy distro for vendaudit: targets ``toy:RELEASE``, packages listed in a JSON file.

It is RPM-like: it reuses the ``rpm`` family's plan, planner and renderer, so the only
code it brings is its backend (:mod:`vendaudit_toydistro.backend`).  Point a target at
its index with ``--index toy:1=packages.json`` or ``$TOYDISTRO_INDEX``.
"""

from __future__ import annotations

from vendaudit.descriptor import DistroDescriptor

__all__ = ["DESCRIPTOR"]

DESCRIPTOR = DistroDescriptor(
    names=("toy",),
    family="rpm",
    target_forms=("toy:RELEASE",),
    examples=("toy:1",),
    backend="vendaudit_toydistro.backend:backends",
    # RPM-like: Fedora's planner and RPM spec renderer serve it unchanged.
    planner="vendaudit.distros.fedora.descriptor:plan",
    renderers={"rpm": "vendaudit.report.rpm:render_rpm"},
    help="A local JSON list of packages with their Go import paths (example plug-in).",
)
