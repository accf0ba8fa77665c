"""Fedora Go package names: go-rpm-macros' ``%goname`` (``rpmname()`` in srpm/go.lua).

Re-implemented from the description in fedora.md §2b (no code copied):

1. lowercase and append ``/``; strip ``http(s)://``, ``.git/`` and a leading ``git.``;
2. drop the last dot-label of the first path element (``github.com/`` → ``github/``);
3. prefix ``golang-``;
4. protect digit.digit as ``:``, turn runs of ``._/-~`` into ``-``, drop ``-for-go-``;
5. keep the first occurrence of every ``-`` token, never ``go``;
6. restore ``:`` → ``.``; a trailing ``-vN`` (or ``-vN-`` inside) becomes ``-N``;
7. new versioning (``%gometa -L``, go2rpm's default): a trailing ``-<digits>`` is glued
   on (``golang-gopkg-yaml3``), with ``_`` when the previous token ends in a digit.

Names are lossy and packagers override them: look packages up by provide, and use
these names only to suggest a name for a package that does not exist yet.
"""

from __future__ import annotations

import re

__all__ = ["rpm_devel_name", "rpm_goname"]

_DIGIT_DOT = re.compile(r"(\d)\.(\d)")
_SEPARATORS = re.compile(r"[._/\-~]+")
_TRAILING_V = re.compile(r"-v([.\d]+)$")
_INNER_V = re.compile(r"-v([.\d]+-)")
_TRAILING_NUM = re.compile(r"^(.*?)-(\d+)$")


def rpm_goname(import_path: str, new_versioning: bool = True) -> str:
    """The ``%goname`` of ``import_path`` (``gopkg.in/yaml.v3`` → ``golang-gopkg-yaml3``).

    >>> rpm_goname("github.com/docker/go-units")
    'golang-github-docker-units'
    >>> rpm_goname("gopkg.in/yaml.v3", new_versioning=False)
    'golang-gopkg-yaml-3'
    """
    name = import_path.lower() + "/"
    name = re.sub(r"^https?://", "", name)
    name = re.sub(r"\.git/+", "", name)
    name = re.sub(r"^git\.", "", name)
    name = re.sub(r"^([^/]+)\.([^./]+)/", r"\1/", name, count=1)
    name = "golang-" + name
    while True:
        name, n = _DIGIT_DOT.subn(r"\1:\2", name)
        if n == 0:
            break
    name = _SEPARATORS.sub("-", name)
    name = name.replace("-for-go-", "-")
    seen = {"go"}
    tokens: list[str] = []
    for token in name.split("-"):
        if token and token not in seen:
            tokens.append(token)
            seen.add(token)
    name = "-".join(tokens).replace(":", ".")
    name = _TRAILING_V.sub(r"-\1", name)
    name = _INNER_V.sub(r"-\1", name)
    if new_versioning:
        m = _TRAILING_NUM.match(name)
        if m:
            head, num = m.groups()
            name = f"{head}_{num}" if head[-1:].isdigit() else f"{head}{num}"
    return name


def rpm_devel_name(import_path: str, new_versioning: bool = True) -> str:
    """The ``-devel`` subpackage name Fedora would give ``import_path``."""
    return rpm_goname(import_path, new_versioning) + "-devel"
