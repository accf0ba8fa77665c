"""Debian version order and the Debian → Go version mapping.

Ordering is python-debian's implementation of dpkg's algorithm (checked against
``dpkg --compare-versions`` in the tests).  The mapping follows the Debian Go Packaging Team
conventions (shared/reference/debian.md §3.3):

* epoch (``1:``) and Debian revision (after the last ``-``) are dropped, and with the revision
  binNMU ``+bN``, stable-update ``+debNuM`` and backport ``~bpoN+M`` suffixes;
* ``X+reallyY`` means the archive really holds ``Y``;
* repack suffixes ``+dfsgN`` / ``+dsN`` / ``~dsN`` / ``+repackN`` / ``.dfsg`` and multi-tarball
  ``+~component`` parts are dropped;
* ``0.0~gitYYYYMMDD.<hash>`` (also ``….N.<hash>``, no hash, ``0~YYYYMMDD``) is a snapshot with no
  tag: ``go_version`` None, ``snapshot_date``/``snapshot_commit`` set;
* ``<tag>+gitYYYYMMDD.<hash>`` is a snapshot *after* ``<tag>``: ``go_version`` is the tag and the
  snapshot fields are set as well;
* ``<tag>~gitYYYYMMDD.<hash>`` is a snapshot *before* ``<tag>``: ``go_version`` None (the Go
  pseudo-version base is unknown), snapshot fields set;
* ``~`` starts a pre-release: ``1.2.0~rc1`` → ``v1.2.0-rc1``.  dh-make-golang's uversionmangle
  drops the dot of ``-rc.1``, so the Go tag may have been ``v1.2.0-rc.1``; the satisfaction check
  compares such pre-releases leniently (see :mod:`vendaudit.versions.satisfy`).

>>> debian_to_go("1:0.62.0-1").go_version
'v0.62.0'
>>> p = debian_to_go("0.0~git20260904.79376e0-2")
>>> p.go_version, str(p.snapshot_date), p.snapshot_commit
(None, '2026-09-04', '79376e0')
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from debian.debian_support import version_compare

from vendaudit.versions import semver
from vendaudit.versions.packaged import PackagedVersion

__all__ = [
    "debian_compare",
    "debian_key",
    "debian_to_go",
    "debian_upstream",
    "upstream_to_go_semver",
]

_REPACK = re.compile(r"(?:[+~.](?:dfsg|repack)|[+~]ds)(?![a-z])|\+~", re.IGNORECASE)
_NATIVE_BINNMU = re.compile(r"\+b\d+$")
_SNAPSHOT = re.compile(
    r"^(?P<tag>.*?)(?P<sep>[~+])(?:git|bzr|hg|svn|snapshot)?[.~]?(?P<date>(?:19|20)\d{6})"
    r"(?:\.(?P<n>\d{1,3})(?=\.|$))?(?:[.+~](?:g)?(?P<hash>[0-9a-f]{7,40})(?![0-9a-z]))?"
)
# Rarer dotted form: 0.0.0+git.2014.12.04.eb4090f265, 2.0.0+git2019.04.19.git.78fb45d3c9.
_SNAPSHOT_DOTTED = re.compile(
    r"^(?P<tag>.*?)(?P<sep>[~+])(?:git\.?)?(?P<y>(?:19|20)\d\d)\.(?P<m>\d\d)\.(?P<d>\d\d)"
    r"(?:\.git)?(?:\.(?P<hash>[0-9a-f]{7,40})(?![0-9a-z]))?"
)
_NO_TAG = re.compile(r"^0(?:\.0)*$")
_PRE_IDENT = re.compile(r"^[0-9A-Za-z-]+$")


def debian_compare(a: str, b: str) -> int:
    """Compare two Debian versions like ``dpkg --compare-versions``: -1, 0 or 1.

    Raises ValueError for strings that are not Debian versions.

    >>> debian_compare("1.0~rc1-1", "1.0-1"), debian_compare("1:0.1", "2.0")
    (-1, 1)
    """
    c = version_compare(a, b)
    return (c > 0) - (c < 0)


# dpkg's verrevcmp as a static key.  A part is (weights of the non-digit run, number); the run's
# weights are "~" -1 < end/digit 0 < letters < everything else, ending in 0.  Only the first
# part can be empty ("neutral"); trailing neutral parts are dropped and one _PAD appended, which
# then stands for dpkg's "a missing part compares as empty run + 0".
_Part = tuple[tuple[int, ...], int]
_PAD: _Part = ((0,), 0)
_PARTS = re.compile(r"(\D*)(\d*)")


def _weight(c: str) -> int:
    if c == "~":
        return -1
    if c.isascii() and c.isalpha():
        return ord(c)
    return ord(c) + 256


def _verrev_key(s: str) -> tuple[_Part, ...]:
    parts: list[_Part] = []
    for m in _PARTS.finditer(s):
        run, num = m.group(1), m.group(2)
        if not run and not num and parts:
            continue  # the empty match at the end
        parts.append(((*(_weight(c) for c in run), 0), int(num or "0")))
    if not parts:
        parts.append(_PAD)
    while len(parts) > 1 and parts[-1] == _PAD:
        parts.pop()
    return (*parts, _PAD)


@functools.lru_cache(maxsize=65536)
def debian_key(version: str) -> tuple[int, tuple[_Part, ...], tuple[_Part, ...]]:
    """A sort key ordering Debian versions exactly like :func:`debian_compare` (and dpkg).

    An order of magnitude faster than python-debian for sorting (parsed once, cached).

    >>> sorted(["1.0-1", "1.0~rc1-1", "1:0.1-1", "1.0+dfsg-1"], key=debian_key)
    ['1.0~rc1-1', '1.0-1', '1.0+dfsg-1', '1:0.1-1']
    """
    epoch, colon, rest = version.partition(":")
    if not colon:
        epoch, rest = "0", version
    upstream, dash, revision = rest.rpartition("-")
    if not dash:
        upstream, revision = rest, ""
    return int(epoch or "0"), _verrev_key(upstream), _verrev_key(revision)


def debian_upstream(version: str) -> str:
    """The upstream part of a Debian version: no epoch, no revision, no ``+bN`` (native).

    >>> debian_upstream("1:28.5.2+dfsg4-5")
    '28.5.2+dfsg4'
    """
    rest = version.split(":", 1)[1] if ":" in version else version
    if "-" in rest:
        return rest.rpartition("-")[0]
    # Native package: a binNMU suffix sits in the version itself.
    return _NATIVE_BINNMU.sub("", rest)


def _strip_repack(upstream: str) -> str:
    # "+really" first: 1.2.post6+really1.2.1+dfsg holds 1.2.1.
    if "+really" in upstream:
        upstream = upstream.rpartition("+really")[2]
    m = _REPACK.search(upstream)
    return upstream[: m.start()] if m else upstream


def upstream_to_go_semver(tag: str) -> str | None:
    """Read a Debian/RPM upstream tag (no snapshot part) as a canonical Go semver, or None.

    ``~`` starts the pre-release; numeric parts lose leading zeros; 1–3 numeric parts only.

    >>> upstream_to_go_semver("1.2.0~rc1"), upstream_to_go_semver("1.2"), upstream_to_go_semver("1.2.3.4")
    ('v1.2.0-rc1', 'v1.2.0', None)
    >>> upstream_to_go_semver("1.0.0~beta.2")
    'v1.0.0-beta.2'
    """  # noqa: E501
    core, tilde, pre = tag.partition("~")
    if not tilde and re.search(r"-[A-Za-z]", tag):
        core, tilde, pre = tag.partition("-")  # upstream kept Go's "-": 1.0-RC4, 1.2.0-alpha
    parts = core.split(".")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() and p.isascii() for p in parts):
        return None
    parts = [str(int(p)) for p in parts] + ["0"] * (3 - len(parts))
    v = "v" + ".".join(parts)
    if tilde:
        if re.match(r"(?:git|bzr|hg|svn)?\d{8}", pre):
            return None  # a snapshot whose date did not parse, not a pre-release
        idents = [i for i in re.split(r"[~.+]", pre) if i]
        if not idents or not all(_PRE_IDENT.match(i) for i in idents):
            return None
        # Numeric identifiers must not have leading zeros in semver.
        idents = [str(int(i)) if i.isdigit() else i for i in idents]
        v += "-" + ".".join(idents)
    return semver.canonical(v) or None


def _date(text: str) -> dt.date | None:
    try:
        if len(text) == 8 and text.isascii() and text.isdigit():
            # What strptime("%Y%m%d") reads from eight digits, without importing _strptime.
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        return dt.datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        return None


def debian_to_go(version: str) -> PackagedVersion:
    """Read a Debian source/binary version as Go sees it.

    >>> debian_to_go("28.5.2+dfsg4-5").go_version
    'v28.5.2'
    >>> debian_to_go("1.20.5+really1.20.2-1.1").upstream
    '1.20.2'
    >>> p = debian_to_go("0.998+git20190331.e45260e3-3")
    >>> p.go_version, str(p.snapshot_date), p.snapshot_commit
    ('v0.998.0', '2019-03-31', 'e45260e3')
    """
    upstream = _strip_repack(debian_upstream(version))
    m = _SNAPSHOT.match(upstream)
    date = _date(m["date"]) if m else None
    if m is None or date is None:
        m = _SNAPSHOT_DOTTED.match(upstream)
        date = _date(m["y"] + m["m"] + m["d"]) if m else None
    if m is not None and date is not None:
        tag = m["tag"]
        if _NO_TAG.match(tag) or tag == "":
            go = None
        elif m["sep"] == "+":
            go = upstream_to_go_semver(tag)
        else:
            go = None  # "<tag>~git…" is a commit before <tag>, after an unknown tag
        return PackagedVersion(version, upstream, go, date, m["hash"])
    return PackagedVersion(version, upstream, upstream_to_go_semver(upstream))
