"""`vendaudit watch` / `history` end to end on the Quick start fixture and a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from vendaudit.cli import app


def run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, args)
    return result.exit_code, result.stdout, result.stderr


def test_watch_run_twice_and_history(db_url: str, tmp_path: Path, helpers: Any) -> None:
    db = ["--db", db_url]
    manifest = str(helpers.manifest)
    code, out, err = run(["watch", "add", manifest, "--name", "qs", "-d", "debian:sid", *db])
    assert code == 0, err
    assert "watching qs" in out
    assert (
        run(["watch", "add", manifest, "--name", "qs2", "-d", "debian:sid,debian:sid", *db])[0] == 0
    )
    source = ["--index", f"debian:sid={helpers.sources}", "--no-tag-dates", "--offline"]
    source += ["--cache-dir", str(tmp_path / "cache")]
    for _ in range(2):
        code, _, err = run(["watch", "run", *db, *source])
        assert code == 0, err
        assert "qs: run" in err and "debian:sid: 2 missing" in err
    code, out, _ = run(["watch", "list", *db, "--format", "json"])
    listed = json.loads(out)
    assert [p["name"] for p in listed] == ["qs", "qs2"]
    assert listed[1]["targets"] == ["debian:sid"]
    code, out, _ = run(["history", "qs", *db])
    assert code == 0
    assert out.startswith("qs: 2 runs")
    assert "debian:sid  11" in out
    code, out, _ = run(["history", "qs", *db, "--format", "json"])
    doc = json.loads(out)
    assert doc["kind"] == "vendaudit-history" and len(doc["runs"]) == 2
    assert doc["runs"][0]["targets"]["debian:sid"]["missing"] == 2
    # Only the named project runs.
    assert run(["watch", "run", "qs2", *db, *source])[0] == 0
    assert len(json.loads(run(["history", "qs2", *db, "-f", "json"])[1])["runs"]) == 3
    assert run(["watch", "remove", "qs", *db])[0] == 0
    assert run(["history", "qs", *db])[0] == 3


def test_watch_errors_are_one_line(tmp_path: Path, helpers: Any) -> None:
    db = ["--db", str(tmp_path / "x.sqlite3")]
    code, _, err = run(
        ["watch", "add", str(tmp_path / "nope.mod"), "-n", "x", "-d", "debian:sid", *db]
    )
    assert code == 3 and "Traceback" not in err
    code, _, err = run(
        ["watch", "add", "http://example.org/go.mod", "-n", "x", "-d", "debian:sid", *db]
    )
    assert code == 2 and "https" in err
    code, _, err = run(["watch", "add", str(helpers.manifest), "-n", "x", "-d", "nonsense", *db])
    assert code == 2
    assert run(["watch", "run", "ghost", *db])[0] == 3
    assert run(["history", "ghost", *db])[0] == 3
    assert run(["watch", "run", *db])[0] == 3  # nothing watched


def test_broken_manifest_gets_a_failed_run(tmp_path: Path, helpers: Any) -> None:
    db = ["--db", str(tmp_path / "x.sqlite3")]
    mod = tmp_path / "go.mod"
    mod.write_text("module example.com/x\n\ngo 1.22\n")
    assert run(["watch", "add", str(mod), "-n", "x", "-d", "debian:sid", *db])[0] == 0
    mod.write_text("module example.com/x\nbogus directive\n")
    code, _, err = run(
        ["watch", "run", *db, "--index", f"debian:sid={helpers.sources}", "--no-tag-dates"]
    )
    assert code == 3
    assert "go.mod:2" in err
    code, out, _ = run(["history", "x", *db, "-f", "json"])
    assert json.loads(out)["runs"][0]["status"] == "error"


def test_watch_run_checks_vulnerabilities(db_url: str, tmp_path: Path, helpers: Any) -> None:
    db = ["--db", db_url]
    manifest = str(helpers.vuln_manifest)
    assert run(["watch", "add", manifest, "-n", "v", "-d", "debian:bookworm", *db])[0] == 0
    sources = tmp_path / "bookworm-Sources"
    sources.write_bytes(helpers.vuln_sources.read_bytes())
    common = ["--index", f"debian:bookworm={sources}", "--no-tag-dates", "--offline"]
    common += ["--cache-dir", str(tmp_path / "cache"), *db]
    vulns = ["--vulns", "--govulndb", helpers.govulndb.as_uri()]
    code, _, err = run(["watch", "run", *common])  # without --vulns: not checked
    assert code == 0, err
    assert "vulnerable" not in err
    code, _, err = run(["watch", "run", *common, *vulns])
    assert code == 0, err
    assert "v: run 2: debian:bookworm:" in err and "; 7 vulnerable modules" in err
    # bookworm's jwt package moves past GO-2024-3250's fix (4.5.1).
    text = sources.read_text(encoding="utf-8")
    jwt = text.index("Package: golang-github-golang-jwt-jwt\n")
    end = text.index("\n\n", jwt)
    para = text[jwt:end].replace("Version: 4.4.3-1", "Version: 4.5.2-1")
    sources.write_text(text[:jwt] + para + text[end:], encoding="utf-8")
    code, _, err = run(["watch", "run", *common, *vulns])
    assert code == 0, err
    code, out, _ = run(["history", "v", *db, "-f", "json"])
    newest, checked, unchecked = json.loads(out)["runs"]
    assert "security" not in unchecked  # not checked: no counts at all
    assert checked["security"]["vulnerable_modules"] == 7
    assert checked["security"]["targets"]["debian:bookworm"]["fixed-in-distro"] == 3
    assert newest["security"]["targets"]["debian:bookworm"]["fixed-in-distro"] == 4
    assert newest["changes"] == [
        "vulnerability fixable by unvendoring in bookworm: GO-2024-3250 "
        "github.com/golang-jwt/jwt/v4@v4.4.0 (golang-github-golang-jwt-jwt-dev 4.5.2-1)"
    ]
    code, out, _ = run(["history", "v", *db])
    assert "    security: 7 vulnerable modules; fixed-in-distro: 4 in bookworm" in out


def test_watch_run_vulns_unknown_offline(tmp_path: Path, helpers: Any) -> None:
    db = ["--db", str(tmp_path / "x.sqlite3")]
    manifest = str(helpers.vuln_manifest)
    assert run(["watch", "add", manifest, "-n", "v", "-d", "debian:bookworm", *db])[0] == 0
    code, _, err = run(
        ["watch", "run", *db, "--index", f"debian:bookworm={helpers.vuln_sources}",
         "--no-tag-dates", "--offline", "--cache-dir", str(tmp_path / "cache"), "--vulns",
         "--govulndb", "https://vuln.example.org"]
    )  # fmt: skip
    assert code == 0, err
    assert "vulnerabilities unknown" in err
    doc = json.loads(run(["history", "v", *db, "-f", "json"])[1])
    sec = doc["runs"][0]["security"]
    assert sec["status"] == "unknown" and sec["vulnerable_modules"] is None
    assert "offline" in sec["error"]


def test_watch_run_reads_the_database_once(tmp_path: Path, helpers: Any, httpx_mock: Any) -> None:
    base = "https://vuln.example"
    for ep in (
        "index/db.json",
        "index/modules.json",
        *(f"ID/{p.stem}.json" for p in (helpers.govulndb / "ID").iterdir()),
    ):
        httpx_mock.add_response(
            url=f"{base}/{ep}", content=(helpers.govulndb / ep).read_bytes(), is_optional=True
        )
    db = ["--db", str(tmp_path / "x.sqlite3")]
    for n in ("a", "b", "c"):
        args = ["watch", "add", str(helpers.vuln_manifest), "-n", n, "-d", "debian:bookworm"]
        assert run([*args, *db])[0] == 0
    code, _, err = run(
        ["watch", "run", *db, "--index", f"debian:bookworm={helpers.vuln_sources}",
         "--no-tag-dates", "--cache-dir", str(tmp_path / "cache"), "--vulns", "--govulndb", base]
    )  # fmt: skip
    assert code == 0, err
    assert err.count("7 vulnerable modules") == 3
    asked = [str(r.url).removeprefix(base) for r in httpx_mock.get_requests()]
    # db.json, the index and the 7 entries once for three projects.
    assert len(asked) == len(set(asked)) == 9, asked
