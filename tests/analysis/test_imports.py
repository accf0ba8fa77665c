"""The Go header tokenizer and directory scan."""

from __future__ import annotations

from pathlib import Path

import pytest

from vendaudit.analysis.buildconstraint import BuildContext
from vendaudit.analysis.imports import (
    ImportParseError,
    parse_header,
    read_header,
    scan_dir,
)


def test_all_import_forms() -> None:
    src = """// Package p.
package p // trailing

import "fmt"
import f "example.com/f"
import . "example.com/dot"
import _ "example.com/blank"
import (
	"os"; "example.com/semi"
	/* block */ n `example.com/raw` // comment
	_ "example.com/x/\\u0079"
)
import "C"

func main() { import_ := "example.com/notimport"; _ = import_ }
"""
    h = parse_header(src)
    assert h.package == "p"
    assert h.imports == (
        "fmt",
        "example.com/f",
        "example.com/dot",
        "example.com/blank",
        "os",
        "example.com/semi",
        "example.com/raw",
        "example.com/x/y",
        "C",
    )


def test_stops_at_first_declaration() -> None:
    h = parse_header('package p\nvar x = 1\nimport "late"\n')
    assert h.imports == ()


def test_comments_with_quotes_and_no_imports() -> None:
    h = parse_header('/* "not/an/import" */\npackage main // import "x"\n')
    assert (h.package, h.imports) == ("main", ())


def test_package_name_with_underscore_test() -> None:
    assert parse_header("package p_test\n").package == "p_test"


@pytest.mark.parametrize(
    "bad",
    ["", "func main() {}", "package", 'package p\nimport ( "x" ', "package p\nimport 5"],
)
def test_syntax_errors(bad: str) -> None:
    with pytest.raises(ImportParseError):
        parse_header(bad)


def test_read_header_across_chunk_boundary(tmp_path: Path) -> None:
    # The import block straddles the 8 KiB first read.
    pad = "// " + "x" * 100 + "\n"
    src = pad * 81 + 'package p\n\nimport (\n\t"example.com/a"\n\t"example.com/b"\n)\n'
    src += "var big = `" + "y" * 20000 + "`\n"
    f = tmp_path / "p.go"
    f.write_text(src)
    assert read_header(f).imports == ("example.com/a", "example.com/b")


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def test_scan_dir_selection(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "a.go": 'package a\nimport "example.com/a1"\n',
            "a_windows.go": 'package a\nimport "example.com/win"\n',
            "_skip.go": 'package a\nimport "example.com/underscore"\n',
            ".hidden.go": 'package a\nimport "example.com/dot"\n',
            "ign.go": '//go:build ignore\n\npackage main\nimport "example.com/ign"\n',
            "doc.go": 'package documentation\nimport "example.com/doc"\n',
            "c.go": 'package a\nimport "C"\nimport "example.com/cgo"\n',
            "a_test.go": 'package a\nimport "example.com/t"\n',
            "x_test.go": 'package a_test\nimport "example.com/xt"\n',
            "bad.go": "package a\nimport 5\n",
            "notgo.txt": 'package a\nimport "example.com/txt"\n',
        },
    )
    pf = scan_dir(str(tmp_path), BuildContext())
    assert pf is not None
    assert pf.name == "a"
    assert pf.files == ("a.go",)
    assert pf.imports == ("example.com/a1",)
    assert [b.split(":")[0] for b in pf.bad] == ["bad.go"]
    pf2 = scan_dir(str(tmp_path), BuildContext(goos="windows", cgo=True), tests=True)
    assert pf2 is not None
    assert pf2.imports == ("C", "example.com/a1", "example.com/cgo", "example.com/win")
    assert pf2.test_imports == ("example.com/t", "example.com/xt")


def test_scan_dir_nothing(tmp_path: Path) -> None:
    (tmp_path / "x_windows.go").write_text("package x\n")
    assert scan_dir(str(tmp_path), BuildContext()) is None
    assert scan_dir(str(tmp_path / "missing"), BuildContext()) is None
