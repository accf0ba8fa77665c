"""`vendaudit sweep` end to end: real applications' go.mod files against trimmed real sid.

The archive tables are cross-checked against the per-application reports the same run
writes, and those against separate `vendaudit report` runs.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from pytest_httpx import HTTPXMock
from typer.testing import CliRunner

from vendaudit.cli import app

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "sweep"
LIBS = f"debian:sid={FIX / 'sid-Sources-libs'}"
APPS = ["age", "glow", "gum", "jqp"]


def run(args: list[str], tmp_path: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        app, [*args, "--cache-dir", str(tmp_path / "cache"), "--no-tag-dates"]
    )
    return result.exit_code, result.stdout, result.stderr


def _verdicts(doc: dict) -> dict[tuple[str, str], str]:  # type: ignore[type-arg]
    return {
        (m["path"], tid): cell["verdict"]
        for m in doc["modules"]
        for tid, cell in m["results"].items()
    }


def test_sweep_directory_cross_checked(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stdout, err = run(
        [
            "sweep",
            "--manifests",
            str(FIX / "apps"),
            "--index",
            LIBS,
            "--output-dir",
            str(out),
            "--format",
            "json",
        ],
        tmp_path,
    )
    assert code == 0, err
    assert stdout == ""  # with --output-dir the files are the output
    view = json.loads((out / "archive.json").read_text())
    assert view["summary"] == {"applications": 5, "audited": 4}
    rows = {a["source"]: a for a in view["applications"]}
    assert rows["not-go"]["error"] and "no go.mod" in rows["not-go"]["error"]
    assert rows["age"]["version"] == "1.3.2-1"
    # Recount the archive tables from the per-application reports.
    missing: dict[str, set[str]] = defaultdict(set)
    outdated: dict[str, set[str]] = defaultdict(set)
    for name in APPS:
        report = json.loads((out / rows[name]["report"]).read_text())
        counts = rows[name]["counts"]["debian:sid"]
        assert counts["total"] == len(report["modules"])
        for module in report["modules"]:
            if module["results"]["debian:sid"]["verdict"] == "missing":
                missing[module["path"]].add(name)
        for entry in report["plan"]["debian:sid"]["update"]:
            outdated[entry["package"]].add(name)
        # ... and each per-application report against a separate `vendaudit report` run.
        c2, separate, e2 = run(
            [
                "report",
                str(FIX / "apps" / name / "go.mod"),
                "--index",
                LIBS,
                "--format",
                "json",
                "--graph",
                "none",
                "--no-licenses",
            ],
            tmp_path,
        )
        assert c2 in (0, 1), e2
        assert _verdicts(json.loads(separate)) == _verdicts(report)
    wanted = view["most_wanted"]["debian:sid"]
    assert {w["module"]: set(w["apps"]) for w in wanted} == missing
    assert [w["applications"] for w in wanted] == sorted(
        (w["applications"] for w in wanted), reverse=True
    )
    # Shared by the three charm TUIs, packaged by nobody in this trimmed sid.
    top = {w["module"]: w for w in wanted}["github.com/mattn/go-localereader"]
    assert top["applications"] == 3 and top["name"] == "golang-github-mattn-go-localereader-dev"
    assert {o["package"]: set(o["apps"]) for o in view["most_outdated"]["debian:sid"]} == outdated
    assert (out / "archive.md").read_text().startswith("# Archive-wide view")
    html = (out / "archive.html").read_text()
    assert "<script" not in html and "http" not in html.split("<body>")[0]


def test_sweep_bad_manifests_dir(tmp_path: Path) -> None:
    code, _, err = run(["sweep", "--manifests", str(tmp_path / "nope"), "--index", LIBS], tmp_path)
    assert code == 3 and "not a directory" in err


def test_sweep_lists_and_fetches(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    """Listing from the suite's own index, fetching from a faked sources.debian.org."""
    base = "https://sources.debian.org/data/main"
    age = (FIX / "apps" / "age" / "go.mod").read_bytes()
    httpx_mock.add_response(url=f"{base}/a/age/1.3.2-1/go.mod", content=age)
    httpx_mock.add_response(
        url=f"{base}/r/restic/0.19.1-1/go.mod", status_code=429, headers={"Retry-After": "0"}
    )
    httpx_mock.add_response(
        url=f"{base}/r/restic/0.19.1-1/go.mod",
        content=age.replace(b"filippo.io/age", b"github.com/restic/restic"),
    )
    moby = "/d/docker.io/28.5.2+dfsg4-5"
    httpx_mock.add_response(url=f"{base}{moby}/go.mod", status_code=404, is_reusable=True)
    httpx_mock.add_response(
        url=f"{base}{moby}/vendor.mod", content=b"module github.com/docker/docker\n"
    )
    for name, version in (("golang-github-etcd-io-gofail", "0.1.0-1"), ("lintian", "2.143.0")):
        for file in ("go.mod", "vendor.mod"):
            httpx_mock.add_response(
                url=f"{base}/{name[0]}/{name}/{version}/{file}", status_code=404, is_reusable=True
            )
    out = tmp_path / "out"
    apps_index = f"debian:sid={FIX / 'sid-Sources-apps'}"
    sweep = ["sweep", "--index", apps_index, "--output-dir", str(out), "-f", "json", "--rate", "0"]
    code, _, err = run(sweep, tmp_path)
    assert code == 0, err
    view = json.loads((out / "archive.json").read_text())
    rows = {a["source"]: a for a in view["applications"]}
    assert sorted(rows) == ["age", "docker.io", "golang-github-etcd-io-gofail", "lintian", "restic"]
    assert (
        rows["restic"]["error"] is None
        and rows["restic"]["main_module"] == "github.com/restic/restic"
    )
    assert rows["docker.io"]["manifest"].endswith("vendor.mod")
    assert "no top-level go.mod" in rows["lintian"]["error"]
    assert "Build-Depends" in view["rule"] and "dh-golang" in view["rule"]
    # Resumable: a second run asks sources.debian.org nothing for what it already has,
    # even with an empty HTTP cache (a fresh cache dir): the manifests dir alone decides.
    asked = len(httpx_mock.get_requests())
    code, _, err = run(sweep, tmp_path / "second")
    assert code == 0, err
    again = [r for r in httpx_mock.get_requests()[asked:] if "/age/" in str(r.url)]
    assert again == []
