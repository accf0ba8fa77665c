"""Vendor consistency: Go's four checks, against go-verified scenarios and the real go command.

Each directory of fixtures/vendor/ is a tiny project (go.mod or vendor.mod, vendor/modules.txt)
with ``expected.txt`` holding the detail lines go1.27 prints (empty when consistent).
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from vendaudit.gomod.model import ModFile, ModuleStmt, ModVersion, Replace, Require
from vendaudit.gomod.modfile import parse_modfile
from vendaudit.gomod.modulestxt import ModulesTxt, parse_modules_txt
from vendaudit.gomod.project import read_modules_txt
from vendaudit.gomod.vendorcheck import (
    check_vendor_consistency,
    check_vendored_roots,
    effective_replacement,
    format_inconsistency,
    format_unrequired,
    is_pre114,
    replace_map,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "vendor"
SCENARIOS = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())
MOBY_LINE = (
    "cloud.google.com/go@v0.112.0: is explicitly required in go.mod, "
    "but not marked as explicit in vendor/modules.txt"
)


def _manifest(root: Path) -> Path:
    gomod = root / "go.mod"
    return gomod if gomod.exists() and not (root / "vendor.mod").exists() else root / "vendor.mod"


def _check(root: Path) -> list[str]:
    man = _manifest(root)
    mf = parse_modfile(man.read_bytes(), str(man))
    mtp = root / "vendor" / "modules.txt"
    mt = parse_modules_txt(mtp.read_bytes(), str(mtp)) if mtp.exists() else None
    return check_vendor_consistency(mf, mt, str(root))


def _mf(
    go: str = "1.22", require: tuple[Require, ...] = (), replace: tuple[Replace, ...] = ()
) -> ModFile:
    return ModFile("go.mod", ModuleStmt("example.com/m"), go=go, require=require, replace=replace)


def _mt(text: str) -> ModulesTxt:
    return parse_modules_txt(text.encode(), "vendor/modules.txt")


@pytest.mark.parametrize("name", SCENARIOS)
def test_scenario_matches_go_verified_expectation(name: str) -> None:
    expected = (FIXTURES / name / "expected.txt").read_text().splitlines()
    assert _check(FIXTURES / name) == expected


def test_all_brief_scenarios_present() -> None:
    for name in (
        "consistent",
        "missing-explicit",
        "extra-explicit",
        "version-bump",
        "replace-missing",
        "replace-differs",
        "replaced-not-in-gomod",
        "pre114-tolerant",
        "wildcard-replace",
        "dir-replace",
        "no-modules-txt",
    ):
        assert name in SCENARIOS


@pytest.mark.parametrize(
    ("go", "pre"),
    [("", True), ("1.13", True), ("1.14rc1", True), ("1.14", False), ("1.14.0", False),
     ("1.22", False), ("bogus", True)],
)  # fmt: skip
def test_is_pre114(go: str, pre: bool) -> None:
    assert is_pre114(_mf(go=go)) is pre


def test_replace_lookup_exact_beats_wildcard_and_later_wins() -> None:
    rmap = replace_map(
        (
            Replace(ModVersion("a.com/x", "v1.0.0"), ModVersion("./exact1")),
            Replace(ModVersion("a.com/x"), ModVersion("./wild")),
            Replace(ModVersion("a.com/x", "v1.0.0"), ModVersion("./exact2")),
        )
    )
    assert effective_replacement(rmap, "a.com/x", "v1.0.0") == ModVersion("./exact2")
    assert effective_replacement(rmap, "a.com/x", "v2.0.0") == ModVersion("./wild")
    assert effective_replacement(rmap, "a.com/y", "v1.0.0") is None


def test_missing_modules_txt_pre114_is_tolerated() -> None:
    mf = _mf(go="1.13", require=(Require("a.com/x", "v1.0.0"),))
    assert check_vendor_consistency(mf, None, "/m") == []


def test_pre114_replace_of_vendored_version_must_be_recorded() -> None:
    mf = _mf(
        go="1.13",
        require=(Require("a.com/x", "v1.0.0"),),
        replace=(Replace(ModVersion("a.com/x", "v1.0.0"), ModVersion("./x")),),
    )
    assert check_vendor_consistency(mf, _mt("# a.com/x v1.0.0\na.com/x\n"), "/m") == [
        "a.com/x@v1.0.0: is replaced in go.mod, but not marked as replaced in vendor/modules.txt"
    ]
    # ... but not when nothing is vendored from that version.
    assert check_vendor_consistency(mf, _mt("# a.com/x v1.0.0\n"), "/m") == []


def test_replace_errors_name_the_manifest_file() -> None:
    mf = ModFile(
        "/src/moby/vendor.mod",
        ModuleStmt("github.com/docker/docker"),
        go="1.23.0",
        replace=(Replace(ModVersion("a.com/x"), ModVersion("a.com/y", "v1.0.0")),),
    )
    assert check_vendor_consistency(mf, _mt("# a.com/x => a.com/y v1.0.1\n"), "/src/moby") == [
        "a.com/x: is replaced by a.com/y@v1.0.0 in vendor.mod, but marked as replaced by "
        "a.com/y@v1.0.1 in vendor/modules.txt"
    ]


def test_recorded_replacement_kept_by_wildcard_passes_check_4() -> None:
    mf = _mf(
        require=(Require("a.com/x", "v1.0.0"),),
        replace=(Replace(ModVersion("a.com/x"), ModVersion("./x")),),
    )
    mt = _mt("# a.com/x v1.0.0 => ./x\n## explicit\na.com/x\n# a.com/x => ./x\n")
    assert check_vendor_consistency(mf, mt, "/m") == []


def test_format_inconsistency_exact_text() -> None:
    assert format_inconsistency("/src/m", ["a.com/x@v1.0.0: boom", "a.com/y: bang"]) == (
        "go: inconsistent vendoring in /src/m:\n"
        "\ta.com/x@v1.0.0: boom\n"
        "\ta.com/y: bang\n"
        "\n"
        "\tTo ignore the vendor directory, use -mod=readonly or -mod=mod.\n"
        "\tTo sync the vendor directory, run:\n"
        "\t\tgo mod vendor"
    )


# --- real-world manifests ------------------------------------------------------------------


def _copy_realworld(src: Path, dst: Path, manifest: str) -> Path:
    (dst / "vendor").mkdir(parents=True)
    shutil.copyfile(src / manifest, dst / manifest)
    shutil.copyfile(src / "vendor" / "modules.txt", dst / "vendor" / "modules.txt")
    return dst


def _drop_explicit(modules_txt: Path, header: str) -> None:
    lines = modules_txt.read_text().split("\n")
    i = lines.index(header)
    assert lines[i + 1].startswith("## explicit")
    rest = lines[i + 1].removeprefix("## explicit").removeprefix(";").strip()
    lines[i + 1] = f"## {rest}" if rest else ""
    modules_txt.write_text("\n".join(lines))


@pytest.mark.realworld
@pytest.mark.parametrize(("name", "manifest"), [("moby", "vendor.mod"), ("moby-v2-head", "go.mod")])
def test_realworld_is_consistent(realworld: Path, name: str, manifest: str) -> None:
    assert _check(realworld / name) == []


@pytest.mark.realworld
def test_moby_without_one_explicit_is_inconsistent(realworld: Path, tmp_path: Path) -> None:
    root = _copy_realworld(realworld / "moby", tmp_path / "moby", "vendor.mod")
    _drop_explicit(root / "vendor" / "modules.txt", "# cloud.google.com/go v0.112.0")
    errors = _check(root)
    assert errors == [MOBY_LINE]
    assert f"\n\t{MOBY_LINE}\n" in format_inconsistency(str(root), errors)


# --- differential tests against the go command ----------------------------------------------


def _go_vendor_check(go: str, env: dict[str, str], root: Path) -> tuple[int, str]:
    args = [go, "list", "-mod=vendor", "-m"]
    if (root / "vendor.mod").exists():
        # moby's layout: a stub go.mod marks the module root, -modfile points at vendor.mod.
        (root / "go.mod").write_text("module github.com/docker/docker\n\ngo 1.23.0\n")
        args.append("-modfile=vendor.mod")
    env = {**env, "GOFLAGS": "-mod=vendor"}
    proc = subprocess.run(args, cwd=root, env=env, capture_output=True, text=True, check=False)
    return proc.returncode, proc.stderr.rstrip("\n")


def _ours(root: Path) -> tuple[int, str]:
    errors = _check(root)
    if errors:
        return 1, format_inconsistency(str(root), errors)
    man = _manifest(root)
    mf = parse_modfile(man.read_bytes(), str(man))
    mtp = root / "vendor" / "modules.txt"
    unrequired = check_vendored_roots(mf, read_modules_txt(mtp) if mtp.exists() else None)
    return (1, format_unrequired(unrequired)) if unrequired else (0, "")


@pytest.mark.gotool
def test_scenarios_agree_with_go(go_tool: str, go_env: dict[str, str], tmp_path: Path) -> None:
    diffs = []
    for name in SCENARIOS:
        root = Path(os.path.realpath(tmp_path)) / name
        shutil.copytree(FIXTURES / name, root)
        (root / "expected.txt").unlink()
        theirs, ours = _go_vendor_check(go_tool, go_env, root), _ours(root)
        if theirs != ours:
            diffs.append(f"{name}:\n go:   {theirs!r}\n ours: {ours!r}")
    assert not diffs, "\n".join(diffs)


@pytest.mark.gotool
@pytest.mark.realworld
def test_moby_mutations_agree_with_go(
    realworld: Path, go_tool: str, go_env: dict[str, str], tmp_path: Path
) -> None:
    root = _copy_realworld(realworld / "moby", Path(os.path.realpath(tmp_path)) / "m", "vendor.mod")
    assert _go_vendor_check(go_tool, go_env, root) == _ours(root) == (0, "")
    _drop_explicit(root / "vendor" / "modules.txt", "# cloud.google.com/go v0.112.0")
    with (root / "vendor.mod").open("a") as f:
        f.write("\nreplace golang.org/x/mod => ./mod\n")
    theirs = _go_vendor_check(go_tool, go_env, root)
    assert theirs == _ours(root)
    assert MOBY_LINE in theirs[1]


_HEADERS = [
    "# example.com/a v1.0.0",
    "# example.com/a v1.1.0",
    "# example.com/a v1.0.0 => ./a",
    "# example.com/a v1.0.0 => example.com/fork v1.0.1",
    "# example.com/a => ./a",
    "# example.com/b v1.2.0",
    "# example.com/b v1.2.0 => ./b",
    "# example.com/b => ./b",
    "# example.com/m => ./m",
    "# example.com/c v0.1.0",
    "# example.com/c bogus",
]
_BODY = ["## explicit", "## explicit; go 1.21", "## go 1.18", "example.com/a", "example.com/b/x",
         "example.com/c", "not an/import path", ""]  # fmt: skip
_REPLACES = [
    "example.com/a => ./a",
    "example.com/a v1.0.0 => ./a",
    "example.com/a v1.0.0 => example.com/fork v1.0.1",
    "example.com/b => ./b",
    "example.com/m => ./m",
    "example.com/c v0.1.0 => example.com/c2 v0.1.0",
]


def _random_project(rng: random.Random, root: Path) -> None:
    go = rng.choice(["", "go 1.13\n", "go 1.17\n", "go 1.22\n"])
    reqs = []
    if rng.random() < 0.8:
        reqs.append(f"example.com/a {rng.choice(['v1.0.0', 'v1.1.0'])}")
    if rng.random() < 0.6:
        reqs.append("example.com/b v1.2.0 // indirect")
    # Two different replacements of one key are fatal for cmd/go ("conflicting replacements"),
    # which ModFile (deduplicated like `go mod edit -json`) cannot show: keep keys distinct.
    reps = list({r.split(" =>")[0]: r for r in rng.sample(_REPLACES, rng.randint(0, 3))}.values())
    text = f"module example.com/m\n\n{go}"
    text += "".join(f"require {r}\n" for r in reqs) + "".join(f"replace {r}\n" for r in reps)
    (root / "vendor").mkdir(parents=True)
    (root / "go.mod").write_text(text)
    lines = []
    for _ in range(rng.randint(0, 6)):
        lines.append(rng.choice(_HEADERS))
        lines.extend(rng.choice(_BODY) for _ in range(rng.randint(0, 3)))
    if lines or rng.random() < 0.7:
        (root / "vendor" / "modules.txt").write_text("\n".join(lines) + "\n")


@pytest.mark.gotool
def test_random_projects_agree_with_go(
    go_tool: str, go_env: dict[str, str], tmp_path: Path
) -> None:
    rng = random.Random(20261127)
    roots = []
    for i in range(60):
        root = Path(os.path.realpath(tmp_path)) / f"p{i}"
        _random_project(rng, root)
        roots.append(root)
    with ThreadPoolExecutor(max_workers=2) as pool:
        theirs = list(pool.map(lambda r: _go_vendor_check(go_tool, go_env, r), roots))
    diffs = [
        f"{r}:\n{(r / 'go.mod').read_text()}\n go:   {t!r}\n ours: {_ours(r)!r}"
        for r, t in zip(roots, theirs, strict=True)
        if t != _ours(r)
    ]
    assert not diffs, "\n".join(diffs[:3])


def test_vendored_roots_must_be_required_at_that_version() -> None:
    mt = _mt("# a.com/x v1.0.0\n## explicit\na.com/x\n# a.com/y => ./y\na.com/y\n")
    mf = _mf(require=(Require("a.com/x", "v1.0.0"), Require("a.com/x", "v1.1.0")))
    assert check_vendored_roots(mf, mt) == ["a.com/x@v1.0.0", "a.com/y"]
    assert check_vendored_roots(_mf(go="1.16"), mt) == []
    assert format_unrequired(["a.com/y"]) == (
        "go: vendored module a.com/y should be required explicitly in go.mod\n"
        "go: updates to go.mod needed, disabled by -mod=vendor; to update it:\n\tgo mod tidy"
    )
