"""The byte-level prefilter gives exactly what feeding every byte to expat gives."""

from __future__ import annotations

import gzip
import hashlib
import io
import random
from pathlib import Path

import pytest
import zstandard

from vendaudit.distros.fedora import primary
from vendaudit.distros.fedora.prefilter import hazards, skippable
from vendaudit.distros.fedora.primary import PrimaryScan, scan_primary
from vendaudit.distros.interface import DistroDataError

HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<metadata xmlns="http://linux.duke.edu/metadata/common" '
    b'xmlns:rpm="http://linux.duke.edu/metadata/rpm" packages="0">\n'
)
TAIL = b"</metadata>\n"


def _pkg(name: str, provides: list[str], *, desc: str = "", arch: str = "noarch") -> bytes:
    entries = "".join(
        f'      <rpm:entry name="{p}" flags="EQ" epoch="0" ver="1.0" rel="1.fc43"/>\n'
        for p in provides
    )
    return (
        f'<package type="rpm">\n  <name>{name}</name>\n  <arch>{arch}</arch>\n'
        f'  <version epoch="0" ver="1.0" rel="1.fc43"/>\n'
        f"  <summary>{name}</summary>\n  <description>{desc}</description>\n"
        f"  <packager>Fedora Project</packager>\n  <format>\n"
        f"    <rpm:sourcerpm>{name}-1.0-1.fc43.src.rpm</rpm:sourcerpm>\n"
        f"    <rpm:provides>\n{entries}    </rpm:provides>\n  </format>\n</package>\n"
    ).encode()


def _go(i: int) -> bytes:
    path = f"github.com/o/m{i}"
    return _pkg(f"golang-o-m{i}-devel", [f"golang-ipath({path})", f"golang({path}/x)", "x"])


# Each variant is a package (or a few) that could fool a byte-level filter.
VARIANTS: list[bytes] = [
    _pkg("plain", ["plain", "plain(x86-64)"], arch="x86_64"),
    _go(0),
    _pkg("ipath-only", ["golang-ipath(example.org/only)"]),
    _pkg("compiler", ["golang", "golang(x86-64)"], arch="x86_64"),
    _pkg("bundler", ["bundled(golang(github.com/dep/m))", "bundler"], arch="x86_64"),
    _pkg("go-src", ["golang(github.com/src/pkg)"], arch="src"),
    # golang( only in text, also right after a quote character in text.
    _pkg("textual", ["textual"], desc='mentions golang(github.com/a/b) and "golang(x.y/z)"'),
    _pkg(
        "escaped-end", ["esc"], desc="literally &lt;/package&gt; &lt;package type=&quot;x&quot;&gt;"
    ),
    _pkg("cdata-end", ["cd"], desc='<![CDATA[ </package>\n<package type="rpm"> golang( ]]>'),
    _pkg("cdata-go", ["golang(github.com/cd/go)"], desc="<![CDATA[x</package>y]]>"),
    _pkg("comment", ["cm"], desc="a<!-- </package> <package type='x'> -->b"),
    _pkg("pi", ["pi"], desc="a<?target </package> ?>b"),
    # A character reference spelling the "(" of a Go provide: expat decodes it.
    _pkg("charref", ["golang&#40;github.com/char/ref)", "golang&#x2d;ipath(x.org/y)"]),
    _pkg("charref-text", ["ct"], desc="&#169; 2024"),
    _pkg("single-quote", ["sq"]).replace(b'name="sq"', b"name='golang(github.com/sq/q)'"),
    # Not in the common namespace: expat does not count these as packages.
    _pkg("foreign", ["golang(github.com/f/f)"]).replace(
        b'<package type="rpm">', b'<package type="rpm" xmlns="urn:other">'
    ),
    _pkg("foreign-plain", ["fp"]).replace(
        b'<package type="rpm">', b'<package xmlns="urn:other" type="rpm">'
    ),
    _pkg("ns-inside", ["golang(github.com/n/i)"]).replace(
        b"<format>", b'<format xmlns:r2="http://linux.duke.edu/metadata/rpm">'
    ),
    # Two packages on one line, and one with CRLF line ends.
    _pkg("same-line-a", ["a"]).rstrip(b"\n") + _pkg("same-line-b", ["b"]),
    _pkg("crlf", ["golang(github.com/cr/lf)", "crlf"]).replace(b"\n", b"\r\n"),
    # An empty package element, and a package nested in another one.
    b'<package type="rpm"/>\n',
    _pkg("outer", ["outer"]).replace(
        b"  <format>", b"  <format>" + _pkg("inner", ["golang(github.com/in/ner)"])
    ),
    _pkg("outer-plain", ["op"]).replace(b"  <format>", b"  <format>" + _pkg("inner2", ["i2"])),
    # Other elements named like package.
    _pkg("packages", ["pk"]).replace(b"<summary>", b"<packages/><package-x/><summary>"),
    b"<!-- a comment between packages </package> -->\n",
    b"<?pi between packages?>\n",
    b"<other>text</other>\n",
]


def _doc(parts: list[bytes], head: bytes = HEAD) -> bytes:
    return head + b"".join(parts) + TAIL


class _Trickle(io.RawIOBase):
    """A stream that hands out at most ``step`` bytes per read (tiny decompressed chunks)."""

    def __init__(self, data: bytes, step: int) -> None:
        self._buf = io.BytesIO(data)
        self._step = step

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self._buf.read(self._step if size < 0 else min(size, self._step))


def _both(data: bytes, step: int | None = None, **kw: object) -> tuple[PrimaryScan, PrimaryScan]:
    def run(prefilter: bool) -> PrimaryScan:
        src = data if step is None else _Trickle(data, step)
        return scan_primary(src, prefilter=prefilter, **kw)  # type: ignore[arg-type]

    return run(True), run(False)


def _error(data: bytes, prefilter: bool, step: int | None = None) -> str:
    src = data if step is None else _Trickle(data, step)
    with pytest.raises(DistroDataError) as info:
        scan_primary(src, prefilter=prefilter)  # type: ignore[arg-type]
    return str(info.value)


@pytest.mark.parametrize("name", ["primary-release.xml", "primary-updates.xml"])
@pytest.mark.parametrize("step", [None, 1, 3, 10, 11, 64, 1000])
def test_fixtures_equivalent(fixtures: Path, name: str, step: int | None) -> None:
    data = (fixtures / "fedora" / name).read_bytes()
    fast, full = _both(data, step)
    assert fast == full and fast.packages


@pytest.mark.realworld
def test_realworld_excerpt_equivalent(realworld: Path) -> None:
    data = realworld.parent / "samples" / "fedora" / "cs9-appstream-primary-excerpt.xml"
    for step in (None, 7, 100):
        fast, full = _both(data.read_bytes(), step)
        assert fast == full


@pytest.mark.parametrize("index", range(len(VARIANTS)))
def test_each_tricky_variant(index: int) -> None:
    data = _doc([VARIANTS[0], _go(1), VARIANTS[index], VARIANTS[0], _go(2), VARIANTS[index]])
    for step in (None, 1, 5, 10, 64):
        fast, full = _both(data, step)
        assert fast == full


def test_tricky_variants_keep_what_expat_keeps() -> None:
    scan = scan_primary(_doc(VARIANTS))
    names = [p.name for p in scan.packages]
    assert "textual" not in names and "escaped-end" not in names and "bundler" not in names
    assert {"charref", "cdata-go", "single-quote", "crlf", "inner", "golang-o-m0-devel"} <= set(
        names
    )
    assert "foreign" not in names
    charref = next(p for p in scan.packages if p.name == "charref")
    assert {(g.kind, g.path) for g in charref.provides} == {
        ("pkg", "github.com/char/ref"),
        ("ipath", "x.org/y"),
    }


@pytest.mark.parametrize("seed", range(40))
def test_random_mixtures(seed: int) -> None:
    rnd = random.Random(seed)
    parts = [rnd.choice(VARIANTS) if rnd.random() < 0.4 else _go(i) for i in range(30)]
    parts += [VARIANTS[0]] * rnd.randint(0, 30)
    rnd.shuffle(parts)
    data = _doc(parts)
    fast, full = _both(data, rnd.choice([None, 1, 2, 9, 10, 11, 37, 500]))
    assert fast == full
    blob = gzip.compress(data) if seed % 2 else zstandard.ZstdCompressor().compress(data)
    assert scan_primary(blob) == full


def test_oversized_block_is_streamed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(primary, "_MAX_BLOCK", 40)
    data = _doc([VARIANTS[0], _go(1), VARIANTS[0], VARIANTS[6], _go(2)] * 3)
    for step in (None, 1, 16, 200):
        fast, full = _both(data, step)
        assert fast == full and fast.total == 15


def test_skips_most_packages() -> None:
    """The point of the exercise: ordinary packages never reach expat."""
    data = _doc([VARIANTS[0]] * 50 + [_go(1)] + [VARIANTS[0]] * 50)
    fed: list[int] = []
    real = primary._Prefiltered._parse

    def spy(self: primary._Prefiltered, chunk: bytes | memoryview) -> None:
        fed.append(len(chunk))
        real(self, chunk)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(primary._Prefiltered, "_parse", spy)
        scan = scan_primary(data)
    assert scan.total == 101 and len(scan.packages) == 1
    assert sum(fed) < len(data) // 10


@pytest.mark.parametrize(
    "head",
    [
        # Another default namespace: nothing is a common <package>.
        HEAD.replace(b'xmlns="http://linux.duke.edu/metadata/common"', b'xmlns="urn:x"'),
        HEAD.replace(b"UTF-8", b"ISO-8859-1"),
        HEAD.replace(b'<?xml version="1.0" encoding="UTF-8"?>\n', b""),
        b"\xef\xbb\xbf" + HEAD,
        HEAD.replace(b"xmlns=", b"xmlns:c=").replace(b"<metadata", b"<c:metadata"),
    ],
    ids=["foreign-ns", "latin1", "no-decl", "bom", "prefixed-root"],
)
def test_unusual_headers(head: bytes) -> None:
    tail = b"</c:metadata>\n" if b"<c:metadata" in head else TAIL
    data = head + b"".join([VARIANTS[0], _go(1), VARIANTS[0]] * 3) + tail
    for step in (None, 3):
        fast, full = _both(data, step)
        assert fast == full


def test_utf16_document() -> None:
    data = _doc([VARIANTS[0], _go(1), VARIANTS[0]]).replace(b"UTF-8", b"UTF-16")
    fast, full = _both(data.decode().encode("utf-16"))
    assert fast == full and len(fast.packages) == 1 and fast.total == 3


def test_truncation_anywhere_gives_the_same_error() -> None:
    data = _doc([VARIANTS[0], VARIANTS[0], _go(1), VARIANTS[0], _go(2), VARIANTS[0]])
    cuts = sorted(
        {*range(len(data) - 40, len(data) - 1), *random.Random(3).sample(range(len(data)), 60)}
    )
    for cut in cuts:
        assert _error(data[:cut], True) == _error(data[:cut], False), cut


def test_truncated_archive_and_checksum() -> None:
    data = _doc([VARIANTS[0], _go(1), VARIANTS[0]] * 20)
    blob = zstandard.ZstdCompressor().compress(data)
    with pytest.raises(DistroDataError, match="truncated or corrupt archive"):
        scan_primary(blob[: len(blob) - 8])
    good = ("sha256", hashlib.sha256(data).hexdigest())
    assert scan_primary(gzip.compress(data), open_checksum=good).total == 60
    with pytest.raises(DistroDataError, match="open-checksum"):
        scan_primary(gzip.compress(data), open_checksum=("sha256", "0" * 64))


def test_billion_laughs_in_tiny_chunks(fixtures: Path) -> None:
    data = (fixtures / "fedora" / "primary-billion-laughs.xml").read_bytes()
    for step in (1, 10, 100):
        assert "entity expansion is not allowed" in _error(data, True, step)


def test_malformed_inside_go_block_has_document_line_numbers() -> None:
    bad = _go(9).replace(b"</name>", b"</nmae>")
    data = _doc([VARIANTS[0]] * 5 + [bad])
    assert _error(data, True) == _error(data, False)


def test_skippable_and_hazards_directly() -> None:
    block = VARIANTS[0]
    assert skippable(block, 0, len(block))
    assert hazards(block, 0, len(block)) == [len(block) + 1]
    assert not skippable(b"\n<packager>x</packager></package>", 0, 33)
    nested = VARIANTS[-5]
    cut = nested.index(b"</package>") + len(b"</package>")
    assert not skippable(nested, 0, cut)
    go = _go(3)
    assert hazards(go, 0, len(go))[0] == go.index(b"golang-ipath(")


def test_packages_below_a_wrapper_element() -> None:
    """Packages one level deeper: the boundary after them is not a depth-1 one."""
    parts = [VARIANTS[0], _go(1), b"<group>\n", VARIANTS[0], _go(2), VARIANTS[0], b"</group>\n"]
    data = _doc([*parts, VARIANTS[0], _go(3), VARIANTS[0]])
    for step in (None, 1, 64):
        fast, full = _both(data, step)
        assert fast == full and fast.total == 8


def test_common_package_under_a_foreign_root() -> None:
    """A package that declares the common namespace itself does not make its siblings count."""
    head = HEAD.replace(b'xmlns="http://linux.duke.edu/metadata/common"', b'xmlns="urn:x"')
    common = _go(1).replace(
        b'<package type="rpm">',
        b'<package type="rpm" xmlns="http://linux.duke.edu/metadata/common">',
    )
    data = head + b"".join([common, VARIANTS[0], VARIANTS[0], common, VARIANTS[0]]) + TAIL
    fast, full = _both(data)
    assert fast == full and fast.total == 2 and len(fast.packages) == 2


def test_common_package_under_a_foreign_wrapper() -> None:
    common = _go(1).replace(
        b'<package type="rpm">',
        b'<package type="rpm" xmlns="http://linux.duke.edu/metadata/common">',
    )
    group = [b'<group xmlns="urn:y">\n', common, VARIANTS[0], VARIANTS[0], b"</group>\n"]
    data = _doc([VARIANTS[0], *group, VARIANTS[0]])
    fast, full = _both(data)
    assert fast == full and fast.total == 3
