"""go.sum / vendor.sum reader and the ``h1:`` (dirhash Hash1) of go.mod files."""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import zipfile
from pathlib import Path

import pytest

from vendaudit.gomod.errors import GoSumError
from vendaudit.gomod.gosum import EMPTY_GO_MOD_HASH, go_mod_hash, hash1, parse_gosum

# The go.mod of golang.org/x/mod at v0.2.0; its go.sum line is a §6 vector (also in moby's
# vendor.sum): golang.org/x/mod v0.2.0/go.mod h1:s0Qsj1ACt9ePp/hMypM3fl4fZqREWJwdYDEqhRiZZUA=
X_MOD_V020_GO_MOD = b"""module golang.org/x/mod

go 1.12

require (
\tgolang.org/x/crypto v0.0.0-20191011191535-87dc89f01550
\tgolang.org/x/tools v0.0.0-20191119224855-298f0cb1881e
\tgolang.org/x/xerrors v0.0.0-20191011141410-1b5146add898
)
"""


def test_entries_and_lookup() -> None:
    data = (
        b"example.com/a v1.0.0 h1:AAAA=\n"
        b"example.com/a v1.0.0/go.mod h1:BBBB=\n"
        b"\n   \n"
        b"example.com/a v1.0.0/go.mod h1:CCCC=\r\n"
        b"example.com/b v0.1.0/go.mod " + EMPTY_GO_MOD_HASH.encode() + b"\n"
    )
    s = parse_gosum(data, "go.sum")
    assert [(e.path, e.version, e.go_mod, e.hash, e.line) for e in s.entries] == [
        ("example.com/a", "v1.0.0", False, "h1:AAAA=", 1),
        ("example.com/a", "v1.0.0", True, "h1:BBBB=", 2),
        ("example.com/a", "v1.0.0", True, "h1:CCCC=", 5),
    ]
    assert s.lookup("example.com/a", "v1.0.0") == ["h1:BBBB=", "h1:CCCC="]
    assert s.lookup("example.com/a", "v1.0.0", go_mod=False) == ["h1:AAAA="]
    assert s.lookup("example.com/b", "v0.1.0") == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"example.com/a v1.0.0\n", "malformed go.sum:\nvendor.sum:1: wrong number of fields 2"),
        (
            b"\nexample.com/a v1.0.0 h1:x= extra\n",
            "malformed go.sum:\nvendor.sum:2: wrong number of fields 4",
        ),
        (b"a v1 h1:x=\n\x00\n", "vendor.sum:2: unexpected NUL byte (binary file?)"),
        (b"a v1 h1:\xfe=\n", "vendor.sum:1: invalid UTF-8"),
    ],
)
def test_malformed(data: bytes, message: str) -> None:
    with pytest.raises(GoSumError) as info:
        parse_gosum(data, "vendor.sum")
    assert str(info.value) == message


def test_go_mod_hash_vectors() -> None:
    assert go_mod_hash(b"") == EMPTY_GO_MOD_HASH
    assert go_mod_hash(X_MOD_V020_GO_MOD) == "h1:s0Qsj1ACt9ePp/hMypM3fl4fZqREWJwdYDEqhRiZZUA="


def test_hash1_summary_by_hand() -> None:
    # summary = "<sha256 hex of b'x'>  a\n<sha256 hex of b''>  b\n", sorted by name.
    summary = (
        f"{hashlib.sha256(b'x').hexdigest()}  a\n{hashlib.sha256(b'').hexdigest()}  b\n".encode()
    )
    want = "h1:" + base64.b64encode(hashlib.sha256(summary).digest()).decode()
    assert hash1({"b": b"", "a": b"x"}) == want
    with pytest.raises(ValueError, match="newline"):
        hash1({"a\nb": b""})


@pytest.mark.realworld
def test_realworld_vendor_sum(realworld: Path) -> None:
    path = realworld / "moby" / "vendor.sum"
    s = parse_gosum(path.read_bytes(), str(path))
    assert len(s.entries) > 800
    assert s.lookup("golang.org/x/mod", "v0.2.0") == [go_mod_hash(X_MOD_V020_GO_MOD)]
    assert s.lookup("golang.org/x/mod", "v0.24.0") == [
        "h1:IXM97Txy2VM4PJ3gI61r1YEk/gAj6zAHN3AdZt6S9Ww="
    ]


@pytest.mark.gotool
def test_hashes_agree_with_go_mod_download(
    go_tool: str, go_env: dict[str, str], tmp_path: Path
) -> None:
    # A file:// module proxy holding one hand-made module; `go mod download -json` reports
    # the go.sum hashes of its go.mod and zip, fully offline.
    gomod = b"module example.com/hashme\n\ngo 1.21\n\nrequire golang.org/x/text v0.14.0\n"
    files = {"go.mod": gomod, "hash.go": b"package hashme\n", "LICENSE": b"MIT\n"}
    vdir = tmp_path / "proxy" / "example.com" / "hashme" / "@v"
    vdir.mkdir(parents=True)
    (vdir / "list").write_text("v1.0.0\n")
    (vdir / "v1.0.0.info").write_text('{"Version":"v1.0.0"}')
    (vdir / "v1.0.0.mod").write_bytes(gomod)
    prefix = "example.com/hashme@v1.0.0/"
    with zipfile.ZipFile(vdir / "v1.0.0.zip", "w") as z:
        for name, body in files.items():
            z.writestr(prefix + name, body)
    env = {
        **go_env,
        "GOPROXY": (tmp_path / "proxy").as_uri(),
        "GOSUMDB": "off",
        "GOFLAGS": "-mod=mod",
    }
    proc = subprocess.run(
        [go_tool, "mod", "download", "-json", "example.com/hashme@v1.0.0"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    info = json.loads(proc.stdout)
    assert info["GoModSum"] == go_mod_hash(gomod)
    assert info["Sum"] == hash1({prefix + n: b for n, b in files.items()})
