"""Bundled provides: golden comparison with go-vendor-tools' fzf list and go_mod_vendor.prov."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vendaudit.cli import app
from vendaudit.distros.fedora.provides import bundled_provides, prov_version, render_provides
from vendaudit.gomod.modulestxt import parse_modules_txt

FZF_EXPECTED = """\
bundled(golang(github.com/gdamore/encoding)) = 1.0.0
bundled(golang(github.com/gdamore/tcell/v2)) = 2.7.0
bundled(golang(github.com/lucasb-eyer/go-colorful)) = 1.2.0
bundled(golang(github.com/mattn/go-isatty)) = 0.0.17
bundled(golang(github.com/mattn/go-runewidth)) = 0.0.15
bundled(golang(github.com/mattn/go-shellwords)) = 1.0.12
bundled(golang(github.com/rivo/uniseg)) = 0.4.6
bundled(golang(github.com/saracen/walker)) = 0.1.3
bundled(golang(golang.org/x/sync)) = 0.5.0
bundled(golang(golang.org/x/sys)) = 0.16.0
bundled(golang(golang.org/x/term)) = 0.16.0
bundled(golang(golang.org/x/text)) = 0.14.0
"""


def _load(fixtures: Path, name: str):  # type: ignore[no-untyped-def]
    path = fixtures / "fedora" / name
    return parse_modules_txt(path.read_bytes(), str(path))


def test_fzf_matches_go_vendor_tools(fixtures: Path) -> None:
    assert render_provides(bundled_provides(_load(fixtures, "modules-fzf.txt"))) == FZF_EXPECTED


@pytest.mark.realworld
def test_fzf_expected_list_is_the_sample(realworld: Path) -> None:
    sample = realworld.parent / "samples" / "fedora" / "go-vendor-tools-fzf-expected-provides.list"
    assert sample.read_text() == FZF_EXPECTED


def test_prov_quirks(fixtures: Path) -> None:
    got = {p.original: p for p in bundled_provides(_load(fixtures, "modules-prov-quirks.txt"))}
    lines = {k: v.line.removeprefix("bundled(golang(") for k, v in got.items()}
    assert lines == {
        "github.com/Azure/go-ansiterm": "github.com/Azure/go-ansiterm)) = 306776e",
        "github.com/docker/go-units": "github.com/docker/go-units)) = 0.5.0",
        "github.com/docker/docker": "github.com/docker/docker)) = 28.0.1+incompatible",
        "github.com/moby/buildkit": "github.com/moby/buildkit)) = 8508981",
        "github.com/containerd/platforms": "github.com/containerd/platforms)) = 1.0.0~rc.1",
        "github.com/docker/cli": "github.com/docker/cli)) = bd33bbf",
        "k8s.io/api": "k8s.io/api)) = 0.0.0",
        "golang.org/x/crypto": "github.com/ProtonMail/crypto)) = 71bec36",
        "example.com/unused": "example.com/fork)) = 1.2.1",
    }
    # Where go_mod_vendor.prov's output is invalid, what it would have printed is kept.
    assert got["github.com/containerd/platforms"].differs == "1.0.0-rc.1"
    assert got["github.com/docker/cli"].differs == "incompa"
    assert [k for k, v in got.items() if v.differs] == [
        "github.com/containerd/platforms",
        "github.com/docker/cli",
    ]
    assert got["example.com/unused"].vendored is False


@pytest.mark.parametrize(
    ("go", "rpm"),
    [
        ("v1.2.3", "1.2.3"),
        ("v0.12.4-0", "0.12.4~0"),
        ("v2.0.0-beta.1+incompatible", "2.0.0~beta.1+incompatible"),
        ("v1.2.4-0.20231216201459-8508981c8b6c", "8508981"),
        ("v1.0.0-alpha.0.20200101000000-abcdefabcdef", "abcdefa"),
    ],
)
def test_prov_version(go: str, rpm: str) -> None:
    assert prov_version(go) == rpm


@pytest.mark.realworld
def test_moby_provides(realworld: Path) -> None:
    path = realworld / "moby" / "vendor" / "modules.txt"
    provides = bundled_provides(parse_modules_txt(path.read_bytes(), str(path)))
    assert len(provides) == 234  # one per "# " header, no duplicates
    lines = render_provides(provides).splitlines()
    assert "bundled(golang(github.com/AdaLogics/go-fuzz-headers)) = e8a1dd7" in lines
    assert "bundled(golang(cloud.google.com/go)) = 0.112.0" in lines
    assert [p.module for p in provides if p.differs] == ["github.com/containerd/platforms"]
    assert all("-" not in line.split(" = ")[1] for line in lines)


def test_cli_provides(fixtures: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(app, ["provides", str(fixtures / "fedora" / "modules-fzf.txt")])
    assert res.exit_code == 0 and res.stdout == FZF_EXPECTED
    res = runner.invoke(
        app, ["provides", "--format", "json", str(fixtures / "fedora" / "modules-fzf.txt")]
    )
    assert json.loads(res.stdout)[0]["line"] == FZF_EXPECTED.splitlines()[0]
    res = runner.invoke(app, ["provides", "--spec", str(fixtures / "fedora" / "modules-fzf.txt")])
    assert res.stdout.startswith("Provides: bundled(golang(")
    bad = tmp_path / "modules.txt"
    bad.write_bytes(b"# a v1\x00\n")
    res = runner.invoke(app, ["provides", str(bad)])
    assert res.exit_code == 3 and len(res.stderr.strip().splitlines()) == 1
    res = runner.invoke(app, ["provides", str(tmp_path / "missing.txt")])
    assert res.exit_code == 3
