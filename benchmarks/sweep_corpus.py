"""Make a directory of real Debian applications' go.mod files for the sweep benchmark.

Usage::

    .venv/bin/python benchmarks/sweep_corpus.py OUT_DIR [--suite sid] [--limit N]

Lists the suite's Go applications with vendaudit's own rule
(:func:`vendaudit.distros.debian.applications.list_go_applications`) from apt's lists (a
``deb-src`` line and ``apt-get update`` first, see ``debian_index.py``), downloads each
one's orig tarball from the Debian mirror, and keeps only its top-level ``go.mod`` /
``vendor.mod`` / ``go.sum`` as ``OUT_DIR/<source>/``, with a ``vendaudit-source.json``
naming the version: the layout ``vendaudit sweep --manifests`` reads.  Sources whose
tarball has no top-level go.mod are skipped.  Re-running skips what is already there.
(sources.debian.org serves the same files; this script uses the mirror because that is
what a build machine reaches.)
"""

from __future__ import annotations

import argparse
import json
import sys
import tarfile
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vendaudit.distros.debian.applications import (  # noqa: E402
    GoApplication,
    list_go_applications,
)
from vendaudit.distros.debian.compression import decompress  # noqa: E402

WANT = {"go.mod", "vendor.mod", "go.sum", "vendor.sum"}
MIRROR = "http://deb.debian.org/debian"


def _stanzas(data: bytes) -> dict[str, tuple[str, list[str]]]:
    """source -> (Directory, file names) for every stanza (highest version wins later)."""
    out: dict[str, tuple[str, list[str]]] = {}
    for stanza in data.decode("utf-8", "replace").split("\n\n"):
        fields: dict[str, str] = {}
        key = ""
        for line in stanza.split("\n"):
            if line[:1] in (" ", "\t") and key:
                fields[key] += "\n" + line
            elif ":" in line:
                key, _, value = line.partition(":")
                fields[key.lower()] = value.strip()
                key = key.lower()
        if "package" in fields and "version" in fields:
            files = [ln.split()[-1] for ln in fields.get("files", "").split("\n") if ln.strip()]
            out[f"{fields['package']} {fields['version']}"] = (fields.get("directory", ""), files)
    return out


def _fetch(out: Path, source: str, version: str, directory: str, files: list[str]) -> str:
    dest = out / source
    if (dest / "vendaudit-source.json").exists():
        return "kept"
    tars = [f for f in files if ".orig.tar." in f] or [
        f for f in files if ".tar." in f and ".debian." not in f and ".orig-" not in f
    ]
    if not tars:
        return "no tarball"
    found: dict[str, bytes] = {}
    try:
        url = f"{MIRROR}/{directory}/{tars[0]}"
        with (
            urllib.request.urlopen(url, timeout=120) as resp,
            tarfile.open(fileobj=resp, mode="r|*") as tar,
        ):
            for member in tar:
                parts = member.name.split("/", 1)
                if len(parts) == 2 and parts[1] in WANT and member.isfile():
                    handle = tar.extractfile(member)
                    if handle is not None:
                        found[parts[1]] = handle.read()
    except (OSError, tarfile.TarError) as exc:
        return f"error: {exc}"
    manifest = "go.mod" if "go.mod" in found else "vendor.mod" if "vendor.mod" in found else None
    if manifest is None:
        return "no top-level go.mod"
    dest.mkdir(parents=True, exist_ok=True)
    for name, body in found.items():
        (dest / name).write_bytes(body)
    meta = {"source": source, "version": version, "manifest": manifest, "url": tars[0]}
    (dest / "vendaudit-source.json").write_text(json.dumps(meta) + "\n")
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--suite", default="sid")
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    lists = sorted(Path("/var/lib/apt/lists").glob(f"*_dists_{args.suite}_main_source_Sources*"))
    if not lists:
        sys.exit(f"no apt list for {args.suite}: add a deb-src line and run apt-get update")
    data = decompress(lists[0].read_bytes(), lists[0].name)
    apps = list_go_applications(data)
    if args.limit:
        apps = apps[: args.limit]
    where = _stanzas(data)
    args.out.mkdir(parents=True, exist_ok=True)

    def one(app: GoApplication) -> str:
        source, version = app.source, app.version
        directory, files = where.get(f"{source} {version}", ("", []))
        return f"{source}: {_fetch(args.out, source, version, directory, files)}"

    with ThreadPoolExecutor(6) as pool:
        for line in pool.map(one, apps):
            print(line, flush=True)


if __name__ == "__main__":
    main()
