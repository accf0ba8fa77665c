"""moby's plan against real sid stanzas: vendored code that only excluded modules import goes.

The real moby vendor/ code is not available, so the test builds a stub tree from moby's real
vendor/modules.txt (every listed package gets a Go file) and takes the import edges that
matter from ``fixtures/graph/moby-import-edges.txt`` (each edge says where it comes from).
The main module imports every package of its direct requirements; every package imports the
other packages of its own module.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from vendaudit.cli import app
from vendaudit.gomod.modulestxt import parse_modules_txt
from vendaudit.report import load_schema

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SOURCES = FIXTURES / "debian" / "sid-moby-unreached.Sources"
EDGES = FIXTURES / "graph" / "moby-import-edges.txt"

pytestmark = pytest.mark.realworld


def _stub_tree(moby: Path, root: Path) -> Path:
    """moby's manifests beside a vendor/ of one-file stub packages (outside the project)."""
    (root / "vendor").mkdir(parents=True)
    for name in ("vendor.mod", "vendor.sum"):
        shutil.copy(moby / name, root / name)
    txt = (moby / "vendor" / "modules.txt").read_bytes()
    (root / "vendor" / "modules.txt").write_bytes(txt)
    parsed = parse_modules_txt(txt, "vendor/modules.txt")
    edges: dict[str, set[str]] = {}
    for line in EDGES.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            src, dst = line.split()
            edges.setdefault(src, set()).add(dst)
    direct_pkgs: list[str] = []
    indirect = {
        line.split()[0]
        for line in (moby / "vendor.mod").read_text().splitlines()
        if line.endswith("// indirect")
    }
    for mod in parsed.modules:
        for pkg in mod.packages:
            deps = (set(mod.packages) - {pkg}) | edges.get(pkg, set())
            body = "".join(f'\t"{d}"\n' for d in sorted(deps))
            d = root / "vendor" / pkg
            d.mkdir(parents=True, exist_ok=True)
            name = pkg.rsplit("/", 1)[-1].replace("-", "_").replace(".", "_")
            (d / "x.go").write_text(f"package {name}\n\nimport (\n{body})\n")
        if mod.path not in indirect:
            direct_pkgs += mod.packages
    body = "".join(f'\t_ "{p}"\n' for p in sorted(direct_pkgs))
    (root / "main.go").write_text(f"package main\n\nimport (\n{body})\n\nfunc main() {{}}\n")
    return root / "vendor.mod"


def test_moby_plan_excludes_what_only_excluded_modules_import(
    realworld: Path, tmp_path: Path
) -> None:
    manifest = _stub_tree(realworld / "moby", tmp_path / "moby")
    result = CliRunner().invoke(
        app,
        [
            "report",
            str(manifest),
            "--index",
            f"debian:sid={SOURCES}",
            "--no-tag-dates",
            "--cache-dir",
            str(tmp_path / "cache"),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    jsonschema.validate(doc, load_schema())
    plan = doc["plan"]["debian:sid"]
    gone = {e["path"]: e["reason"] for e in plan["excluded_unused"]}
    assert (
        "imported only by github.com/hashicorp/memberlist" in gone["vendor/github.com/sean-/seed"]
    )
    assert "go.opentelemetry.io/otel/trace" in gone["vendor/go.opentelemetry.io/auto/sdk"]
    kept = {k["path"] for k in plan["keep"]}
    assert "vendor/github.com/sean-/seed" not in kept
    assert "vendor/go.opentelemetry.io/auto/sdk" not in kept
    # aws-sdk-go-v2's internal/endpoints/v2 is either a Build-Depends (matched through its
    # repository's source) or goes because only the aws service modules import it: it never
    # stays vendored, so the whole aws tree collapses into one Files-Excluded line.
    assert "vendor/github.com/aws/aws-sdk-go-v2/internal/endpoints/v2" not in kept
    aws = [p for p in plan["files_excluded"] if p.startswith("vendor/github.com/aws")]
    assert len(aws) == 1, aws
    assert not any(q["module"] == "github.com/sean-/seed" for q in plan["create"])
