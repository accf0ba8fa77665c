"""Acceptance check: vendaudit's Go module → Debian mapping against real Build-Depends.

Usage::

    .venv/bin/python benchmarks/mapping_recall.py [-n 40] [--seed 1] [--max-mb 15]
        [--jobs 6] [--sources PATH] [--no-packages] [--out report.md]

For N Go *application* source packages of sid (Go-Import-Path, Build-Depends on dh-golang
or dh-sequence-golang, at least one binary not ending in ``-dev``, orig tarball below
``--max-mb``; a seeded random sample of the sorted names), this downloads the orig tarball
and the debian tarball into ``benchmarks/data/recall/`` (gitignored, reused across runs),
extracts only the top-level ``go.mod`` and ``debian/control``, maps every require with
:class:`DebianIndex` (sid) and compares the chosen ``-dev`` binaries ("ours") with the
``-dev`` binaries of the source stanza's Build-Depends ("theirs").

Metrics (summed over packages):

* precision = |ours ∩ theirs| / |ours|, ours from the *direct* requires (and from all);
* recall = |ours ∩ theirs| / |theirs|, where theirs is restricted to ``-dev`` binaries that
  some sid Go source (one with Go-Import-Path) builds — libsystemd-dev is not mappable —
  and, as looser denominators, to ``golang-*-dev`` names and to every ``-dev``.

With the sid binary ``Packages`` (downloaded once, by-hash, checked against the local
InRelease; ``--no-packages`` skips it), virtual Build-Depends are resolved through
Provides, and an "extra" binary pulled in by the Depends of a Build-Depends package is
classified as "transitively satisfied" rather than missing from the packaging.

Output: Markdown — per-package table, totals, the most common extra/missed binaries with
the module behind them, and a classification of both.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import io
import random
import re
import subprocess
import sys
import tarfile
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vendaudit.analysis.audit import judge  # noqa: E402
from vendaudit.distros.debian import decompress, parse_sources  # noqa: E402
from vendaudit.distros.debian.index import DebianIndex  # noqa: E402
from vendaudit.gomod import parse_modfile  # noqa: E402
from vendaudit.model import (  # noqa: E402
    DistroPackage,
    Module,
    Target,
    Verdict,
)
from vendaudit.versions.debian import debian_compare  # noqa: E402
from vendaudit.versions.modpath import module_major  # noqa: E402

TARGET = Target("debian", "sid")

DATA = ROOT / "benchmarks" / "data"
CACHE = DATA / "recall"
APT_LISTS = Path("/var/lib/apt/lists")
MIRROR = "http://deb.debian.org/debian"
APT_HELPER = "/usr/lib/apt/apt-helper"


# --------------------------------------------------------------------------- deb822


def iter_stanzas(text: str) -> Iterator[dict[str, str]]:
    """deb822 paragraphs as {lower-cased field: value}; continuation lines joined by \\n."""
    for para in re.split(r"\n[ \t]*\n", text):
        fields: dict[str, str] = {}
        last = None
        for line in para.split("\n"):
            if not line or line.startswith("#"):
                continue
            if line[0] in " \t":
                if last is not None:
                    fields[last] += "\n" + line.strip()
                continue
            name, sep, value = line.partition(":")
            if not sep:
                continue
            last = name.strip().lower()
            fields[last] = value.strip()
        if fields:
            yield fields


@dataclass(frozen=True)
class Dep:
    """One alternative group of a relationship field."""

    names: tuple[str, ...]
    nocheck: bool
    """Every alternative is restricted to a ``!nocheck`` build profile (test-only)."""


_DEP_NAME = re.compile(r"^([a-z0-9][a-z0-9+.\-]*)(?::[a-z0-9\-]+)?")


def parse_relations(value: str) -> list[Dep]:
    """Build-Depends: groups on ``,``, alternatives on ``|``; drop versions, [arch], <prof>."""
    deps: list[Dep] = []
    value = "\n".join(ln for ln in value.split("\n") if not ln.lstrip().startswith("#"))
    for group in value.split(","):
        names: list[str] = []
        nocheck = True
        for alt in group.split("|"):
            alt = " ".join(alt.split())
            if not alt or alt.startswith("$"):
                continue
            m = _DEP_NAME.match(alt)
            if not m:
                continue
            names.append(m.group(1))
            profiles = re.findall(r"<([^>]*)>", alt)
            if not profiles or not any("!nocheck" in p for p in profiles):
                nocheck = False
        if names:
            deps.append(Dep(tuple(names), nocheck))
    return deps


def build_depends(control: str) -> list[Dep]:
    """The relationship groups of the source stanza (first paragraph) of debian/control."""
    src = next(iter_stanzas(control), {})
    deps: list[Dep] = []
    for name in ("build-depends", "build-depends-arch", "build-depends-indep"):
        if name in src:
            deps += parse_relations(src[name])
    return deps


# --------------------------------------------------------------------------- Sources


@dataclass
class Src:
    package: str
    version: str
    binaries: tuple[str, ...]
    import_paths: tuple[str, ...]
    build_depends: str
    control_fields: str
    """Build-Depends, -Arch and -Indep of the stanza, as deb822 text."""
    directory: str
    files: dict[str, tuple[str, int]]  # name -> (sha256, size)

    @property
    def orig(self) -> str | None:
        """The main upstream tarball (orig, or the native tarball)."""
        for name in self.files:
            if re.search(r"\.orig\.tar\.[a-z0-9]+$", name):
                return name
        for name in self.files:
            tarball = re.search(r"\.tar\.[a-z0-9]+$", name)
            if tarball and ".debian.tar." not in name and ".orig-" not in name:
                return name
        return None

    @property
    def debian_tar(self) -> str | None:
        return next((n for n in self.files if ".debian.tar." in n), None)

    @property
    def orig_size(self) -> int:
        orig = self.orig
        return self.files[orig][1] if orig else 0


def split_list(value: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in value.replace("\n", " ").split(",") if p.strip())


def load_sources(text: str) -> dict[str, Src]:
    """Every Go source (Go-Import-Path) of ``text``, highest non-ESO version per package."""
    best: dict[str, Src] = {}
    for para in re.split(r"\n\n+", text):
        if "\nGo-Import-Path:" not in para and not para.startswith("Go-Import-Path:"):
            continue
        f = next(iter_stanzas(para))
        if f.get("extra-source-only", "").lower() == "yes":
            continue
        files: dict[str, tuple[str, int]] = {}
        for line in f.get("checksums-sha256", "").split("\n"):
            parts = line.split()
            if len(parts) == 3:
                files[parts[2]] = (parts[0], int(parts[1]))
        src = Src(
            package=f["package"],
            version=f["version"],
            binaries=split_list(f.get("binary", "")),
            import_paths=split_list(f.get("go-import-path", "")),
            build_depends=f.get("build-depends", ""),
            control_fields="".join(
                f"{k.title()}: {f[k]}\n".replace("\n", "\n ").rstrip(" ")
                for k in ("build-depends", "build-depends-arch", "build-depends-indep")
                if k in f
            ),
            directory=f.get("directory", ""),
            files=files,
        )
        seen = best.get(src.package)
        if seen is None or debian_compare(src.version, seen.version) > 0:
            best[src.package] = src
    return best


def is_go_app(src: Src) -> bool:
    names = {n for d in parse_relations(src.build_depends) for n in d.names}
    if not names & {"dh-golang", "dh-sequence-golang"}:
        return False
    return any(not b.endswith("-dev") for b in src.binaries)


# --------------------------------------------------------------------------- downloads


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def download(url: str, dest: Path, sha256: str | None) -> Path:
    """apt-helper download-file, skipped when ``dest`` exists (and matches ``sha256``)."""
    if dest.exists() and (sha256 is None or sha256_file(dest) == sha256):
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    cmd = [APT_HELPER, "download-file", url, str(dest)]
    if sha256:
        cmd.append(f"SHA256:{sha256}")
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    if proc.returncode != 0 or not dest.exists():
        errors = [ln for ln in (proc.stderr + proc.stdout).split("\n") if ln.startswith("E:")]
        raise RuntimeError(f"{url}: {errors[0] if errors else proc.returncode}")
    return dest


def fetch_member_files(src: Src) -> tuple[str | None, str | None, bool]:
    """(top-level go.mod, debian/control, orig ships vendor/modules.txt), cached as text."""
    stem = f"{src.package}_{src.version.replace(':', '%3a')}"
    gomod_cache, control_cache, vendor_cache, missing_cache = (
        CACHE / f"{stem}.{suffix}" for suffix in ("go.mod", "control", "vendored", "nogomod")
    )
    if control_cache.exists() and (gomod_cache.exists() or missing_cache.exists()):
        gomod = gomod_cache.read_text() if gomod_cache.exists() else None
        return gomod, control_cache.read_text(), vendor_cache.exists()
    orig = src.orig
    if orig is None:
        return None, None, False
    tarballs = [orig] + ([src.debian_tar] if src.debian_tar else [])
    gomod: str | None = None
    control: str | None = None
    vendored = False
    for name in tarballs:
        sha, _ = src.files[name]
        try:
            path = download(f"{MIRROR}/{src.directory}/{name}", CACHE / name, sha)
        except RuntimeError:
            if name == orig:
                raise
            # The mirror lacks the debian tarball: dpkg-source copied the source stanza's
            # Build-Depends* into the .dsc and so into Sources — use those.
            control = "Source: " + src.package + "\n" + src.control_fields
            continue
        with tarfile.open(path, "r|*") as tar:
            for member in tar:
                mname = member.name.removeprefix("./")
                if not member.isfile():
                    continue
                parts = mname.split("/")
                if (
                    name == orig
                    and gomod is None
                    and (mname == "go.mod" or (len(parts) == 2 and parts[1] == "go.mod"))
                ):
                    fh = tar.extractfile(member)
                    gomod = fh.read().decode("utf-8", "replace") if fh else None
                elif parts[-2:] == ["debian", "control"] and len(parts) <= 3 and not control:
                    fh = tar.extractfile(member)
                    control = fh.read().decode("utf-8", "replace") if fh else None
                elif name == orig and parts[-2:] == ["vendor", "modules.txt"] and len(parts) <= 3:
                    vendored = True
    if control is not None:
        control_cache.write_text(control)
    if gomod is not None:
        gomod_cache.write_text(gomod)
    else:
        missing_cache.write_text("")
    if vendored:
        vendor_cache.write_text("")
    return gomod, control, vendored


# --------------------------------------------------------------------------- Packages


@dataclass
class BinaryIndex:
    provides: dict[str, set[str]] = field(default_factory=dict)  # virtual -> real binaries
    depends: dict[str, set[str]] = field(default_factory=dict)  # binary -> dependency names

    def closure(self, names: Iterable[str]) -> set[str]:
        """Everything reachable through Depends (virtuals expanded) from ``names``."""
        seen: set[str] = set()
        todo = list(names)
        while todo:
            n = todo.pop()
            if n in seen:
                continue
            seen.add(n)
            todo += self.provides.get(n, ())
            todo += self.depends.get(n, ())
        return seen


def load_packages() -> BinaryIndex | None:
    """sid main amd64 Packages (by-hash, verified with the local InRelease), or None."""
    inrelease = APT_LISTS / "deb.debian.org_debian_dists_sid_InRelease"
    try:
        text = inrelease.read_text(errors="replace")
        sha = None
        in_sha = False
        for line in text.split("\n"):
            if line.startswith("SHA256:"):
                in_sha = True
                continue
            if in_sha and not line.startswith(" "):
                in_sha = False
            if in_sha and line.split()[-1:] == ["main/binary-amd64/Packages.xz"]:
                sha = line.split()[0]
        if sha is None:
            return None
        url = f"{MIRROR}/dists/sid/main/binary-amd64/by-hash/SHA256/{sha}"
        path = download(url, CACHE / "sid-main-amd64-Packages.xz", sha)
    except (OSError, RuntimeError) as exc:
        print(f"<!-- no Packages index: {exc} -->", file=sys.stderr)
        return None
    idx = BinaryIndex()
    for f in iter_stanzas(decompress(path.read_bytes(), path.name).decode("utf-8", "replace")):
        pkg = f.get("package")
        if not pkg:
            continue
        for dep in parse_relations(f.get("provides", "")):
            for n in dep.names:
                idx.provides.setdefault(n, set()).add(pkg)
        deps = parse_relations(f.get("depends", "") + "," + f.get("pre-depends", ""))
        idx.depends[pkg] = {n for d in deps for n in d.names}
    return idx


# --------------------------------------------------------------------------- mapping


@dataclass
class Mapped:
    module: str
    version: str
    indirect: bool
    binary: str | None  # chosen -dev binary (same major), None when unmapped
    kind: str | None
    source: str | None
    candidates: list[DistroPackage]
    want_major: int


@dataclass
class Result:
    src: Src
    vendored: bool
    module_path: str
    mapped: list[Mapped]
    theirs: list[Dep]
    theirs_dev: set[str]  # every -dev name in Build-Depends (virtuals resolved too)
    theirs_go: set[str]  # -dev names a sid Go source builds
    theirs_golang: set[str]  # golang-*-dev names

    def ours(self, direct_only: bool) -> dict[str, Mapped]:
        out: dict[str, Mapped] = {}
        for m in self.mapped:
            if m.binary and (not direct_only or not m.indirect):
                out.setdefault(m.binary, m)
        return out


def map_requires(index: DebianIndex, data: str, self_path: str) -> tuple[str, list[Mapped]]:
    mf = parse_modfile(data.encode(), "go.mod")
    own = mf.module.path if mf.module else self_path
    local = {r.old.path for r in mf.replace if r.new.version == ""}
    out: list[Mapped] = []
    for req in mf.require:
        if req.path in local or req.path == own or req.path.startswith(own + "/"):
            continue  # in-tree module: never a Build-Depends
        want = module_major(req.path, req.version)
        module = Module(req.path, req.version, indirect=req.indirect)
        cands = index.lookup(module)
        # The package the audit itself settles on (same rules as `vendaudit report`).
        finding = judge(module, TARGET, cands)
        best = finding.package if finding.verdict is not Verdict.OTHER_MAJOR else None
        out.append(
            Mapped(
                module=req.path,
                version=req.version,
                indirect=req.indirect,
                binary=best.binary if best else None,
                kind=str(best.match.value if hasattr(best.match, "value") else best.match)
                if best
                else None,
                source=best.source if best else None,
                candidates=cands,
                want_major=want,
            )
        )
    return own, out


# --------------------------------------------------------------------------- report


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}% ({a}/{b})" if b else "n/a"


def kind_of(c: DistroPackage) -> str:
    return str(getattr(c.match, "value", c.match))


def classify_miss(r: Result, b: str, go_dev: dict[str, Src], direct_ours: set[str]) -> str:
    """Why ``b`` (theirs, a Go -dev) is not among our direct-require binaries."""
    if b in r.ours(direct_only=False):
        return "transitive (only an indirect require maps to it)"
    for m in r.mapped:
        for i, c in enumerate(m.candidates):
            if c.binary == b or (b in go_dev and c.source == go_dev[b].package):
                tag = "indirect " if m.indirect else ""
                if c.major != m.want_major:
                    return (
                        f"other-major candidate ({tag}{kind_of(c)}, v{c.major} vs v{m.want_major})"
                    )
                if c.binary != b:
                    return f"same source, other binary chosen ({tag}{kind_of(c)}: {c.binary})"
                return f"lower-ranked candidate #{i + 1} ({tag}{kind_of(c)})"
    src = go_dev.get(b)
    if src:
        mods = [m.module for m in r.mapped]
        for p in src.import_paths:
            for mod in mods:
                if p.startswith(mod + "/"):
                    return "source declares a package path under a required module"
                if mod.rsplit("/", 1)[-1] == p.rsplit("/", 1)[-1]:
                    return "fork/rename (same last element as a require)"
    return "not in go.mod (test/tool/old dependency)"


def classify_extra(
    r: Result, b: str, m: Mapped, bin_src: dict[str, str], packages: BinaryIndex | None
) -> str:
    """Why ours ``b`` (for module ``m``) is not in Build-Depends."""
    theirs = r.theirs_dev
    src = bin_src.get(b)
    same = sorted(t for t in theirs if bin_src.get(t) == src and t != b)
    if same:
        return f"wrong binary of {src} (Build-Depends has {', '.join(same)})"
    others = [c for c in m.candidates if c.binary in theirs]
    if others:
        c = others[0]
        return f"packager chose another candidate ({kind_of(c)}, v{c.major}: {c.binary})"
    if packages is not None:
        reach = packages.closure(n for d in r.theirs for n in d.names)
        if b in reach:
            return "transitively satisfied (Depends of a Build-Depends)"
    if m.kind == "prefix":
        return "prefix match, not in Build-Depends"
    return "not in Build-Depends (unused/omitted/vendored)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("-n", type=int, default=40, help="packages to measure (default 40)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--max-mb", type=float, default=15.0, help="orig tarball size limit")
    ap.add_argument("--jobs", type=int, default=6, help="parallel downloads")
    ap.add_argument("--sources", type=Path, default=None, help="sid Sources (any compression)")
    ap.add_argument("--no-packages", action="store_true", help="skip the binary Packages")
    ap.add_argument("--out", type=Path, default=None, help="also write the Markdown here")
    args = ap.parse_args()

    sources_path = args.sources
    if sources_path is None:
        lz4 = APT_LISTS / "deb.debian.org_debian_dists_sid_main_source_Sources.lz4"
        sources_path = lz4 if lz4.exists() else DATA / "sid-main-Sources.xz"
    raw = decompress(sources_path.read_bytes(), sources_path.name)
    index = DebianIndex(Target("debian", "sid"), parse_sources(raw), str(sources_path))
    srcs = load_sources(raw.decode("utf-8", "replace"))
    del raw
    go_dev: dict[str, Src] = {b: s for s in srcs.values() for b in s.binaries if b.endswith("-dev")}
    bin_src = {b: s.package for s in srcs.values() for b in s.binaries}

    apps = sorted(
        s.package
        for s in srcs.values()
        if is_go_app(s) and s.orig and s.debian_tar and 0 < s.orig_size < args.max_mb * 2**20
    )
    order = apps[:]
    random.Random(args.seed).shuffle(order)
    CACHE.mkdir(parents=True, exist_ok=True)
    packages = None if args.no_packages else load_packages()

    results: list[Result] = []
    skipped: list[tuple[str, str]] = []
    pos = 0
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        while len(results) < args.n and pos < len(order):
            batch = order[pos : pos + max(args.n - len(results), 1)]
            pos += len(batch)
            futures = {p: pool.submit(fetch_member_files, srcs[p]) for p in batch}
            for p, fut in futures.items():
                try:
                    gomod, control, vendored = fut.result()
                except Exception as exc:  # a benchmark: report and go on
                    skipped.append((p, f"download/extract: {exc}"))
                    continue
                if gomod is None or control is None:
                    skipped.append((p, "no top-level go.mod" if control else "no debian/control"))
                    continue
                src = srcs[p]
                try:
                    own, mapped = map_requires(index, gomod, src.import_paths[0])
                except Exception as exc:
                    skipped.append((p, f"go.mod: {exc}"))
                    continue
                deps = build_depends(control)
                names = {n for d in deps for n in d.names}
                if packages is not None:  # a virtual -dev: count the real binary
                    for n in list(names):
                        if n not in bin_src and n in packages.provides:
                            names |= packages.provides[n]
                dev = {n for n in names if n.endswith("-dev")}
                results.append(
                    Result(
                        src=src,
                        vendored=vendored,
                        module_path=own,
                        mapped=mapped,
                        theirs=deps,
                        theirs_dev=dev,
                        theirs_go={n for n in dev if n in go_dev},
                        theirs_golang={n for n in dev if n.startswith("golang-")},
                    )
                )
                print(f"  measured {p} ({len(results)}/{args.n})", file=sys.stderr)
    results = results[: args.n]
    results.sort(key=lambda r: r.src.package)
    text = render(results, skipped, go_dev, bin_src, packages, args, sources_path, len(apps))
    print(text)
    if args.out:
        args.out.write_text(text)


def render(
    results: list[Result],
    skipped: list[tuple[str, str]],
    go_dev: dict[str, Src],
    bin_src: dict[str, str],
    packages: BinaryIndex | None,
    args: argparse.Namespace,
    sources_path: Path,
    n_apps: int,
) -> str:
    out = io.StringIO()
    w = out.write
    w("# Mapping recall/precision against Debian Build-Depends (sid)\n\n")
    w(
        f"Sources: `{sources_path}`; {n_apps} Go application sources under {args.max_mb} MB; "
        f"sample seed {args.seed}; measured {len(results)}, skipped {len(skipped)}; "
        f"Packages index: {'yes' if packages else 'no'}.\n\n"
    )
    w("| package | direct | all | ours (direct) | theirs (Go -dev) | hit | missed | extra |\n")
    w("|---|---:|---:|---:|---:|---:|---|---|\n")
    tot: collections.Counter[str] = collections.Counter()
    extra_c: collections.Counter[tuple[str, str]] = collections.Counter()
    extra_why: collections.Counter[str] = collections.Counter()
    extra_examples: dict[str, list[str]] = collections.defaultdict(list)
    miss_c: collections.Counter[str] = collections.Counter()
    miss_why: collections.Counter[str] = collections.Counter()
    miss_examples: dict[str, list[str]] = collections.defaultdict(list)
    kinds_hit: collections.Counter[str] = collections.Counter()
    kinds_extra: collections.Counter[str] = collections.Counter()
    unmapped_direct = 0
    other_major_only = 0
    non_exact: list[str] = []
    unmapped: list[str] = []
    for r in results:
        direct = [m for m in r.mapped if not m.indirect]
        ours_d = r.ours(direct_only=True)
        ours_a = r.ours(direct_only=False)
        hit_d = set(ours_d) & r.theirs_dev
        hit_a = set(ours_a) & r.theirs_dev
        missed = sorted(r.theirs_go - set(ours_d))
        # Source level: a transitional alias (golang-go-flags-dev) or a split binary of the
        # same source counts as agreement.
        src_ours = {bin_src.get(b, b) for b in ours_d}
        src_theirs = {bin_src.get(b, b) for b in r.theirs_go}
        tot["src_ours"] += len(src_ours)
        tot["src_theirs"] += len(src_theirs)
        tot["src_hit"] += len(src_ours & src_theirs)
        extra = sorted(set(ours_d) - r.theirs_dev)
        for key, val in (
            ("direct", len(direct)),
            ("all", len(r.mapped)),
            ("ours_d", len(ours_d)),
            ("ours_a", len(ours_a)),
            ("hit_d", len(hit_d)),
            ("hit_a", len(hit_a)),
            ("theirs_go", len(r.theirs_go)),
            ("theirs_golang", len(r.theirs_golang)),
            ("theirs_dev", len(r.theirs_dev)),
            ("hit_d_go", len(hit_d & r.theirs_go)),
            ("hit_a_go", len(hit_a & r.theirs_go)),
            ("hit_d_golang", len(hit_d & r.theirs_golang)),
            ("hit_a_golang", len(hit_a & r.theirs_golang)),
        ):
            tot[key] += val
            if not r.vendored:
                tot["nv_" + key] += val
        unmapped_direct += sum(1 for m in direct if m.binary is None)
        other_major_only += sum(1 for m in direct if m.binary is None and m.candidates)
        for b in hit_d:
            kinds_hit[ours_d[b].kind or "?"] += 1
        for m in direct:
            if m.binary and m.kind != "exact":
                verdict = "in Build-Depends" if m.binary in r.theirs_dev else "NOT in Build-Depends"
                non_exact.append(
                    f"{r.src.package}: {m.module}@{m.version} → {m.binary} ({m.kind}, {verdict})"
                )
            if m.binary is None:
                cands = ", ".join(f"{c.binary} ({kind_of(c)}, v{c.major})" for c in m.candidates)
                in_bd = [c.binary for c in m.candidates if c.binary in r.theirs_dev]
                unmapped.append(
                    f"{r.src.package}: {m.module}@{m.version} (v{m.want_major}) — "
                    f"{cands or 'no candidate'}"
                    + (f" — Build-Depends uses {', '.join(in_bd)}" if in_bd else "")
                )
        for b in missed:
            why = classify_miss(r, b, go_dev, set(ours_d))
            miss_c[b] += 1
            miss_why[why] += 1
            if len(miss_examples[why]) < 6:
                miss_examples[why].append(f"{r.src.package}: {b}")
        for b in extra:
            m = ours_d[b]
            why = classify_extra(r, b, m, bin_src, packages)
            extra_c[(b, m.module)] += 1
            kinds_extra[m.kind or "?"] += 1
            key = why.split(" (")[0]
            extra_why[key] += 1
            if len(extra_examples[key]) < 8:
                extra_examples[key].append(f"{r.src.package}: {m.module} → {b} — {why}")
        name = r.src.package + (" (vendored)" if r.vendored else "")
        w(
            f"| {name} | {len(direct)} | {len(r.mapped)} | {len(ours_d)} | {len(r.theirs_go)} "
            f"| {len(hit_d)} | {', '.join(missed) or '—'} | {', '.join(extra) or '—'} |\n"
        )
    w("\n## Totals\n\n")
    w(f"- requires: {tot['direct']} direct, {tot['all']} in all (in-tree modules excluded)\n")
    w(
        f"- direct requires without a same-major package: {unmapped_direct} "
        f"({other_major_only} of them have only other-major candidates)\n"
    )
    for label, prefix in (("all packages", ""), ("packages without vendor/", "nv_")):
        t = {k[len(prefix) :]: v for k, v in tot.items() if k.startswith(prefix)}
        if prefix:
            t = {k[3:]: v for k, v in tot.items() if k.startswith("nv_")}
        else:
            t = {k: v for k, v in tot.items() if not k.startswith("nv_")}
        w(f"\n### {label}\n\n")
        w(f"- precision (direct requires): {pct(t.get('hit_d', 0), t.get('ours_d', 0))}\n")
        w(f"- precision (all requires): {pct(t.get('hit_a', 0), t.get('ours_a', 0))}\n")
        w(
            "- recall vs Build-Depends -dev built by a Go source (mappable): "
            f"direct {pct(t.get('hit_d_go', 0), t.get('theirs_go', 0))}, "
            f"all {pct(t.get('hit_a_go', 0), t.get('theirs_go', 0))}\n"
        )
        w(
            "- recall vs golang-*-dev Build-Depends: "
            f"direct {pct(t.get('hit_d_golang', 0), t.get('theirs_golang', 0))}, "
            f"all {pct(t.get('hit_a_golang', 0), t.get('theirs_golang', 0))}\n"
        )
        w(
            "- recall vs every -dev Build-Depends: "
            f"direct {pct(t.get('hit_d', 0), t.get('theirs_dev', 0))}, "
            f"all {pct(t.get('hit_a', 0), t.get('theirs_dev', 0))}\n"
        )
    w(
        "\n### source level (all packages; ours from direct requires vs Go -dev)\n\n"
        f"- precision: {pct(tot['src_hit'], tot['src_ours'])}; "
        f"recall: {pct(tot['src_hit'], tot['src_theirs'])}\n"
    )
    trans = extra_why.get("transitively satisfied", 0)
    w(
        "- precision counting extras satisfied through Depends of a Build-Depends as right: "
        f"{pct(tot['hit_d'] + trans, tot['ours_d'])}\n"
    )
    w("\n## Match kinds (direct)\n\n")
    w(f"- hits: {dict(kinds_hit)}\n- extras: {dict(kinds_extra)}\n")
    w("\n## Direct requires mapped by a non-exact match\n\n")
    for line in non_exact:
        w(f"- {line}\n")
    w("\n## Direct requires without a same-major package\n\n")
    for line in unmapped:
        w(f"- {line}\n")
    w("\n## Missed (theirs, Go -dev, not ours from direct requires) — causes\n\n")
    for why, n in miss_why.most_common():
        w(f"- **{why}**: {n} — e.g. {'; '.join(miss_examples[why])}\n")
    w("\n### Most commonly missed binaries\n\n")
    for b, n in miss_c.most_common(15):
        w(f"- {b} ×{n}\n")
    w("\n## Extra (ours from direct requires, not in Build-Depends) — causes\n\n")
    for why, n in extra_why.most_common():
        w(f"- **{why}**: {n}\n")
        for ex in extra_examples[why]:
            w(f"  - {ex}\n")
    w("\n### Most common extra binaries (module → binary)\n\n")
    for (b, mod), n in extra_c.most_common(15):
        w(f"- {mod} → {b} ×{n}\n")
    if skipped:
        w("\n## Skipped\n\n")
        for p, why in skipped:
            w(f"- {p}: {why}\n")
    return out.getvalue()


if __name__ == "__main__":
    main()
