"""Open the HTML report in headless Chromium: no network, no errors, graph visible, sorting.

The page carries a self-test hook that runs only under ``#vendaudit-selftest`` and writes
its findings into ``<html data-selftest=...>``, which ``--dump-dom`` prints.  No CDP client
is needed.  Skipped when chromium is not installed.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from vendaudit.report import Report
from vendaudit.report.html import render_html

CHROMIUM = next(
    (p for p in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser"))
     if p and os.path.exists(p)),
    None,
)  # fmt: skip
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "report-screenshot.png"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed"),
]


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        f"--user-data-dir={tmp_path / 'profile'}",
        # Any name lookup fails: if the page tried the network it would show up as an error.
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--enable-logging=stderr",
        "--v=0",
        *args,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)


def _selftest(tmp_path: Path, report: Report, tamper: str = "") -> tuple[dict[str, Any], str]:
    page = tmp_path / "report.html"
    page.write_text(render_html(report).replace("<footer>", tamper + "<footer>"), "utf-8")
    proc = _chromium(
        tmp_path, "--virtual-time-budget=3000", "--dump-dom", f"{page.as_uri()}#vendaudit-selftest"
    )
    m = re.search(r'data-selftest="([^"]*)"', proc.stdout)
    assert m, f"self-test did not run\nstderr:\n{proc.stderr[-2000:]}"
    return json.loads(html.unescape(m.group(1))), proc.stderr


def _console_errors(stderr: str) -> list[str]:
    # Chromium logs page console output as "...:CONSOLE(line)] "message", source: ...".
    return [ln for ln in stderr.splitlines() if "CONSOLE" in ln and "source: file://" in ln]


def test_sample_report_in_chromium(sample_report: Report, tmp_path: Path) -> None:
    result, stderr = _selftest(tmp_path, sample_report)
    assert result["errors"] == []
    assert _console_errors(stderr) == []
    assert result["resources"] == [], "the report must not load anything"
    assert "net::ERR_NAME_NOT_RESOLVED" not in stderr
    width, height = result["svg"]
    assert width > 100 and height > 50
    assert result["nodes"] == 8
    # before, module ascending, module descending, debian:sid column (missing first)
    assert result["first"] == [
        "github.com/containerd/containerd/v2",
        "github.com/containerd/containerd/v2",
        "golang.org/x/net",
        "github.com/foo/bar",
    ]
    assert result["shown"] == "6 of 9 modules"


def test_empty_report_in_chromium(empty_report: Report, tmp_path: Path) -> None:
    result, stderr = _selftest(tmp_path, empty_report)
    assert result["errors"] == [] and result["resources"] == []
    assert result["svg"] is None and result["first"] == [None]
    assert _console_errors(stderr) == []


def test_selftest_notices_a_request(sample_report: Report, tmp_path: Path) -> None:
    # Proves the checks above can fail: a stray external image must be caught.
    result, _ = _selftest(tmp_path, sample_report, '<img src="https://example.invalid/x.png">')
    assert any("blocked by CSP: https://example.invalid/x.png" in e for e in result["errors"])


def test_screenshot(sample_report: Report, tmp_path: Path) -> None:
    """Refresh docs/report-screenshot.png (only with VENDAUDIT_UPDATE_GOLDEN=1)."""
    page = tmp_path / "report.html"
    page.write_text(render_html(sample_report), encoding="utf-8")
    shot = tmp_path / "shot.png"
    _chromium(
        tmp_path, "--hide-scrollbars", f"--screenshot={shot}", "--window-size=1280,1600",
        page.as_uri(),
    )  # fmt: skip
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get("VENDAUDIT_UPDATE_GOLDEN") == "1":
        SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(shot, SCREENSHOT)
