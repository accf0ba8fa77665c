"""load_project: manifest choice, default companions, merged modules and errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from vendaudit.gomod import (
    GoSumError,
    ManifestError,
    ModFileError,
    ModulesTxtError,
    load_project,
    resolve_manifest,
)
from vendaudit.gomod.model import ModVersion
from vendaudit.gomod.project import default_sums, load, read_modules_txt

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "vendor"


def _write(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, body in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(body, bytes):
            p.write_bytes(body)
        else:
            p.write_text(body)
    return root


GOMOD = "module example.com/m\n\ngo 1.22\n\nrequire (\n\texample.com/z v1.0.0\n\texample.com/a v1.0.0 // indirect\n)\n"  # noqa: E501


def test_directory_with_go_mod(tmp_path: Path) -> None:
    _write(tmp_path, {"go.mod": GOMOD})
    p = load_project(tmp_path)
    assert p.manifest == str(tmp_path / "go.mod")
    assert (p.main_module, p.go, p.modules_txt, p.sums) == ("example.com/m", "1.22", None, None)
    # Sorted by path; no modules.txt, so explicit is unknown.
    assert [(m.path, m.indirect, m.explicit) for m in p.modules] == [
        ("example.com/a", True, None),
        ("example.com/z", False, None),
    ]


def test_vendor_mod_when_go_mod_absent_or_stub(tmp_path: Path) -> None:
    vm = GOMOD.replace("example.com/m", "github.com/docker/docker")
    _write(tmp_path, {"vendor.mod": vm})
    assert resolve_manifest(tmp_path) == tmp_path / "vendor.mod"
    _write(tmp_path, {"go.mod": "module github.com/docker/docker\n\ngo 1.23.0\n"})
    assert resolve_manifest(tmp_path) == tmp_path / "vendor.mod"
    _write(tmp_path, {"go.mod": GOMOD})
    assert resolve_manifest(tmp_path) == tmp_path / "go.mod"


def test_companion_file_names() -> None:
    assert default_sums(Path("x/vendor.mod")) == Path("x/vendor.sum")
    assert default_sums(Path("x/go.mod")) == Path("x/go.sum")
    assert default_sums(Path("x/custom.mod")) == Path("x/custom.sum")


def test_modules_txt_metadata_and_replacements() -> None:
    p = load_project(FIXTURES / "exact-beats-wildcard")
    (a,) = p.modules
    assert a.replace == ModVersion("example.com/exact", "v1.0.0")
    assert (a.explicit, a.packages, a.go_version) == (True, ("example.com/a",), "1.21")
    assert p.modules_txt == str(FIXTURES / "exact-beats-wildcard" / "vendor" / "modules.txt")

    dirs = load_project(FIXTURES / "dir-replace" / "go.mod")
    assert [m.replace for m in dirs.modules] == [ModVersion("./api"), ModVersion("./client")]


def test_load_hands_back_the_parsed_files(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "go.mod": GOMOD,
            "go.sum": "example.com/a v1.0.0/go.mod h1:x=\n",
            "vendor/modules.txt": "# example.com/a v1.0.0\n## explicit\nexample.com/a\n",
        },
    )
    loaded = load(tmp_path)
    assert loaded.project == load_project(tmp_path)
    assert loaded.files.path == tmp_path / "go.mod"
    assert loaded.files.modfile.module is not None
    assert loaded.files.modfile.module.path == "example.com/m"
    assert loaded.files.modules_txt == read_modules_txt(tmp_path / "vendor" / "modules.txt")
    assert loaded.sums is not None
    assert [(e.path, e.version, e.go_mod) for e in loaded.sums.entries] == [
        ("example.com/a", "v1.0.0", True)
    ]
    bare = load(_write(tmp_path / "bare", {"go.mod": GOMOD}))
    assert (bare.files.modules_txt, bare.sums) == (None, None)


def test_not_explicit_and_unrequired_vendored_modules(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "go.mod": "module example.com/m\n\ngo 1.16\n\nrequire example.com/b v1.0.0\n",
            "vendor/modules.txt": "# example.com/b v1.0.0\nexample.com/b\n"
            "# example.com/a v0.3.0\nexample.com/a/x\n# example.com/c v0.1.0\n",
        },
    )
    p = load_project(tmp_path)
    # a provides vendored packages without being required (go < 1.17): listed as indirect.
    assert [(m.path, m.indirect, m.explicit, m.packages) for m in p.modules] == [
        ("example.com/a", True, False, ("example.com/a/x",)),
        ("example.com/b", False, False, ("example.com/b",)),
    ]


def test_sums_are_validated(tmp_path: Path) -> None:
    _write(tmp_path, {"go.mod": GOMOD, "go.sum": "example.com/a v1.0.0/go.mod h1:x=\n"})
    assert load_project(tmp_path).sums == str(tmp_path / "go.sum")
    _write(tmp_path, {"go.sum": "example.com/a v1.0.0/go.mod\n"})
    with pytest.raises(GoSumError, match="wrong number of fields 2"):
        load_project(tmp_path)


def test_missing_module_line(tmp_path: Path) -> None:
    _write(tmp_path, {"go.mod": "go 1.22\n\nrequire example.com/a v1.0.0\n"})
    with pytest.raises(ModFileError) as info:
        load_project(tmp_path / "go.mod")
    assert str(info.value) == (
        f"{tmp_path / 'go.mod'}: missing module declaration. To specify the module path:\n"
        "\tgo mod edit -module=example.com/mod"
    )


@pytest.mark.parametrize(
    ("setup", "error", "message"),
    [
        ({}, ModFileError, "no go.mod or vendor.mod in this directory"),
        ({"go.mod": GOMOD, "vendor/modules.txt/x": ""}, ModulesTxtError, "is a directory"),
        ({"go.mod": b"module \x00\xff\n"}, ModFileError, "go.mod:1"),
        ({"go.mod": GOMOD, "vendor/modules.txt": b"\xff\n"}, ModulesTxtError, "modules.txt:1:"),
        ({"go.mod": GOMOD, "go.sum/": ""}, GoSumError, "is a directory"),
    ],
)
def test_errors(
    tmp_path: Path, setup: dict[str, str | bytes], error: type[ManifestError], message: str
) -> None:
    _write(tmp_path, {k: v for k, v in setup.items() if not k.endswith("/")})
    for k in setup:
        if k.endswith("/"):
            (tmp_path / k).mkdir()
    with pytest.raises(error, match=message):
        load_project(tmp_path)


def test_explicit_companions_must_exist(tmp_path: Path) -> None:
    _write(tmp_path, {"go.mod": GOMOD})
    with pytest.raises(ModulesTxtError, match=r"nope\.txt: no such file"):
        load_project(tmp_path, modules_txt=tmp_path / "nope.txt")
    with pytest.raises(GoSumError, match=r"nope\.sum: no such file"):
        load_project(tmp_path, sums=tmp_path / "nope.sum")
    with pytest.raises(ModFileError, match=r"missing\.mod: no such file"):
        load_project(tmp_path / "missing.mod")


@pytest.mark.realworld
@pytest.mark.parametrize(
    ("name", "manifest", "count", "replaced"),
    [("moby", "vendor.mod", 234, 0), ("moby-v2-head", "go.mod", 297, 2)],
)
def test_realworld(realworld: Path, name: str, manifest: str, count: int, replaced: int) -> None:
    p = load_project(realworld / name)
    assert p.manifest == str(realworld / name / manifest)
    assert p.sums == str(realworld / name / manifest.replace(".mod", ".sum"))
    assert len(p.modules) == count
    assert sum(m.replace is not None for m in p.modules) == replaced
    assert all(m.explicit for m in p.modules)
    assert [m.path for m in p.modules] == sorted(m.path for m in p.modules)


@pytest.mark.gotool
@pytest.mark.realworld
def test_realworld_modules_match_go_list(
    realworld: Path, go_tool: str, go_env: dict[str, str], tmp_path: Path
) -> None:
    # `go list -m -json all` needs the network; with -mod=vendor, `go mod edit -json` gives the
    # requires and replaces cmd/go sees, which load_project must reproduce.
    root = Path(os.path.realpath(tmp_path))
    shutil.copyfile(realworld / "moby-v2-head" / "go.mod", root / "go.mod")
    out = subprocess.run(
        [go_tool, "mod", "edit", "-json"],
        cwd=root,
        env=go_env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    doc = json.loads(out)
    p = load_project(realworld / "moby-v2-head")
    want = sorted((r["Path"], r["Version"], r.get("Indirect", False)) for r in doc["Require"])
    assert [(m.path, m.version, m.indirect) for m in p.modules] == want
