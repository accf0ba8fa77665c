"""Option coercion without pydantic for the plain types vendaudit's commands use.

typer ≥ 0.2x coerces every parameter through a pydantic ``TypeAdapter``; importing
pydantic and building ~20 adapters costs ~150 ms, a third of a warm report.  For
``str``, ``Path``, ``bool`` flags, ``StrEnum`` choices, plain numbers and lists of those,
this module installs an equivalent coercion built from typer's own helpers (same values, same
error wording: ``Value error, 'x' is not one of ...``).  Anything else, and any value
of an unexpected shape (bytes, a bool spelled as text from an environment variable),
falls back to typer's own path.  On a typer without this machinery (older releases,
which never used pydantic) :func:`install_fast_coercion` does nothing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

logger = logging.getLogger(__name__)

__all__ = ["install_fast_coercion"]

_NO_VALUE = object()
Coerce = Callable[[Any, Any, Any], Any]
"""(value, param, ctx) → coerced value, or :data:`_NO_VALUE` to defer to typer."""


def _leaf(annotation: Any, parameter_info: Any) -> Coerce | None:
    from typer._click.exceptions import BadParameter
    from typer._param_types import coerce_cli_choice, coerce_cli_path

    if annotation is str:
        return lambda v, p, c: v if isinstance(v, str) else _NO_VALUE
    if annotation is bool:
        return lambda v, p, c: v if isinstance(v, bool) else _NO_VALUE
    if annotation in (int, float):
        return _number(annotation, parameter_info)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        choices = list(annotation)
        sensitive = bool(parameter_info.case_sensitive)

        def choice(v: Any, p: Any, c: Any) -> Any:
            try:
                return coerce_cli_choice(v, choices=choices, case_sensitive=sensitive, ctx=c)
            except ValueError as exc:
                # typer words the pydantic error as "Value error, <message>".
                raise BadParameter(f"Value error, {exc}", ctx=c, param=p) from None

        return choice
    if annotation is Path and parameter_info.path_type in (None, Path):

        def path(v: Any, p: Any, c: Any) -> Any:
            if not isinstance(v, str | Path):
                return _NO_VALUE
            return coerce_cli_path(Path(v), parameter_info, path_type=Path, param=p, ctx=c)

        return path
    return None


_INT = re.compile(r"[+-]?[0-9]+")
_FLOAT = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")


def _number(kind: type[int] | type[float], parameter_info: Any) -> Coerce:
    """Plain decimal spellings within bounds; anything else (errors too) goes to typer."""
    pattern = _INT if kind is int else _FLOAT
    low, high = parameter_info.min, parameter_info.max

    def number(v: Any, p: Any, c: Any) -> Any:
        if not isinstance(v, str) or pattern.fullmatch(v) is None:
            return _NO_VALUE
        x = kind(v)
        if (low is not None and x < low) or (high is not None and x > high):
            return _NO_VALUE  # typer words the range error (or clamps)
        return x

    return number


def _coercion(annotation: Any, parameter_info: Any) -> Coerce | None:
    if parameter_info.parser is not None:
        return None
    if get_origin(annotation) is list:
        (inner_type,) = get_args(annotation)
        inner = _leaf(inner_type, parameter_info)
        if inner is None:
            return None

        def many(v: Any, p: Any, c: Any) -> Any:
            items = v if isinstance(v, list | tuple) else [v]
            out = [inner(item, p, c) for item in items]
            return _NO_VALUE if any(o is _NO_VALUE for o in out) else out

        return many
    return _leaf(annotation, parameter_info)


def install_fast_coercion(command: Any, ctx: Any) -> None:
    """Give ``command``'s plain parameters a pydantic-free coercion (idempotent).

    ``ctx`` is needed because click builds the ``--help`` option on demand.
    """
    try:
        from typer._coercion import RuntimeParam, build_runtime_param
    except ImportError:  # a typer without pydantic coercion: nothing to avoid
        return

    class FastRuntimeParam(RuntimeParam):
        """typer's runtime coercion contract, done by :data:`Coerce` when it can."""

        def __init__(self, descriptor: Any, coerce: Coerce) -> None:
            super().__init__(descriptor.parameter_info, descriptor.annotation)
            object.__setattr__(self, "_descriptor", descriptor)
            object.__setattr__(self, "_coerce", coerce)
            object.__setattr__(self, "_slow", None)

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            out = self._coerce(value, param, ctx)  # type: ignore[attr-defined]
            if out is not _NO_VALUE:
                return out
            if self._slow is None:  # type: ignore[attr-defined]
                object.__setattr__(self, "_slow", build_runtime_param(self._descriptor))  # type: ignore[attr-defined]
            return self._slow._coerce_value(value, param=param, ctx=ctx)  # type: ignore[attr-defined]

    for param in command.get_params(ctx):
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or getattr(param, "_runtime_param", _NO_VALUE) is not None:
            continue
        if descriptor.file_annotation is not None:
            continue
        coerce = _coercion(descriptor.annotation, descriptor.parameter_info)
        if coerce is not None:
            param._runtime_param = FastRuntimeParam(descriptor, coerce)
