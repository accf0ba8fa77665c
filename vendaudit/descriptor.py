"""Distro descriptors: what vendaudit knows of a distro, registered in one place.

A distro (or a family of them, like Debian and Ubuntu) is one :class:`DistroDescriptor`
published under the entry-point group ``vendaudit.distros``; vendaudit's own are
declared in its ``pyproject.toml`` exactly like a plug-in's (``docs/plugins.md``).
Everything that used to list distro names reads :func:`descriptors`: ``Target.parse``,
``--mirror``, planner dispatch, the plan types, the ``--format`` vocabulary, help texts
and the JSON schema.

A descriptor is plain data: its backend factory, planner, plan type and renderers are
``"module:attribute"`` strings imported only when a target of that distro is used or one
of its formats renders, so ``--help`` imports no backend and no renderer.  This module
imports nothing of vendaudit (it sits below the shared model, which reads it).

Finding the entry points needs :mod:`importlib.metadata`, whose import alone costs
~55 ms; the list found is remembered in the cache directory, one file per ``sys.path``,
checked against the modification times of its directories (installing or removing a
distribution changes them), so a warm run pays a few ``stat`` calls.  A plug-in that
cannot be loaded, or does not hold a descriptor, is reported in one warning line and
skipped.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

__all__ = [
    "GROUP",
    "DistroDescriptor",
    "FormatSpec",
    "UnknownDistro",
    "apply_to_schema",
    "descriptor_for",
    "descriptors",
    "distro_formats",
    "distro_names",
    "resolve",
    "targets_help",
]

GROUP = "vendaudit.distros"
"""The entry-point group a distro plug-in registers its descriptor under."""

# vendaudit's own descriptors, as pyproject.toml declares them: used only when vendaudit
# runs uninstalled (a source tree on sys.path has no entry-point metadata).
_BUILTIN = {
    "debian": "vendaudit.distros.debian.descriptor:DESCRIPTOR",
    "fedora": "vendaudit.distros.fedora.descriptor:DESCRIPTOR",
}
_EP_CACHE = "entry-points-v2"
_DIST_SUFFIXES = (".dist-info", ".egg-info")


class UnknownDistro(ValueError):
    """A distro name no registered descriptor serves."""


@dataclass(frozen=True)
class FormatSpec:
    """A report format a descriptor adds to ``--format``: its renderer and file extension."""

    renderer: str
    """``"module:function"``: ``function(Report) -> str`` (the whole report, every target;
    it picks the targets of its family)."""
    extension: str = "txt"
    """The usual file extension, without the dot (``report --output-dir`` names files so)."""


@dataclass(frozen=True)
class DistroDescriptor:
    """One distro family as vendaudit sees it: names, family, defaults, code, schema, help."""

    names: tuple[str, ...]
    """The distro names of target ids it serves (``debian``, ``ubuntu``), lower case."""
    family: str
    """The plan family: ``deb`` (Build-Depends…) or ``rpm`` (bundled provides…), or a
    plug-in's own; every descriptor of one family shares the plan type and renderers."""
    target_forms: tuple[str, ...]
    """How targets are spelled, for help and errors: ``debian:SUITE``, ``epel:N``."""
    examples: tuple[str, ...]
    """Target ids shown in ``--distro``'s help: ``debian:sid``, ``fedora:rawhide``."""
    backend: str
    """``"module:function"``: ``function(BackendRequest) -> list[DistroBackend]``."""
    planner: str
    """``"module:function"``: ``function(PlanRequest) -> Plan`` (its family's plan type)."""
    plan_type: str = ""
    """``"module:Class"``: the family's :class:`vendaudit.plans.Plan` subclass, which reads
    its plans back from JSON and makes the empty plan of a failed target; empty: another
    descriptor of the same family names it (an RPM-like plug-in reuses ``rpm``'s)."""
    default_mirrors: Mapping[str, str] = field(default_factory=dict)
    """Distro name → the mirror used when ``--mirror`` names none."""
    renderers: Mapping[str, FormatSpec | str] = field(default_factory=dict)
    """Report formats it adds to ``--format`` (``debian``, ``rpm``): name → its
    :class:`FormatSpec`, or just the renderer's ``"module:function"`` (extension ``txt``)."""
    schema: Mapping[str, Any] = field(default_factory=dict)
    """Extra ``properties`` of the shared schema_version 1 plan object (``deb``/``rpm``)."""
    plan_schema: Mapping[str, Any] = field(default_factory=dict)
    """The JSON schema of one plan object of its own family (``$defs/plan-<family>``),
    for a family whose plan type is not the schema_version 1 object; it may refer to
    ``#/$defs/plan/properties/update`` and the like."""
    help: str = ""
    """One line for ``--help`` and docs: what it reads and where from."""


def resolve(reference: str) -> Any:
    """The object a ``"module:attribute"`` reference names (imports the module)."""
    module, _, attr = reference.partition(":")
    obj: Any = import_module(module)
    for part in attr.split(".") if attr else ():
        obj = getattr(obj, part)
    return obj


def _cache_file() -> Path | None:
    root = os.environ.get("VENDAUDIT_CACHE_DIR")
    if not root:
        try:
            import platformdirs
        except ImportError:  # pragma: no cover - a declared dependency
            return None
        root = platformdirs.user_cache_dir("vendaudit")
    # One file per sys.path (per environment, per working directory): several venvs
    # sharing a cache directory would otherwise overwrite each other's list every run.
    which = hashlib.sha256("\0".join(sys.path).encode("utf-8", "surrogatepass")).hexdigest()
    return Path(root) / "derived" / f"{_EP_CACHE}-{which[:16]}.json"


def _path_stamp() -> list[str]:
    stamp = []
    for entry in sys.path:
        try:
            if not entry:
                # The working directory (``python -m``/``-c``) changes whenever any file
                # comes or goes there (/tmp: all the time): only its distributions count.
                names = sorted(e for e in os.listdir(".") if e.endswith(_DIST_SUFFIXES))
                stamp.append(":" + "/".join(names))
                continue
            stamp.append(f"{entry}:{os.stat(entry).st_mtime_ns}")
        except OSError:
            stamp.append(f"{entry}:-")
    return stamp


def _scan() -> dict[str, str]:
    from importlib.metadata import entry_points

    return {ep.name: ep.value for ep in entry_points(group=GROUP)}


def _entry_points() -> dict[str, str]:
    """Entry-point name → reference, remembered across runs while sys.path is unchanged."""
    path = _cache_file()
    stamp = _path_stamp()
    if path is not None:
        try:
            doc = json.loads(path.read_text("utf-8"))
            if doc.get("stamp") == stamp and isinstance(doc.get("entry_points"), dict):
                return {str(k): str(v) for k, v in doc["entry_points"].items()}
        except (OSError, ValueError, AttributeError):
            pass
    found = _scan()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}")
            tmp.write_text(json.dumps({"stamp": stamp, "entry_points": found}), "utf-8")
            os.replace(tmp, path)
        except OSError:
            pass  # no cache dir: scan again next time
    return found


@functools.cache
def descriptors() -> tuple[DistroDescriptor, ...]:
    """Every registered descriptor: vendaudit's own first, then plug-ins by name."""
    refs = _entry_points()
    if not any(refs.get(name) == ref for name, ref in _BUILTIN.items()):
        refs = {**_BUILTIN, **refs}  # uninstalled source tree: the same built-ins
    order = [n for n in _BUILTIN if n in refs] + sorted(n for n in refs if n not in _BUILTIN)
    found: list[DistroDescriptor] = []
    taken: dict[str, str] = {}
    for name in order:
        try:
            desc = resolve(refs[name])
        except Exception as exc:  # a broken plug-in must not break vendaudit
            logger.warning("distro plug-in %r (%s) cannot be loaded: %s", name, refs[name], exc)
            continue
        if not isinstance(desc, DistroDescriptor):
            logger.warning(
                "distro plug-in %r (%s) is not a DistroDescriptor; skipped", name, refs[name]
            )
            continue
        clash = [n for n in desc.names if n in taken]
        if clash:
            logger.warning(
                "distro plug-in %r: %s already served by %r; skipped",
                name,
                ", ".join(clash),
                taken[clash[0]],
            )
            continue
        taken.update(dict.fromkeys(desc.names, name))
        found.append(desc)
    return tuple(found)


def descriptor_for(distro: str) -> DistroDescriptor:
    """The descriptor serving distro name ``distro``; raises :class:`UnknownDistro`."""
    for desc in descriptors():
        if distro in desc.names:
            return desc
    raise UnknownDistro(distro)


def distro_names() -> tuple[str, ...]:
    """Every distro name a target may start with, in registration order."""
    return tuple(n for d in descriptors() for n in d.names)


def targets_help() -> str:
    """``--distro``'s help: the registered target spellings and examples."""
    forms = ", ".join(f for d in descriptors() for f in d.target_forms)
    examples = ",".join(e for d in descriptors() for e in d.examples)
    return f"Targets, comma-separated ({forms}), e.g. {examples}."


def distro_formats() -> dict[str, FormatSpec]:
    """The report formats the descriptors add, in registration order (name → spec).

    A name two descriptors give different renderers keeps the first (a warning); the
    same renderer named twice (an RPM-like plug-in repeating ``rpm``) is one format.
    Nothing is imported: the renderers are references until a format renders.
    """
    found: dict[str, FormatSpec] = {}
    for desc in descriptors():
        for name, spec in desc.renderers.items():
            spec = FormatSpec(spec) if isinstance(spec, str) else spec
            name = name.lower()
            if name in found and found[name].renderer != spec.renderer:
                logger.warning(
                    "format %r of distro %s already served by %s; skipped",
                    name,
                    desc.names[0],
                    found[name].renderer,
                )
                continue
            found.setdefault(name, spec)
    return found


def apply_to_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The report JSON schema with the registry's parts filled in (changed in place).

    A target's ``distro`` is one of the registered names and its ``id`` starts with one;
    each descriptor's ``schema`` adds the plan properties its family writes to the shared
    ``$defs/plan``; a family with its own ``plan_schema`` gets ``$defs/plan-<family>``,
    and a report's plan objects are then each one of those.
    """
    defs = schema.get("$defs", {})
    target = defs.get("target", {}).get("properties", {})
    names = list(distro_names())
    if "distro" in target:
        target["distro"]["enum"] = names
    if "id" in target:
        target["id"]["pattern"] = "^(" + "|".join(names) + "):.+$"
    plan = defs.get("plan", {}).get("properties")
    if plan is not None:
        for desc in descriptors():
            for key, value in desc.schema.items():
                plan.setdefault(key, value)
    own: dict[str, Mapping[str, Any]] = {}
    for desc in descriptors():
        if desc.plan_schema:
            own.setdefault(desc.family, desc.plan_schema)
    plans = schema.get("properties", {}).get("plan")
    if own and plans is not None and "plan" in defs:
        arms = [{"$ref": "#/$defs/plan"}]
        for family, part in own.items():
            defs[f"plan-{family}"] = json.loads(json.dumps(part))  # a copy, never shared
            arms.append({"$ref": f"#/$defs/plan-{family}"})
        plans["additionalProperties"] = {"anyOf": arms}
    return schema
