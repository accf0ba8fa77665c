"""Every crash the fuzz targets found, kept as a named regression case."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vendaudit.cli import app
from vendaudit.distros.debian.ftpmaster import parse_by_metadata, parse_madison_all
from vendaudit.distros.debian.sources import parse_sources
from vendaudit.distros.fedora.primary import parse_primary
from vendaudit.distros.fedora.repomd import parse_repomd
from vendaudit.distros.interface import DistroDataError
from vendaudit.report import ReportFormat
from vendaudit.report.json import ReportFormatError, report_from_json
from vendaudit.report.policy import Policy, PolicyError

GOLDEN = Path(__file__).resolve().parents[1] / "report" / "golden"
QUICK = Path(__file__).resolve().parents[2] / "fixtures" / "quickstart"
DEEP = b"[" * 100_000 + b"]" * 100_000


def test_sources_bad_version_is_an_index_error() -> None:
    # sources case 30: python-debian's Version() raised ValueError comparing duplicates.
    stanza = b"Package: golang-x\nBinary: golang-x-dev\nVersion: %s\nGo-Import-Path: x.org/x\n\n"
    data = stanza % b"1.2.0\x7frc1-1" + stanza % b"1.0-1"
    with pytest.raises(DistroDataError, match=r"bad Version '1.2.0\\x7frc1-1'"):
        parse_sources(data)


@pytest.mark.parametrize("parse", [parse_madison_all, parse_by_metadata])
def test_ftpmaster_nesting_bomb(parse: object) -> None:
    # ftpmaster case 31: RecursionError out of json.loads.
    with pytest.raises(DistroDataError, match="not JSON"):
        parse(DEEP)  # type: ignore[operator]


def test_policy_nesting_bomb() -> None:
    # policy case 61: tomllib recursed per nested array.
    with pytest.raises(PolicyError, match="nested too deeply"):
        Policy.from_toml(b"fail_on = " + b"[" * 100_000, "policy.toml")


@pytest.mark.parametrize("encoding", ["UTB-8", "x-unknown"])
def test_unknown_xml_encoding(encoding: str) -> None:
    # primary case 585: expat raised LookupError for an unknown encoding.
    doc = f'<?xml version="1.0" encoding="{encoding}"?>\n<metadata/>'.encode()
    with pytest.raises(DistroDataError, match="encoding"):
        parse_primary(doc)
    with pytest.raises(DistroDataError, match="encoding"):
        parse_repomd(doc)


def test_report_wrong_types_are_refused() -> None:
    doc = json.loads((GOLDEN / "sample.json").read_text("utf-8"))
    doc["targets"][0]["id"] = 5
    with pytest.raises(ReportFormatError, match=r"targets\[0\]\.id: expected str, got int"):
        report_from_json(doc)


def test_surrogates_render_escaped_in_every_format() -> None:
    doc = json.loads((GOLDEN / "sample.json").read_text("utf-8"))
    doc["project"]["manifest"] = "bad\udcffname/vendor.mod"
    doc["modules"][0]["path"] = "example.com/\ud800"
    report = report_from_json(doc)
    for fmt in ReportFormat:
        text = fmt.render(report)
        text.encode("utf-8")  # never a UnicodeEncodeError
    assert "bad\\udcffname" in ReportFormat.MARKDOWN.render(report)
    # JSON keeps them as JSON escapes: the round trip is exact.
    again = report_from_json(json.loads(ReportFormat.JSON.render(report)))
    assert again.project.manifest == "bad\udcffname/vendor.mod"


@pytest.mark.parametrize("command", ["render", "diff"])
def test_cli_deep_report_exits_3(tmp_path: Path, command: str) -> None:
    bad = tmp_path / "deep.json"
    bad.write_bytes(b'{"schema_version": 1, "x": ' + DEEP + b"}")
    argv = [command, str(bad)] + ([str(GOLDEN / "sample.json")] if command == "diff" else [])
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 3
    assert result.stderr == f"{bad}: invalid JSON: nested too deeply\n"


def test_output_is_atomic(tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    out.write_text("previous\n")
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    result = CliRunner().invoke(app, ["render", str(bad), "-o", str(out)])
    assert result.exit_code == 3
    assert out.read_text() == "previous\n"  # untouched on error
    result = CliRunner().invoke(app, ["render", str(GOLDEN / "sample.json"), "-o", str(out)])
    assert result.exit_code == 0
    assert out.read_text().startswith("#")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json", "report.md"]  # no temp


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_output_unwritable_dir_leaves_nothing(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        result = CliRunner().invoke(
            app, ["render", str(GOLDEN / "sample.json"), "-o", str(ro / "r.md")]
        )
        assert result.exit_code == 3
        assert "cannot write" in result.stderr
        assert list(ro.iterdir()) == []
    finally:
        ro.chmod(0o700)


@pytest.mark.parametrize(
    ("where", "problem"),
    [
        ("/", "is a directory (-o takes a file name)"),
        ("{tmp}", "is a directory (-o takes a file name)"),
        ("{tmp}/no/r.md", "no such directory {tmp}/no"),
        ("{tmp}/file/r.md", "{tmp}/file is not a directory"),
    ],
)
@pytest.mark.parametrize("command", ["report", "render"])
def test_output_that_can_never_be_a_file_is_one_line(
    tmp_path: Path, where: str, problem: str, command: str
) -> None:
    """-o / used to reach the final rename ("Device or resource busy"); now one clear line
    naming the path, exit 3 like every other output error, before any work."""
    (tmp_path / "file").write_text("")
    out = where.format(tmp=tmp_path)
    if command == "report":
        argv = [
            "report",
            str(QUICK / "vendor.mod"),
            "--index",
            f"debian:sid={QUICK / 'sid-Sources'}",
        ]
        argv += ["--no-tag-dates", "--offline", "--cache-dir", str(tmp_path / "c")]
    else:
        argv = ["render", str(GOLDEN / "sample.json")]
    result = CliRunner().invoke(app, [*argv, "-o", out])
    assert result.exit_code == 3
    assert result.stderr == f"{out}: cannot write the output file: {problem.format(tmp=tmp_path)}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]  # nothing written or left


def test_output_into_a_device_a_fifo_or_through_a_symlink(tmp_path: Path) -> None:
    """-o /dev/null (or /dev/stdout, a FIFO) used to rename a temp file over the node, and
    -o through a symlink replaced the link: the node or link now stays what it was."""
    import stat
    import threading

    sample = str(GOLDEN / "sample.json")
    null = tmp_path / "null"
    null.symlink_to("/dev/null")
    assert CliRunner().invoke(app, ["render", sample, "-o", str(null)]).exit_code == 0
    assert null.is_symlink() and stat.S_ISCHR(null.stat().st_mode)

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    assert CliRunner().invoke(app, ["render", sample, "-o", str(fifo)]).exit_code == 0
    reader.join(10)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert got and got[0].startswith(b"#")

    real = tmp_path / "real.md"
    real.write_text("old\n")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    assert CliRunner().invoke(app, ["render", sample, "-o", str(link)]).exit_code == 0
    assert link.is_symlink() and real.read_text().startswith("#")


def test_output_dir_that_is_a_file_is_one_line_before_any_work(tmp_path: Path) -> None:
    """--output-dir naming a file said "File exists" after loading every index."""
    afile = tmp_path / "afile"
    afile.write_text("")
    manifest = str(QUICK / "vendor.mod")
    argv = ["report", manifest, manifest, "--index", f"debian:sid={tmp_path / 'no-such-index'}"]
    result = CliRunner().invoke(app, [*argv, "--output-dir", str(afile)])
    assert result.exit_code == 3
    assert result.stderr == f"{afile}: cannot write the reports: not a directory (--output-dir)\n"


TOO_LONG = "/tmp/" + "a" * 5000  # ENAMETOOLONG for every syscall


@pytest.mark.parametrize(
    "argv",
    [
        ["report", TOO_LONG, "--index", f"debian:sid={QUICK / 'sid-Sources'}"],
        ["report", str(QUICK / "vendor.mod"), "--index", f"debian:sid={TOO_LONG}"],
        [
            "report",
            str(QUICK / "vendor.mod"),
            "--index",
            f"debian:sid={QUICK / 'sid-Sources'}",
            "--no-tag-dates",
            "-o",
            TOO_LONG,
        ],
        ["vendor-check", TOO_LONG],
        ["modules", TOO_LONG],
        ["modfile", TOO_LONG],
        ["provides", TOO_LONG],
        ["render", TOO_LONG],
        ["diff", TOO_LONG, TOO_LONG],
    ],
    ids=lambda a: a[0] + ("-" + a[-1][:8] if a[-1] != TOO_LONG else ""),
)
def test_enametoolong_is_one_line(argv: list[str]) -> None:
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 3, result.exception
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_vendor_dir_past_path_max(tmp_path: Path) -> None:
    """A 4 kB module path under vendor/ exceeds PATH_MAX: the vendor tree is just absent."""
    path = "example.com/" + "/".join(["b" * 254] * 16) + "/cc"
    (tmp_path / "vendor").mkdir()
    (tmp_path / "go.mod").write_text(f"module example.org/m\n\ngo 1.22\n\nrequire {path} v1.0.0\n")
    (tmp_path / "vendor" / "modules.txt").write_text(f"# {path} v1.0.0\n## explicit\n{path}\n")
    sources = f"debian:sid={QUICK / 'sid-Sources'}"
    result = CliRunner().invoke(
        app, ["report", str(tmp_path), "--index", sources, "--no-tag-dates"]
    )
    assert result.exit_code == 0, result.exception
    result = CliRunner().invoke(app, ["vendor-check", str(tmp_path)])
    assert result.exit_code == 0, result.exception


def test_cache_dir_that_is_a_file_means_no_cache(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("not a directory")
    sources = f"debian:sid={QUICK / 'sid-Sources'}"
    argv = ["report", str(QUICK / "vendor.mod"), "--index", sources, "--no-tag-dates", "-f", "json"]
    result = CliRunner().invoke(app, [*argv, "--cache-dir", str(blocker)])
    assert result.exit_code == 0, result.exception
    warnings = [r for r in caplog.records if "continuing without it" in r.getMessage()]
    assert len(warnings) == 1
    assert blocker.read_text() == "not a directory"
