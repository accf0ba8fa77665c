"""A real HTTP server on 127.0.0.1 that misbehaves on request, and a black hole.

Every test here talks to it over a real socket (no faked transport), so the fetcher's
timeouts, size limits, retries and cache are exercised as they run for users.  Bounds:
the server listens on loopback only, every handler gives up after ``MAX_HANDLER_SECONDS``,
the black hole is a socket that listens and never accepts, and everything is closed at
teardown.  Timeouts of the code under test are shortened through its environment
variables (``fast_env``), so the whole module runs in seconds.
"""

from __future__ import annotations

import gzip
import hashlib
import http.server
import lzma
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLES = ROOT / "fixtures" / "debian"
MAX_HANDLER_SECONDS = 8.0
"""No handler (a drip, a stall) keeps a connection longer than this."""


@dataclass
class Reply:
    """What the server answers for one request."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    drip: float = 0.0
    """Seconds between 100-byte pieces of the body (0: all at once)."""
    stall: bool = False
    """Send nothing at all (until the handler bound)."""
    length: bool = True
    """Send Content-Length (False: the body ends when the connection closes)."""


Route = Reply | list[Reply] | Callable[[dict[str, str]], Reply]


class FaultServer:
    """Routes path → reply (or a list of replies served in turn, the last repeating)."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            timeout = MAX_HANDLER_SECONDS

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                reply = server._reply(self.path, dict(self.headers))
                if reply.stall:
                    server._stop.wait(MAX_HANDLER_SECONDS)
                    return
                self.send_response(reply.status)
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                if reply.length and "Content-Length" not in reply.headers:
                    self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                if not reply.drip:
                    self.wfile.write(reply.body)
                    return
                end = time.monotonic() + MAX_HANDLER_SECONDS
                for i in range(0, len(reply.body), 100):
                    if time.monotonic() > end or server._stop.wait(reply.drip):
                        return
                    self.wfile.write(reply.body[i : i + 100])
                    self.wfile.flush()

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def _reply(self, path: str, headers: dict[str, str]) -> Reply:
        with self._lock:
            self.requests.append((path, headers))
            route = self.routes.get(path.split("?", 1)[0] if path not in self.routes else path)
            if route is None:
                return Reply(b"not found", 404)
            if isinstance(route, list):
                return route.pop(0) if len(route) > 1 else route[0]
            if callable(route):
                return route(headers)
            return route

    def count(self, path: str) -> int:
        """How many requests reached ``path``."""
        with self._lock:
            return sum(1 for p, _ in self.requests if p == path)

    def close(self) -> None:
        """Stop serving; stalled and dripping handlers end at once."""
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[FaultServer]:
    """A fresh fault server per test."""
    srv = FaultServer()
    try:
        yield srv
    finally:
        srv.close()


@pytest.fixture
def black_hole() -> Iterator[str]:
    """``http://127.0.0.1:PORT``: the kernel accepts connections, nobody ever answers."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        sock.close()


@pytest.fixture
def refused_url() -> str:
    """A loopback URL nobody listens on (connection refused)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def fast_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Short timeouts and a private cache for the CLI; returns the cache dir."""
    cache = tmp_path / "cache"
    for name, value in {
        "VENDAUDIT_READ_TIMEOUT": "1.0",
        "VENDAUDIT_CONNECT_TIMEOUT": "1.0",
        "VENDAUDIT_PROXY_TIMEOUT": "0.3",
        "VENDAUDIT_RETRY_AFTER_MAX": "1.0",
        "VENDAUDIT_DEADLINE_SCALE": "0.02",
        "VENDAUDIT_CACHE_DIR": str(cache),
        "GOPROXY": "off",
        "GOFLAGS": "",
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("VENDAUDIT_DISTRO", "VENDAUDIT_MIRROR", "VENDAUDIT_OFFLINE", "CI"):
        monkeypatch.delenv(name, raising=False)
    return cache


# -- realistic Debian data -----------------------------------------------------------


def go_stanza(i: int) -> bytes:
    """A plausible Go source stanza (many are needed to pass a release suite's floor)."""
    name = f"golang-example-lib{i:04d}"
    return (
        f"Package: {name}\nBinary: {name}-dev\nVersion: 1.{i}.0-1\n"
        f"Maintainer: Debian Go Packaging Team <team+pkg-go@tracker.debian.org>\n"
        f"Build-Depends: debhelper-compat (= 13), dh-sequence-golang, golang-any\n"
        f"Architecture: all\nFormat: 3.0 (quilt)\nDirectory: pool/main/g/{name}\n"
        f"Go-Import-Path: example.org/lib{i:04d}\n\n"
    ).encode()


def sid_sources(extra: int = 400) -> bytes:
    """The real sid trap stanzas plus ``extra`` generated Go sources."""
    traps = (SAMPLES / "sid-traps.Sources").read_bytes().rstrip(b"\n") + b"\n\n"
    return traps + b"".join(go_stanza(i) for i in range(extra))


def release(files: dict[str, bytes], suite: str = "unstable", codename: str = "sid") -> bytes:
    """An unsigned InRelease listing ``files`` like dak writes it."""
    lines = [
        "Origin: Debian",
        "Label: Debian",
        f"Suite: {suite}",
        f"Codename: {codename}",
        "Date: Fri, 30 Oct 2026 08:11:42 UTC",
        "Components: main",
        "SHA256:",
    ]
    lines += [f" {hashlib.sha256(d).hexdigest()} {len(d):>16} {p}" for p, d in files.items()]
    return ("\n".join(lines) + "\n").encode()


def serve_sid(
    server: FaultServer, plain: bytes, variants: tuple[str, ...] = (".xz", ".gz")
) -> dict[str, bytes]:
    """Publish ``plain`` as sid's main Sources in ``variants``; returns path → bytes."""
    files = {"main/source/Sources": plain}
    if ".xz" in variants:
        files["main/source/Sources.xz"] = lzma.compress(plain)
    if ".gz" in variants:
        files["main/source/Sources.gz"] = gzip.compress(plain, mtime=0)
    server.routes["/debian/dists/sid/InRelease"] = Reply(release(files), headers={"ETag": '"r1"'})
    for path, data in files.items():
        if path.endswith(variants) or (path.endswith("Sources") and "" in variants):
            server.routes[f"/debian/dists/sid/{path}"] = Reply(data, headers={"ETag": '"s1"'})
    return files


GO_MOD = """module example.com/app

go 1.22

require (
\tgithub.com/docker/docker v28.5.2+incompatible
\tgolang.org/x/net v0.30.0
\tgopkg.in/yaml.v3 v3.0.1
\texample.org/lib0007 v1.7.0
\texample.org/nowhere v1.0.0
)
"""


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    """A go.mod whose modules the sid data answers (and one it lacks)."""
    path = tmp_path / "app" / "go.mod"
    path.parent.mkdir()
    path.write_text(GO_MOD)
    return path


@dataclass
class Run:
    """One CLI run: exit code, stdout, stderr, seconds, and the JSON report if any."""

    code: int
    stdout: str
    stderr: str
    seconds: float

    def verdicts(self, target: str) -> dict[str, str]:
        """module path → verdict for ``target`` from the JSON report."""
        import json

        doc = json.loads(self.stdout)
        return {
            m["path"]: m["results"][target]["verdict"]
            for m in doc["modules"]
            if target in m.get("results", {})
        }


@pytest.fixture
def vendaudit() -> Callable[..., Run]:
    """Run the CLI in-process (``vendaudit(*args)``), timed."""
    from vendaudit.cli import app

    def run(*args: str) -> Run:
        start = time.monotonic()
        result = CliRunner().invoke(app, list(args), catch_exceptions=False)
        return Run(result.exit_code, result.stdout, result.stderr, time.monotonic() - start)

    return run


class Kit:
    """The helpers above, for test modules (``--import-mode=importlib`` has no relative
    imports of conftest)."""

    Reply = Reply
    FaultServer = FaultServer
    SAMPLES = SAMPLES
    release = staticmethod(release)
    serve_sid = staticmethod(serve_sid)
    sid_sources = staticmethod(sid_sources)
    go_stanza = staticmethod(go_stanza)


@pytest.fixture
def kit() -> type[Kit]:
    """:class:`Kit`."""
    return Kit
