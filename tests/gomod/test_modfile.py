"""Table-driven tests of the go.mod parser: reference vectors, fixtures and error texts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vendaudit.gomod.errors import ModFileError
from vendaudit.gomod.gojson import dumps_go, modfile_to_json
from vendaudit.gomod.lexer import go_quote, go_unquote
from vendaudit.gomod.model import ModFile
from vendaudit.gomod.modfile import is_directory_path, parse_modfile


def parse(text: str, *, lax: bool = False) -> ModFile:
    return parse_modfile(text.encode(), "go.mod", lax=lax)


def errors(text: str | bytes, *, lax: bool = False) -> list[str]:
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(ModFileError) as info:
        parse_modfile(data, "go.mod", lax=lax)
    return info.value.messages


# S1 moduleDeprecatedTests, §1.7: comments around the module line -> Deprecated.
DEPRECATED = [
    ("module m", ""),
    ("// yo\nmodule m", ""),
    ("//Deprecated\nmodule m", ""),
    ("//Deprecated:blah\nmodule m", "blah"),
    ("// Deprecated: blah\nmodule m", "blah"),
    ("// deprecated: blah\nmodule m", ""),
    ("// Deprecated: one\n// two\nmodule m", "one\ntwo"),
    ("// some other comment\n// Deprecated: blah\nmodule m", ""),
    ("// module m is Deprecated: blah\nmodule m", ""),
    ("// Deprecated: a\n// Deprecated: b\nmodule m", "a\nDeprecated: b"),
    ("// Deprecated: a\n// b\n//\n// c\nmodule m", "a\nb"),
    ("module m // Deprecated: blah", "blah"),
    ("// some other comment\nmodule m // Deprecated: blah", ""),
    ("// some other comment\n//\nmodule m // Deprecated: blah", "blah"),
    ("// Deprecated: blah\nmodule (\n\tm\n)", "blah"),
    ("// Deprecated: separated by a blank line\n\nmodule m", ""),
]


@pytest.mark.parametrize(("text", "want"), DEPRECATED)
def test_deprecated(text: str, want: str) -> None:
    mf = parse(text + "\n")
    assert mf.module is not None
    assert mf.module.deprecated == want


# §1.8: which suffix comments make a requirement indirect.
INDIRECT = [
    ("// indirect", True),
    ("//indirect", True),
    ("// indirect; keep", True),
    ("//\tindirect", True),
    ("// indirect;x", False),
    ("// Indirect", False),
    ("// some note", False),
    ("// indirect // more", False),
    ("", False),
]


@pytest.mark.parametrize(("comment", "want"), INDIRECT)
def test_indirect(comment: str, want: bool) -> None:
    mf = parse(
        f"module m\nrequire x.y/a v1.0.0 {comment}\nrequire (\n\tx.y/b v1.0.0 {comment}\n)\n"
    )
    assert [r.indirect for r in mf.require] == [want, want]


def test_indirect_whole_line_comment_does_not_count() -> None:
    mf = parse("module m\nrequire (\n\t// indirect\n\tx.y/a v1.0.0\n)\n")
    assert not mf.require[0].indirect


# S1 retractRationaleTests, §1.10.
RATIONALE = [
    ("retract v1.0.0", ""),
    ("//   prefix\nretract v1.0.0", "prefix"),
    ("// one\n//\n// two\n//\n// three\nretract v1.0.0", "one\n\ntwo\n\nthree"),
    ("retract v1.0.0 // suffix", "suffix"),
    ("// prefix\nretract v1.0.0 // suffix", "prefix\nsuffix"),
    ("// block\nretract (\n\tv1.0.0\n)", "block"),
    ("// block\nretract (\n\t// line\n\tv1.0.0\n)", "line"),
]


@pytest.mark.parametrize(("text", "want"), RATIONALE)
def test_retract_rationale(text: str, want: str) -> None:
    mf = parse("module m\n" + text + "\n")
    assert [r.rationale for r in mf.retract] == [want]


def test_retract_intervals() -> None:
    mf = parse("module m\nretract [v1.0.0,v1.1.0]\nretract v1.2\nretract [ v2.0.0 , v2.1.0 ]\n")
    assert [(r.low, r.high, r.line) for r in mf.retract] == [
        ("v1.0.0", "v1.1.0", 2),
        ("v1.2", "v1.2", 3),  # retract versions are not canonicalised without a fixer
        ("v2.0.0", "v2.1.0", 4),
    ]


M = "module example.com/m\n"
# §7 checklist: input after the module line -> error text (without "go.mod:N: ").
CHECKLIST_ERRORS = [
    ("module example.com/other", "go.mod:2: repeated module statement"),
    (
        "require example.com/a 1.2.3",
        'go.mod:2: require example.com/a: version "1.2.3" invalid: must be of the form v1.2.3',
    ),
    (
        "require example.com/a v2.0.0",
        'go.mod:2: require example.com/a: version "v2.0.0" invalid: should be v0 or v1, not v2',
    ),
    (
        "require example.com/a/v2 v1.0.0",
        'go.mod:2: require example.com/a/v2: version "v1.0.0" invalid: should be v2, not v1',
    ),
    ("require example.com/a/v1 v1.0.0", "go.mod:2: invalid module path"),
    (
        "require gopkg.in/yaml.v2 v3.0.0",
        'go.mod:2: require gopkg.in/yaml.v2: version "v3.0.0" invalid: should be v2, not v3',
    ),
    (
        "require gopkg.in/yaml.v1 v0.8.0",
        'go.mod:2: require gopkg.in/yaml.v1: version "v0.8.0" invalid: should be v1, not v0',
    ),
    ("require example.com/a v1.0.0 extra", "go.mod:2: usage: require module/path v1.2.3"),
    ("require", "go.mod:2: usage: require module/path v1.2.3"),
    ("go (\n\t1.21\n)", "go.mod:2: unknown block type: go"),
    ("go 1.21\ngo 1.22", "go.mod:3: repeated go statement"),
    ("toolchain go1.21.0\ntoolchain go1.21.0", "go.mod:3: repeated toolchain statement"),
    (
        "toolchain 1.21",
        "go.mod:2: invalid toolchain version '1.21': must match format go1.23.0 or default",
    ),
    ('godebug "x=1"', "go.mod:2: usage: godebug key=value"),
    ("godebug x", "go.mod:2: usage: godebug key=value"),
    ("foo bar", "go.mod:2: unknown directive: foo"),
    ("/* c */", "go.mod:2: mod files must use // comments (not /* */ comments)"),
    (
        "require (\n\texample.com/a v1.0.0",
        "go.mod:4: syntax error (unterminated block started at go.mod:2:1)",
    ),
    (
        "require (\n\texample.com/a v1.0.0\n) x",
        "go.mod:4:4: syntax error (expected newline after closing paren)",
    ),
    (
        "replace example.com/a => example.com/b@v1.0.0",
        "go.mod:2: replacement module must match format 'path version', not 'path@version'",
    ),
    (
        "replace example.com/a => example.com/b",
        "go.mod:2: replacement module without version must be directory path"
        " (rooted or starting with . or ..)",
    ),
    (
        "replace example.com/a => ./b v1.0.0",
        'go.mod:2: replacement module directory path "./b" cannot have version',
    ),
    (
        "replace example.com/a => C:\\b",
        "go.mod:2: replacement directory appears to be Windows path (on a non-windows system)",
    ),
    (
        "replace example.com/a=>./b",
        "go.mod:2: usage: replace module/path [v1.2.3] => other/module v1.4\n"
        "\t or replace module/path [v1.2.3] => ../local/directory",
    ),
    ("retract (v1.0.0)", "go.mod:2: expected '[' or version"),
    ("retract [v1.0.0, v1.1.0] extra", 'go.mod:2: unexpected token after version: "extra"'),
    ("tool a b", "go.mod:2: tool directive expects exactly one argument"),
    ("ignore a b", "go.mod:2: ignore directive expects exactly one argument"),
    ("go 1", "go.mod:2: invalid go version '1': must match format 1.23.0"),
    (
        "require example.com/a v1.0.0\x00",
        "go.mod:2:29: unexpected input character '\\x00'",
    ),
    ('require "a\n', "go.mod:2:11: unexpected newline in string"),
    ("require\u00a0x", "go.mod:2:8: unexpected input character '\\u00a0'"),
]


@pytest.mark.parametrize(("text", "want"), CHECKLIST_ERRORS)
def test_checklist_errors(text: str, want: str) -> None:
    assert errors(M + text + "\n") == [want]


def test_string_at_eof() -> None:
    assert errors(M + 'require "a') == ["go.mod:2:9: unexpected EOF in string"]
    assert errors(M + 'require "a\\') == ["go.mod:2:9: unexpected EOF in string"]


def test_first_of_several_non_printable_runes_is_reported() -> None:
    text = "module a" + "".join(f"{chr(0xE000 + i)}b" for i in range(1, 9)) + "\n"
    assert errors(text) == ["go.mod:1:9: unexpected input character '\\ue001'"]


def test_module_raw_string_rejected() -> None:
    assert errors("module `example.com/m`\n") == [
        "go.mod:1: invalid quoted string: unquoted string cannot contain quote"
    ]


def test_all_errors_reported_one_per_line() -> None:
    text = M + "require example.com/a 1.2.3\nfoo\nrequire example.com/b v2.0.0\ngo 1\n"
    assert [e.split(":")[1] for e in errors(text)] == ["2", "3", "4", "5"]


def test_block_line_errors_carry_column() -> None:
    text = M + "require (\n    example.com/a 1.0.0\n)\n"
    assert errors(text)[0].startswith("go.mod:3:5: require example.com/a: ")


CHECKLIST_OK = [
    ("require example.com/a v1.2", ("example.com/a", "v1.2.0")),
    ("require example.com/a v1.0.0+meta", ("example.com/a", "v1.0.0")),
    ("require example.com/a v2.0.0+incompatible", ("example.com/a", "v2.0.0+incompatible")),
    ('require "example.com/a" "v1.0.0" // indirect; why', ("example.com/a", "v1.0.0")),
    ('require "example.com/\\x6d" v1.0.0', ("example.com/m", "v1.0.0")),
    ("require Example.com/a v1.0.0", ("Example.com/a", "v1.0.0")),
    ("require gopkg.in/check.v1 v0.0.0-20161208181325-20d25e280405", None),
]


@pytest.mark.parametrize(("text", "want"), CHECKLIST_OK)
def test_checklist_accepted(text: str, want: tuple[str, str] | None) -> None:
    mf = parse(M + text + "\n")
    if want is not None:
        assert (mf.require[0].path, mf.require[0].version) == want


def test_go_and_toolchain_values() -> None:
    mf = parse(M + "go 1.21.0rc1\ntoolchain go1.2rc1-gccgo\n")
    assert (mf.go, mf.toolchain) == ("1.21.0rc1", "go1.2rc1-gccgo")


def test_module_block_accepted() -> None:
    mf = parse("module (\n\texample.com/m\n)\n")
    assert mf.module is not None and mf.module.path == "example.com/m"


def test_retract_without_module_is_fine_for_go_mod_edit() -> None:
    assert parse("retract v1.0.0\n").retract[0].low == "v1.0.0"


def test_duplicates_cleanup() -> None:
    mf = parse(
        M + "exclude x.y/a v1.0.0\nexclude x.y/a v1.0\n"
        "replace x.y/r => ./first\nreplace x.y/r => ./last\n"
        "tool x.y/t\ntool x.y/t\nrequire x.y/d v1.0.0\nrequire x.y/d v1.0.0\n"
    )
    assert [(x.path, x.version, x.line) for x in mf.exclude] == [("x.y/a", "v1.0.0", 2)]
    assert [(r.new.path, r.line) for r in mf.replace] == [("./last", 5)]
    assert [t.line for t in mf.tool] == [6]
    assert len(mf.require) == 2  # requires are never deduplicated


def test_lines_are_recorded() -> None:
    mf = parse(M + "\ngo 1.21\nrequire (\n\tx.y/a v1.0.0\n\n\tx.y/b v1.0.0\n)\n")
    assert mf.module is not None and mf.module.line == 1
    assert [r.line for r in mf.require] == [5, 7]


def test_lax_ignores_main_module_only_and_unknown_directives() -> None:
    text = (
        "module x.y/m\ngo v1.21.3\ntoolchain bad\nreplace a\nexclude a\nfoo bar\nfoo (\n\tx\n)\n"
        'godebug "x"\nretract (v1.0.0)\nrequire x.y/a v1.0.0\n'
    )
    mf = parse(text, lax=True)
    assert (mf.go, mf.toolchain, mf.replace, mf.retract) == ("1.21", "", (), ())
    assert [r.path for r in mf.require] == ["x.y/a"]
    assert len(errors(text)) == 8


def test_lax_still_reports_syntax_and_require_errors() -> None:
    assert errors("module m\nrequire x.y/a 1.0\n", lax=True) == [
        'go.mod:2: require x.y/a: version "1.0" invalid: must be of the form v1.2.3'
    ]


def test_crlf() -> None:
    mf = parse_modfile(b"module m\r\n\r\nrequire x.y/a v1.0.0 // indirect\r\n", "go.mod")
    assert mf.require[0].indirect


def test_invalid_utf8_is_kept_as_surrogates_and_jsonified_as_replacement() -> None:
    mf = parse_modfile(b"module x\xffy\n", "go.mod")
    assert mf.module is not None and mf.module.path == "x\udcffy"
    assert modfile_to_json(mf)["Module"]["Path"] == "x\udcffy"
    assert "x\ufffdy" in dumps_go(modfile_to_json(mf))


def test_huge_single_line_is_linear(tmp_path: Path) -> None:
    big = b"module x.y/" + b"a" * 10_000_000 + b"\n"
    mf = parse_modfile(big, "go.mod")
    assert mf.module is not None and len(mf.module.path) == 10_000_004
    many = b"module m\nfoo" + b" a" * 100_000 + b"\n"
    assert errors(many) == ["go.mod:2: unknown directive: foo"]


@pytest.mark.parametrize(
    ("ns", "want"),
    [
        (".", True),
        ("..", True),
        ("./x", True),
        (".\\x", True),
        ("../x", True),
        ("..\\x", True),
        ("/abs", True),
        ("\\abs", True),
        ("C:x", True),
        ("c:\\x", True),
        ("example.com/x", False),
        (".x", False),
        ("...", False),
        ("1:x", False),
    ],
)
def test_is_directory_path(ns: str, want: bool) -> None:
    assert is_directory_path(ns) is want


@pytest.mark.parametrize(
    ("quoted", "want"),
    [
        ('"abc"', "abc"),
        ('"\\x6d\\u00e9\\U0001F600\\101\\n\\""', 'mé😀A\n"'),
        ('"\\xff"', "\udcff"),
        ('"a\udcffb"', "a\ufffdb"),
    ],
)
def test_go_unquote(quoted: str, want: str) -> None:
    assert go_unquote(quoted) == want


@pytest.mark.parametrize("bad", ['"', '"a', '"\\q"', '"\\\'"', '"\\400"', '"\\ud800"', '"a"b'])
def test_go_unquote_rejects(bad: str) -> None:
    with pytest.raises(ValueError, match="invalid syntax"):
        go_unquote(bad)


def test_go_quote() -> None:
    assert go_quote('a"\\\n\x00\x7fé\u00a0\udcff') == '"a\\"\\\\\\n\\x00\\x7fé\\u00a0\\xff"'


def _fixture_names(fixtures_dir: Path) -> list[str]:
    return sorted(p.stem for p in fixtures_dir.glob("*.mod"))


FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "gomod"


@pytest.mark.parametrize("name", _fixture_names(FIXTURES))
def test_fixture_json_matches_go_golden(fixtures: Path, name: str) -> None:
    """The .json files next to each fixture were produced by ``go mod edit -json`` (1.27)."""
    d = fixtures / "gomod"
    mf = parse_modfile((d / f"{name}.mod").read_bytes(), f"{name}.mod")
    want = (d / f"{name}.json").read_text(encoding="utf-8")
    assert dumps_go(modfile_to_json(mf)) + "\n" == want
    assert json.loads(want) == modfile_to_json(mf)


@pytest.mark.parametrize("name", _fixture_names(FIXTURES / "bad"))
def test_bad_fixture_errors_match_go(fixtures: Path, name: str) -> None:
    """Each bad/*.err holds the error lines ``go mod edit -json`` printed for bad/*.mod."""
    d = fixtures / "gomod" / "bad"
    with pytest.raises(ModFileError) as info:
        parse_modfile((d / f"{name}.mod").read_bytes(), f"{name}.mod")
    assert str(info.value) + "\n" == (d / f"{name}.err").read_text(encoding="utf-8")
