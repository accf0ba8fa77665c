"""Build constraints and file-name rules, as go/build applies them."""

from __future__ import annotations

import pytest

from vendaudit.analysis.buildconstraint import (
    And,
    BuildConstraintError,
    BuildContext,
    Not,
    Or,
    Tag,
    good_os_arch_file,
    header_constraint,
    parse_expr,
    should_build,
)

LINUX = BuildContext()


def test_parse_precedence_and_parens() -> None:
    assert parse_expr("a || b && !c") == Or(Tag("a"), And(Tag("b"), Not(Tag("c"))))
    assert parse_expr("(a || b) && c") == And(Or(Tag("a"), Tag("b")), Tag("c"))
    assert parse_expr("!!go1.21") == Not(Not(Tag("go1.21")))


@pytest.mark.parametrize("bad", ["", "a &&", "(a", "a b", "a & b", "a)", "&& a"])
def test_parse_errors(bad: str) -> None:
    with pytest.raises(BuildConstraintError):
        parse_expr(bad)


@pytest.mark.parametrize(
    ("expr", "ctx", "want"),
    [
        ("linux && amd64", LINUX, True),
        ("linux && !amd64", LINUX, False),
        ("darwin || windows", LINUX, False),
        ("unix", LINUX, True),
        ("unix", BuildContext(goos="windows"), False),
        ("linux", BuildContext(goos="android"), True),
        ("solaris", BuildContext(goos="illumos"), True),
        ("cgo", LINUX, False),
        ("cgo", BuildContext(cgo=True), True),
        ("gc && go1.21 && !go1.99", LINUX, True),
        ("ignore", LINUX, False),
        ("mytag", BuildContext(tags=frozenset({"mytag"})), True),
        ("amd64.v1", LINUX, True),
        ("!exclude_graphdriver_btrfs && linux", LINUX, True),
        (
            "!exclude_graphdriver_btrfs",
            BuildContext(tags=frozenset({"exclude_graphdriver_btrfs"})),
            False,
        ),
        ("boringcrypto", BuildContext(tags=frozenset({"goexperiment.boringcrypto"})), True),
    ],
)
def test_eval(expr: str, ctx: BuildContext, want: bool) -> None:
    assert ctx.eval(parse_expr(expr)) is want


def test_any_tags_prefers_true_except_ignore() -> None:
    anyctx = BuildContext(any_tags=True)
    assert anyctx.eval(parse_expr("!linux && windows"))
    assert not anyctx.eval(parse_expr("ignore"))
    assert anyctx.eval(parse_expr("!ignore"))
    assert good_os_arch_file("x_windows_arm64.go", anyctx)


@pytest.mark.parametrize(
    ("name", "ctx", "want"),
    [
        ("x.go", LINUX, True),
        ("x_linux.go", LINUX, True),
        ("x_windows.go", LINUX, False),
        ("x_amd64.go", LINUX, True),
        ("x_arm64.go", LINUX, False),
        ("x_linux_amd64.go", LINUX, True),
        ("x_linux_arm64.go", LINUX, False),
        ("x_linux_test.go", LINUX, True),
        ("x_windows_test.go", LINUX, False),
        ("linux.go", LINUX, True),  # no underscore: no suffix rule
        ("x_unix.go", BuildContext(goos="windows"), True),  # unix is not a file suffix
        ("x_foo_linux.go", BuildContext(goos="android"), True),
        ("x_linux.pb.go", LINUX, True),
        ("x_windows.pb.go", LINUX, False),
    ],
)
def test_file_names(name: str, ctx: BuildContext, want: bool) -> None:
    assert good_os_arch_file(name, ctx) is want


def test_go_build_line_controls_over_plus_build() -> None:
    src = "//go:build linux\n// +build windows\n\npackage x\n"
    assert should_build(src, LINUX)


def test_plus_build_needs_blank_line_before_package() -> None:
    assert not should_build("// +build windows\n\npackage x\n", LINUX)
    assert should_build("// +build windows\npackage x\n", LINUX)
    # Spaces are OR, commas AND; all lines must hold.
    src = "// +build linux,386 darwin\n// +build !cgo\n\npackage x\n"
    assert not should_build(src, LINUX)
    assert should_build(src, BuildContext(goarch="386"))


def test_header_stops_at_code_and_skips_block_comments() -> None:
    src = "/* licence\n//go:build windows\n*/\n\n//go:build linux\n\npackage x\n//go:build darwin\n"
    go_build, plus = header_constraint(src)
    assert go_build == "//go:build linux"
    assert plus == []
    with pytest.raises(BuildConstraintError, match="multiple"):
        header_constraint("//go:build a\n//go:build b\n\npackage x\n")


def test_go_build_prefix_must_be_followed_by_space() -> None:
    assert should_build("//go:buildfoo windows\n\npackage x\n", LINUX)
