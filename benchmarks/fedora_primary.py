"""Benchmark: stream-parse a generated Fedora-sized primary.xml (gz and zst).

Generates ~80k packages (most not Go; a few thousand Go -devel packages with many
golang() provides, plus bundled() provides on Go applications), then measures parse
time and peak memory.  Peak Python allocations come from tracemalloc (run separately,
since tracing slows parsing down); ru_maxrss is the process high-water mark.

    .venv/bin/python benchmarks/fedora_primary.py [--packages 80000] [--go 3000] [--reference]

``--reference`` measures ``prefilter=False`` (every byte through expat's callbacks), the
path the byte-level prefilter must agree with.
"""

from __future__ import annotations

import argparse
import gzip
import random
import resource
import sys
import time
import tracemalloc

import zstandard

from vendaudit.distros.fedora.primary import scan_primary

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<metadata xmlns="http://linux.duke.edu/metadata/'
    'common" xmlns:rpm="http://linux.duke.edu/metadata/rpm" packages="{n}">\n'
)
PKG = """<package type="rpm">
  <name>{name}</name>
  <arch>{arch}</arch>
  <version epoch="0" ver="{ver}" rel="{rel}"/>
  <checksum type="sha256" pkgid="YES">{sha}</checksum>
  <summary>Summary of {name}</summary>
  <description>A longer description of {name} that wraps over a couple of lines, like
real package descriptions do, so the parser has text to skip.</description>
  <packager>Fedora Project</packager>
  <url>https://example.org/{name}</url>
  <time file="1767225600" build="1767225000"/>
  <size package="123456" installed="456789" archive="460000"/>
  <location href="Packages/{first}/{name}-{ver}-{rel}.{arch}.rpm"/>
  <format>
    <rpm:license>MIT</rpm:license>
    <rpm:vendor>Fedora Project</rpm:vendor>
    <rpm:group>Unspecified</rpm:group>
    <rpm:buildhost>buildhw-x86-01.iad2.fedoraproject.org</rpm:buildhost>
    <rpm:sourcerpm>{src}-{ver}-{rel}.src.rpm</rpm:sourcerpm>
    <rpm:header-range start="4504" end="23456"/>
    <rpm:provides>
{provides}    </rpm:provides>
    <rpm:requires>
{requires}    </rpm:requires>
    <file>/usr/bin/{name}</file>
  </format>
</package>
"""
ENTRY = '      <rpm:entry name="{n}" flags="EQ" epoch="0" ver="{v}" rel="{r}"/>\n'


def generate(n_packages: int, n_go: int, seed: int = 1) -> bytes:
    """A primary.xml with ``n_packages`` packages of which ``n_go`` are Go -devel ones."""
    rnd = random.Random(seed)
    parts = [HEAD.format(n=n_packages)]
    go_idx = set(rnd.sample(range(n_packages), n_go))
    for i in range(n_packages):
        ver, rel = (
            f"{rnd.randint(0, 9)}.{rnd.randint(0, 40)}.{rnd.randint(0, 9)}",
            f"{i % 7 + 1}.fc43",
        )
        sha = f"{rnd.getrandbits(256):064x}"
        if i in go_idx:
            ipath = f"github.com/org{i % 500}/lib{i}"
            name = f"golang-github-org{i % 500}-lib{i}-devel"
            provs = [ENTRY.format(n=f"golang-ipath({ipath})", v=ver, r=rel)]
            for k in range(rnd.randint(1, 40)):
                provs.append(ENTRY.format(n=f"golang({ipath}/pkg{k})", v=ver, r=rel))
            provs.append(ENTRY.format(n=name, v=ver, r=rel))
            arch = "noarch"
        else:
            name = f"pkg{i}"
            provs = [
                ENTRY.format(n=name, v=ver, r=rel),
                ENTRY.format(n=f"{name}(x86-64)", v=ver, r=rel),
            ]
            if i % 50 == 0:  # Go applications with bundled provides
                provs += [
                    ENTRY.format(n=f"bundled(golang(github.com/dep{k}/m))", v="1.0.0", r="")
                    for k in range(100)
                ]
            arch = "x86_64"
        reqs = "".join(
            f'      <rpm:entry name="lib{rnd.randint(0, 999)}.so.1()(64bit)"/>\n' for _ in range(8)
        )
        parts.append(
            PKG.format(
                name=name,
                arch=arch,
                ver=ver,
                rel=rel,
                sha=sha,
                first=name[0],
                src=name.removesuffix("-devel"),
                provides="".join(provs),
                requires=reqs,
            )
        )
    parts.append("</metadata>")
    return "".join(parts).encode()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--packages", type=int, default=80_000)
    ap.add_argument("--go", type=int, default=3_000)
    ap.add_argument("--reference", action="store_true", help="scan with prefilter=False")
    args = ap.parse_args()
    t0 = time.perf_counter()
    plain = generate(args.packages, args.go)
    print(f"generated {len(plain) / 1e6:.1f} MB XML in {time.perf_counter() - t0:.1f}s")
    blobs = {
        "gz": gzip.compress(plain, compresslevel=6),
        "zst": zstandard.ZstdCompressor(level=10).compress(plain),
    }
    del plain
    print("reference path (prefilter=False)" if args.reference else "prefiltered path")
    for kind, blob in blobs.items():
        t0 = time.perf_counter()
        scan = scan_primary(blob, prefilter=not args.reference)
        dt = time.perf_counter() - t0
        tracemalloc.start()
        scan_primary(blob, prefilter=not args.reference)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"{kind}: {len(blob) / 1e6:.1f} MB compressed, {scan.total} packages, "
            f"{len(scan.packages)} Go packages, "
            f"{sum(len(p.provides) for p in scan.packages)} Go provides: "
            f"parse {dt:.2f}s, peak traced {peak / 1e6:.1f} MB"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"ru_maxrss (whole process incl. generated input) {rss / 1024:.0f} MB", file=sys.stderr)


if __name__ == "__main__":
    main()
