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


def _tree(root: Path) -> Path:
    """A vendored project: yaml.v3 compiled in on every OS, x/net only on windows."""
    (root / "vendor").mkdir(parents=True)
    (root / "go.mod").write_text(
        "module example.com/m\n\ngo 1.22\n\nrequire (\n"
        "\tgolang.org/x/net v0.0.0-20180724234803-3673e40ba225\n"
        "\tgopkg.in/yaml.v3 v3.0.0-20210107192922-496545a6307b\n)\n"
    )
    (root / "vendor" / "modules.txt").write_text(
        "# golang.org/x/net v0.0.0-20180724234803-3673e40ba225\n## explicit\n"
        "golang.org/x/net/html\n"
        "# gopkg.in/yaml.v3 v3.0.0-20210107192922-496545a6307b\n## explicit\ngopkg.in/yaml.v3\n"
    )
    for pkg in ("golang.org/x/net/html", "gopkg.in/yaml.v3"):
        (root / "vendor" / pkg).mkdir(parents=True)
        (root / "vendor" / pkg / "x.go").write_text("package x\n")
    (root / "main.go").write_text('package main\n\nimport _ "gopkg.in/yaml.v3"\n\nfunc main() {}\n')
    (root / "main_windows.go").write_text('package main\n\nimport _ "golang.org/x/net/html"\n')
    return root / "go.mod"


def test_vulns_packages_keeps_the_compiled_modules(tmp_path: Path) -> None:
    gomod = str(_tree(tmp_path / "p"))
    base = ["vulns", gomod, "--govulndb", DB, "-f", "json"]

    def ids(extra: list[str]) -> list[str]:
        code, out, err = run([*base, *extra], tmp_path)
        assert code == 1, err
        return [f["id"] for f in json.loads(out)["findings"]]

    assert ids([]) == ["GO-2020-0014", "GO-2022-0603"]  # every vendored module
    assert ids(["--packages", ".", "--goos", "linux"]) == ["GO-2022-0603"]
    assert ids(["--packages", ".", "--goos", "windows"]) == ["GO-2020-0014", "GO-2022-0603"]


def test_vulns_packages_needs_the_vendor_tree(tmp_path: Path) -> None:
    code, _, err = run(["vulns", MANIFEST, "--govulndb", DB, "--packages", "."], tmp_path)
    assert code == 2
    assert "--packages needs the vendor/ tree" in err
