"""The module proxy unreachable, black-holed or lying: bounded cost, unknown, never cached."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Vendaudit = Callable[..., Any]

SNAPSHOT = (
    b"Package: golang-example-snap\nBinary: golang-example-snap-dev\n"
    b"Version: 0.0~git20230502.9c3c875-1\nArchitecture: all\n"
    b"Go-Import-Path: example.org/snap\n\n"
)
INFO = "/example.org/snap/@v/v0.5.2.info"


@pytest.fixture
def snap_manifest(tmp_path: Path) -> Path:
    """Requires a tag that the sid data only has as an (older) snapshot."""
    path = tmp_path / "snap" / "go.mod"
    path.parent.mkdir()
    path.write_text("module example.com/app\n\ngo 1.22\n\nrequire example.org/snap v0.5.2\n")
    return path


def audit(
    vendaudit: Vendaudit, manifest: Path, mirror: str, monkeypatch: pytest.MonkeyPatch, proxy: str
) -> Any:
    monkeypatch.setenv("GOPROXY", proxy)
    return vendaudit(
        "report",
        str(manifest),
        "--distro",
        "debian:sid",
        "--mirror",
        f"debian={mirror}/debian",
        "--allow-unsigned",
        "--graph",
        "none",
        "--format",
        "json",
    )


@pytest.fixture
def mirror(server: Any, kit: Any) -> str:
    kit.serve_sid(server, kit.sid_sources() + SNAPSHOT)
    return str(server.url)


def test_a_good_proxy_settles_by_date_and_is_cached(
    vendaudit: Vendaudit,
    snap_manifest: Path,
    mirror: str,
    server: Any,
    kit: Any,
    fast_env: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server.routes[INFO] = kit.Reply(b'{"Version":"v0.5.2","Time":"2022-01-05T10:00:00Z"}')
    run = audit(vendaudit, snap_manifest, mirror, monkeypatch, server.url)
    assert run.code == 0, run.stderr
    assert run.verdicts("debian:sid")["example.org/snap"] == "satisfied"
    server.close()  # immutable once verified: the next run does not ask
    again = audit(vendaudit, snap_manifest, mirror, monkeypatch, server.url)
    assert again.verdicts("debian:sid")["example.org/snap"] == "unknown"  # mirror gone too
    assert "proxy unreachable" not in again.stderr


@pytest.mark.parametrize(
    "body",
    [
        b'{"Version":"v0.5.2","Time":"yesterday"}',
        b'{"Version":"v0.5.2"}',
        b'["v0.5.2","2022-01-05T10:00:00Z"]',
        b'{"Time":"2022-01-05T10:00:00Z"}',
        b"[" * 100_000,
    ],
)
def test_a_malformed_info_is_unknown_and_not_cached(
    vendaudit: Vendaudit,
    snap_manifest: Path,
    mirror: str,
    server: Any,
    kit: Any,
    fast_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    body: bytes,
) -> None:
    server.routes[INFO] = kit.Reply(body)
    run = audit(vendaudit, snap_manifest, mirror, monkeypatch, server.url)
    assert run.code == 0, run.stderr
    assert run.verdicts("debian:sid")["example.org/snap"] == "unknown"
    server.routes[INFO] = kit.Reply(b'{"Version":"v0.5.2","Time":"2022-01-05T10:00:00Z"}')
    healed = audit(vendaudit, snap_manifest, mirror, monkeypatch, server.url)
    assert healed.verdicts("debian:sid")["example.org/snap"] == "satisfied"
    assert server.count(INFO) == 2  # the bad answer was not cached as immutable


def baseline(vendaudit: Vendaudit, manifest: Path, mirror: str) -> float:
    run = vendaudit(
        "report", str(manifest), "--distro", "debian:sid", "--mirror", f"debian={mirror}/debian",
        "--allow-unsigned", "--graph", "none", "--format", "json", "--no-tag-dates",
    )  # fmt: skip
    assert run.code == 0
    return float(run.seconds)


@pytest.mark.parametrize("where", ["no-such-host", "refused", "black-hole"])
def test_an_unreachable_proxy_costs_a_short_timeout_and_says_so_once(
    vendaudit: Vendaudit,
    snap_manifest: Path,
    mirror: str,
    fast_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    black_hole: str,
    refused_url: str,
    where: str,
) -> None:
    proxy = {
        "no-such-host": "http://no-such-host.invalid",
        "refused": refused_url,
        "black-hole": black_hole,
    }[where]
    base = baseline(vendaudit, snap_manifest, mirror)  # warms the index cache too
    base = min(base, baseline(vendaudit, snap_manifest, mirror))
    start = time.monotonic()
    run = audit(vendaudit, snap_manifest, mirror, monkeypatch, proxy)
    elapsed = time.monotonic() - start
    assert run.code == 0, run.stderr
    assert run.verdicts("debian:sid")["example.org/snap"] == "unknown"
    message = "module proxy unreachable: 1 verdict left unknown (use --no-tag-dates or --offline)"
    assert run.stderr.count(message) == 1
    # VENDAUDIT_PROXY_TIMEOUT is 0.3 s here: at most that, plus scheduling noise.
    assert elapsed < base + 1.5
    doc = json.loads(run.stdout)
    assert doc["modules"][0]["results"]["debian:sid"]["verdict"] == "unknown"
