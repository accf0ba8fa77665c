"""Module path checks, major suffixes and escaping (x/mod/module vectors)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vendaudit.versions import modpath
from vendaudit.versions.modpath import InvalidModulePath, InvalidModuleVersion

PATH_OK = [
    "x.y/z",
    "x.y",
    "x..y/z",
    "x.y/z/v2",
    "x.y-/z",
    "x.y/z-",
    "x.y/z.t",
    "x.y/z/t",
    "x.y/z_",
    "x.y/z~",
    "x.y/x.foo",
    "x.y/prn2",
    "x.y/com",
    "x.y/calm1",
    "x.y/z09",
    "x.y/z09~",
    "x.y/z09~09z",
    "example.com/M",
    "gopkg.in/yaml.v2",
    "gopkg.in/yaml.v0",
    "gopkg.in/yaml.v1-unstable",
    "github.com/google/go-github/v60",
]
PATH_BAD = [
    "",
    "/x.y/z",
    "x./z",
    ".x/z",
    "-x/z",
    "x.y/z/../../w",
    "x.y//z",
    "x.y/z/",
    "x.y/z/v0",
    "x.y/z/v1",
    "x.y/z/v2.0",
    "X.y/z",
    "_x.y/z",
    "x.y+/z",
    "x.y/z++",
    "x.y/aux.foo",
    "x.y/prn",
    "x.y/com1",
    "x.y/com1.txt",
    "x.y/z~0",
    "x.y/z~09",
    "x.y/z09~09z~09",
    "github.com/!123/logrus",
    "x.y/ä",
    "../x",
    "./y",
    "x:y",
    ".gitignore",
    ".github/ISSUE_TEMPLATE",
    "gopkg.in/yaml",
    "gopkg.in/yaml.v01",
    "x.y/z/v02",
    "xy/z",
]
IMPORT_ONLY_OK = [
    "x.y/z++",
    "x.y+/z",
    ".gitignore",
    ".github/ISSUE_TEMPLATE",
    "x.y/z/v1",
    "xy/z",
    ".x/z",
    "x.y/z/v2.0",
    "X.y/z",
    "_x.y/z",
    "x.y/z/v0",
    "x.y/z/v02",
    "gopkg.in/yaml",
    "gopkg.in/yaml.v01",
]


@pytest.mark.parametrize("path", PATH_OK)
def test_check_path_ok(path: str) -> None:
    modpath.check_path(path)
    modpath.check_import_path(path)


@pytest.mark.parametrize("path", PATH_BAD)
def test_check_path_bad(path: str) -> None:
    with pytest.raises(InvalidModulePath, match=r"^malformed module path "):
        modpath.check_path(path)
    if path in IMPORT_ONLY_OK:
        modpath.check_import_path(path)
    else:
        with pytest.raises(InvalidModulePath, match=r"^malformed import path "):
            modpath.check_import_path(path)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("Example.com/a", "invalid char 'E' in first path element"),
        ("", "empty string"),
        ("-x/z", "leading dash"),
        ("x.y//z", "double slash"),
        ("x.y/z/", "trailing slash"),
        ("x.y/../w", 'invalid path element ".."'),
        (".x/z", "leading dot in path element"),
        ("x./z", "trailing dot in path element"),
        ("x.y/z++", "invalid char '+'"),
        ("x.y/com1.txt", '"com1" disallowed as path element component on Windows'),
        ("x.y/z~09", "trailing tilde and digits in path element"),
        ("xy/z", "missing dot in first path element"),
        ("x.y/z/v1", "invalid version"),
        ("x_y.z/a", "invalid char '_' in first path element"),
    ],
)
def test_check_path_messages(path: str, message: str) -> None:
    with pytest.raises(InvalidModulePath) as err:
        modpath.check_path(path)
    assert str(err.value) == f'malformed module path "{path}": {message}'


@pytest.mark.parametrize(
    ("path", "prefix", "major", "ok"),
    [
        ("x.y/z", "x.y/z", "", True),
        ("x.y/z/v2", "x.y/z", "/v2", True),
        ("example.com/v2", "example.com", "/v2", True),
        ("x.y/z/v1", "x.y/z/v1", "", False),
        ("x.y/z/v0", "x.y/z/v0", "", False),
        ("x.y/z/v02", "x.y/z/v02", "", False),
        ("x.y/z/v2.1", "x.y/z/v2.1", "", False),
        ("x.y/zv2", "x.y/zv2", "", True),
        ("gopkg.in/yaml.v2", "gopkg.in/yaml", ".v2", True),
        ("gopkg.in/yaml.v0", "gopkg.in/yaml", ".v0", True),
        ("gopkg.in/yaml.v1-unstable", "gopkg.in/yaml", ".v1-unstable", True),
        ("gopkg.in/yaml", "gopkg.in/yaml", "", False),
        ("gopkg.in/yaml.v01", "gopkg.in/yaml.v01", "", False),
    ],
)
def test_split_path_version(path: str, prefix: str, major: str, ok: bool) -> None:
    assert modpath.split_path_version(path) == (prefix, major, ok)


MATCH = [
    ("v0.0.0", "", True),
    ("v0.0.0", "/v2", False),
    ("v0.0.0", ".v0", True),
    ("v0.0.0-20190510104115-cbcb75029529", ".v1", True),
    ("v1.0.0", "/v2", False),
    ("v1.0.0", ".v1", True),
    ("v1.0.0", ".v1-unstable", True),
    ("v2.0.0+incompatible", "", True),
    ("v2.0.0", "", False),
    ("v2.0.0", "/v2", True),
    ("v2.0.0", ".v2", True),
]


@pytest.mark.parametrize(("version", "path_major", "want"), MATCH)
def test_match_path_major(version: str, path_major: str, want: bool) -> None:
    assert modpath.match_path_major(version, path_major) is want


@pytest.mark.parametrize(
    ("version", "path_major", "message"),
    [
        ("v1.0.0", "/v2", "should be v2, not v1"),
        ("v2.0.0", "", "should be v0 or v1, not v2"),
        ("v0.0.0", ".v1", "should be v1, not v0"),
        ("v3.0.0", ".v2", "should be v2, not v3"),
    ],
)
def test_check_path_major_message(version: str, path_major: str, message: str) -> None:
    with pytest.raises(InvalidModuleVersion) as err:
        modpath.check_path_major(version, path_major)
    assert str(err.value) == message
    assert err.value.version == version


CHECK = [
    ("github.com/go-yaml/yaml", "v0.8.0", True),
    ("github.com/go-yaml/yaml", "v1.0.0", True),
    ("github.com/go-yaml/yaml", "v2.0.0", False),
    ("github.com/go-yaml/yaml", "v2.1.5", False),
    ("github.com/go-yaml/yaml", "v3.0.0", False),
    ("github.com/go-yaml/yaml/v2", "v1.0.0", False),
    ("github.com/go-yaml/yaml/v2", "v2.0.0", True),
    ("github.com/go-yaml/yaml/v2", "v2.1.5", True),
    ("github.com/go-yaml/yaml/v2", "v3.0.0", False),
    ("gopkg.in/yaml.v0", "v0.8.0", True),
    ("gopkg.in/yaml.v0", "v1.0.0", False),
    ("gopkg.in/yaml.v1", "v0.8.0", False),
    ("gopkg.in/yaml.v1", "v1.0.0", True),
    ("gopkg.in/yaml.v1", "v2.0.0", False),
    ("gopkg.in/yaml.v2", "v1.0.0", False),
    ("gopkg.in/yaml.v2", "v2.0.0", True),
    ("gopkg.in/yaml.v2", "v2.1.5", True),
    ("gopkg.in/yaml.v2", "v3.0.0", False),
    ("gopkg.in/check.v1", "v0.0.0", False),
    ("gopkg.in/check.v1", "v0.0.0-20160102150405-abcdef123456", True),
    ("rsc.io/quote", "v17.0.0", False),
    ("rsc.io/quote", "v17.0.0+incompatible", True),
    ("rsc.io/quote", "0.1.0", False),
    ("rsc io/quote", "v1.0.0", False),
]


@pytest.mark.parametrize(("path", "version", "ok"), CHECK)
def test_check(path: str, version: str, ok: bool) -> None:
    if ok:
        modpath.check(path, version)
    else:
        with pytest.raises(ValueError):
            modpath.check(path, version)


def test_check_not_semver_message() -> None:
    with pytest.raises(InvalidModuleVersion, match=r"^not a semantic version$"):
        modpath.check("rsc.io/quote", "0.1.0")


ESCAPES = [
    ("github.com/Azure/azure-sdk-for-go", "github.com/!azure/azure-sdk-for-go"),
    ("github.com/BurntSushi/toml", "github.com/!burnt!sushi/toml"),
    ("github.com/GoogleCloudPlatform/omega", "github.com/!google!cloud!platform/omega"),
    ("x.y/z", "x.y/z"),
]


@pytest.mark.parametrize(("path", "escaped"), ESCAPES)
def test_escape_path(path: str, escaped: str) -> None:
    assert modpath.escape_path(path) == escaped
    assert modpath.unescape_path(escaped) == path


@pytest.mark.parametrize(
    "bad",
    [
        "github.com/GoogleCloudPlatform/omega",
        "github.com/!google!cloud!platform!/omega",
        "github.com/!0google!cloud!platform/omega",
        "github.com/!_google!cloud!platform/omega",
        "github.com/!!google!cloud!platform/omega",
        "",
    ],
)
def test_unescape_path_bad(bad: str) -> None:
    with pytest.raises(InvalidModulePath, match=r"^invalid escaped module path"):
        modpath.unescape_path(bad)


def test_escape_version() -> None:
    assert modpath.escape_version("v1.0.0-RC1") == "v1.0.0-!r!c1"
    assert modpath.unescape_version("v1.0.0-!r!c1") == "v1.0.0-RC1"
    for bad in ["v1.0.0-!", "", "v1/2", "..", "CON"]:
        with pytest.raises(InvalidModuleVersion, match="disallowed version string"):
            modpath.escape_version(bad)
    with pytest.raises(InvalidModulePath):
        modpath.escape_path("X.y/z")


@pytest.mark.parametrize(
    ("path", "version", "number", "major", "stripped"),
    [
        ("github.com/google/go-github/v60", "v60.0.0", 60, 60, "github.com/google/go-github"),
        ("gopkg.in/yaml.v3", "v3.0.1", 3, 3, "gopkg.in/yaml"),
        ("gopkg.in/yaml.v0", "v0.1.0", 0, 0, "gopkg.in/yaml"),
        ("gopkg.in/yaml.v1-unstable", "v1.0.0", 1, 1, "gopkg.in/yaml"),
        ("github.com/docker/distribution", "v2.8.3+incompatible", None, 2, None),
        ("example.com/m", "v0.3.0", None, 1, None),
        ("example.com/m", "v1.3.0", None, 1, None),
        ("example.com/m", "v0.0.0-20240101000000-abcdef123456", None, 1, None),
        ("x.y/z/v1", "v1.0.0", None, 1, None),
    ],
)
def test_majors(
    path: str, version: str, number: int | None, major: int, stripped: str | None
) -> None:
    assert modpath.path_major_number(path) == number
    assert modpath.module_major(path, version) == major
    assert modpath.strip_major(path) == (stripped or path)


def test_with_major() -> None:
    assert modpath.with_major("example.com/m", 3) == "example.com/m/v3"
    assert modpath.with_major("example.com/m/v3", 1) == "example.com/m"
    assert modpath.with_major("example.com/m/v3", 0) == "example.com/m"
    assert modpath.with_major("example.com/m/v3", 4) == "example.com/m/v4"
    assert modpath.with_major("gopkg.in/yaml.v2", 3) == "gopkg.in/yaml.v3"


# The plain-import-path shortcut must agree with the element-by-element walk everywhere.
_PATHS = st.lists(
    st.sampled_from([*"aZ09._+-~/", "con", "COM1", "lpt9", "aux.", "nul/", "é", " ", "\n"]),
    max_size=12,
).map("".join)


@settings(max_examples=2000)
@given(_PATHS)
def test_import_path_shortcut_agrees_with_the_walk(path: str) -> None:
    kind = modpath._IMPORT
    assert modpath._check_path(path, kind) == modpath._check_path_walk(path, kind)


@given(st.text(max_size=80))
def test_length_error_shortcut(path: str) -> None:
    size = len(path.encode("utf-8", "surrogatepass"))
    assert (modpath.length_error(path) is None) == (
        size <= modpath.MAX_PATH_BYTES
        and all(len(e.encode("utf-8", "surrogatepass")) <= 255 for e in path.split("/"))
    )
