"""vendor/modules.txt reader: Go's forgiving rules, and errors only for undecodable bytes."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vendaudit.gomod.errors import ModulesTxtError
from vendaudit.gomod.lexer import fields, trim_space
from vendaudit.gomod.model import ModVersion
from vendaudit.gomod.modulestxt import ModulesTxt, parse_modules_txt


def parse(text: str) -> ModulesTxt:
    return parse_modules_txt(text.encode(), "vendor/modules.txt")


def test_headers_annotations_and_packages() -> None:
    mt = parse(
        "# example.com/a v1.0.0\n"
        "## explicit; go 1.21\n"
        "example.com/a\n"
        "example.com/a/sub\n"
        "# example.com/b v1.2.0\n"
        "## explicit\n"
    )
    a, b = mt.modules
    assert (a.path, a.version, a.explicit, a.go_version, a.line) == (
        "example.com/a",
        "v1.0.0",
        True,
        "1.21",
        1,
    )
    assert a.packages == ("example.com/a", "example.com/a/sub")
    assert (b.explicit, b.go_version, b.packages, b.line) == (True, "", (), 5)
    assert mt.vendor_list == (("example.com/a", "v1.0.0"),)
    assert mt.vendor_version("example.com/b") is None
    assert not mt.workspace


def test_annotations_split_trimmed_unioned_unknown_ignored() -> None:
    mt = parse("# example.com/a v1.0.0\n## go 1.20 ;  future ;\n##   explicit  \n## go 1.21\n")
    (a,) = mt.modules
    assert a.explicit and a.go_version == "1.21"


def test_annotation_needs_hash_hash_space() -> None:
    # "##explicit" is neither an annotation nor a package line (one field, not an import path).
    mt = parse("# example.com/a v1.0.0\n##explicit\n ## explicit\n")
    assert not mt.modules[0].explicit


def test_replacement_forms() -> None:
    mt = parse(
        "# example.com/a v1.0.0 => ./a\n"
        "# example.com/b v1.0.0 => example.com/fork v1.0.1\n"
        "# example.com/c v1.0.0 => example.com/fork notaversion\n"
        "# example.com/d v1.0.0 => ./d extra words\n"
        "# example.com/e => ../e\n"
        "# example.com/f v1.0.0 =>\n"
    )
    assert mt.replacements == {
        ("example.com/a", "v1.0.0"): ModVersion("./a"),
        ("example.com/b", "v1.0.0"): ModVersion("example.com/fork", "v1.0.1"),
        ("example.com/e", ""): ModVersion("../e"),
    }
    assert mt.replaced == (
        ("example.com/a", "v1.0.0"),
        ("example.com/b", "v1.0.0"),
        ("example.com/e", ""),
    )
    # Versioned headers are modules even when their replacement is not understood; a bare
    # wildcard header is only a replacement record.
    assert [m.path for m in mt.modules] == [
        "example.com/a",
        "example.com/b",
        "example.com/c",
        "example.com/d",
        "example.com/f",
    ]
    assert mt.get("example.com/c", "v1.0.0") is not None
    assert mt.get("example.com/c", "v1.0.0").replacement is None  # type: ignore[union-attr]


def test_unrecognised_header_clears_current_module() -> None:
    mt = parse(
        "# example.com/a v1.0.0\nexample.com/a\n# example.com/b notaversion\nexample.com/b\n"
    )
    assert mt.modules[0].packages == ("example.com/a",)
    assert len(mt.modules) == 1


def test_short_header_keeps_current_module() -> None:
    # Go `continue`s on a "# x" line with fewer than three fields without resetting the module.
    mt = parse("# example.com/a v1.0.0\n# lonely\nexample.com/a/pkg\n")
    assert mt.modules[0].packages == ("example.com/a/pkg",)


def test_lines_before_first_header_and_workspace_marker() -> None:
    mt = parse("## workspace\nexample.com/x\n## explicit\n# example.com/a v1.0.0\nexample.com/a\n")
    assert mt.workspace
    assert [(m.path, m.explicit, m.packages) for m in mt.modules] == [
        ("example.com/a", False, ("example.com/a",))
    ]


def test_workspace_only_on_first_line() -> None:
    assert parse("## explicit; workspace\n").workspace
    assert not parse("\n## workspace\n").workspace
    assert not parse("##workspace\n").workspace


def test_invalid_package_lines_ignored() -> None:
    mt = parse(
        "# example.com/a v1.0.0\n"
        "example.com/a two\n"
        "example.com//a\n"
        "example.com/a/\n"
        'example.com/a"q\n'
        "example.com/a/ok+plus\n"
        "\n"
    )
    assert mt.modules[0].packages == ("example.com/a/ok+plus",)


def test_go_white_space_definition() -> None:
    # U+001C..U+001F are white space for Python's str.split but not for Go's strings.Fields.
    assert fields("a\x1cb c\u3000d\x85e") == ["a\x1cb", "c", "d", "e"]
    assert trim_space("\r\n\t x \u00a0") == "x"
    mt = parse("# example.com/a v1.0.0\nexample.com/a\x1c\nexample.com/b\u2003\n")
    assert mt.modules[0].packages == ("example.com/b",)


def test_crlf_reads_like_lf() -> None:
    lf = (
        "# example.com/a v1.0.0 => ./a\n## explicit; go 1.21\n"
        "example.com/a\n# example.com/a => ./a\n"
    )
    assert parse(lf.replace("\n", "\r\n")) == parse(lf)


def test_repeated_header_is_merged() -> None:
    mt = parse(
        "# example.com/a v1.0.0\nexample.com/a\n"
        "# example.com/b v1.0.0\nexample.com/b\n"
        "# example.com/a v1.0.0 => ./a\n## explicit\nexample.com/a/x\n"
    )
    a = mt.get("example.com/a", "v1.0.0")
    assert a is not None and a.explicit and a.line == 1
    assert a.packages == ("example.com/a", "example.com/a/x")
    assert a.replacement == ModVersion("./a")


def test_vendor_list_appends_only_higher_versions() -> None:
    mt = parse(
        "# example.com/a v1.1.0\nexample.com/a\n"
        "# example.com/a v1.0.0\nexample.com/a/old\n"
        "# example.com/a v1.2.0\nexample.com/a/new\n"
    )
    assert mt.vendor_list == (("example.com/a", "v1.1.0"), ("example.com/a", "v1.2.0"))
    assert mt.vendor_version("example.com/a") == "v1.2.0"


def test_wildcard_header_with_packages_is_a_module() -> None:
    mt = parse("# example.com/a => ./a\n## explicit\nexample.com/a\n")
    (a,) = mt.modules
    assert (a.path, a.version, a.explicit) == ("example.com/a", "", True)
    assert mt.vendor_list == (("example.com/a", ""),)


def test_empty_file() -> None:
    assert parse("") == ModulesTxt()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"# example.com/a v1.0.0\nexample.com/\x00a\n", "modules.txt:2: unexpected NUL byte"),
        (b"# example.com/a v1.0.0\n\n# x\xff v1\n", "modules.txt:3: invalid UTF-8 (byte 0xff"),
    ],
)
def test_undecodable_input_is_an_error(data: bytes, message: str) -> None:
    with pytest.raises(ModulesTxtError) as info:
        parse_modules_txt(data, "vendor/modules.txt")
    assert str(info.value).startswith("vendor/" + message)


@pytest.mark.realworld
@pytest.mark.parametrize(
    ("name", "modules", "packages", "replacements"),
    [("moby", 234, 1264, 0), ("moby-v2-head", 297, 1672, 4)],
)
def test_realworld(
    realworld: Path, name: str, modules: int, packages: int, replacements: int
) -> None:
    path = realworld / name / "vendor" / "modules.txt"
    mt = parse_modules_txt(path.read_bytes(), str(path))
    assert len(mt.modules) == modules
    assert sum(len(m.packages) for m in mt.modules) == packages
    assert len(mt.replacements) == replacements
    assert all(m.explicit for m in mt.modules)


_SEED = (
    b"## workspace\n# example.com/a v1.0.0 => ./a\n## explicit; go 1.21\nexample.com/a\n"
    b"# example.com/b v1.2.0 => example.com/c v1.0.1\nexample.com/b/x\n# example.com/a => ./a\n"
)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_only_raise_modulestxterror(data: bytes) -> None:
    with contextlib.suppress(ModulesTxtError):
        parse_modules_txt(data, "modules.txt")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, len(_SEED)), st.integers(0, 8), st.binary(max_size=6)),
        max_size=6,
    )
)
def test_mutated_modules_txt_only_raise_modulestxterror(
    edits: list[tuple[int, int, bytes]],
) -> None:
    data = _SEED
    for pos, cut, insert in edits:
        data = data[:pos] + insert + data[pos + cut :]
    try:
        mt = parse_modules_txt(data, "modules.txt")
    except ModulesTxtError as exc:
        assert str(exc).startswith("modules.txt:")
    else:
        assert all(isinstance(m.packages, tuple) for m in mt.modules)
