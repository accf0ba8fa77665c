"""Golden renders of every format, for the realistic sample and for the empty report."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from vendaudit.model import Plan
from vendaudit.report import Report, ReportFormat, ReportRenderError
from vendaudit.report.formats import plans_for_family
from vendaudit.report.markdown import render_markdown
from vendaudit.report.rpm import render_rpm
from vendaudit.report.table import render_table

Golden = Callable[[str, str], None]

# debian output belongs to the Debian layer; its own tests hold its goldens.
GOLDEN_FORMATS = [f for f in ReportFormat if f is not ReportFormat.DEBIAN]
EXT = {"table": "txt", "json": "json", "markdown": "md", "html": "html", "rpm": "spec.txt"}


@pytest.mark.parametrize("fmt", GOLDEN_FORMATS, ids=str)
def test_sample_golden(sample_report: Report, golden: Golden, fmt: ReportFormat) -> None:
    golden(f"sample.{EXT[fmt.value]}", fmt.render(sample_report))


@pytest.mark.parametrize("fmt", GOLDEN_FORMATS, ids=str)
def test_empty_golden(empty_report: Report, golden: Golden, fmt: ReportFormat) -> None:
    golden(f"empty.{EXT[fmt.value]}", fmt.render(empty_report))


def test_table_color_golden(sample_report: Report, golden: Golden) -> None:
    text = ReportFormat.TABLE.render(sample_report, color=True)
    assert "\x1b[" in text
    golden("sample.table-color.txt", text)


def test_every_format_renders_the_empty_report(
    empty_report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_fragments(monkeypatch)
    for fmt in ReportFormat:
        assert isinstance(fmt.render(empty_report), str), fmt


def test_registry_is_exhaustive() -> None:
    # Every member must map to a renderer; a new member without one fails here, not in CI.
    for fmt in ReportFormat:
        assert callable(fmt.renderer()), fmt
    assert {f.value for f in ReportFormat} == {
        "table",
        "json",
        "markdown",
        "html",
        "debian",
        "rpm",
    }


def test_plain_table_has_no_escape_codes_and_aligns(sample_report: Report) -> None:
    text = render_table(sample_report, color=False)
    assert "\x1b" not in text
    rows = [ln for ln in text.splitlines()[1:] if ln.startswith(("github.com/", "golang.org/"))]
    assert len(rows) == len(sample_report.modules)
    col = rows[0].index("v2.0.0")
    assert all(r[col - 1] == " " and r[col] == "v" for r in rows)
    assert [r.split()[0] for r in rows] == sorted(r.split()[0] for r in rows)
    assert "epel:10: 9 unknown (9 modules) — target failed:" in text


def test_markdown_summary_line_per_target(sample_report: Report) -> None:
    text = render_markdown(sample_report)
    assert "<details><summary>debian:sid — 2 missing, 1 outdated, 1 other-major, 2 replaced" in text
    assert "github.com/pipe\\|name/x" in text
    assert "| epel:10 | failed |" in text


def test_markdown_truncates_to_budget(big_report: Report) -> None:
    full = render_markdown(big_report, max_bytes=10_000_000)
    small = render_markdown(big_report, max_bytes=200_000)
    assert len(full.encode()) > 200_000
    assert len(small.encode()) <= 200_000
    assert "more modules not shown" in small
    assert "more not shown" in small  # the long Files-Excluded block is cut too


def test_markdown_big_report_fits_github_limit(big_report: Report) -> None:
    assert len(render_markdown(big_report).encode()) < 1024 * 1024


def test_rpm_normalises_prefixes(sample_report: Report) -> None:
    text = render_rpm(sample_report)
    assert "Provides: Provides:" not in text
    assert "Provides: bundled(golang(golang.org/x/net)) = 0^20240301gitabcdef1" in text
    assert "BuildRequires: golang(github.com/spf13/cobra) >= 1.8.0" in text
    assert "# debian:sid" not in text
    assert "# epel:10\n# target failed:" in text


def _fake_fragments(monkeypatch: pytest.MonkeyPatch) -> list[Sequence[Plan]]:
    calls: list[Sequence[Plan]] = []
    module = types.ModuleType("vendaudit.distros.debian.fragments")

    def render_debian(plans: Sequence[Plan]) -> str:
        calls.append(plans)
        return "".join(f"# {p.target.id}\n" for p in plans)

    module.render_debian = render_debian  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "vendaudit.distros.debian.fragments", module)
    return calls


def test_debian_delegates_deb_plans(sample_report: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _fake_fragments(monkeypatch)
    assert ReportFormat.DEBIAN.render(sample_report) == "# debian:sid\n# debian:trixie\n"
    (plans,) = calls
    assert plans[0].build_depends == sample_report.plan("debian:sid").build_depends
    assert plans[0].keep[1].marker == "~F~"


def test_debian_missing_backend_is_a_clear_error(
    sample_report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "vendaudit.distros.debian.fragments", None)
    with pytest.raises(ReportRenderError, match="debian format is not available"):
        ReportFormat.DEBIAN.render(sample_report)


def test_plans_for_family_rpm(sample_report: Report) -> None:
    plans = plans_for_family(sample_report, "rpm")
    assert [p.target.id for p in plans] == ["fedora:rawhide", "epel:10"]


def test_no_stale_goldens() -> None:
    # A renamed test leaves its old golden behind; fail instead of keeping dead files.
    golden_dir = Path(__file__).parent / "golden"
    expected = {f"{kind}.{EXT[f.value]}" for kind in ("sample", "empty") for f in GOLDEN_FORMATS}
    expected |= {"sample.table-color.txt", "diff.txt", "diff.md", "diff.json"}
    assert {p.name for p in golden_dir.iterdir()} == expected


def test_debian_with_the_real_backend(sample_report: Report) -> None:
    pytest.importorskip("vendaudit.distros.debian.fragments")
    text = ReportFormat.DEBIAN.render(sample_report)
    assert "debian:sid" in text and "fedora:rawhide" not in text
