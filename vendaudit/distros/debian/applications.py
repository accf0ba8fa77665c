"""Which sources of a Debian/Ubuntu suite are Go *applications* (a pure parser of bytes).

The rule, applied to every stanza of an uncompressed ``Sources`` index:

1. the stanza is not ``Extra-Source-Only: yes`` (an old version kept for Built-Using);
2. one of its ``Build-Depends``, ``Build-Depends-Arch`` or ``Build-Depends-Indep`` relations
   (alternatives included) names the Go toolchain or the Go build system:
   ``golang-go``, ``golang-any``, ``dh-golang`` or ``dh-sequence-golang`` (the versioned
   ``golang-N.M-go`` is deliberately not in the list: only the toolchain sources
   ``golang-N.M`` themselves bootstrap with it, and they have no application go.mod);
3. its ``Binary`` list has at least one package whose name does not end in ``-dev``
   (a source that builds only ``-dev`` packages is a library, not an application);
4. a source listed twice keeps its highest version (dpkg order).

This is how the Debian Go team tells an application from a library in practice: a library
source builds ``golang-foo-dev`` only; anything else it builds is a program (or data) that
the archive ships to users, and its ``go.mod`` is what the sweep audits.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass

from debian.debian_support import version_compare

from vendaudit.distros.debian.sources import (
    DebianIndexError,
    field_value,
    parse_relation_names,
    split_comma_list,
)

logger = logging.getLogger(__name__)

__all__ = [
    "GO_BUILD_DEPENDS",
    "GoApplication",
    "dump_applications",
    "list_go_applications",
    "load_applications",
]

GO_BUILD_DEPENDS = frozenset({"golang-go", "golang-any", "dh-golang", "dh-sequence-golang"})
"""The build-dependency names that make a source a Go source."""

# A cheap first pass over the whole file: every place that could be such a relation.
_HINT = re.compile(rb"golang-go|golang-any|dh-golang|dh-sequence-golang")
_BD_FIELDS = (b"\nbuild-depends:", b"\nbuild-depends-arch:", b"\nbuild-depends-indep:")


@dataclass(frozen=True, slots=True)
class GoApplication:
    """A source package of the suite that builds a Go program."""

    source: str
    version: str
    """Debian version as in the archive (epoch and revision included)."""
    area: str
    """Archive area: ``main``, ``contrib`` or ``non-free`` (from ``Section``)."""
    binaries: tuple[str, ...]
    import_paths: tuple[str, ...] = ()
    """``Go-Import-Path`` values, when the source declares any."""

    @property
    def programs(self) -> tuple[str, ...]:
        """The binaries that are not ``-dev`` libraries."""
        return tuple(b for b in self.binaries if not b.endswith("-dev"))


def _field(stanza: bytes, lowered: bytes, name: bytes) -> str:
    """A field's value as text ("" when absent): the Sources scanner's own field reader."""
    raw = field_value(stanza, lowered, name)
    return "" if raw is None else raw.decode("utf-8", "replace").strip()


def _application(stanza: bytes, offset: int) -> GoApplication | None:
    lowered = stanza.lower()
    if _field(stanza, lowered, b"\nextra-source-only:").lower() == "yes":
        return None
    build_depends = ",".join(_field(stanza, lowered, name) for name in _BD_FIELDS)
    if GO_BUILD_DEPENDS.isdisjoint(parse_relation_names(build_depends, alternatives=True)):
        return None
    binaries = split_comma_list(_field(stanza, lowered, b"\nbinary:"))
    if all(b.endswith("-dev") for b in binaries):
        return None
    source = _field(stanza, lowered, b"\npackage:")
    version = _field(stanza, lowered, b"\nversion:")
    if not source or not version:
        raise DebianIndexError(f"Sources stanza at byte {offset}: no Package or Version field")
    section = _field(stanza, lowered, b"\nsection:")
    area = section.split("/", 1)[0] if "/" in section else "main"
    return GoApplication(
        source=source,
        version=version,
        area=area,
        binaries=binaries,
        import_paths=split_comma_list(_field(stanza, lowered, b"\ngo-import-path:")),
    )


def list_go_applications(data: bytes) -> tuple[GoApplication, ...]:
    """The Go applications of one uncompressed ``Sources`` index, sorted by source name.

    Only stanzas that mention a Go build-dependency anywhere are cut out and parsed, so the
    ~95% of the archive that is not Go costs one regular-expression scan.
    """
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n")
    buf = b"\n" + data
    best: dict[str, GoApplication] = {}
    end = -1
    for match in _HINT.finditer(buf):
        pos = match.start()
        if pos < end:
            continue  # another hint in a stanza already parsed
        start = buf.rfind(b"\n\n", 0, pos) + 1
        end = buf.find(b"\n\n", pos)
        if end == -1:
            end = len(buf)
        app = _application(buf[start:end], max(start - 1, 0))
        if app is None:
            continue
        seen = best.get(app.source)
        if seen is None or version_compare(app.version, seen.version) > 0:
            best[app.source] = app
    return tuple(best[name] for name in sorted(best))


def dump_applications(apps: tuple[GoApplication, ...]) -> bytes:
    """Compact JSON of ``apps`` for the derived cache."""
    rows = [[a.source, a.version, a.area, list(a.binaries), list(a.import_paths)] for a in apps]
    return json.dumps(rows, separators=(",", ":")).encode()


def load_applications(blob: bytes) -> tuple[GoApplication, ...] | None:
    """The inverse of :func:`dump_applications`; ``None`` (a miss) when the blob is damaged."""
    try:
        rows = json.loads(blob)
        return tuple(
            GoApplication(str(s), str(v), str(a), tuple(map(str, b)), tuple(map(str, p)))
            for s, v, a, b, p in rows
        )
    except (ValueError, TypeError) as exc:
        logger.warning("ignoring a damaged cached application list (%s)", exc)
        return None
