"""`vendaudit report` end to end on the Quick start fixture, with exit codes."""

from __future__ import annotations

import json
import lzma
from pathlib import Path

import httpx
import jsonschema
import pytest
from pytest_httpx import HTTPXMock
from typer.testing import CliRunner

from vendaudit.cli import app
from vendaudit.report import load_schema

QS = Path(__file__).resolve().parents[2] / "fixtures" / "quickstart"
MANIFEST = str(QS / "vendor.mod")
SOURCES = str(QS / "sid-Sources")
QUICKSTART = ["report", MANIFEST, "--index", f"debian:sid={SOURCES}"]


def run(args: list[str], tmp_path: Path, *, dates: bool = False) -> tuple[int, str, str]:
    runner = CliRunner()
    extra = ["--cache-dir", str(tmp_path / "cache")] if args[0] == "report" else []
    if args and args[0] == "report" and not dates:
        extra.append("--no-tag-dates")
    result = runner.invoke(app, [*args, *extra])
    return result.exit_code, result.stdout, result.stderr


def test_quickstart_json_matches_schema(tmp_path: Path) -> None:
    code, out, err = run([*QUICKSTART, "--format", "json"], tmp_path)
    assert code == 0, err
    doc = json.loads(out)
    jsonschema.validate(doc, load_schema())
    results = {m["path"]: m["results"]["debian:sid"] for m in doc["modules"]}
    assert results["golang.org/x/net"]["verdict"] == "satisfied"
    assert results["golang.org/x/net"]["package"]["binary"] == "golang-golang-x-net-dev"
    assert results["github.com/moby/swarmkit/v2"]["verdict"] == "missing"
    assert results["github.com/docker/go-connections"]["verdict"] == "replaced"
    assert results["github.com/cenkalti/backoff/v4"]["verdict"] == "other-major"
    assert results["github.com/Azure/go-ansiterm"]["verdict"] == "outdated"
    plan = doc["plan"]["debian:sid"]
    assert "golang-golang-x-net-dev (>= 1:0.39.0~)" in plan["build_depends"]
    assert any(k["marker"] == "~F~" for k in plan["keep"])
    assert doc["summary"]["debian:sid"]["total"] == 18
    assert "debian:sid: 18 modules" in err


def test_fail_on_gives_exit_1(tmp_path: Path) -> None:
    args = [*QUICKSTART, "--format", "json"]
    assert run([*args, "--fail-on", "missing"], tmp_path)[0] == 1
    assert run([*args, "--fail-on", "satisfied,nonsense"], tmp_path)[0] == 2


def test_policy_ignores_until_expiry(tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(
        'fail_on = ["missing"]\n'
        "[[ignore]]\n"
        'module = "github.com/moby/swarmkit/v2"\n'
        "until = 2999-01-01\n"
        'reason = "waiting for ITP #123"\n'
        "[[ignore]]\n"
        'module = "github.com/docker/distribution"\n'
        "until = 2999-01-01\n"
        'reason = "keeps the v2 API"\n'
    )
    args = [*QUICKSTART, "--format", "json"]
    assert run([*args, "--policy", str(policy)], tmp_path)[0] == 0
    policy.write_text(policy.read_text().replace("2999-01-01", "2001-01-01", 1))
    code, _, err = run([*args, "--policy", str(policy)], tmp_path)
    assert code == 1
    assert "expired" in err


def test_bad_inputs_have_distinct_codes(tmp_path: Path) -> None:
    bad = tmp_path / "go.mod"
    bad.write_text("module example.com/m\nrequire example.com/a 1.2.3\n")
    code, _, err = run(["report", str(bad), "--index", f"debian:sid={SOURCES}"], tmp_path)
    assert code == 3
    assert 'go.mod:2: require example.com/a: version "1.2.3" invalid' in err
    assert "Traceback" not in err
    assert run(["report", MANIFEST, "--distro", "gentoo:x"], tmp_path)[0] == 2
    assert run(["report", MANIFEST], tmp_path)[0] == 2
    assert run(["report", str(tmp_path / "nope.mod"), "--distro", "debian:sid"], tmp_path)[0] == 3


def test_every_target_failing_exits_4_and_stays_unknown(tmp_path: Path) -> None:
    corrupt = tmp_path / "Sources.xz"
    corrupt.write_bytes(lzma.compress(b"Package: x\nVersion: 1\n" * 100)[:40])
    code, out, err = run(
        ["report", MANIFEST, "--index", f"debian:sid={corrupt}", "--format", "json"], tmp_path
    )
    assert code == 4, err
    doc = json.loads(out)
    verdicts = {m["results"]["debian:sid"]["verdict"] for m in doc["modules"]}
    assert verdicts == {"unknown"}
    assert doc["targets"][0]["error"]


def test_unreachable_mirror_is_unknown_and_other_target_still_audited(
    tmp_path: Path, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_exception(
        httpx.ConnectTimeout("timed out"),
        url="https://deb.debian.org/debian/dists/trixie/InRelease",
        is_reusable=True,
    )
    code, out, err = run(
        [
            "report",
            MANIFEST,
            "--distro",
            "debian:sid,debian:trixie",
            "--index",
            f"debian:sid={SOURCES}",
            "--format",
            "json",
        ],
        tmp_path,
    )
    assert code == 0, err
    doc = json.loads(out)
    by_id = {t["id"]: t for t in doc["targets"]}
    assert by_id["debian:trixie"]["error"]
    assert by_id["debian:sid"]["error"] is None
    net = next(m for m in doc["modules"] if m["path"] == "golang.org/x/net")
    assert net["results"]["debian:trixie"]["verdict"] == "unknown"
    assert net["results"]["debian:sid"]["verdict"] == "satisfied"


@pytest.mark.parametrize("fmt", ["table", "markdown", "html", "debian", "rpm"])
def test_every_format_renders(tmp_path: Path, fmt: str) -> None:
    out_file = tmp_path / f"report.{fmt}"
    code, _, err = run(
        [
            *QUICKSTART,
            "--format",
            fmt,
            "--output",
            str(out_file),
        ],
        tmp_path,
    )
    assert code == 0, err
    assert out_file.read_text()


def test_tag_dates_settle_snapshot_verdicts(tmp_path: Path, httpx_mock: HTTPXMock) -> None:
    """Snapshot vs tag and prefix matches are settled by the proxy's .info dates."""
    proxy = "https://proxy.golang.org"
    # The early reachability probe of the proxy (any answer will do).
    httpx_mock.add_response(url=f"{proxy}/", status_code=302, is_optional=True)
    httpx_mock.add_response(
        url=f"{proxy}/github.com/moby/term/@v/v0.5.2.info",
        json={"Version": "v0.5.2", "Time": "2025-01-09T11:27:39Z"},
    )
    httpx_mock.add_response(
        url=f"{proxy}/github.com/moby/sys/mountinfo/@v/v0.7.2.info",
        json={"Version": "v0.7.2", "Time": "2024-07-24T14:41:03Z"},
    )
    code, out, err = run(
        [*QUICKSTART, "--format", "json"],
        tmp_path,
        dates=True,
    )
    assert code == 0, err
    results = {m["path"]: m["results"]["debian:sid"] for m in json.loads(out)["modules"]}
    term = results["github.com/moby/term"]
    assert (term["verdict"], term["by_date"]) == ("outdated", True)
    assert "2023-05-02 < 2025-01-09" in term["reason"]
    mountinfo = results["github.com/moby/sys/mountinfo"]
    assert (mountinfo["verdict"], mountinfo["by_date"]) == ("satisfied", True)
    # Second run: .info answers come from the cache (pytest-httpx would fail on a re-ask).
    code2, out2, _ = run(
        [*QUICKSTART, "--format", "json", "--offline"],
        tmp_path,
        dates=True,
    )
    assert code2 == 0
    again = {m["path"]: m["results"]["debian:sid"] for m in json.loads(out2)["modules"]}
    assert again["github.com/moby/term"]["verdict"] == "outdated"


def test_render_stored_report(tmp_path: Path) -> None:
    stored = tmp_path / "report.json"
    code, _, err = run(
        [
            *QUICKSTART,
            "--format",
            "json",
            "--output",
            str(stored),
        ],
        tmp_path,
    )
    assert code == 0, err
    code, out, _ = run(["render", str(stored), "--format", "markdown"], tmp_path)
    assert code == 0
    assert "<details><summary>debian:sid" in out
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema_version": 7}')
    code, _, err = run(["render", str(bad)], tmp_path)
    assert code == 3 and "schema_version 7 is not supported" in err


def test_vendor_tree_drives_graph_and_unused_exclusions(tmp_path: Path) -> None:
    tree = QS.parent / "graph" / "vendortree" / "go.mod"
    code, out, err = run(
        ["report", str(tree), "--index", f"debian:sid={SOURCES}", "--format", "json"], tmp_path
    )
    assert code == 0, err
    doc = json.loads(out)
    assert ["example.com/app", "example.com/a@v1.0.0"] in doc["graph"]["edges"]
    plan = doc["plan"]["debian:sid"]
    assert "vendor/example.com/unused" in plan["files_excluded"]
    assert all(k["path"] != "vendor/example.com/unused" for k in plan["keep"])
    assert any("not compiled into this build" in n for n in plan["notes"])


def test_fedora_provides_come_from_modules_txt(tmp_path: Path) -> None:
    primary = QS.parent / "fedora" / "primary-release.xml"
    code, out, err = run(
        ["report", MANIFEST, "--index", f"fedora:rawhide={primary}", "--format", "rpm"], tmp_path
    )
    assert code == 0, err
    assert "no vendor/modules.txt" not in out
    line = "Provides: bundled(golang(github.com/example-fork/go-connections)) = 0123456"
    assert line in out


def test_inconsistent_vendoring_is_bad_input_unless_disabled(tmp_path: Path) -> None:
    root = tmp_path / "p"
    (root / "vendor").mkdir(parents=True)
    (root / "vendor.mod").write_bytes((QS / "vendor.mod").read_bytes())
    txt = (QS / "vendor" / "modules.txt").read_text()
    # Drop the replacement line go mod vendor writes: what `go build -mod=vendor` refuses.
    txt = "".join(
        line
        for line in txt.splitlines(True)
        if not line.startswith("# github.com/docker/go-connections =>")
    )
    (root / "vendor" / "modules.txt").write_text(txt)
    args = ["report", str(root / "vendor.mod"), "--index", f"debian:sid={SOURCES}"]
    code, out, err = run(args, tmp_path)
    assert code == 3 and out == ""
    assert "go: inconsistent vendoring in" in err
    assert "github.com/docker/go-connections: is replaced in vendor.mod" in err
    assert "--no-vendor-check" in err
    code, _, err = run([*args, "--no-vendor-check"], tmp_path)
    assert code == 0, err


@pytest.mark.parametrize("cut", ["mid-line", "before-directory"])
def test_plain_sources_cut_mid_stanza_fails_the_target(tmp_path: Path, cut: str) -> None:
    real = (QS.parent / "debian" / "sid-moby-unreached.Sources").read_text()
    if cut == "mid-line":
        text = real[: real.rindex("Go-Import-Path:") + 20]
    else:
        text = real[: real.rindex("Directory:")]
    index = tmp_path / "Sources"
    index.write_text(text)
    code, out, err = run(
        ["report", MANIFEST, "--index", f"debian:sid={index}", "--format", "json"], tmp_path
    )
    assert code == 4, err
    doc = json.loads(out)
    assert "truncated index" in doc["targets"][0]["error"]
    assert {m["results"]["debian:sid"]["verdict"] for m in doc["modules"]} == {"unknown"}


def _app(tmp_path: Path, name: str, requires: str) -> Path:
    d = tmp_path / name
    d.mkdir(parents=True)
    (d / "go.mod").write_text(f"module example.com/{name}\n\ngo 1.22\n\nrequire (\n{requires})\n")
    return d / "go.mod"


def test_many_manifests_one_report_each_named_after_the_directory(tmp_path: Path) -> None:
    a = _app(tmp_path / "x", "balboa", "\tgolang.org/x/net v0.1.0\n")
    b = _app(tmp_path / "y", "balboa", "\tgithub.com/not/packaged v1.0.0\n")
    c = _app(tmp_path, "other", "\tgolang.org/x/net v0.1.0\n")
    out = tmp_path / "out"
    args = ["report", str(a), str(b), str(c.parent), "--index", f"debian:sid={SOURCES}"]
    code, stdout, err = run([*args, "--output-dir", str(out), "-f", "json"], tmp_path)
    assert code == 0, err
    assert stdout == ""
    # The second balboa gets a numeric suffix, in argument order; a directory names itself.
    assert sorted(p.name for p in out.iterdir()) == ["balboa-2.json", "balboa.json", "other.json"]
    first = json.loads((out / "balboa.json").read_text())
    second = json.loads((out / "balboa-2.json").read_text())
    assert first["project"]["main_module"] == "example.com/balboa"
    assert first["modules"][0]["results"]["debian:sid"]["verdict"] == "satisfied"
    assert second["modules"][0]["results"]["debian:sid"]["verdict"] == "missing"
    assert f"{a}: debian:sid: 1 module: 1 satisfied" in err
    # Each format's usual extension; the exit code is the worst one.
    code, _, _ = run(
        [*args, "--output-dir", str(tmp_path / "md"), "-f", "markdown", "--fail-on", "missing"],
        tmp_path,
    )
    assert code == 1
    assert sorted(p.suffix for p in (tmp_path / "md").iterdir()) == [".md", ".md", ".md"]


def test_a_bad_manifest_among_many_is_its_own_error(tmp_path: Path) -> None:
    good = _app(tmp_path, "good", "\tgolang.org/x/net v0.1.0\n")
    bad = _app(tmp_path, "bad", "\tnot a requirement line\n")
    out = tmp_path / "out"
    args = ["report", str(bad), str(good), "--index", f"debian:sid={SOURCES}", "-f", "json"]
    code, _, err = run([*args, "--output-dir", str(out)], tmp_path)
    assert code == 3
    assert [p.name for p in out.iterdir()] == ["good.json"]
    assert err.splitlines()[0].startswith(f"{bad}:")


def test_many_manifests_need_output_dir(tmp_path: Path) -> None:
    a = _app(tmp_path, "a", "\tgolang.org/x/net v0.1.0\n")
    code, _, err = run(["report", str(a), MANIFEST, "--index", f"debian:sid={SOURCES}"], tmp_path)
    assert code == 2 and "--output-dir" in err
    both = ["--output-dir", str(tmp_path / "o"), "-o", str(tmp_path / "r.json")]
    code, _, err = run(["report", str(a), "--index", f"debian:sid={SOURCES}", *both], tmp_path)
    assert code == 2 and "exclude each other" in err


def test_version_option_and_source_date_epoch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("vendaudit ")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    code, out, err = run([*QUICKSTART, "--format", "json"], tmp_path)
    assert code == 0, err
    assert json.loads(out)["generated_at"] == "2023-11-14T22:13:20Z"


def test_report_format_env_does_not_break_graph_or_provides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VENDAUDIT_FORMAT", "markdown")
    result = CliRunner().invoke(app, ["provides", str(QS / "vendor" / "modules.txt")])
    assert result.exit_code == 0, result.stderr
    assert "bundled(golang(" in result.stdout
    result = CliRunner().invoke(app, ["graph", MANIFEST, "--source", "vendor"])
    assert "unknown value 'markdown'" not in result.stderr


def test_fail_on_names_the_failing_modules_and_unmatched_ignores_warn(tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(
        '[[ignore]]\nmodule = "github.com/not/required"\nreason = "typo"\n'
        '[[ignore]]\nmodule = "github.com/moby/*"\nreason = "waiting"\n'
    )
    code, _, err = run([*QUICKSTART, "--fail-on", "missing", "--policy", str(policy)], tmp_path)
    assert code == 1
    assert "vendaudit: fails: " in err and " is missing in debian:sid" in err
    assert "policy ignore for github.com/not/required matches no module" in err
    assert "github.com/moby/*" not in err.split("matches no module")[0].splitlines()[-1]
    # The summary goes to stderr for the table too (README "Using it").
    assert "debian:sid: " in err and " modules: " in err


def test_table_fits_columns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "70")
    code, out, err = run(QUICKSTART, tmp_path)
    assert code == 0, err
    assert max(len(line) for line in out.splitlines()) <= 70


def test_help_is_readable_at_80_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("TERM", "dumb")
    result = CliRunner().invoke(app, ["report", "--help"], terminal_width=80)
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert "--direct-only" in result.stdout and "--no-vendor-check" in result.stdout
