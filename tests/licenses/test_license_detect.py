"""License detection over a small fake vendor tree."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vendaudit.cli import app
from vendaudit.gomod.modulestxt import parse_modules_txt
from vendaudit.licenses import LicenseError, askalono_available, detect_licenses, match_text
from vendaudit.model import Module


def _modules(vendor: Path) -> list[Module]:
    mt = parse_modules_txt((vendor / "modules.txt").read_bytes(), "modules.txt")
    return [Module(m.path, m.version, packages=m.packages) for m in mt.modules]


@pytest.fixture
def vendor(fixtures: Path) -> Path:
    return fixtures / "licenses" / "vendor-mixed"


def test_exact_detector(vendor: Path) -> None:
    report = detect_licenses(vendor, _modules(vendor), detector="exact")
    got = {m.path.rsplit("/", 1)[1]: m.spdx for m in report.per_module}
    assert got == {
        "apache": "Apache-2.0",
        "bsd2": "BSD-2-Clause",
        "bsd3": "BSD-3-Clause",
        "dual": "Apache-2.0 AND MIT",
        "isc": "ISC",
        "mitlib": "MIT",
        "mpl": "MPL-2.0",
        "nolicense": None,
        "weird": None,
        "gone": None,
    }
    assert report.expression == (
        "Apache-2.0 AND BSD-2-Clause AND BSD-3-Clause AND ISC AND MIT AND MPL-2.0"
    )
    assert report.unrecognised == ("github.com/example/weird",)
    assert report.missing == ("github.com/example/nolicense", "github.com/example/gone")
    apache = report.per_module[0]
    # NOTICE read but not a license; the nested module's LICENSE is not the parent's.
    assert apache.files == ("github.com/example/apache/LICENSE", "github.com/example/apache/NOTICE")
    assert apache.detector == "exact" and apache.note == ""
    assert report.detectors == ("exact",)


def test_bsd3_is_not_bsd2(vendor: Path) -> None:
    assert match_text("redistribution and use in source") == []
    # The BSD-2 template excludes the BSD-3 clause: a BSD-3 text names one licence, not two.
    text = (vendor / "github.com/example/bsd3/LICENSE").read_text()
    assert match_text(text) == ["BSD-3-Clause"]


@pytest.mark.skipif(not askalono_available(), reason="pyaskalono not installed")
def test_askalono_fallback_keeps_unknown_text_unrecognised(vendor: Path) -> None:
    report = detect_licenses(vendor, _modules(vendor), detector="askalono")
    assert report.detectors == ("exact", "askalono")
    assert "github.com/example/weird" in report.unrecognised


def test_errors(tmp_path: Path) -> None:
    with pytest.raises(LicenseError):
        detect_licenses(tmp_path / "nope", [])


def test_cli_licenses(vendor: Path) -> None:
    res = CliRunner().invoke(app, ["licenses", "--detector", "exact", str(vendor)])
    assert res.exit_code == 0, res.output
    assert "License: Apache-2.0 AND BSD-2-Clause" in res.stdout
    assert "detectors: exact" in res.stdout
    res = CliRunner().invoke(
        app, ["licenses", "--format", "json", "--detector", "exact", str(vendor)]
    )
    assert json.loads(res.stdout)["missing"][0] == "github.com/example/nolicense"


def test_copyright_statements_come_from_license_and_notice_files(vendor: Path) -> None:
    mods = [Module("github.com/example/apache", "v1.0.0"), Module("github.com/example/isc", "v1")]
    by_path = {m.path: m for m in detect_licenses(vendor, mods, detector="exact").per_module}
    # The Apache LICENSE only has the appendix template; the NOTICE has the statement.
    assert by_path["github.com/example/apache"].copyright == ("2021 The Example Authors",)
    assert by_path["github.com/example/isc"].copyright == ("2015, Example Author",)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Copyright (c) 2009 The Go Authors. All rights reserved.", ["2009 The Go Authors"]),
        ("Copyright 2014 Docker, Inc.", ["2014 Docker, Inc."]),
        ("Copyright The containerd Authors.", ["The containerd Authors"]),
        ("Copyright © 2012-2015 Foo Bar <foo@bar.org>", ["2012-2015 Foo Bar <foo@bar.org>"]),
        ("   Copyright [yyyy] [name of copyright owner]", []),
        ("    Copyright (C) <year>  <name of author>", []),
        ("Copyright notice and this permission notice shall be included", []),
        ("the above copyright notice", []),
        ("Copyright 2019 A\nCopyright 2019 A\nCopyright 2020 B", ["2019 A", "2020 B"]),
    ],
)
def test_copyright_lines(text: str, want: list[str]) -> None:
    from vendaudit.licenses.copyright import copyright_lines

    assert copyright_lines(text) == want
