"""Build a project's module graph the way every command should: from the Go environment.

``vendaudit graph``/``why`` and ``vendaudit report --graph`` share these two entry points,
so both honour GOOS/GOARCH/GOFLAGS ``-tags``/CGO_ENABLED for the vendor graph, and both
verify proxy ``.mod`` files against the project's go.sum/vendor.sum.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from vendaudit.analysis.goenv import GoEnv
from vendaudit.analysis.goproxy import ProxyClient
from vendaudit.analysis.graph import ModuleGraph, build_module_graph, build_vendor_graph
from vendaudit.fetch import Fetcher
from vendaudit.gomod.gosum import GoSum
from vendaudit.model import Project

__all__ = ["proxy_graph", "vendor_graph"]


def vendor_graph(
    project: Project,
    env: GoEnv,
    *,
    vendor_dir: Path | None = None,
    goos: str | None = None,
    goarch: str | None = None,
    tags: Sequence[str] = (),
    tests: bool = False,
    patterns: Sequence[str] = ("./...",),
    any_tags: bool = False,
) -> ModuleGraph:
    """The package-level graph from the vendor tree; unset options come from ``env``."""
    taglist = list(tags) or list(env.tags)
    if vendor_dir is None and project.modules_txt is not None:
        vendor_dir = Path(project.modules_txt).parent
    return build_vendor_graph(
        project,
        vendor_dir,
        goos=goos or env.goos,
        goarch=goarch or env.goarch,
        tags=taglist,
        cgo=True if "cgo" in taglist else env.cgo_enabled,
        tests=tests,
        patterns=patterns,
        any_tags=any_tags,
    )


def proxy_graph(project: Project, fetcher: Fetcher, env: GoEnv, sums: GoSum | None) -> ModuleGraph:
    """The module graph from the GOPROXY list, verified against the project's ``sums``.

    ``sums`` is the parsed go.sum/vendor.sum that :func:`vendaudit.gomod.project.load`
    hands back (None when the project has none).
    """
    return build_module_graph(project, ProxyClient(fetcher, env, sums=sums))
