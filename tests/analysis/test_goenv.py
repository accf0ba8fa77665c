"""GOPROXY / GOPRIVATE / GOFLAGS parsing (go-modules.md §5.2-5.3)."""

from __future__ import annotations

import pytest

from vendaudit.analysis.goenv import (
    DEFAULT_GOPROXY,
    GoEnv,
    GoEnvError,
    ProxySpec,
    match_prefix_patterns,
    parse_goflags,
    parse_goproxy,
)


def test_default_list() -> None:
    assert parse_goproxy("") == (ProxySpec("https://proxy.golang.org"), ProxySpec("direct"))
    assert GoEnv.from_environ({}).goproxy == DEFAULT_GOPROXY


def test_separators_decide_fallback() -> None:
    specs = parse_goproxy("https://a.example|https://b.example,https://c.example")
    assert specs == (
        ProxySpec("https://a.example", fallback_on_error=True),
        ProxySpec("https://b.example", fallback_on_error=False),
        ProxySpec("https://c.example", fallback_on_error=False),
    )


def test_schemeless_entries_get_https_and_spaces_trimmed() -> None:
    specs = parse_goproxy(" proxy.example.com/sub , localhost:8080 ,file:///srv/p")
    assert [s.url for s in specs] == [
        "https://proxy.example.com/sub",
        "https://localhost:8080",
        "file:///srv/p",
    ]


def test_absolute_path_is_not_prefixed() -> None:
    with pytest.raises(GoEnvError, match="missing scheme: /abs/dir"):
        parse_goproxy("/abs/dir")


def test_direct_and_off_end_the_list() -> None:
    assert parse_goproxy("https://p.example,direct,https://ignored.example") == (
        ProxySpec("https://p.example"),
        ProxySpec("direct"),
    )
    assert parse_goproxy("off,https://ignored.example") == (ProxySpec("off"),)
    assert parse_goproxy("direct")[0].is_direct
    assert parse_goproxy("off")[0].is_off


@pytest.mark.parametrize("value", [",", " ", "| ,"])
def test_no_entries(value: str) -> None:
    with pytest.raises(GoEnvError, match="GOPROXY list is not the empty string, but contains no"):
        parse_goproxy(value)


def test_bad_scheme_and_single_word() -> None:
    with pytest.raises(GoEnvError, match=r"scheme \(must be https, http, file\): ftp://x"):
        parse_goproxy("ftp://x")
    with pytest.raises(GoEnvError, match="missing scheme: foo"):
        parse_goproxy("foo")


RSC = [
    ("", False),
    ("/", False),
    ("*/quote", True),
    ("*/quo", False),
    ("*/quo??", True),
    ("*/quo*", True),
    ("*quo*", False),
    ("rsc.io", True),
    ("*.io", True),
    ("rsc.io/", True),
    ("rsc", False),
    ("rsc*", True),
    ("*/*/*", False),
    ("*/*/*/", False),
    ("*/*/*,,", False),
    ("*/*/*,,*/quote", True),
    (",,*/quote", True),
]
RSC_V3 = [
    ("rsc.io", True),
    ("*/quote", True),
    ("*/quote/", True),
    ("*/quote/*", True),
    ("*/quote/*/", True),
    ("*/v3", False),
    ("*/*/v3", True),
    ("*/*/*", True),
    ("*/*/*/", True),
]


@pytest.mark.parametrize(("globs", "want"), RSC)
def test_match_prefix_patterns_rsc_quote(globs: str, want: bool) -> None:
    assert match_prefix_patterns(globs, "rsc.io/quote") is want


@pytest.mark.parametrize(("globs", "want"), RSC_V3)
def test_match_prefix_patterns_rsc_quote_v3(globs: str, want: bool) -> None:
    assert match_prefix_patterns(globs, "rsc.io/quote/v3") is want


def test_match_classes_and_bad_patterns() -> None:
    assert match_prefix_patterns("git.[a-c]orp.example", "git.corp.example/x")
    assert not match_prefix_patterns("git.[^c]orp.example", "git.corp.example/x")
    assert not match_prefix_patterns("git.[corp.example", "git.corp.example/x")  # malformed
    assert match_prefix_patterns("git.[corp.example,*.example", "git.corp.example/x")


def test_private_defaults_noproxy_and_nosumdb() -> None:
    env = GoEnv.from_environ({"GOPRIVATE": "*.corp.example", "GONOSUMDB": ""})
    assert env.noproxy == env.nosumdb == "*.corp.example"
    assert env.is_noproxy("git.corp.example/team/x")
    assert not env.is_noproxy("github.com/x/y")
    assert env.use_noproxy()
    env2 = GoEnv.from_environ({"GOPRIVATE": "a.example", "GONOPROXY": "b.example"})
    assert env2.is_noproxy("b.example/m") and not env2.is_noproxy("a.example/m")
    assert env2.is_nosumdb("a.example/m")
    assert not GoEnv.from_environ({"GONOPROXY": "x", "GOPROXY": "direct"}).use_noproxy()


def test_goflags() -> None:
    assert parse_goflags("-mod=vendor  --modfile=vendor.mod -trimpath") == {
        "mod": "vendor",
        "modfile": "vendor.mod",
        "trimpath": "true",
    }
    env = GoEnv.from_environ(
        {"GOFLAGS": "-mod=mod -tags=a,b", "GOOS": "windows", "CGO_ENABLED": "0"}
    )
    assert (env.mod, env.modfile, env.tags) == ("mod", "", ("a", "b"))
    assert (env.goos, env.goarch, env.cgo_enabled) == ("windows", "amd64", False)
    with pytest.raises(GoEnvError):
        parse_goflags("vendor")
