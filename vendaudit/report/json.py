"""JSON: a plain serialisation of the view-model (schema_version 1), and its inverse.

The key order is the documented one (``schema.json``), not alphabetical, so a report reads
top-down like the other formats; it is stable because it comes from the code, not from a
dict's history.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from importlib import resources
from pathlib import Path
from typing import Any

from vendaudit.descriptor import apply_to_schema
from vendaudit.model import Target, Verdict
from vendaudit.plans import Plan, plan_from_json
from vendaudit.plans.base import strs
from vendaudit.report.jsontext import dumps_indented
from vendaudit.report.model import (
    SCHEMA_VERSION,
    LicenseRow,
    LicenseView,
    ModuleRow,
    PackageInfo,
    ProjectInfo,
    ReplaceInfo,
    Report,
    ResultCell,
    TargetRow,
    TargetSummary,
    ToolInfo,
)

__all__ = [
    "ReportFormatError",
    "load_report",
    "load_schema",
    "render_json",
    "report_from_json",
    "to_json_dict",
]


class ReportFormatError(ValueError):
    """A stored report cannot be read; the message starts with the file name."""


def load_schema() -> dict[str, Any]:
    """The published JSON Schema (draft 2020-12) of the report, shipped as package data."""
    text = resources.files("vendaudit.report").joinpath("schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    # The distro names (and a plug-in family's plan fields) are the registry's.
    return apply_to_schema(schema)


def render_json(report: Report) -> str:
    """The report as indented JSON text (ends with a newline)."""
    return dumps_indented(to_json_dict(report)) + "\n"


def to_json_dict(report: Report) -> dict[str, Any]:
    """The report as the JSON-ready dict described by ``schema.json``."""
    doc: dict[str, Any] = {
        "schema_version": report.schema_version,
        "tool": {"name": report.tool.name, "version": report.tool.version},
        "generated_at": report.generated_at,
        "project": {
            "manifest": report.project.manifest,
            "main_module": report.project.main_module,
            "go": report.project.go,
            "modules_txt": report.project.modules_txt,
        },
        "targets": [
            {
                "id": t.id,
                "distro": t.distro,
                "release": t.release,
                "source": t.source,
                "notes": list(t.notes),
                "error": t.error,
                "packages": t.packages,
            }
            for t in report.targets
        ],
        "modules": [_module(m) for m in report.modules],
        "plan": {p.target.id: _plan(p) for p in report.plans},
        "summary": {
            tid: {**{v.value: n for v, n in s.counts}, "total": s.total}
            for tid, s in report.summary
        },
        "graph": {"edges": [[a, b] for a, b in report.graph_edges]},
    }
    if report.licenses is not None:
        lic = report.licenses
        doc["licenses"] = {
            "per_module": [
                {
                    "path": r.path,
                    "spdx": r.spdx,
                    "files": list(r.files),
                    "detector": r.detector,
                    "note": r.note,
                    "copyright": list(r.copyright),
                }
                for r in lic.per_module
            ],
            "expression": lic.expression,
            "unrecognised": list(lic.unrecognised),
            "missing": list(lic.missing),
        }
    if report.security is not None:
        from vendaudit.report.security import security_to_json  # only a --vulns report

        doc["security"] = security_to_json(report.security)
    if report.sums:
        doc["sums"] = dict(report.sums)
    return doc


def _module(m: ModuleRow) -> dict[str, Any]:
    return {
        "path": m.path,
        "version": m.version,
        "indirect": m.indirect,
        "replace": {"path": m.replace.path, "version": m.replace.version} if m.replace else None,
        "results": {tid: _cell(c) for tid, c in m.results},
    }


def _cell(c: ResultCell) -> dict[str, Any]:
    p = c.package
    return {
        "verdict": c.verdict.value,
        "package": (
            {
                "source": p.source,
                "binary": p.binary,
                "version": p.version,
                "go_version": p.go_version,
                "import_path": p.import_path,
                "match": p.match,
            }
            if p is not None
            else None
        ),
        "reason": c.reason,
        "by_date": c.by_date,
    }


def _plan(p: Plan) -> dict[str, Any]:
    doc = p.to_json()
    # A plug-in family's object names its family, so a reader without the plug-in can
    # keep it apart; deb and rpm write the schema_version 1 object, which has no key.
    return {"family": p.family, **doc} if type(p).FAMILY_IN_JSON else doc


def load_report(path: Path) -> Report:
    """Read a stored JSON report; every failure is a one-line :class:`ReportFormatError`."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ReportFormatError(f"{name}: cannot read: {reason}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReportFormatError(
            f"{name}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from exc
    except RecursionError as exc:  # json recurses per nested array/object
        raise ReportFormatError(f"{name}: invalid JSON: nested too deeply") from exc
    return report_from_json(data, filename=name)


def report_from_json(data: Any, *, filename: str = "<report>") -> Report:
    """Rebuild a :class:`Report` from its JSON dict; refuses other schema versions."""
    if not isinstance(data, dict) or "schema_version" not in data:
        raise ReportFormatError(f"{filename}: not a vendaudit report (no schema_version)")
    version = data["schema_version"]
    if version != SCHEMA_VERSION:
        raise ReportFormatError(
            f"{filename}: schema_version {version} is not supported "
            f"(this vendaudit reads {SCHEMA_VERSION})"
        )
    try:
        report = _parse(data)
        _check(report, Report, "report")
    except KeyError as exc:
        raise ReportFormatError(f"{filename}: not a vendaudit report: missing key {exc}") from exc
    except (TypeError, ValueError, AttributeError, OverflowError, RecursionError) as exc:
        raise ReportFormatError(f"{filename}: not a vendaudit report: {exc!s:.200}") from exc
    return report


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    # report.model names SecurityView for type checkers only (start-up time): supply it.
    from vendaudit.vulns.model import SecurityView

    try:
        return typing.get_type_hints(cls, localns={"SecurityView": SecurityView})
    except Exception:  # a plug-in's annotations naming what it imports only for mypy
        return {}


def _check(value: Any, hint: Any, where: str) -> None:
    """Raise TypeError unless ``value`` fits the type annotation ``hint`` (deeply).

    The parser above takes JSON values as they come; this one walk over the rebuilt
    report turns a wrongly typed field (a number where a string belongs, a list for a
    reason) into a load error instead of a crash in some renderer later.
    """
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        errors = []
        for arm in typing.get_args(hint):
            try:
                _check(value, arm, where)
                return
            except TypeError as exc:
                errors.append(exc)
        raise errors[0]
    if origin is tuple:
        args = typing.get_args(hint)
        if not isinstance(value, tuple):
            raise TypeError(f"{where}: expected a list, got {type(value).__name__}")
        if len(args) == 2 and args[1] is Ellipsis:
            for i, item in enumerate(value):
                _check(item, args[0], f"{where}[{i}]")
        elif len(args) != len(value):
            raise TypeError(f"{where}: expected {len(args)} items, got {len(value)}")
        else:
            for i, (item, arm) in enumerate(zip(value, args, strict=True)):
                _check(item, arm, f"{where}[{i}]")
        return
    if hint is type(None):
        if value is not None:
            raise TypeError(f"{where}: expected null, got {type(value).__name__}")
        return
    if not isinstance(hint, type):
        return  # Any, Literal, callables: not part of the stored shape
    if (hint is int and isinstance(value, bool)) or not isinstance(value, hint):
        raise TypeError(f"{where}: expected {hint.__name__}, got {type(value).__name__}")
    if dataclasses.is_dataclass(hint):
        hints = _hints(hint)
        for field in dataclasses.fields(hint):
            if field.name in hints:
                _check(getattr(value, field.name), hints[field.name], f"{where}.{field.name}")


def _parse(d: dict[str, Any]) -> Report:
    from vendaudit.report.security import security_from_json

    targets = tuple(
        TargetRow(
            id=t["id"],
            distro=t["distro"],
            release=t["release"],
            source=t["source"],
            notes=strs(t["notes"]),
            error=t["error"],
            packages=int(t["packages"]),
        )
        for t in d["targets"]
    )
    modules = tuple(
        ModuleRow(
            path=m["path"],
            version=m["version"],
            indirect=bool(m["indirect"]),
            replace=ReplaceInfo(m["replace"]["path"], m["replace"]["version"])
            if m["replace"]
            else None,
            results=tuple((tid, _parse_cell(c)) for tid, c in m["results"].items()),
        )
        for m in d["modules"]
    )
    summary = tuple(
        (
            tid,
            TargetSummary(
                counts=tuple((v, int(s.get(v.value, 0))) for v in Verdict), total=int(s["total"])
            ),
        )
        for tid, s in d["summary"].items()
    )
    lic = d.get("licenses")
    return Report(
        tool=ToolInfo(d["tool"]["name"], d["tool"]["version"]),
        generated_at=d["generated_at"],
        project=ProjectInfo(
            manifest=d["project"]["manifest"],
            main_module=d["project"]["main_module"],
            go=d["project"]["go"],
            modules_txt=d["project"]["modules_txt"],
        ),
        targets=targets,
        modules=modules,
        plans=tuple(_parse_plan(_plan_target(tid, targets), p) for tid, p in d["plan"].items()),
        summary=summary,
        graph_edges=tuple((str(a), str(b)) for a, b in d["graph"]["edges"]),
        licenses=(
            LicenseView(
                per_module=tuple(
                    LicenseRow(
                        r["path"],
                        r["spdx"],
                        strs(r["files"]),
                        r["detector"],
                        r["note"],
                        strs(r.get("copyright", [])),  # optional: older reports lack it
                    )
                    for r in lic["per_module"]
                ),
                expression=lic["expression"],
                unrecognised=strs(lic["unrecognised"]),
                missing=strs(lic["missing"]),
            )
            if lic is not None
            else None
        ),
        security=security_from_json(d["security"]) if d.get("security") is not None else None,
        sums=tuple((str(k), str(v)) for k, v in (d.get("sums") or {}).items()),
    )


def _parse_cell(c: dict[str, Any]) -> ResultCell:
    p = c["package"]
    pkg = (
        PackageInfo(
            p["source"], p["binary"], p["version"], p["go_version"], p["import_path"], p["match"]
        )
        if p is not None
        else None
    )
    return ResultCell(Verdict(c["verdict"]), pkg, c["reason"], bool(c["by_date"]))


def _plan_target(target_id: str, targets: tuple[TargetRow, ...]) -> Target:
    for t in targets:
        if t.id == target_id:
            return t.target
    return Target.parse(target_id)


def _parse_plan(target: Target, p: Any) -> Plan:
    plan = plan_from_json(target, p)
    if dataclasses.is_dataclass(plan):
        # Report.plans holds the Plan base: check the concrete type's fields deeply.
        _check(plan, type(plan), f"plan of {target.id}")
    return plan
