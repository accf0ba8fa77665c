"""The plain table (no colour, no width) is byte for byte what rich lays out.

``render_table`` joins a plain table itself (rich is a fifth of a warm run); rich still
draws colour, fitted widths and any cell it alone can measure.  These tests render the
same reports both ways.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vendaudit.model import Finding, Module, Project, Target, TargetStatus, Verdict
from vendaudit.report import Report, build_report, table

from .conftest import GENERATED_AT


def _by_rich(report: Report) -> str:
    after = table._after(report, None, False)
    return table._rich(
        report, table._title(report), table._rows(report), after, color=False, width=None
    )


def _plain(report: Report) -> str | None:
    after = table._after(report, None, False)
    return table._plain(table._title(report), table._header(report), table._rows(report), after)


@pytest.mark.parametrize("name", ["sample_report", "medium_report"])
def test_plain_table_is_rich_s(name: str, request: pytest.FixtureRequest) -> None:
    report = request.getfixturevalue(name)
    plain = _plain(report)
    assert plain is not None  # the fixtures take the plain path
    assert plain == _by_rich(report) == table.render_table(report)


def test_empty_report_is_rich_s(empty_report: Report) -> None:
    assert table.render_table(empty_report) == _by_rich(empty_report)


# Printable ASCII, markup brackets, control codes, tabs, wide and combining characters.
_TEXT = st.lists(
    st.sampled_from([*"abz.-/09 ", "[", "]", "[b]", "\t", "\x1b", "\r", "é", "界", "\u0301"]),
    max_size=30,
).map("".join)


def _report(paths: list[tuple[str, str, str]], reason: str, target: str) -> Report:
    tgt = Target("debian", target or "sid")
    mods = tuple(Module(p or "x", v or "v1.0.0") for p, v, _ in paths)
    findings = [
        Finding(m, tgt, Verdict.UNKNOWN if i % 2 else Verdict.OUTDATED, None, reason + r)
        for i, (m, (_, _, r)) in enumerate(zip(mods, paths, strict=True))
    ]
    return build_report(
        Project("go.mod", "example.com/app", "1.22", mods),
        [TargetStatus(tgt, notes=(reason,) if reason else ())],
        findings,
        {},
        generated_at=GENERATED_AT,
        tool_version="0.1.0",
    )


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(_TEXT, _TEXT, _TEXT), min_size=1, max_size=6, unique_by=lambda t: t[0]),
    _TEXT,
    st.sampled_from(["sid", "trixie", "sid[x]"]),
)
def test_any_cells_render_as_rich_does(
    paths: list[tuple[str, str, str]], reason: str, target: str
) -> None:
    try:
        report = _report(paths, reason, target)
    except ValueError:
        return  # a target name or module the model refuses
    assert table.render_table(report) == _by_rich(report)
