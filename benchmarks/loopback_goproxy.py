"""A GOPROXY on 127.0.0.1 answering ``.info`` from real data only, around one command.

Used to re-measure ``benchmarks/compare_dockerio.py`` with tag dates without reaching
proxy.golang.org (not reachable from the build machine).  Where each ``Time`` comes from:

* a **pseudo-version**: its own timestamp (``v0.0.0-20250102033503-…`` → 2025-01-02
  03:35:03 UTC), exactly what the real proxy answers for it;
* a **tag the manifest requires** (``github.com/moby/term v0.5.2``): the date of the
  manifest's own commit, given with ``--required-before`` (for moby v28.5.2,
  2025-11-05T14:19:32Z from ``../shared/realworld/moby/README.md``).  A required tag
  existed when that commit was made, so this is an **upper bound** of the tag's date:
  a snapshot newer than it is certainly newer than the tag ("satisfied by date" is sound),
  a snapshot older than it may or may not be ("outdated by date" rests on the bound);
* **anything else** (``<module>@v<packaged upstream>`` own-version checks, versions the
  manifest does not name): no real date is known here, answered 404.

Every answer is counted and the counts are printed on stderr after the command::

    python benchmarks/loopback_goproxy.py --manifest ../shared/realworld/moby/vendor.mod \\
        --required-before 2025-11-05T14:19:32Z -- \\
        vendaudit report ../shared/realworld/moby/vendor.mod --apt-lists -d debian:sid \\
        --format json -o moby-sid-dates.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.server
import json
import os
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

from vendaudit.gomod.project import read_manifests
from vendaudit.versions import pseudo
from vendaudit.versions.modpath import unescape_path, unescape_version


def _server(required: set[tuple[str, str]], before: str, counts: Counter[str]) -> type:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body, kind = self._answer()
            counts[kind] += 1
            if body is None:
                self.send_response(404)
                self.end_headers()
                self.wfile.write(b"not found: no real date known to the loopback proxy\n")
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def _answer(self) -> tuple[bytes | None, str]:
            if self.path == "/":
                return b"loopback goproxy\n", "root"
            escaped, sep, rest = self.path.lstrip("/").partition("/@v/")
            if not sep or not rest.endswith(".info"):
                return None, "other (404)"
            try:
                path = unescape_path(escaped)
                version = unescape_version(rest.removesuffix(".info"))
            except ValueError:
                return None, "other (404)"
            if pseudo.is_pseudo_version(version):
                when = pseudo.pseudo_version_time(version).strftime("%Y-%m-%dT%H:%M:%SZ")
                kind = "pseudo-version (exact)"
            elif (path, version) in required:
                when, kind = before, "required tag (upper bound)"
            else:
                return None, "unknown here (404)"
            return json.dumps({"Version": version, "Time": when}).encode(), kind

        def log_message(self, *args: object) -> None:
            pass

    return Handler


def main() -> None:
    """Serve, run the command after ``--`` with GOPROXY pointing here, print the counts."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--manifest", required=True)
    ap.add_argument("--required-before", required=True, help="the manifest commit's UTC time")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    dt.datetime.fromisoformat(args.required_before.replace("Z", "+00:00"))  # validate
    files = read_manifests(Path(args.manifest))
    required = {(r.path, r.version) for r in files.modfile.require}
    counts: Counter[str] = Counter()
    handler = _server(required, args.required_before, counts)
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    env = dict(os.environ, GOPROXY=f"http://127.0.0.1:{srv.server_port}", GOFLAGS="")
    try:
        code = subprocess.run(command, env=env, check=False).returncode
    finally:
        srv.shutdown()
    for kind, n in sorted(counts.items()):
        sys.stderr.write(f"loopback goproxy: {n} × {kind}\n")
    sys.exit(code)


if __name__ == "__main__":
    main()
