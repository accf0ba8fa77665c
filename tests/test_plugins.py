"""Distro plug-ins: the registry, a broken plug-in, and the example toy distro end to end."""

from __future__ import annotations

import importlib.util
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vendaudit import descriptor
from vendaudit.cli import app
from vendaudit.descriptor import DistroDescriptor, descriptor_for, distro_names
from vendaudit.model import Target

ROOT = Path(__file__).resolve().parents[1]
TOY = ROOT / "examples" / "toydistro"

NOT_A_DESCRIPTOR = object()


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """Entry points as a dict the test fills; the built-ins are always there."""
    refs = {
        "debian": "vendaudit.distros.debian.descriptor:DESCRIPTOR",
        "fedora": "vendaudit.distros.fedora.descriptor:DESCRIPTOR",
    }
    monkeypatch.setattr(descriptor, "_entry_points", lambda: dict(refs))
    descriptor.descriptors.cache_clear()
    yield refs
    descriptor.descriptors.cache_clear()


def test_builtins_are_registered_descriptors(registry: dict[str, str]) -> None:
    assert distro_names()[:4] == ("debian", "ubuntu", "fedora", "epel")
    assert descriptor_for("ubuntu").family == "deb"
    assert descriptor_for("epel").family == "rpm"
    assert Target.parse("Debian:sid") == Target("debian", "sid")
    with pytest.raises(ValueError, match=r"expected debian:SUITE, ubuntu:SUITE, fedora:RELEASE"):
        Target.parse("arch:rolling")


def test_a_broken_plugin_is_one_warning(
    registry: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    registry["gone"] = "no_such_module_anywhere:DESCRIPTOR"
    registry["odd"] = f"{__name__}:NOT_A_DESCRIPTOR"
    registry["thief"] = "vendaudit.distros.debian.descriptor:DESCRIPTOR"
    with caplog.at_level(logging.WARNING, logger="vendaudit"):
        names = distro_names()
    assert names == ("debian", "ubuntu", "fedora", "epel")
    text = caplog.text
    assert "'gone'" in text and "cannot be loaded" in text
    assert "'odd'" in text and "not a DistroDescriptor" in text
    assert "'thief'" in text and "already served" in text


def test_help_and_schema_read_the_registry(registry: dict[str, str]) -> None:
    from vendaudit.report import load_schema

    demo = DistroDescriptor(
        names=("demo",),
        family="rpm",
        target_forms=("demo:N",),
        examples=("demo:1",),
        backend="x:y",
        planner="x:y",
        schema={"demo_notes": {"type": "array"}},
    )
    globals()["DEMO"] = demo
    registry["demo"] = f"{__name__}:DEMO"
    assert "demo:N" in descriptor.targets_help()
    schema = load_schema()
    target = schema["$defs"]["target"]["properties"]
    assert target["distro"]["enum"][-1] == "demo"
    assert "|demo)" in target["id"]["pattern"]
    assert "demo_notes" in schema["$defs"]["plan"]["properties"]


def test_entry_points_are_remembered_until_sys_path_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VENDAUDIT_CACHE_DIR", str(tmp_path))
    scans: list[int] = []
    monkeypatch.setattr(descriptor, "_scan", lambda: scans.append(1) or {"a": "b:c"})
    assert descriptor._entry_points() == {"a": "b:c"}
    assert descriptor._entry_points() == {"a": "b:c"}
    assert scans == [1]
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    descriptor._entry_points()
    assert scans == [1, 1]
    (tmp_path / "derived" / "entry-points-v1.json").write_text("{not json")
    descriptor._entry_points()
    assert scans == [1, 1, 1]


@pytest.mark.skipif(
    importlib.util.find_spec("vendaudit_toydistro") is None,
    reason="the example plug-in is not installed (pip install ./examples/toydistro)",
)
def test_example_toy_distro_end_to_end(fixtures: Path, tmp_path: Path) -> None:
    descriptor.descriptors.cache_clear()
    assert descriptor_for("toy").family == "rpm"
    manifest = fixtures / "quickstart" / "vendor.mod"
    index = TOY / "packages.json"
    args = ["report", str(manifest), "--index", f"toy:1={index}", "--offline", "--no-tag-dates"]
    args += ["--cache-dir", str(tmp_path), "-f", "json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["targets"][0]["id"] == "toy:1"
    assert doc["targets"][0]["packages"] == 3
    verdicts = {m["path"]: m["results"]["toy:1"]["verdict"] for m in doc["modules"]}
    assert verdicts["golang.org/x/net"] == "satisfied"
    assert verdicts["golang.org/x/oauth2"] == "outdated"
    assert verdicts["gopkg.in/yaml.v3"] == "satisfied"
    assert verdicts["github.com/moby/term"] == "missing"
    rpm = CliRunner().invoke(app, [*args[:-2], "-f", "rpm"])
    assert "Provides: bundled(golang(github.com/moby/term)) = 0.5.2" in rpm.stdout
