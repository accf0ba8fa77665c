"""The format vocabularies: one member per ``--format`` value, one renderer each.

Each command's ``--format`` accepts exactly one of these vocabularies, and its help text
is generated from it (``cli.common.one_of``).  :class:`ReportFormat` is the report's own
formats plus those the distro descriptors add (``renderers``: ``debian``, ``rpm``, a
plug-in's); nothing is imported at module level but the enum machinery, the registry is
read when the vocabulary is first listed, and a renderer is imported only when it renders.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, assert_never

if TYPE_CHECKING:
    from vendaudit.report.diff import ReportDiff
    from vendaudit.report.model import Report

__all__ = ["DiffFormat", "ReportFormat", "escape_surrogates"]


def escape_surrogates(text: str) -> str:
    """``text`` with every lone surrogate written as ``\\udXXX`` (a JSON escape too).

    Undecodable bytes in a manifest (Go keeps them raw) and ``"\\ud800"`` in a stored
    report reach the view-model as lone surrogates, which no UTF-8 output can hold.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


Renderer = Callable[["Report"], str]

# The formats of the report itself; a distro's own (``debian``, ``rpm``, a plug-in's) come
# from its descriptor's ``renderers`` and sit between these and the SBOMs.
_CORE_HEAD = (("table", "txt"), ("json", "json"), ("markdown", "md"), ("html", "html"))
_CORE_TAIL = (("cyclonedx", "cdx.json"), ("spdx", "spdx.json"))
_CORE_RENDERERS = {
    "json": "vendaudit.report.json:render_json",
    "markdown": "vendaudit.report.markdown:render_markdown",
    "html": "vendaudit.report.html:render_html",
    "cyclonedx": "vendaudit.report.sbom.cyclonedx:render_cyclonedx",
    "spdx": "vendaudit.report.sbom.spdx:render_spdx",
}


class _Vocabulary(type):
    """Iterating :class:`ReportFormat` yields every format, as iterating an enum does."""

    def __iter__(cls) -> Iterator[ReportFormat]:
        return iter(_vocabulary().values())

    def __len__(cls) -> int:
        return len(_vocabulary())


class ReportFormat(str, metaclass=_Vocabulary):
    """A format ``vendaudit report --format`` accepts: the report's own, and the registry's.

    Behaves like a ``StrEnum``: ``ReportFormat("json")`` (``ValueError`` for an unknown
    name), ``list(ReportFormat)``, ``.value``, and the constants of the report's own
    formats (``ReportFormat.JSON``).  The distro formats are read from the registry on
    first use (:func:`vendaudit.descriptor.distro_formats`); their renderers are imported
    only when they render.
    """

    TABLE: ClassVar[ReportFormat]
    JSON: ClassVar[ReportFormat]
    MARKDOWN: ClassVar[ReportFormat]
    HTML: ClassVar[ReportFormat]
    CYCLONEDX: ClassVar[ReportFormat]
    SPDX: ClassVar[ReportFormat]

    _extension: str
    _reference: str

    def __new__(cls, value: str) -> ReportFormat:
        """The format named ``value``; ``ValueError`` when no format has that name."""
        found = _vocabulary().get(value) if isinstance(value, str) else None
        if found is None:
            raise ValueError(f"{value!r} is not a valid {cls.__name__}")
        return found

    @classmethod
    def _make(cls, name: str, extension: str, reference: str) -> ReportFormat:
        fmt = str.__new__(cls, name)
        fmt._extension = extension
        fmt._reference = reference
        return fmt

    def __repr__(self) -> str:
        return f"<ReportFormat {str(self)!r}>"

    def __reduce__(self) -> tuple[Any, ...]:
        return (ReportFormat, (str(self),))

    @property
    def value(self) -> str:
        """The name, as on the command line."""
        return str(self)

    @property
    def extension(self) -> str:
        """The usual file extension (without the dot), for ``report --output-dir``."""
        return self._extension

    def renderer(self, *, color: bool = False, width: int | None = None) -> Renderer:
        """The pure ``Report -> str`` function for this format (``width``: table only)."""
        # Imports are local so `--format json` never pays for rich or the HTML template.
        if self == "table":
            from vendaudit.report.table import render_table

            return lambda report: render_table(report, color=color, width=width)
        from vendaudit.descriptor import resolve

        render: Renderer = resolve(self._reference)
        return render

    def render(self, report: Report, *, color: bool = False, width: int | None = None) -> str:
        """Render ``report`` in this format; ``color`` and ``width`` matter only for ``table``."""
        return escape_surrogates(self.renderer(color=color, width=width)(report))


_CORE = {
    name: ReportFormat._make(name, ext, _CORE_RENDERERS.get(name, ""))
    for name, ext in (*_CORE_HEAD, *_CORE_TAIL)
}
for _name, _fmt in _CORE.items():
    setattr(ReportFormat, _name.upper(), _fmt)


# (the registry's descriptors, the vocabulary built from them): rebuilt only when the
# registry is (tests clear it), so a format is one object and a clash warns once.
_BUILT: list[tuple[object, dict[str, ReportFormat]]] = []


def _vocabulary() -> dict[str, ReportFormat]:
    """Every format by name: the report's own, with the registry's before the SBOMs."""
    from vendaudit.descriptor import descriptors, distro_formats

    registry = descriptors()
    if _BUILT and _BUILT[0][0] is registry:
        return _BUILT[0][1]
    out = {name: _CORE[name] for name, _ in _CORE_HEAD}
    for name, spec in distro_formats().items():
        if name in _CORE:
            continue  # a descriptor cannot replace the report's own formats
        out[name] = ReportFormat._make(name, spec.extension, spec.renderer)
    out.update((name, _CORE[name]) for name, _ in _CORE_TAIL)
    _BUILT[:] = [(registry, out)]
    return out


class DiffFormat(StrEnum):
    """Every format ``vendaudit diff --format`` accepts."""

    TABLE = "table"
    MARKDOWN = "markdown"
    JSON = "json"

    def render(self, diff: ReportDiff) -> str:
        """Render ``diff`` in this format."""
        from vendaudit.report.diff import render_diff, render_diff_json

        match self:
            case DiffFormat.TABLE:
                return escape_surrogates(render_diff(diff))
            case DiffFormat.MARKDOWN:
                return escape_surrogates(render_diff(diff, markdown=True))
            case DiffFormat.JSON:
                return escape_surrogates(render_diff_json(diff))
            case _:  # pragma: no cover - mypy proves this unreachable
                assert_never(self)
