"""The indented JSON writer is json.dumps(indent=2, ensure_ascii=False), byte for byte."""

from __future__ import annotations

import json
from enum import IntEnum, StrEnum
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from vendaudit.report.jsontext import dumps_indented

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),
)
_DOCS = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(st.text(max_size=5), inner, max_size=4),
    ),
    max_leaves=30,
)


@settings(max_examples=500)
@given(_DOCS)
def test_same_text_as_json_dumps(doc: Any) -> None:
    assert dumps_indented(doc) == json.dumps(doc, indent=2, ensure_ascii=False)


class _Level(IntEnum):
    LOW = 1


class _Name(StrEnum):
    A = "a\u00e9\u2028"


def test_other_types_fall_back_to_json_dumps() -> None:
    for doc in ({1: "int key"}, {"k": _Level.LOW}, [_Name.A], {"k": {True: None}}):
        assert dumps_indented(doc) == json.dumps(doc, indent=2, ensure_ascii=False)
