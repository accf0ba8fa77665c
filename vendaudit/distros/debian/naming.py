"""dh-make-golang's package naming rule, as the Debian Go team applies it to Go modules.

``golang-<short host>-<rest of the path with / turned into ->``, normalised to a valid
Debian package name; the library binary is that name plus ``-dev``.  Two deliberate
departures from ``dh-make-golang make`` (make.go ``debianNameFromGopkg``):

* the path is NOT reduced to its repository root first: vendaudit names *modules*, and the
  team's 2026 recommendation is one Go module per binary package;
* the ``/vN`` major suffix is kept as ``-vN`` (``keep_major=True``, the 2026 recommendation:
  "you see foo/vX in go.mod, you use golang-foo-vX-dev"); dh-make-golang itself drops it.

gopkg.in paths keep their ``.vN`` either way (``golang-gopkg-yaml.v3``), as real sid does.
Unknown hosts do not fail (dh-make-golang needs ``-allow_unknown_hoster``): the host minus
its public suffix is used, like dh-make-golang does with that flag, dots and all:
``golang.zx2c4.com/wintun`` gives ``golang-golang.zx2c4-wintun-dev``, the form of sid's
``golang-golang.zx2c4-wireguard-dev`` (and go.mau.fi, code.cloudfoundry.org, tags.cncf.io…).

The rule predicts real names only about 92% of the time (sid: ``golang-dbus-dev`` for
``github.com/godbus/dbus``), so it is a guess for modules that are NOT packaged yet;
packaged modules are always found through Go-Import-Path.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection

from vendaudit.versions.modpath import module_major, split_path_version

__all__ = [
    "ACCOUNT_HOSTS",
    "GROUP_ROOTS",
    "HOST_NAMES",
    "debian_dev_name",
    "debian_source_name",
    "free_dev_name",
    "repository_depth",
    "repository_root",
    "short_host_name",
]

ACCOUNT_HOSTS = frozenset(
    {"github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "git.sr.ht", "gitee.com"}
)
"""Hosts whose first path element is an account, not a project (host/account/repo)."""
GROUP_ROOTS = frozenset({"golang.org/x"})
"""Roots that group unrelated repositories (golang.org/x/net, golang.org/x/sys…)."""

HOST_NAMES: dict[str, str] = {
    "bazil.org": "bazil",
    "bitbucket.org": "bitbucket",
    "blitiri.com.ar": "blitiri",
    "cloud.google.com": "googlecloud",
    "code.google.com": "googlecode",
    "codeberg.org": "codeberg",
    "filippo.io": "filippo",
    "fortio.org": "fortio",
    "fyne.io": "fyne",
    "git.sr.ht": "sourcehut",
    "github.com": "github",
    "gitlab.com": "gitlab",
    "go.bug.st": "bugst",
    "go.cypherpunks.ru": "cypherpunks",
    "go.mongodb.org": "mongodb",
    "go.opentelemetry.io": "opentelemetry",
    "go.step.sm": "step",
    "go.uber.org": "uber",
    "go4.org": "go4",
    "gocloud.dev": "gocloud",
    "golang.org": "golang",
    "google.golang.org": "google",
    "gopkg.in": "gopkg",
    "honnef.co": "honnef",
    "howett.net": "howett",
    "k8s.io": "k8s",
    "modernc.org": "modernc",
    "pault.ag": "pault",
    "pgregory.net": "pgregory",
    "rsc.io": "rsc",
    "salsa.debian.org": "debian",
    "sigs.k8s.io": "k8s-sigs",
    "software.sslmate.com": "sslmate",
    "zgo.at": "zgoat",
}
"""dh-make-golang's fixed host table (make.go ``shortHostName``)."""

# A tiny stand-in for the public suffix list: the two-label suffixes Go hosts actually use.
# dh-make-golang uses golang.org/x/net/publicsuffix; for the rare unknown host a wrong guess
# only changes a *suggested* name.
_TWO_LABEL_SUFFIXES = frozenset(
    {"co.uk", "org.uk", "com.ar", "com.au", "com.br", "co.jp", "co.nz", "com.cn", "co.za"}
)
_NOT_ALLOWED = re.compile(r"[^a-z0-9.+-]")


def short_host_name(host: str) -> str:
    """The host part of a package name: the table entry, else the FQDN minus its public suffix.

    >>> short_host_name("github.com"), short_host_name("go.yaml.in")
    ('github', 'go.yaml')
    """
    known = HOST_NAMES.get(host)
    if known is not None:
        return known
    labels = host.split(".")
    if len(labels) > 2 and ".".join(labels[-2:]) in _TWO_LABEL_SUFFIXES:
        return ".".join(labels[:-2])
    return ".".join(labels[:-1]) if len(labels) > 1 else host


def _normalize(name: str) -> str:
    """make.go ``normalizeDebianPackageName``: a valid Debian package name or ``TODO``."""
    name = _NOT_ALLOWED.sub("", name.lower().replace("_", "-")).strip("-")
    return name if len(name) >= 2 else "TODO"


# A pure function of its arguments, asked for the same paths by every lookup of every
# project: a sweep of 500 applications calls it ~50k times for a few thousand paths.
@functools.lru_cache(maxsize=1 << 16)
def debian_source_name(import_path: str, *, keep_major: bool = True) -> str:
    """The source package name dh-make-golang's rule gives ``import_path``.

    >>> debian_source_name("github.com/cenkalti/backoff/v4")
    'golang-github-cenkalti-backoff-v4'
    >>> debian_source_name("github.com/cenkalti/backoff/v4", keep_major=False)
    'golang-github-cenkalti-backoff'
    >>> debian_source_name("gopkg.in/yaml.v3", keep_major=False)
    'golang-gopkg-yaml.v3'
    """
    path = import_path.strip().strip("/")
    prefix, path_major, ok = split_path_version(path)
    # gopkg.in's ".vN" is part of the last element and always stays (golang-gopkg-yaml.v3).
    if ok and path_major.startswith("/") and not keep_major:
        path = prefix
    host, _, rest = path.partition("/")
    parts = [short_host_name(host), *(p for p in rest.split("/") if p)]
    return _normalize("golang-" + "-".join(parts))


def debian_dev_name(import_path: str, *, keep_major: bool = True) -> str:
    """The library binary name: :func:`debian_source_name` plus ``-dev``.

    >>> debian_dev_name("golang.org/x/net")
    'golang-golang-x-net-dev'
    """
    return debian_source_name(import_path, keep_major=keep_major) + "-dev"


def repository_root(path: str) -> str:
    """The repository part of a module path, as far as the path alone tells.

    ``host/account/repo`` on hosting sites and under golang.org/x, else ``host/repo``
    (k8s.io/klog, go.etcd.io/etcd); a guess for vanity hosts, which may map anywhere.

    >>> repository_root("github.com/containerd/containerd/api")
    'github.com/containerd/containerd'
    >>> repository_root("go.etcd.io/etcd/server/v3")
    'go.etcd.io/etcd'
    """
    return "/".join(path.split("/")[: repository_depth(path)])


def repository_depth(path: str) -> int:
    """How many elements :func:`repository_root` keeps (3 on hosting sites, else 2)."""
    elems = path.split("/")
    return 3 if elems[0] in ACCOUNT_HOSTS or "/".join(elems[:2]) in GROUP_ROOTS else 2


def free_dev_name(path: str, version: str, taken: Collection[str]) -> tuple[str, str]:
    """A ``-dev`` name for packaging ``path`` that no binary in ``taken`` has, and a note.

    The natural name first; when that is taken (k8s.io/klog v1 vs golang-k8s-klog-dev,
    which ships klog/v2), the name with the module's major spelled out, as the Debian Go
    team names parallel majors (``golang-k8s-klog-v1-dev``).  The note says what happened
    ("" when the natural name was free).

    >>> free_dev_name("k8s.io/klog", "v1.0.0", {"golang-k8s-klog-dev"})[0]
    'golang-k8s-klog-v1-dev'
    """
    natural = debian_dev_name(path)
    if natural not in taken:
        return natural, ""
    stem = natural.removesuffix("-dev")
    suffix = f"-v{module_major(path, version)}"
    candidates = [stem + suffix] if not stem.endswith(suffix) else []
    candidates += [stem + "-go", stem + suffix + "-go"]
    for cand in (c + "-dev" for c in candidates):
        if cand not in taken:
            return (
                cand,
                f"{natural} is taken in the target (it ships another major): proposing {cand}",
            )
    return natural, f"{natural} is taken in the target and no free variant was found: choose a name"
