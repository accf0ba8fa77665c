"""The ftp-master API over a loopback server: empty, short and malformed madison answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
DEB = ROOT / "fixtures" / "debian"
FULL = json.loads((DEB / "ftpmaster-madison-go.json").read_bytes())


def serve(server: Any, kit: Any, *, empty: bool = False, bad: bool = False) -> None:
    server.routes["/api/suites"] = kit.Reply((DEB / "ftpmaster-suites.json").read_bytes())
    server.routes["/api/binary/by_metadata/Go-Import-Path"] = kit.Reply(
        (DEB / "ftpmaster-by-metadata-go.json").read_bytes()
    )
    original = server._reply

    def reply(path: str, headers: dict[str, str]) -> Any:
        if not path.startswith("/api/madison?"):
            return original(path, headers)
        with server._lock:
            server.requests.append((path, headers))
        names = parse_qs(urlsplit(path).query)["package"][0].split()
        out = {n: FULL[0][n] for n in names if n in FULL[0]}
        if bad:
            out = {n: {"unstable": {"not a version": {"architectures": ["source"]}}} for n in out}
        return kit.Reply(json.dumps([] if empty or not out else [out]).encode())

    server._reply = reply


@pytest.fixture
def yaml_manifest(tmp_path: Path) -> Path:
    path = tmp_path / "m" / "go.mod"
    path.parent.mkdir()
    path.write_text(
        "module example.com/app\n\ngo 1.22\n\nrequire (\n"
        "\tgopkg.in/yaml.v3 v3.0.1\n\tgithub.com/docker/docker v28.5.2+incompatible\n)\n"
    )
    return path


def run_api(vendaudit: Any, manifest: Path, server: Any) -> Any:
    return vendaudit(
        "report", str(manifest), "--distro", "debian:sid", "--debian-backend", "api",
        "--mirror", f"ftp-master={server.url}/api", "--no-tag-dates", "--graph", "none",
        "--format", "json",
    )  # fmt: skip


def test_good_answers(
    vendaudit: Any, yaml_manifest: Path, server: Any, kit: Any, fast_env: Path
) -> None:
    serve(server, kit)
    run = run_api(vendaudit, yaml_manifest, server)
    assert run.code == 0, run.stderr
    assert run.verdicts("debian:sid")["gopkg.in/yaml.v3"] == "satisfied"


def test_empty_madison_is_unknown_never_missing_and_heals(
    vendaudit: Any, yaml_manifest: Path, server: Any, kit: Any, fast_env: Path
) -> None:
    serve(server, kit, empty=True)
    run = run_api(vendaudit, yaml_manifest, server)
    assert run.code == 4, run.stderr  # no answer for any Go source: an outage
    assert "missing" not in run.verdicts("debian:sid").values()
    serve(server, kit)
    healed = run_api(vendaudit, yaml_manifest, server)
    assert healed.code == 0 and healed.verdicts("debian:sid")["gopkg.in/yaml.v3"] == "satisfied"


def test_malformed_madison_is_a_target_error_not_cached(
    vendaudit: Any, yaml_manifest: Path, server: Any, kit: Any, fast_env: Path
) -> None:
    serve(server, kit, bad=True)
    run = run_api(vendaudit, yaml_manifest, server)
    assert run.code == 4 and "is not a Debian version" in run.stderr
    assert set(run.verdicts("debian:sid").values()) == {"unknown"}
    serve(server, kit)
    assert run_api(vendaudit, yaml_manifest, server).code == 0
