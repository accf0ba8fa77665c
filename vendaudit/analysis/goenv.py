"""The Go environment variables that decide how vendaudit reaches module go.mod files.

Restates cmd/go's rules (go-modules.md §5.2-5.3): the ``GOPROXY`` list with its ``,`` /
``|`` fallback separators, ``GONOPROXY``/``GOPRIVATE``/``GONOSUMDB`` prefix globs matched
with ``module.MatchPrefixPatterns``, and the ``-mod``/``-modfile``/``-tags`` parts of
``GOFLAGS``.  Pure functions of a mapping: nothing here reads ``os.environ`` itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

__all__ = [
    "DEFAULT_GOPROXY",
    "GoEnv",
    "GoEnvError",
    "ProxySpec",
    "match_prefix_patterns",
    "parse_goflags",
    "parse_goproxy",
]

DEFAULT_GOPROXY = "https://proxy.golang.org,direct"
"""cmd/go's default when ``GOPROXY`` is unset or empty."""


class GoEnvError(ValueError):
    """A Go environment variable has a value the go command would reject."""


@dataclass(frozen=True, slots=True)
class ProxySpec:
    """One GOPROXY entry: a base URL, ``direct`` or ``off``."""

    url: str
    fallback_on_error: bool = False
    """True when the entry was followed by ``|``: try the next entry after *any* error,
    not only after 404/410."""

    @property
    def is_direct(self) -> bool:
        """True for the ``direct`` (VCS) pseudo-entry."""
        return self.url == "direct"

    @property
    def is_off(self) -> bool:
        """True for the ``off`` pseudo-entry."""
        return self.url == "off"


def _is_abs(url: str) -> bool:
    # filepath.IsAbs / path.IsAbs on Unix both mean "starts with /".
    return url.startswith("/")


def parse_goproxy(value: str) -> tuple[ProxySpec, ...]:
    """Parse a ``GOPROXY`` value like cmd/go's ``proxyList`` (without the noproxy entry).

    ``""`` means the default list.  Entries after ``direct`` or ``off`` are ignored.
    Raises :class:`GoEnvError` with the go command's text for unusable lists.
    """
    rest = value if value != "" else DEFAULT_GOPROXY
    specs: list[ProxySpec] = []
    while rest:
        m = re.search(r"[,|]", rest)
        if m:
            url, fallback, rest = rest[: m.start()], m.group() == "|", rest[m.end() :]
        else:
            url, fallback, rest = rest, False, ""
        url = url.strip()
        if not url:
            continue
        if url in ("off", "direct"):
            # Both end the list: "off" always fails hard and cmd/go reserves what follows
            # "direct" for future fallback behaviour.
            specs.append(ProxySpec(url))
            break
        # Single words are reserved for built-ins; anything with ":/" or an absolute
        # path is a complete URL; everything else gets an implicit https://.
        if any(c in url for c in ".:/") and ":/" not in url and not _is_abs(url):
            url = "https://" + url
        scheme = urlsplit(url).scheme
        if not scheme:
            raise GoEnvError(f"invalid proxy URL missing scheme: {url}")
        if scheme not in ("https", "http", "file"):
            raise GoEnvError(f"invalid proxy URL scheme (must be https, http, file): {url}")
        specs.append(ProxySpec(url.rstrip("/"), fallback))
    if not specs:
        raise GoEnvError("GOPROXY list is not the empty string, but contains no entries")
    return tuple(specs)


@lru_cache(maxsize=512)
def _glob_regex(glob: str) -> re.Pattern[str] | None:
    """Translate a Go ``path.Match`` pattern; None when it is malformed (ErrBadPattern)."""
    out: list[str] = []
    i = 0
    while i < len(glob):
        c = glob[i]
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "\\":
            i += 1
            if i >= len(glob):
                return None
            out.append(re.escape(glob[i]))
        elif c == "[":
            j = i + 1
            negate = j < len(glob) and glob[j] == "^"
            if negate:
                j += 1
            parts: list[str] = []
            first = True
            while True:
                if j >= len(glob):
                    return None
                if glob[j] == "]" and not first:
                    break
                first = False
                lo = glob[j]
                if lo == "\\":
                    j += 1
                    if j >= len(glob):
                        return None
                    lo = glob[j]
                j += 1
                if j + 1 < len(glob) and glob[j] == "-" and glob[j + 1] != "]":
                    hi = glob[j + 1]
                    if hi == "\\":
                        j += 1
                        if j + 1 >= len(glob):
                            return None
                        hi = glob[j + 1]
                    j += 2
                    if hi < lo:
                        return None
                    parts.append(f"{re.escape(lo)}-{re.escape(hi)}")
                else:
                    parts.append(re.escape(lo))
            # A class never matches "/" in path.Match.
            cls = "".join(parts)
            out.append(f"(?!/)[^{cls}]" if negate else f"(?!/)[{cls}]")
            i = j
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z")


def match_prefix_patterns(globs: str, target: str) -> bool:
    """``module.MatchPrefixPatterns``: does any comma-separated glob match a prefix of target?

    A glob with N slashes is matched against the first N+1 path elements of ``target``;
    empty and malformed globs are ignored, a trailing ``/`` on a glob is dropped.
    """
    for raw in globs.split(","):
        glob = raw.removesuffix("/")
        if not glob:
            continue
        n = glob.count("/")
        parts = target.split("/")
        if len(parts) < n + 1:
            continue  # not enough path elements
        regex = _glob_regex(glob)
        if regex is not None and regex.match("/".join(parts[: n + 1])):
            return True
    return False


def parse_goflags(value: str) -> dict[str, str]:
    """Split ``GOFLAGS`` (space-separated ``-flag[=value]``) into ``{flag: value}``.

    Boolean flags without a value map to ``"true"``; ``--flag`` is accepted like ``-flag``.
    A later occurrence overrides an earlier one, as on the command line.
    """
    flags: dict[str, str] = {}
    for word in value.split():
        if not word.startswith("-"):
            raise GoEnvError(f"parsing $GOFLAGS: non-flag {word!r}")
        name, eq, val = word.lstrip("-").partition("=")
        flags[name] = val if eq else "true"
    return flags


@dataclass(frozen=True, slots=True)
class GoEnv:
    """The module-related part of a Go environment, parsed once."""

    proxies: tuple[ProxySpec, ...] = field(default_factory=lambda: parse_goproxy(""))
    goproxy: str = DEFAULT_GOPROXY
    """The raw GOPROXY value (default filled in)."""
    noproxy: str = ""
    """GONOPROXY globs (defaults to GOPRIVATE)."""
    nosumdb: str = ""
    """GONOSUMDB globs (defaults to GOPRIVATE)."""
    private: str = ""
    """GOPRIVATE globs."""
    mod: str = ""
    """``-mod=`` from GOFLAGS (``vendor``, ``mod``, ``readonly``), ``""`` if unset."""
    modfile: str = ""
    """``-modfile=`` from GOFLAGS, ``""`` if unset."""
    tags: tuple[str, ...] = ()
    """``-tags=`` from GOFLAGS (comma-separated; the old space form cannot occur there)."""
    goos: str = "linux"
    goarch: str = "amd64"
    cgo_enabled: bool | None = None
    """CGO_ENABLED when set; None means "the go command's default" (see buildconstraint)."""

    @classmethod
    def from_environ(cls, env: Mapping[str, str]) -> GoEnv:
        """Build from an environment mapping (``os.environ`` or a test dict)."""
        goproxy = env.get("GOPROXY", "") or DEFAULT_GOPROXY
        private = env.get("GOPRIVATE", "")
        # GONOPROXY/GONOSUMDB default to GOPRIVATE only when unset or empty, as in cfg.
        noproxy = env.get("GONOPROXY", "") or private
        nosumdb = env.get("GONOSUMDB", "") or private
        flags = parse_goflags(env.get("GOFLAGS", ""))
        cgo = env.get("CGO_ENABLED", "")
        return cls(
            proxies=parse_goproxy(goproxy),
            goproxy=goproxy,
            noproxy=noproxy,
            nosumdb=nosumdb,
            private=private,
            mod=flags.get("mod", ""),
            modfile=flags.get("modfile", ""),
            tags=tuple(t for t in flags.get("tags", "").split(",") if t),
            goos=env.get("GOOS", "") or "linux",
            goarch=env.get("GOARCH", "") or "amd64",
            cgo_enabled=None if cgo == "" else cgo == "1",
        )

    def use_noproxy(self) -> bool:
        """cmd/go tries a "noproxy" pseudo-entry first when GONOPROXY is set (and GOPROXY
        is not exactly ``direct``)."""
        return bool(self.noproxy) and self.goproxy != "direct"

    def is_noproxy(self, module_path: str) -> bool:
        """True when ``module_path`` matches GONOPROXY (so cmd/go would fetch it directly)."""
        return match_prefix_patterns(self.noproxy, module_path)

    def is_nosumdb(self, module_path: str) -> bool:
        """True when ``module_path`` matches GONOSUMDB (not checked against sum.golang.org)."""
        return match_prefix_patterns(self.nosumdb, module_path)
