"""Does a packaged version satisfy the Go version a project requires?

The caller has already matched the module and its major version.  Rules:

* tagged package vs anything: Go's minimum-version rule, ``compare(packaged, required) >= 0``
  (a pseudo-version ``v1.2.4-0.2020…`` is satisfied by tag ``v1.2.4``; ``v0.0.0-2020…`` by any
  tag).  Pre-releases compare leniently because dh-make-golang turns ``-rc.1`` into ``~rc1``:
  ``rc.1`` and ``rc1`` are read alike.
* snapshot package vs pseudo-version requirement: by commit date (``by_date``); on the same day
  the commit prefixes decide — the same commit is ok, a different one is "cannot tell"
  (``ok is None``), since two commits of one day cannot be ordered from versions alone.
* ``<tag>+git<date>`` snapshot: the tag decides when it already reaches the requirement;
  otherwise dates decide if both sides follow the same tag, and an older tag is outdated.
* tagless snapshot (``0.0~git…``) vs a tagged requirement: cannot be decided from versions
  (``ok is None``) — the tag's date is unknown here.

>>> from vendaudit.versions.debian import debian_to_go
>>> satisfies("v1.4.1", debian_to_go("1.2.0-1"))
Satisfaction(ok=False, by_date=False, behind='2 minor versions behind (1.2.0 < 1.4.1)')
>>> satisfies("v0.0.0-20240523101010-abcdef123456", debian_to_go("0.0~git20240101.1234567-1"))
Satisfaction(ok=False, by_date=True, behind='snapshot 143 days older (2024-01-01 < 2024-05-23)')
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from vendaudit.versions import semver
from vendaudit.versions.debian import upstream_to_go_semver
from vendaudit.versions.packaged import PackagedVersion
from vendaudit.versions.pseudo import (
    InvalidPseudoVersion,
    is_pseudo_version,
    pseudo_version_base,
    pseudo_version_rev,
    pseudo_version_time,
)

__all__ = ["Satisfaction", "satisfies", "version_constraint_debian", "version_constraint_rpm"]


@dataclass(frozen=True, slots=True)
class Satisfaction:
    """The verdict of :func:`satisfies`."""

    ok: bool | None
    """True: satisfied; False: the package is older; None: cannot tell from versions."""
    by_date: bool
    """Whether snapshot/commit dates were used (a weaker statement than a version order)."""
    behind: str
    """Human explanation when ``ok`` is not True (``"1 patch behind (1.2.3 < 1.2.4)"``)."""


_OK = Satisfaction(True, False, "")
_LETTER_DIGIT = re.compile(r"(?<=[A-Za-z])(?=\d)")


def _lenient(v: str) -> str:
    """``v1.2.0-rc1`` → ``v1.2.0-rc.1`` (so rc10 > rc9); pseudo-versions are left alone."""
    if is_pseudo_version(v):
        return v
    pre = semver.prerelease(v)
    if not pre:
        return semver.canonical(v)
    fixed = semver.canonical(v).removesuffix(pre) + _LETTER_DIGIT.sub(".", pre)
    return fixed if semver.is_valid(fixed) else semver.canonical(v)


def go_compare_lenient(a: str, b: str) -> int:
    """:func:`semver.compare` reading ``-rc.1`` and ``-rc1`` alike.

    >>> go_compare_lenient("v1.2.0-rc1", "v1.2.0-rc.2"), go_compare_lenient("v1.2.0-rc1", "v1.2.0-rc.1")
    (-1, 0)
    """  # noqa: E501
    return semver.compare(_lenient(a), _lenient(b))


def _plain(v: str) -> str:
    return semver.canonical(v).removeprefix("v")


def _plural(n: int, word: str) -> str:
    if n == 1:
        return f"1 {word}"
    return f"{n} {word}es" if word.endswith("ch") else f"{n} {word}s"


def _tag_behind(packaged: str, required: str) -> str:
    pa, rq = semver.GoVersion.parse(packaged), semver.GoVersion.parse(required)
    shown = f"({_plain(packaged)} < {_plain(required)})"
    if pa.major != rq.major:
        return f"{_plural(rq.major - pa.major, 'major version')} behind {shown}"
    if pa.minor != rq.minor:
        return f"{_plural(rq.minor - pa.minor, 'minor version')} behind {shown}"
    if pa.patch != rq.patch:
        return f"{_plural(rq.patch - pa.patch, 'patch')} behind {shown}"
    return f"pre-release behind {shown}"


def _by_date(pkg: PackagedVersion, day: dt.date, rev: str) -> Satisfaction:
    """Snapshot package vs a required commit (date ``day``, revision ``rev``)."""
    commit = (pkg.snapshot_commit or "").lower()
    same = bool(commit) and (rev.lower().startswith(commit) or commit.startswith(rev.lower()))
    if same:
        return Satisfaction(True, True, "")
    if pkg.snapshot_date is None:
        return Satisfaction(
            None, True, f"snapshot of commit {commit} vs required {rev} ({day}): compare by hand"
        )
    if pkg.snapshot_date > day:
        return Satisfaction(True, True, "")
    if pkg.snapshot_date < day:
        days = (day - pkg.snapshot_date).days
        return Satisfaction(
            False,
            True,
            f"snapshot {_plural(days, 'day')} older ({pkg.snapshot_date} < {day})",
        )
    return Satisfaction(
        None,
        True,
        f"same day ({day}), different commit ({commit or '?'} vs {rev}): cannot tell",
    )


def _before_tag(upstream: str) -> str | None:
    """The tag a ``<tag>~git<date>`` snapshot precedes, as Go semver."""
    m = re.match(r"^(.+?)~(?:git|bzr|hg|svn)?(?:19|20)\d{6}", upstream)
    if m is None or re.fullmatch(r"0(?:\.0)*", m[1]):
        return None
    return upstream_to_go_semver(m[1])


def satisfies(required: str, packaged: PackagedVersion) -> Satisfaction:
    """Whether ``packaged`` is at least the Go version ``required`` (see the module doc).

    >>> from vendaudit.versions.debian import debian_to_go
    >>> satisfies("v1.2.4-0.20200101000000-abcdef123456", debian_to_go("1.2.4-1")).ok
    True
    >>> satisfies("v1.2.3", debian_to_go("0.0~git20240101.abcdef1-1")).ok is None
    True
    """
    if not semver.is_valid(required):
        return Satisfaction(None, False, f"{required!r} is not a Go version")
    base, day, rev = "", dt.date.min, ""
    pseudo = is_pseudo_version(required)
    if pseudo:
        try:
            base = pseudo_version_base(required)
            day = pseudo_version_time(required).date()
            rev = pseudo_version_rev(required)
        except InvalidPseudoVersion:
            pseudo = False  # read it as a plain pre-release
    tag = packaged.go_version
    snapshot = packaged.snapshot_date is not None or packaged.snapshot_commit is not None

    if tag is not None and go_compare_lenient(tag, required) >= 0:
        return _OK
    if tag is not None and not snapshot:
        if pseudo:
            when = f"{day}, {rev}"
            after = f"after {_plain(base)}" if base else "(untagged)"
            return Satisfaction(
                False, False, f"needs a newer commit {after} ({when}); packaged {_plain(tag)}"
            )
        return Satisfaction(False, False, _tag_behind(tag, required))
    if tag is not None:
        # <tag>+git<date>: newer than <tag>, older than the next tag.
        if pseudo and base and go_compare_lenient(tag, base) == 0:
            return _by_date(packaged, day, rev)
        if pseudo and not base:
            return _by_date(packaged, day, rev)
        shown = f"{_plain(tag)}+git{packaged.snapshot_date or ''}"
        want = _plain(base) if pseudo and base else _plain(required)
        return Satisfaction(False, False, f"snapshot after {_plain(tag)} ({shown}) < {want}")
    if not snapshot:
        return Satisfaction(None, False, f"cannot read {packaged.distro_version!r} as a Go version")
    before = _before_tag(packaged.upstream)
    target = base if pseudo else required
    if before is not None and target and go_compare_lenient(target, before) >= 0:
        return Satisfaction(
            False,
            packaged.snapshot_date is not None,
            f"snapshot before {_plain(before)} ({packaged.snapshot_date}) < {_plain(target)}",
        )
    if pseudo:
        return _by_date(packaged, day, rev)
    return Satisfaction(
        None,
        False,
        f"snapshot of {packaged.snapshot_date or packaged.snapshot_commit} vs tag {required}: "
        "compare dates by hand",
    )


_DEB_PRE_MANGLE = re.compile(r"(\d)[_.\-+]?(RC|rc|pre|dev|beta|alpha)\.?(\d*)$")


def _debian_tag(v: str) -> str:
    """``v1.2.0-rc.1`` → ``1.2.0~rc1`` (dh-make-golang's uversionmangle), else ``-`` → ``~``."""
    plain = _plain(v)
    mangled = _DEB_PRE_MANGLE.sub(r"\1~\2\3", plain)
    if mangled != plain:
        return mangled
    return plain.replace("-", "~", 1)


def version_constraint_debian(required: str, epoch: int = 0) -> str:
    """The Build-Depends/Depends constraint a Debian package needs for Go ``required``.

    The trailing ``~`` lets repacks (``+dfsg``, ``~ds1``), snapshots of the same day and
    pre-release spellings satisfy it; the price is that pre-releases of the required version
    (``1.2.3~rc1``) satisfy ``>= 1.2.3~`` too (:func:`satisfies` is exact there).
    Debian epochs are per package: pass the package's.

    >>> version_constraint_debian("v1.2.3"), version_constraint_debian("v1.2.0-rc.1")
    ('>= 1.2.3~', '>= 1.2.0~rc1~')
    >>> version_constraint_debian("v0.0.0-20240101120000-abcdef123456")
    '>= 0.0~git20240101~'
    >>> version_constraint_debian("v1.2.4-0.20240101120000-abcdef123456", epoch=1)
    '>= 1:1.2.3+git20240101~'
    """
    e = f"{epoch}:" if epoch else ""
    if is_pseudo_version(required):
        try:
            base = pseudo_version_base(required)
        except InvalidPseudoVersion:
            base = ""
        day = pseudo_version_time(required).strftime("%Y%m%d")
        if not base:
            return f">= {e}0.0~git{day}~"
        return f">= {e}{_debian_tag(base)}+git{day}~"
    return f">= {e}{_debian_tag(required)}~"


def version_constraint_rpm(required: str) -> str:
    """The RPM version to require (``Requires: golang(path) >= …``) for Go ``required``.

    Tags map to ``1.2.3`` / ``1.2.0~rc.1``.  A pseudo-version maps to its base tag — a lower
    bound only, because Fedora's legacy snapshot scheme (``0-0.N.DATEgitSHA``) cannot express
    "this commit or later" — or ``0`` when it has no base.

    >>> version_constraint_rpm("v1.2.0-rc.1"), version_constraint_rpm("v2.0.1+incompatible")
    ('1.2.0~rc.1', '2.0.1')
    >>> version_constraint_rpm("v1.2.4-0.20240101120000-abcdef123456")
    '1.2.3'
    """
    if is_pseudo_version(required):
        try:
            base = pseudo_version_base(required)
        except InvalidPseudoVersion:
            base = ""
        if not base:
            return "0"
        required = base
    return _plain(required).replace("-", "~", 1)
