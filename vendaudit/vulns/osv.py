"""Pure parsers for the Go vulnerability database's files (OSV JSON schema).

``index/db.json`` → its ``modified``; ``index/modules.json`` → per module path the
entries that name it; ``ID/<id>.json`` → an :class:`~vendaudit.vulns.model.Entry`.
Each takes bytes and raises :class:`VulnDataError` on a payload of the wrong shape.
"""

from __future__ import annotations

import json
from typing import Any

from vendaudit.vulns.model import Affected, Entry, Event, IndexVuln, Range

__all__ = ["VulnDataError", "parse_db_modified", "parse_entry", "parse_modules_index"]

_EVENT_KINDS = ("introduced", "fixed", "last_affected", "limit")


class VulnDataError(ValueError):
    """A database file does not have the documented shape; the message names the file."""


def _load(data: bytes, name: str) -> Any:
    try:
        return json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise VulnDataError(f"{name}: not JSON: {exc}") from exc


def _str(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise VulnDataError(f"{where}: expected a string, got {type(value).__name__}")
    return value


def parse_db_modified(data: bytes, name: str = "index/db.json") -> str:
    """``{"modified": "2026-08-21T20:38:00Z"}`` → the timestamp string."""
    doc = _load(data, name)
    if not isinstance(doc, dict) or "modified" not in doc:
        raise VulnDataError(f"{name}: expected an object with 'modified'")
    return _str(doc["modified"], f"{name}: modified")


def parse_modules_index(
    data: bytes, name: str = "index/modules.json"
) -> dict[str, tuple[IndexVuln, ...]]:
    """``[{path, vulns: [{id, modified, fixed?}]}]`` → module path → its index vulns."""
    doc = _load(data, name)
    if not isinstance(doc, list):
        raise VulnDataError(f"{name}: expected a list of modules")
    out: dict[str, tuple[IndexVuln, ...]] = {}
    for i, mod in enumerate(doc):
        where = f"{name}: [{i}]"
        if not isinstance(mod, dict) or not isinstance(mod.get("vulns", []), list):
            raise VulnDataError(f"{where}: expected {{path, vulns: [...]}}")
        path = _str(mod.get("path"), f"{where}.path")
        vulns = []
        for j, v in enumerate(mod.get("vulns") or []):
            if not isinstance(v, dict):
                raise VulnDataError(f"{where}.vulns[{j}]: expected an object")
            fixed = v.get("fixed")
            vulns.append(
                IndexVuln(
                    id=_str(v.get("id"), f"{where}.vulns[{j}].id"),
                    modified=str(v.get("modified", "")),
                    fixed=_str(fixed, f"{where}.vulns[{j}].fixed") if fixed else None,
                )
            )
        # A path listed twice: the last row wins, as in govulncheck's moduleMetas.
        out[path] = tuple(vulns)
    return out


def _range(r: Any, where: str) -> Range:
    if not isinstance(r, dict) or not isinstance(r.get("events", []), list):
        raise VulnDataError(f"{where}: expected {{type, events: [...]}}")
    events = []
    for k, e in enumerate(r.get("events") or []):
        if not isinstance(e, dict):
            raise VulnDataError(f"{where}.events[{k}]: expected an object")
        for kind in _EVENT_KINDS:
            if kind in e:
                events.append(Event(kind, _str(e[kind], f"{where}.events[{k}].{kind}")))
                break
        else:
            raise VulnDataError(f"{where}.events[{k}]: no introduced/fixed/limit event")
    return Range(str(r.get("type", "")), tuple(events))


def parse_entry(data: bytes, name: str = "entry") -> Entry:
    """One OSV entry (``ID/GO-….json``) → :class:`Entry`."""
    doc = _load(data, name)
    if not isinstance(doc, dict):
        raise VulnDataError(f"{name}: expected an OSV object")
    entry_id = _str(doc.get("id"), f"{name}: id")
    affected = []
    for i, a in enumerate(doc.get("affected") or []):
        where = f"{name}: affected[{i}]"
        pkg = a.get("package") if isinstance(a, dict) else None
        if not isinstance(pkg, dict):
            raise VulnDataError(f"{where}: expected {{package: {{name, ecosystem}}}}")
        ranges = a.get("ranges") or []
        if not isinstance(ranges, list):
            raise VulnDataError(f"{where}.ranges: expected a list")
        affected.append(
            Affected(
                module=_str(pkg.get("name"), f"{where}.package.name"),
                ecosystem=str(pkg.get("ecosystem", "")),
                ranges=tuple(_range(r, f"{where}.ranges[{j}]") for j, r in enumerate(ranges)),
            )
        )
    aliases = doc.get("aliases") or []
    if not isinstance(aliases, list):
        raise VulnDataError(f"{name}: aliases: expected a list")
    specific = doc.get("database_specific")
    url = specific.get("url", "") if isinstance(specific, dict) else ""
    withdrawn = doc.get("withdrawn")
    return Entry(
        id=entry_id,
        modified=str(doc.get("modified", "")),
        summary=str(doc.get("summary", "") or doc.get("details", "")).strip(),
        aliases=tuple(_str(x, f"{name}: aliases") for x in aliases),
        affected=tuple(affected),
        withdrawn=str(withdrawn) if withdrawn else None,
        url=str(url),
    )
