"""Compare vendaudit's Debian plan for moby with what docker.io's own debian/ does.

Usage::

    # docker.io's packaging (only the small debian.tar.xz is needed):
    apt-get source --print-uris docker.io=28.5.2+dfsg4-5 | grep debian.tar
    /usr/lib/apt/apt-helper download-file URL docker.debian.tar.xz SHA256:...
    tar xJf docker.debian.tar.xz            # gives ./debian
    vendaudit report ../shared/realworld/moby/vendor.mod --apt-lists -d debian:sid \\
        --format json -o moby-sid.json
    python benchmarks/compare_dockerio.py debian/ moby-sid.json debian:sid

docker.io builds three upstreams (engine, cli, buildkit) from one source, so its
Build-Depends is a superset of what moby's engine alone needs: the comparison is made on
the binaries vendaudit maps moby's modules to, and per module for Files-Excluded.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path


def _field(stanza: str, name: str) -> str:
    # A field ends at the next "Field:" line; "#" comment lines inside it are dropped.
    m = re.search(rf"^{name}:(.*?)(?=^[A-Za-z][A-Za-z0-9-]*:|\Z)", stanza, re.M | re.S)
    if not m:
        return ""
    return "\n".join(ln for ln in m.group(1).splitlines() if not ln.lstrip().startswith("#"))


def dockerio_build_depends(debian: Path) -> set[str]:
    """The -dev binaries docker.io's source stanza Build-Depends on."""
    src = (debian / "control").read_text().split("\n\n")[0]
    names = set()
    for dep in _field(src, "Build-Depends").split(","):
        for alt in dep.split("|"):
            name = alt.strip().split(" ")[0].split("(")[0]
            if name.endswith("-dev"):
                names.add(name)
    return names


def dockerio_files_excluded(debian: Path) -> tuple[list[str], list[str]]:
    """(excluded vendor patterns, kept patterns with their markers)."""
    words = _field((debian / "copyright").read_text(), "Files-Excluded").split()
    excluded = [w for w in words if w.startswith("vendor/")]
    kept = [w for w in words if w.startswith("~") and "vendor/" in w]
    return excluded, kept


def covered(path: str, patterns: list[str]) -> bool:
    """True when a Files-Excluded pattern removes vendor/<path> (prefix on / boundaries)."""
    target = f"vendor/{path}"
    return any(target == p or target.startswith(p.rstrip("/") + "/") for p in patterns)


def main(debian_dir: str, report_json: str, target: str) -> None:
    """Print the comparison as Markdown."""
    debian = Path(debian_dir)
    report = json.loads(Path(report_json).read_text())
    plan = report["plan"][target]
    ours = {line.split(" ")[0] for line in plan["build_depends"]}
    theirs = dockerio_build_depends(debian)
    mapped = set()
    for mod in report["modules"]:
        pkg = mod["results"][target]["package"]
        if pkg and pkg["binary"]:
            mapped.add(pkg["binary"])
    relevant = theirs & mapped
    print(f"## Build-Depends ({target})")
    print(
        f"- vendaudit: {len(ours)} binaries; docker.io: {len(theirs)} -dev binaries "
        f"({len(relevant)} of them map to moby engine modules)"
    )
    print(f"- in both: {len(ours & theirs)}")
    print(f"- vendaudit only: {len(ours - theirs)}: {', '.join(sorted(ours - theirs))}")
    print(
        f"- docker.io only (engine modules): {len(relevant - ours)}: "
        f"{', '.join(sorted(relevant - ours))}"
    )
    excluded, kept = dockerio_files_excluded(debian)
    agree = ours_only = theirs_only = 0
    diffs = []
    for mod in report["modules"]:
        path = mod["path"]
        a = covered(path, plan["files_excluded"])
        b = covered(path, excluded)
        if a == b:
            agree += 1
        elif a:
            ours_only += 1
            diffs.append(
                f"  - vendaudit excludes, docker.io keeps: {path} "
                f"({mod['results'][target]['verdict']})"
            )
        else:
            theirs_only += 1
            diffs.append(
                f"  - docker.io excludes, vendaudit keeps: {path} "
                f"({mod['results'][target]['verdict']}: "
                f"{mod['results'][target]['reason'][:90]})"
            )
    print(f"\n## Files-Excluded per module ({len(report['modules'])} modules)")
    print(
        f"- same decision: {agree}; vendaudit-only exclusions: {ours_only}; "
        f"docker.io-only exclusions: {theirs_only}"
    )
    print("\n".join(diffs))
    print(f"\n## docker.io keeps ({len(kept)}): {', '.join(kept)}")
    ours_kept = {k["marker"] + k["path"] for k in plan["keep"]}
    print(f"## vendaudit keeps ({len(ours_kept)}): {', '.join(sorted(ours_kept))}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
