"""The service pages in headless Chromium, served by a real Hypercorn on 127.0.0.1.

As for the HTML report, each page carries a self-test hook that runs only under
``#vendaudit-selftest`` and writes what it saw into ``<html data-selftest=...>``.
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
from urllib.parse import urlsplit

import httpx
import pytest

CHROMIUM = next(
    (p for p in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser"))
     if p and os.path.exists(p)),
    None,
)  # fmt: skip

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed"),
]


def _selftest(tmp_path: Path, url: str) -> tuple[dict[str, Any], str]:
    assert CHROMIUM is not None
    cmd = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-extensions", f"--user-data-dir={tmp_path / 'profile'}",
        # Every name lookup fails: a page reaching for the network would show as an error.
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000", "--dump-dom",
        url + "#vendaudit-selftest",
    ]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    m = re.search(r'data-selftest="([^"]*)"', proc.stdout)
    assert m, f"self-test did not run\nstderr:\n{proc.stderr[-2000:]}"
    return json.loads(html.unescape(m.group(1))), proc.stderr


def _console_errors(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if "CONSOLE" in ln and "source: http" in ln]


def _only_loopback(urls: list[str]) -> bool:
    return all(urlsplit(u).hostname == "127.0.0.1" for u in urls)


def test_overview_in_chromium(live_server: str, tmp_path: Path) -> None:
    result, stderr = _selftest(tmp_path, live_server + "/")
    assert result["errors"] == [] and _console_errors(stderr) == []
    assert result["resources"] == []
    assert "net::ERR_NAME_NOT_RESOLVED" not in stderr
    links = result["links"]
    assert f"{live_server}/projects/qs" in links
    assert _only_loopback(links)
    with httpx.Client(timeout=10) as http:
        for link in links:
            assert http.get(link).status_code == 200, link


def test_project_page_in_chromium(live_server: str, tmp_path: Path) -> None:
    result, stderr = _selftest(tmp_path, live_server + "/projects/qs")
    assert result["errors"] == [] and _console_errors(stderr) == []
    # The only load is the embedded report, from the same server.
    assert result["resources"] == [f"{live_server}/runs/2/report.html"]
    ((width, height, lines),) = result["charts"]
    assert width > 300 and height > 100 and lines == 4
    assert _only_loopback(result["links"])


def test_module_page_in_chromium(live_server: str, tmp_path: Path) -> None:
    result, _ = _selftest(tmp_path, live_server + "/modules/github.com/moby/swarmkit/v2")
    assert result["errors"] == [] and result["resources"] == []
    assert f"{live_server}/projects/other" in result["links"]


def _links_ok(links: list[str]) -> bool:
    # Pages link out only to the entries' advisories (a link, never a load).
    return all(
        urlsplit(u).hostname == "127.0.0.1" or u.startswith("https://pkg.go.dev/vuln/")
        for u in links
    )


@pytest.mark.parametrize(
    "path",
    ["/", "/vulns", "/projects/vuln", "/projects/failed", "/modules/google.golang.org/grpc"],
)
def test_security_pages_in_chromium(live_secured: str, tmp_path: Path, path: str) -> None:
    result, stderr = _selftest(tmp_path, live_secured + path)
    assert result["errors"] == [] and _console_errors(stderr) == []
    assert "net::ERR_NAME_NOT_RESOLVED" not in stderr
    frames = [f"{live_secured}/runs/{n}/report.html" for n in range(1, 9)]
    assert all(r in frames for r in result["resources"]), result["resources"]
    assert _links_ok(result["links"]), result["links"]
    with httpx.Client(timeout=10) as http:
        for link in result["links"]:
            if link.startswith(live_secured):
                assert http.get(link).status_code == 200, link
