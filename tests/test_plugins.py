"""Distro plug-ins: the registry, a broken plug-in, a plug-in plan family, the toy distro."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import jsonschema
import pytest
from typer.testing import CliRunner

from vendaudit import descriptor
from vendaudit.cli import app
from vendaudit.cli.common import one_of
from vendaudit.descriptor import DistroDescriptor, FormatSpec, descriptor_for, distro_names
from vendaudit.distros.interface import DistroBackend, DistroIndex
from vendaudit.distros.registry import BackendRequest, PlanRequest
from vendaudit.model import (
    DistroPackage,
    MatchKind,
    Module,
    PackagedVersion,
    QueueEntry,
    Target,
    Verdict,
)
from vendaudit.plans import DebianPlan, FedoraPlan, Plan, PlanSection, StoredPlan, plan_type_for
from vendaudit.report import (
    ReportFormat,
    ReportFormatError,
    diff_reports,
    load_schema,
    render_json,
    report_from_json,
)

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
    cache_file = descriptor._cache_file()
    assert cache_file is not None
    cache_file.write_text("{not json")
    descriptor._entry_points()
    assert scans == [1, 1, 1]
    # Another sys.path (another venv sharing the cache dir) keeps its own list.
    monkeypatch.undo()
    monkeypatch.setenv("VENDAUDIT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(descriptor, "_scan", lambda: scans.append(1) or {"a": "b:c"})
    assert descriptor._entry_points() == {"a": "b:c"}
    assert scans == [1, 1, 1]


def test_builtin_families_go_through_the_registry(registry: dict[str, str]) -> None:
    assert plan_type_for("deb") is DebianPlan and plan_type_for("rpm") is FedoraPlan
    assert ReportFormat("debian").extension == "txt" and ReportFormat("rpm").extension == "spec"
    assert {"debian", "rpm"} <= set(descriptor.distro_formats())
    assert "cyclonedx" in one_of(ReportFormat)


# --- A plug-in with a plan family of its own, defined here so no install is needed. ---


@dataclass(frozen=True, slots=True)
class DemoPlan(Plan):
    """The demo family's plan: a list of wishes."""

    FAMILY: ClassVar[str] = "demo"

    target: Target
    wishes: tuple[str, ...] = ()
    update: tuple[Any, ...] = ()
    create: tuple[QueueEntry, ...] = ()
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"wishes": list(self.wishes), **self.common_json()}

    @classmethod
    def from_json(cls, target: Target, doc: Mapping[str, Any]) -> DemoPlan:
        if doc.get("wishes") == ["boom"]:
            raise RuntimeError("the demo reader broke")
        update, create, notes = cls.common_from_json(doc)
        return cls(target, tuple(doc["wishes"]), update, create, notes)

    @classmethod
    def empty(cls, target: Target) -> DemoPlan:
        return cls(target)

    def sections(self) -> Sequence[PlanSection]:
        return [PlanSection("Wishes", self.wishes), *self.common_sections()]

    def table_lines(self) -> Sequence[str]:
        return (f"{len(self.wishes)} wishes",)


class DemoIndex(DistroIndex):
    """Has golang.org/x/net only."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.provenance = "demo (in memory)"

    @property
    def packages(self) -> int:
        return 1

    def lookup(self, module: Module) -> list[DistroPackage]:
        if module.path != "golang.org/x/net":
            return []
        version = PackagedVersion("9.9.9-1", "9.9.9", "v9.9.9")
        return [DistroPackage("demo-net", "demo-net", version, module.path, MatchKind.EXACT, 1)]


class DemoBackend(DistroBackend):
    def supports(self, target: Target) -> bool:
        return target.distro == "demo"

    def load(self, target: Target) -> DemoIndex:
        return DemoIndex(target)


def demo_backends(request: BackendRequest) -> list[DistroBackend]:
    return [DemoBackend()]


def demo_plan(request: PlanRequest) -> DemoPlan:
    wishes = tuple(f.module.path for f in request.findings if f.verdict is Verdict.MISSING)
    create = tuple(QueueEntry(w, "v1.0.0", f"demo-{w.rsplit('/', 1)[-1]}") for w in wishes[:1])
    return DemoPlan(request.target, wishes, create=create, notes=("demo note",))


def render_demo(report: Any) -> str:
    plans = [report.plan(t.id) for t in report.targets]
    return "".join(f"wish {w}\n" for p in plans if isinstance(p, DemoPlan) for w in p.wishes)


DEMO_FAMILY = DistroDescriptor(
    names=("demo",),
    family="demo",
    target_forms=("demo:N",),
    examples=("demo:1",),
    backend=f"{__name__}:demo_backends",
    planner=f"{__name__}:demo_plan",
    plan_type=f"{__name__}:DemoPlan",
    renderers={"demo": FormatSpec(f"{__name__}:render_demo", extension="wish")},
    plan_schema={
        "type": "object",
        "properties": {
            "family": {"const": "demo"},
            "wishes": {"type": "array", "items": {"type": "string"}},
            "update": {"$ref": "#/$defs/plan/properties/update"},
            "create": {"$ref": "#/$defs/plan/properties/create"},
            "notes": {"$ref": "#/$defs/plan/properties/notes"},
        },
        "required": ["family", "wishes", "update", "create", "notes"],
        "additionalProperties": False,
    },
)


@pytest.fixture
def demo_report(registry: dict[str, str], fixtures: Path, tmp_path: Path) -> str:
    """The quickstart audited against demo:1 and debian:sid, as JSON text."""
    registry["demo"] = f"{__name__}:DEMO_FAMILY"
    manifest = fixtures / "quickstart" / "vendor.mod"
    sid = fixtures / "quickstart" / "sid-Sources"
    args = ["report", str(manifest), "-d", "demo:1,debian:sid", "--index", f"debian:sid={sid}"]
    args += ["--offline", "--no-tag-dates", "--cache-dir", str(tmp_path), "-f", "json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code in (0, 1), result.output
    return result.stdout


def test_a_plugin_family_is_written_validated_and_read_back(demo_report: str) -> None:
    doc = json.loads(demo_report)
    plan = doc["plan"]["demo:1"]
    assert list(plan) == ["family", "wishes", "update", "create", "notes"]
    assert plan["family"] == "demo" and "github.com/moby/term" in plan["wishes"]
    assert "family" not in doc["plan"]["debian:sid"]  # schema_version 1 object unchanged
    schema = load_schema()
    assert "plan-demo" in schema["$defs"]
    jsonschema.Draft202012Validator(schema).validate(doc)
    bad = json.loads(demo_report)
    bad["plan"]["demo:1"]["wishes"] = [1]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(bad)
    report = report_from_json(doc)
    assert isinstance(report.plan("demo:1"), DemoPlan)
    assert render_json(report) == demo_report


def test_a_plugin_family_shows_in_every_report_format(demo_report: str) -> None:
    report = report_from_json(json.loads(demo_report))
    assert "demo" in [f.value for f in ReportFormat]
    assert "debian, rpm, demo, cyclonedx" in one_of(ReportFormat)
    assert ReportFormat("demo").extension == "wish"
    assert "wish github.com/moby/term\n" in ReportFormat("demo").render(report)
    assert "plan (demo:1):\n  16 wishes\n" in ReportFormat.TABLE.render(report)
    md = ReportFormat.MARKDOWN.render(report)
    assert "**Wishes**" in md and "> demo note" in md
    assert "<h4>Wishes</h4><pre>" in ReportFormat.HTML.render(report)
    assert "pkg:generic/demo/demo-net@9.9.9-1?distro=demo-1" in ReportFormat.CYCLONEDX.render(
        report
    )
    assert "demo:1" not in ReportFormat("rpm").render(report)
    assert "demo:1" not in ReportFormat("debian").render(report)
    for fmt in ReportFormat:
        assert isinstance(fmt.render(report), str), fmt
    fewer = dataclasses.replace(report.plan("demo:1"), wishes=("only/one",))
    plans = tuple(fewer if p.target.id == "demo:1" else p for p in report.plans)
    changes = diff_reports(report, dataclasses.replace(report, plans=plans)).plan_changes
    assert [c.field for c in changes if c.target == "demo:1"] == ["wishes"]


def test_an_unknown_family_is_kept_as_stored(
    demo_report: str, registry: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    del registry["demo"]  # the plug-in uninstalled: its targets and family unknown
    descriptor.descriptors.cache_clear()
    report = report_from_json(json.loads(demo_report))
    plan = report.plan("demo:1")
    assert isinstance(plan, StoredPlan) and plan.family == "demo"
    assert plan.notes == ("demo note",)
    assert render_json(report) == demo_report  # byte for byte
    assert "family 'demo', shown as stored" in ReportFormat.TABLE.render(report)
    assert "requires" not in ReportFormat.MARKDOWN.render(report)
    assert "wishes: github.com/moby/term" in ReportFormat.MARKDOWN.render(report)
    assert "demo:1" not in ReportFormat("rpm").render(report)
    for fmt in ReportFormat:
        assert isinstance(fmt.render(report), str), fmt
    assert diff_reports(report, report).plan_changes == ()
    # An untagged object of an unknown distro that is not rpm-shaped: kept, not an error.
    doc = json.loads(demo_report)
    del doc["plan"]["demo:1"]["family"]
    assert isinstance(report_from_json(doc).plan("demo:1"), StoredPlan)


def test_the_service_store_keeps_a_plugin_family(
    demo_report: str, registry: dict[str, str], tmp_path: Path
) -> None:
    from vendaudit.service import Store

    report = report_from_json(json.loads(demo_report))
    store = Store.open(str(tmp_path / "service.sqlite3"))
    try:
        store.add_project("qs", "/x/vendor.mod", ["demo:1", "debian:sid"])
        kw: dict[str, Any] = {"manifest_hash": "h", "targets": ["demo:1", "debian:sid"]}
        first = store.record_run("qs", report, started_at="2026-01-01T00:00:00Z", **kw)
        assert store.report(first) == report
        del registry["demo"]  # the plug-in uninstalled: stored runs still read and chain
        descriptor.descriptors.cache_clear()
        kept = store.report(first)
        assert kept is not None and isinstance(kept.plan("demo:1"), StoredPlan)
        assert render_json(kept) == demo_report
        second = store.record_run("qs", kept, started_at="2026-01-02T00:00:00Z", **kw)
        assert store.report_json(second) == demo_report
        assert [r.id for r in store.runs("qs")] == [second, first]
    finally:
        store.close()


def test_a_plugin_reader_that_breaks_is_one_line(demo_report: str) -> None:
    doc = json.loads(demo_report)
    doc["plan"]["demo:1"]["wishes"] = ["boom"]
    with pytest.raises(ReportFormatError, match="the 'demo' plan type cannot read it"):
        report_from_json(doc, filename="r.json")
    doc["plan"]["demo:1"]["update"] = [{"module": 1}]
    with pytest.raises(ReportFormatError, match=r"^r\.json: not a vendaudit report"):
        report_from_json(doc, filename="r.json")


def test_a_format_clash_keeps_the_first(
    registry: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    globals()["THIEF"] = dataclasses.replace(
        DEMO_FAMILY, names=("thief",), renderers={"debian": f"{__name__}:render_demo"}
    )
    registry["thief"] = f"{__name__}:THIEF"
    with caplog.at_level(logging.WARNING, logger="vendaudit"):
        spec = descriptor.distro_formats()["debian"]
    assert spec.renderer == "vendaudit.report.debian:render_debian"
    assert "format 'debian' of distro thief already served" in caplog.text


@pytest.mark.skipif(
    importlib.util.find_spec("vendaudit_toydistro") is None,
    reason="the example plug-in is not installed (pip install ./examples/toydistro)",
)
def test_example_toy_distro_end_to_end(fixtures: Path, tmp_path: Path) -> None:
    descriptor.descriptors.cache_clear()
    assert descriptor_for("toy").family == "toy"
    manifest = fixtures / "quickstart" / "vendor.mod"
    index = TOY / "packages.json"
    args = ["report", str(manifest), "--index", f"toy:1={index}", "--offline", "--no-tag-dates"]
    args += ["--cache-dir", str(tmp_path), "-f", "json"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    jsonschema.Draft202012Validator(load_schema()).validate(doc)
    assert doc["targets"][0]["id"] == "toy:1"
    assert doc["targets"][0]["packages"] == 3
    verdicts = {m["path"]: m["results"]["toy:1"]["verdict"] for m in doc["modules"]}
    assert verdicts["golang.org/x/net"] == "satisfied"
    assert verdicts["golang.org/x/oauth2"] == "outdated"
    assert verdicts["gopkg.in/yaml.v3"] == "satisfied"
    assert verdicts["github.com/moby/term"] == "missing"
    plan = doc["plan"]["toy:1"]
    assert plan["family"] == "toy"
    assert plan["requires"] == ["golang-x-net >= 0.39.0", "golang-yaml-v3 >= 3.0.1"]
    assert {"module": "github.com/moby/term", "version": "v0.5.2", "why": "missing"} in plan[
        "bundles"
    ]
    assert [u["package"] for u in plan["update"]] == ["golang-x-oauth2"]
    assert render_json(report_from_json(doc)) == result.stdout
    toy = CliRunner().invoke(app, [*args[:-2], "-f", "toy"])
    assert toy.stdout.startswith("# toy:1 — toy.manifest fragment (vendaudit)\n[requires]\n")
    assert "github.com/moby/term v0.5.2  # missing\n" in toy.stdout
    assert "toy" in [f.value for f in ReportFormat]
    assert ReportFormat("toy").extension == "manifest"
    table = CliRunner().invoke(app, args[:-2])
    assert "plan (toy:1):\n  2 requires, 16 bundled, 14 to package" in table.stdout


def test_working_directory_counts_only_its_distributions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # python -m/-c puts "" (the working directory) on sys.path; /tmp changes constantly.
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.syspath_prepend("")
    monkeypatch.setenv("VENDAUDIT_CACHE_DIR", str(tmp_path / "cache"))
    scans: list[int] = []
    monkeypatch.setattr(descriptor, "_scan", lambda: scans.append(1) or {"a": "b:c"})
    descriptor._entry_points()
    (cwd / "report.json").write_text("{}")
    descriptor._entry_points()
    assert scans == [1]
    (cwd / "plugin-1.0.dist-info").mkdir()
    descriptor._entry_points()
    assert scans == [1, 1]


def test_the_feed_names_the_unvendoring_step_in_the_family_s_words() -> None:
    """The service's "reached sid: …" line asks the plan, not a list of distro names."""
    assert DebianPlan.empty(Target.parse("ubuntu:noble")).unvendor_action("x/y") == (
        "drop vendor/x/y"
    )
    assert FedoraPlan.empty(Target.parse("epel:9")).unvendor_action("x/y") == "unbundle x/y"
    stored = StoredPlan.from_json(Target.parse("debian:sid"), {"family": "gone", "update": []})
    assert stored.unvendor_action("x/y") == "use the packaged x/y"
