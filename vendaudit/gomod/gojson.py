"""The JSON that ``go mod edit -json`` prints for a go.mod file, byte for byte.

:func:`modfile_to_json` builds the same object as cmd/go's ``fileJSON`` (same key order and
the same ``omitempty`` omissions); :func:`dumps_go` serialises it like Go's
``json.MarshalIndent(v, "", "\\t")`` of Go 1.27: HTML characters escaped as ``\\u003c``,
U+2028/U+2029 escaped, invalid UTF-8 (lone surrogates here) written as a raw U+FFFD.
"""

from __future__ import annotations

from typing import Any

from vendaudit.gomod.model import ModFile, ModVersion

__all__ = ["dumps_go", "modfile_to_json"]

JSONObj = dict[str, Any]


def _mod_version(m: ModVersion) -> JSONObj:
    out: JSONObj = {"Path": m.path}
    if m.version:
        out["Version"] = m.version
    return out


def modfile_to_json(mf: ModFile) -> JSONObj:
    """The object ``go mod edit -json`` prints: empty lists and strings are omitted.

    ``Module`` is always present (``{"Path": ""}`` for a file without a module line).
    """
    module: JSONObj = {"Path": mf.module.path if mf.module else ""}
    if mf.module and mf.module.deprecated:
        module["Deprecated"] = mf.module.deprecated
    out: JSONObj = {"Module": module}
    if mf.go:
        out["Go"] = mf.go
    if mf.toolchain:
        out["Toolchain"] = mf.toolchain
    if mf.godebug:
        out["GoDebug"] = [{"Key": g.key, "Value": g.value} for g in mf.godebug]
    if mf.require:
        reqs = []
        for r in mf.require:
            req: JSONObj = {"Path": r.path}
            if r.version:
                req["Version"] = r.version
            if r.indirect:
                req["Indirect"] = True
            reqs.append(req)
        out["Require"] = reqs
    if mf.exclude:
        out["Exclude"] = [_mod_version(ModVersion(x.path, x.version)) for x in mf.exclude]
    if mf.replace:
        out["Replace"] = [
            {"Old": _mod_version(r.old), "New": _mod_version(r.new)} for r in mf.replace
        ]
    if mf.retract:
        rets = []
        for rt in mf.retract:
            item: JSONObj = {}
            if rt.low:
                item["Low"] = rt.low
            if rt.high:
                item["High"] = rt.high
            if rt.rationale:
                item["Rationale"] = rt.rationale
            rets.append(item)
        out["Retract"] = rets
    if mf.tool:
        out["Tool"] = [{"Path": t.path} for t in mf.tool]
    if mf.ignore:
        out["Ignore"] = [{"Path": i.path} for i in mf.ignore]
    return out


_SHORT = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _go_string(s: str) -> str:
    out = ['"']
    for ch in s:
        cp = ord(ch)
        if ch in _SHORT:
            out.append(_SHORT[ch])
        elif cp < 0x20 or ch in "<>&" or cp in (0x2028, 0x2029):
            out.append(f"\\u{cp:04x}")
        elif 0xD800 <= cp <= 0xDFFF:
            # An undecodable byte. Go 1.27's encoding/json (backed by json/v2) writes a
            # raw U+FFFD; Go <= 1.26 wrote the escape \ufffd instead.
            out.append("\ufffd")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _encode(v: Any, indent: str, out: list[str]) -> None:
    if isinstance(v, bool):
        out.append("true" if v else "false")
    elif isinstance(v, str):
        out.append(_go_string(v))
    elif isinstance(v, dict):
        if not v:
            out.append("{}")
            return
        inner = indent + "\t"
        out.append("{")
        for i, (k, item) in enumerate(v.items()):
            out.append(("," if i else "") + "\n" + inner + _go_string(k) + ": ")
            _encode(item, inner, out)
        out.append("\n" + indent + "}")
    elif isinstance(v, list):
        if not v:
            out.append("[]")
            return
        inner = indent + "\t"
        out.append("[")
        for i, item in enumerate(v):
            out.append(("," if i else "") + "\n" + inner)
            _encode(item, inner, out)
        out.append("\n" + indent + "]")
    else:
        raise TypeError(f"cannot encode {type(v).__name__}")


def dumps_go(obj: JSONObj) -> str:
    """``json.MarshalIndent(obj, "", "\\t")`` as Go writes it (no trailing newline)."""
    out: list[str] = []
    _encode(obj, "", out)
    return "".join(out)
