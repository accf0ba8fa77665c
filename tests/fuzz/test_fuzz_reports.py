"""Seeded fuzz targets for stored reports: ``render``/``diff`` and every renderer.

A mutated report either loads and renders in every format (surrogates escaped, never a
UnicodeEncodeError), or is refused with a one-line :class:`ReportFormatError`; through the
CLI that is exit 3 with one line on stderr and no traceback.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from tests.fuzz.mutate import ROOT, byte_cases, cases_per_target, json_cases, run_target
from vendaudit.cli import app
from vendaudit.report import ReportFormat
from vendaudit.report.diff import diff_reports
from vendaudit.report.formats import DiffFormat
from vendaudit.report.json import ReportFormatError, report_from_json

GOLDEN = ROOT / "tests" / "report" / "golden"
SEEDS: list[Any] = [
    json.loads((GOLDEN / n).read_text("utf-8")) for n in ("sample.json", "empty.json")
]
RAW_SEEDS = [(GOLDEN / n).read_bytes() for n in ("sample.json", "empty.json")]
BASE = report_from_json(SEEDS[0])


def _render_all(doc: Any) -> None:
    report = report_from_json(doc, filename="r.json")
    for fmt in ReportFormat:
        text = fmt.render(report)
        text.encode("utf-8")  # what write_output does: must never raise
    diff = diff_reports(BASE, report)
    for dfmt in DiffFormat:
        dfmt.render(diff).encode("utf-8")
    diff = diff_reports(report, BASE)
    for dfmt in DiffFormat:
        dfmt.render(diff).encode("utf-8")


def test_fuzz_report_documents() -> None:
    """Structural mutations: wrong types, dropped keys, surrogates, nesting bombs."""
    run_target("report-json", json_cases("report-json", SEEDS), _render_all, (ReportFormatError,))


def _load_bytes(data: bytes, tmp: Path) -> None:
    path = tmp / "r.json"
    path.write_bytes(data)
    from vendaudit.report.json import load_report

    report = load_report(path)
    for fmt in ReportFormat:
        fmt.render(report).encode("utf-8")


def test_fuzz_report_bytes(tmp_path: Path) -> None:
    """Byte mutations of the JSON text (invalid UTF-8, truncation, "\\ud800", deep arrays)."""
    run_target(
        "report-bytes",
        byte_cases("report-bytes", RAW_SEEDS),
        lambda d: _load_bytes(d, tmp_path),
        (ReportFormatError,),
    )


def test_fuzz_render_and_diff_cli(tmp_path: Path) -> None:
    """The CLI: exit 0, or exit 3 with one line on stderr; never a traceback."""
    runner = CliRunner()
    rng = random.Random("vendaudit-fuzz:cli")
    good = tmp_path / "good.json"
    good.write_bytes(RAW_SEEDS[0])
    bad = tmp_path / "bad.json"
    fmts = [f.value for f in ReportFormat]
    count = max(10, cases_per_target() // 10)
    docs = [json.dumps(d).encode() for d in json_cases("cli", SEEDS, count)]
    texts = docs + list(byte_cases("cli-bytes", RAW_SEEDS, count))
    for n, text in enumerate(texts, 1):
        bad.write_bytes(text)
        argv = (
            ["render", str(bad), "-f", rng.choice(fmts), "-o", str(tmp_path / "out")]
            if n % 2
            else [
                "diff",
                *rng.sample([str(good), str(bad)], 2),
                "-f",
                rng.choice(["table", "markdown", "json"]),
            ]
        )
        result = runner.invoke(app, argv)
        assert result.exit_code in (0, 3), (
            f"case {n}: {argv}: {result.exit_code} {result.exception!r}"
        )
        if result.exception is not None:
            assert isinstance(result.exception, SystemExit), f"case {n}: {result.exception!r}"
        if result.exit_code == 3:
            assert result.stderr.count("\n") == 1, f"case {n}: {result.stderr[:300]!r}"
            assert "Traceback" not in result.stderr


def test_fuzz_report_cli_local_indexes(tmp_path: Path) -> None:
    """Mutated local Sources / primary through ``report --index``: exit 0 or 4, never a crash."""
    from tests.fuzz.mutate import read_seeds

    runner = CliRunner()
    manifest = ROOT / "fixtures" / "quickstart" / "vendor.mod"
    count = max(6, cases_per_target() // 20)
    kinds = [
        ("debian:sid", "Sources", read_seeds("quickstart/*Sources", "debian/sid-traps.Sources")),
        ("fedora:rawhide", "primary.xml", read_seeds("fedora/primary-*.xml")),
    ]
    for target, name, seeds in kinds:
        index = tmp_path / name
        for n, data in enumerate(byte_cases(f"cli-{name}", seeds, count), 1):
            index.write_bytes(data)
            argv = ["report", str(manifest), "--index", f"{target}={index}", "--no-tag-dates"]
            result = runner.invoke(app, [*argv, "-f", "json", "--cache-dir", str(tmp_path / "c")])
            assert result.exit_code in (0, 4), f"{name} case {n}: {result.exception!r}"
            assert result.exception is None or isinstance(result.exception, SystemExit), (
                f"{name} case {n}: {result.exception!r}"
            )
