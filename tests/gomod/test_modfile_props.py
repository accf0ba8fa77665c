"""Property tests: the go.mod parser only ever returns a ModFile or raises ModFileError."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vendaudit.gomod.errors import ModFileError
from vendaudit.gomod.gojson import dumps_go, modfile_to_json
from vendaudit.gomod.model import ModFile
from vendaudit.gomod.modfile import parse_modfile

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "gomod"
CORPUS = [p.read_bytes() for p in sorted(FIXTURES.glob("*.mod"))] + [
    p.read_bytes() for p in sorted((FIXTURES / "bad").glob("*.mod"))
]
INTERESTING = [
    b"(", b")", b"[", b"]", b",", b'"', b"`", b"//", b"/*", b"\n", b"\r\n", b"\\", b"=>",
    b"// indirect", b"\x00", b"\xff", b"\xc3", b"\xe2\x80\xa8", b"\xef\xbb\xbf", b"v1.2.3",
    b"+incompatible", b"require ", b"retract [", b"module (", b"\t", b"'",
]  # fmt: skip


def check(data: bytes, lax: bool) -> None:
    try:
        mf = parse_modfile(data, "go.mod", lax=lax)
    except ModFileError as exc:
        assert exc.messages
        assert all(m.startswith("go.mod:") for m in exc.messages)
        return
    assert isinstance(mf, ModFile)
    text = dumps_go(modfile_to_json(mf))
    text.encode("utf-8")  # the JSON is always encodable (no lone surrogates)


edit = st.tuples(
    st.integers(min_value=0, max_value=4),
    st.floats(min_value=0, max_value=1),
    st.integers(min_value=0, max_value=16),
    st.one_of(st.sampled_from(INTERESTING), st.binary(max_size=8)),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    base=st.sampled_from(CORPUS),
    edits=st.lists(edit, min_size=1, max_size=6),
    lax=st.booleans(),
)
def test_mutated_files_parse_or_raise_modfile_error(
    base: bytes, edits: list[tuple[int, float, int, bytes]], lax: bool
) -> None:
    data = base
    for op, where, length, piece in edits:
        i = int(where * len(data))
        j = min(len(data), i + length)
        if op == 0:
            data = data[:i] + piece + data[i:]
        elif op == 1:
            data = data[:i] + data[j:]
        elif op == 2:
            data = data[:i] + piece + data[j:]
        elif op == 3:
            data = data[:i] + data[i:j] * 3 + data[j:]
        else:
            data = data[:i] + bytes(reversed(data[i:j])) + data[j:]
    check(data, lax)


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=300), lax=st.booleans())
def test_random_binary_parses_or_raises_modfile_error(data: bytes, lax: bool) -> None:
    check(data, lax)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=200), lax=st.booleans())
def test_random_text_parses_or_raises_modfile_error(text: str, lax: bool) -> None:
    check(text.encode("utf-8", "surrogatepass"), lax)
