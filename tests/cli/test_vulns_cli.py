"""`vendaudit vulns` end to end on fixtures/vulns with the real govulndb excerpt."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from vendaudit.cli import app

FIX = Path(__file__).resolve().parents[2] / "fixtures"
DB = (FIX / "govulndb").as_uri()
MANIFEST = str(FIX / "vulns" / "go.mod")


def run(args: list[str], tmp_path: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, [*args, "--cache-dir", str(tmp_path / "cache")])
    return result.exit_code, result.stdout, result.stderr


def test_vulns_json(tmp_path: Path) -> None:
    code, out, err = run(["vulns", MANIFEST, "--govulndb", DB, "--format", "json"], tmp_path)
    assert code == 1, err
    doc = json.loads(out)
    assert doc["modified"] == "2026-08-21T20:38:00Z"
    assert [(f["module"], f["id"], f["fixed"]) for f in doc["findings"]] == [
        ("github.com/docker/docker", "GO-2022-0390", "v20.10.14+incompatible"),
        ("github.com/golang-jwt/jwt/v4", "GO-2024-3250", "v4.5.1"),
        ("github.com/miekg/dns", "GO-2020-0006", "v1.0.4-0.20180125103619-43913f2f4fbd"),
        ("github.com/shiyanhui/dht", "GO-2020-0040", None),
        ("golang.org/x/net", "GO-2020-0014", "v0.0.0-20190125091013-d26f9f9a57f3"),
        ("google.golang.org/grpc", "GO-2023-2153", "v1.57.1"),
        ("gopkg.in/yaml.v3", "GO-2022-0603", "v3.0.0-20220521103104-8f96da9f5d5e"),
    ]


def test_vulns_table_and_govulndb_env(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["vulns", MANIFEST, "--cache-dir", str(tmp_path)], env={"GOVULNDB": DB}
    )
    assert result.exit_code == 1
    assert "GO-2023-2153  google.golang.org/grpc@v1.57.0  fixed in v1.57.1" in result.stdout


def test_vulns_offline_empty_cache_is_unknown(tmp_path: Path) -> None:
    code, out, _ = run(["vulns", MANIFEST, "--offline"], tmp_path)
    assert code == 4
    assert out.startswith("vulnerabilities unknown: https://vuln.go.dev/index/db.json")


def test_vulns_clean_project(tmp_path: Path) -> None:
    (tmp_path / "go.mod").write_text("module x\n\ngo 1.22\n\nrequire golang.org/x/net v0.40.0\n")
    code, out, _ = run(["vulns", str(tmp_path / "go.mod"), "--govulndb", DB], tmp_path)
    assert code == 0
    assert "No vulnerable required module found." in out
