"""Go module paths as ``golang.org/x/mod/module`` checks them: validity, major suffixes, escaping.

Error texts are Go's, so vendaudit can print what the go command would print.

>>> split_path_version("example.com/m/v2")
('example.com/m', '/v2', True)
>>> module_major("gopkg.in/yaml.v3", "v3.0.1")
3
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from vendaudit.versions import semver

__all__ = [
    "MAX_ELEMENT_BYTES",
    "MAX_PATH_BYTES",
    "InvalidModulePath",
    "InvalidModuleVersion",
    "check",
    "check_import_path",
    "check_path",
    "check_path_major",
    "covering_prefixes",
    "escape_path",
    "escape_version",
    "length_error",
    "match_path_major",
    "module_major",
    "path_major_number",
    "split_path_version",
    "strip_major",
    "unescape_path",
    "unescape_version",
    "with_major",
]


class InvalidModulePath(ValueError):
    """A module or import path is malformed; ``str()`` is the go command's message."""


class InvalidModuleVersion(ValueError):
    """A version does not fit a module path; ``str()`` is Go's detail (``should be v2, not v1``).

    ``version`` holds the offending version.
    """

    def __init__(self, version: str, detail: str) -> None:
        super().__init__(detail)
        self.version = version


_MODULE, _IMPORT, _FILE = "module", "import", "file"

MAX_PATH_BYTES = 4096
"""Linux's PATH_MAX: no longer module path can be a directory under vendor/ or the cache."""
MAX_ELEMENT_BYTES = 255
"""NAME_MAX of every common file system: the longest possible path element."""
_BAD_WINDOWS_NAMES = frozenset(
    ["CON", "PRN", "AUX", "NUL"]
    + [f"COM{i}" for i in range(1, 10)]
    + [f"LPT{i}" for i in range(1, 10)]
)
_FILE_EXTRA = set("!#$%&()+,-.=@[]^_{}~ ")


def _go_quote(s: str, quote: str = '"') -> str:
    """Quote like Go's ``%q`` (ASCII-printable kept, the rest escaped)."""
    out = [quote]
    for ch in s:
        o = ord(ch)
        if ch in (quote, "\\"):
            out.append("\\" + ch)
        elif 0x20 <= o < 0x7F or (o >= 0xA0 and ch.isprintable()):
            out.append(ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif o < 0x80:
            out.append(f"\\x{o:02x}")
        elif o <= 0xFFFF:
            out.append(f"\\u{o:04x}")
        else:
            out.append(f"\\U{o:08x}")
    out.append(quote)
    return "".join(out)


def _is_alnum_ascii(c: str) -> bool:
    return "0" <= c <= "9" or "A" <= c <= "Z" or "a" <= c <= "z"


def _mod_path_ok(c: str) -> bool:
    return _is_alnum_ascii(c) or c in "-._~"


def _char_ok(c: str, kind: str) -> bool:
    if kind == _MODULE:
        return _mod_path_ok(c)
    if kind == _IMPORT:
        return _mod_path_ok(c) or c == "+"
    if ord(c) < 0x80:
        return _is_alnum_ascii(c) or c in _FILE_EXTRA
    return c.isalpha()


def _first_path_ok(c: str) -> bool:
    return c in "-." or "0" <= c <= "9" or "a" <= c <= "z"


def _check_elem(elem: str, kind: str) -> str | None:
    """Go's ``checkElem``: the error detail, or None if ``elem`` is fine."""
    if elem == "":
        return "empty path element"
    if elem.count(".") == len(elem):
        return f"invalid path element {_go_quote(elem)}"
    if elem[0] == "." and kind == _MODULE:
        return "leading dot in path element"
    if elem[-1] == ".":
        return "trailing dot in path element"
    for c in elem:
        if not _char_ok(c, kind):
            return f"invalid char {_go_quote(c, chr(39))}"
    short = elem.split(".", 1)[0]
    if short.upper() in _BAD_WINDOWS_NAMES:
        return f"{_go_quote(short)} disallowed as path element component on Windows"
    if kind == _FILE:
        return None
    # Windows short names (PROGRA~1) end in a tilde and digits.
    tilde = short.rfind("~")
    if 0 <= tilde < len(short) - 1 and short[tilde + 1 :].isdigit() and short.isascii():
        return "trailing tilde and digits in path element"
    return None


# The common import path, plainly valid without a per-character walk (modules.txt lists
# thousands): elements of ASCII letters, digits and "_+-.", none empty, all-dots or ending
# in a dot, no leading dash.  No "~" (the short-name rule) and no Windows device name, for
# which the full check below decides.  modules.txt parsing was 0.05 s of a warm moby run.
_PLAIN_IMPORT = re.compile(r"(?!-)[\w.+-]*[\w+-](?:/[\w.+-]*[\w+-])*", re.ASCII)
_WINDOWS_PREFIX = re.compile(
    r"(?:^|/)(?:con|prn|aux|nul|com[1-9]|lpt[1-9])(?:[./]|$)", re.ASCII | re.IGNORECASE
)


def _check_path(path: str, kind: str) -> str | None:
    """Go's ``checkPath``: the error detail, or None."""
    if kind == _IMPORT and _PLAIN_IMPORT.fullmatch(path) and not _WINDOWS_PREFIX.search(path):
        return None
    return _check_path_walk(path, kind)


def _check_path_walk(path: str, kind: str) -> str | None:
    """``checkPath`` element by element, character by character."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: Python's "invalid UTF-8"
        return "invalid UTF-8"
    if path == "":
        return "empty string"
    if path[0] == "-" and kind != _FILE:
        return "leading dash"
    if "//" in path:
        return "double slash"
    if path[-1] == "/":
        return "trailing slash"
    for elem in path.split("/"):
        err = _check_elem(elem, kind)
        if err is not None:
            return err
    return None


def _module_path_error(path: str) -> str | None:
    err = _check_path(path, _MODULE)
    if err is not None:
        return err
    i = path.find("/")
    if i < 0:
        i = len(path)
    if i == 0:
        return "leading slash"
    first = path[:i]
    if "." not in first:
        return "missing dot in first path element"
    if path[0] == "-":
        return "leading dash in first path element"
    for c in first:
        if not _first_path_ok(c):
            return f"invalid char {_go_quote(c, chr(39))} in first path element"
    if not split_path_version(path)[2]:
        return "invalid version"
    return None


def check_path(path: str) -> None:
    """``module.CheckPath``: raise :class:`InvalidModulePath` if ``path`` is not a module path.

    >>> check_path("Example.com/a")
    Traceback (most recent call last):
    ...
    vendaudit.versions.modpath.InvalidModulePath: malformed module path "Example.com/a": invalid char 'E' in first path element
    """  # noqa: E501
    err = _module_path_error(path)
    if err is not None:
        raise InvalidModulePath(f"malformed module path {_go_quote(path)}: {err}")


def check_import_path(path: str) -> None:
    """``module.CheckImportPath``: like :func:`check_path` minus first-element/major rules.

    Import paths also allow ``+`` and leading dots in elements.
    """
    err = _check_path(path, _IMPORT)
    if err is not None:
        raise InvalidModulePath(f"malformed import path {_go_quote(path)}: {err}")


def _split_gopkg_in(path: str) -> tuple[str, str, bool]:
    i = len(path)
    if path.endswith("-unstable"):
        i -= len("-unstable")
    while i > 0 and "0" <= path[i - 1] <= "9":
        i -= 1
    if i <= 1 or path[i - 1] != "v" or path[i - 2] != ".":
        # All gopkg.in paths must end in .vN for some N.
        return path, "", False
    prefix, path_major = path[: i - 2], path[i - 2 :]
    if len(path_major) <= 2 or (path_major[2] == "0" and path_major != ".v0"):
        return path, "", False
    return prefix, path_major, True


def split_path_version(path: str) -> tuple[str, str, bool]:
    """``module.SplitPathVersion``: (prefix, pathMajor, ok).

    ``pathMajor`` is ``""``, ``/vN`` (N ≥ 2) or, for gopkg.in, ``.vN[-unstable]``.

    >>> split_path_version("gopkg.in/yaml.v1-unstable")
    ('gopkg.in/yaml', '.v1-unstable', True)
    >>> split_path_version("example.com/m/v1")
    ('example.com/m/v1', '', False)
    """
    if path.startswith("gopkg.in/"):
        return _split_gopkg_in(path)
    i = len(path)
    dot = False
    while i > 0 and ("0" <= path[i - 1] <= "9" or path[i - 1] == "."):
        dot = dot or path[i - 1] == "."
        i -= 1
    if i <= 1 or i == len(path) or path[i - 1] != "v" or path[i - 2] != "/":
        return path, "", True
    prefix, path_major = path[: i - 2], path[i - 2 :]
    if dot or len(path_major) <= 2 or path_major[2] == "0" or path_major == "/v1":
        return path, "", False
    return prefix, path_major, True


def _path_major_error(version: str, path_major: str) -> str | None:
    if path_major.startswith(".v") and path_major.endswith("-unstable"):
        path_major = path_major.removesuffix("-unstable")
    if version.startswith("v0.0.0-") and path_major == ".v1":
        # Old vgo bug: v0.0.0- pseudo-versions were generated for gopkg.in .v1 paths.
        return None
    m = semver.major(version)
    if path_major == "":
        if m in ("v0", "v1") or semver.build(version) == "+incompatible":
            return None
        want = "v0 or v1"
    elif path_major[0] in "/.":
        if m == path_major[1:]:
            return None
        want = path_major[1:]
    else:
        want = path_major
    return f"should be {want}, not {m}"


def check_path_major(version: str, path_major: str) -> None:
    """``module.CheckPathMajor``: raise :class:`InvalidModuleVersion` on a mismatch.

    >>> check_path_major("v1.0.0", "/v2")
    Traceback (most recent call last):
    ...
    vendaudit.versions.modpath.InvalidModuleVersion: should be v2, not v1
    """
    err = _path_major_error(version, path_major)
    if err is not None:
        raise InvalidModuleVersion(version, err)


def match_path_major(version: str, path_major: str) -> bool:
    """``module.MatchPathMajor``: whether ``version`` fits the path's major suffix."""
    return _path_major_error(version, path_major) is None


def check(path: str, version: str) -> None:
    """``module.Check``: path valid, version a semver, and the two agree.

    Raises :class:`InvalidModulePath` or :class:`InvalidModuleVersion` (whose message for a
    non-semver version is ``not a semantic version``).
    """
    check_path(path)
    if not semver.is_valid(version):
        raise InvalidModuleVersion(version, "not a semantic version")
    check_path_major(version, split_path_version(path)[1])


def _escape_string(s: str) -> str:
    out = []
    for c in s:
        if "A" <= c <= "Z":
            out.append("!" + c.lower())
        else:
            out.append(c)
    return "".join(out)


def escape_path(path: str) -> str:
    """``module.EscapePath``: ``github.com/BurntSushi/toml`` → ``github.com/!burnt!sushi/toml``.

    Raises :class:`InvalidModulePath` if ``path`` is not a valid module path.
    """
    check_path(path)
    return _escape_string(path)


def escape_version(v: str) -> str:
    """``module.EscapeVersion``: ``v1.0.0-RC1`` → ``v1.0.0-!r!c1``.

    Raises :class:`InvalidModuleVersion` (``disallowed version string``) for versions that are
    not valid file names or contain ``!``.
    """
    if _check_elem(v, _FILE) is not None or "!" in v:
        raise InvalidModuleVersion(v, "disallowed version string")
    return _escape_string(v)


def _unescape_string(escaped: str) -> str | None:
    out = []
    bang = False
    for c in escaped:
        if ord(c) >= 0x80:
            return None
        if bang:
            bang = False
            if not "a" <= c <= "z":
                return None
            out.append(c.upper())
        elif c == "!":
            bang = True
        elif "A" <= c <= "Z":
            return None
        else:
            out.append(c)
    return None if bang else "".join(out)


def unescape_path(escaped: str) -> str:
    """``module.UnescapePath``: the inverse of :func:`escape_path`; raises InvalidModulePath."""
    path = _unescape_string(escaped)
    if path is None:
        raise InvalidModulePath(f"invalid escaped module path {_go_quote(escaped)}")
    err = _module_path_error(path)
    if err is not None:
        raise InvalidModulePath(
            f"invalid escaped module path {_go_quote(escaped)}: "
            f"malformed module path {_go_quote(path)}: {err}"
        )
    return path


def unescape_version(escaped: str) -> str:
    """``module.UnescapeVersion``: the inverse of :func:`escape_version`."""
    v = _unescape_string(escaped)
    if v is None or _check_elem(v, _FILE) is not None:
        raise InvalidModuleVersion(escaped, "invalid escaped version")
    return v


def path_major_number(path: str) -> int | None:
    """N of a ``/vN`` or gopkg.in ``.vN[-unstable]`` suffix, or None.

    >>> path_major_number("github.com/google/go-github/v60"), path_major_number("x.y/z")
    (60, None)
    """
    _, pm, ok = split_path_version(path)
    if not ok or not pm:
        return None
    return int(pm[2:].removesuffix("-unstable"))


def module_major(path: str, version: str) -> int:
    """The effective Go major version of ``path@version``.

    ``/vN`` or ``.vN`` give N; otherwise the version's major when it is ``+incompatible``
    (``v17.0.0+incompatible`` → 17); v0/v1 → 1.

    >>> module_major("github.com/docker/distribution", "v2.8.3+incompatible")
    2
    >>> module_major("example.com/m", "v0.3.0")
    1
    """
    n = path_major_number(path)
    if n is not None:
        return n
    m = semver.major(version)
    if m and semver.build(version) == "+incompatible":
        return max(int(m[1:]), 1)
    return 1


def strip_major(path: str) -> str:
    """``path`` without its ``/vN`` or ``.vN`` suffix (unchanged when it has none).

    >>> strip_major("gopkg.in/yaml.v3"), strip_major("example.com/m/v2")
    ('gopkg.in/yaml', 'example.com/m')
    """
    prefix, pm, ok = split_path_version(path)
    return prefix if ok and pm else path


def with_major(path: str, n: int) -> str:
    """``path`` with major suffix for major ``n`` (v0/v1 need none except on gopkg.in).

    >>> with_major("example.com/m", 3), with_major("example.com/m/v3", 1)
    ('example.com/m/v3', 'example.com/m')
    >>> with_major("gopkg.in/yaml.v2", 3)
    'gopkg.in/yaml.v3'
    """
    base = strip_major(path)
    if base.startswith("gopkg.in/"):
        return f"{base}.v{n}"
    return f"{base}/v{n}" if n >= 2 else base


def covering_prefixes(
    path: str, max_len: int, stop: Callable[[str], bool] = lambda elem: False
) -> Iterator[str]:
    """The proper ``/``-prefixes of ``path``, longest first, up to ``max_len`` characters.

    The walk ends at the first element (from the right) for which ``stop`` is true: a
    prefix never crosses a major element (``x/v2/sub`` is not under ``x``).  Each element
    is looked at once and only prefixes that fit ``max_len`` (the longest path an index
    holds) are built, so a 100 kB path of 50 000 elements costs linear time, not the
    quadratic cost of joining every prefix.

    >>> list(covering_prefixes("example.com/a/b/c", 100))
    ['example.com/a/b', 'example.com/a', 'example.com']
    >>> list(covering_prefixes("example.com/a/v2/c", 100, lambda e: e == "v2"))
    ['example.com/a/v2']
    >>> list(covering_prefixes("example.com/a/b/c", 13))
    ['example.com/a', 'example.com']
    """
    end = len(path)
    while (i := path.rfind("/", 0, end)) >= 0:
        if stop(path[i + 1 : end]):
            return
        if i <= max_len:
            yield path[:i]
        end = i


def length_error(path: str) -> str | None:
    """Why ``path`` is too long to be a module or package path anywhere, or None.

    Go's ``CheckPath`` has no length limit, but the go command can neither download nor
    vendor a module whose path does not fit the file system (``file name too long``), so a
    manifest naming one cannot build.  Refusing it up front, in one linear pass, keeps
    every later per-element walk (prefix lookups, Files-Excluded directories) small.

    >>> length_error("example.com/" + "a" * 300)
    'path element too long: 300 bytes (the limit is 255)'
    """
    if len(path) <= MAX_ELEMENT_BYTES // 4:  # at most 4 bytes a character: short enough
        return None
    size = len(path.encode("utf-8", "surrogatepass"))
    if size > MAX_PATH_BYTES:
        return f"path too long: {size} bytes (the limit is {MAX_PATH_BYTES})"
    for elem in path.split("/"):
        n = len(elem.encode("utf-8", "surrogatepass"))
        if n > MAX_ELEMENT_BYTES:
            return f"path element too long: {n} bytes (the limit is {MAX_ELEMENT_BYTES})"
    return None
