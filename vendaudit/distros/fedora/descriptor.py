"""Fedora and EPEL as a registered distro (entry point ``vendaudit.distros: fedora``).

The descriptor is data; :func:`backends` and :func:`plan` import the real code only when
a Fedora or EPEL target is audited.  An RPM-like plug-in declares family ``rpm``, points
its ``planner`` at the one here and writes only a backend: the ``rpm`` family's plan type
and ``--format rpm`` serve it (``docs/plugins.md``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vendaudit.descriptor import DistroDescriptor, FormatSpec

if TYPE_CHECKING:
    from vendaudit.distros.interface import DistroBackend
    from vendaudit.distros.registry import BackendRequest, PlanRequest
    from vendaudit.plans import FedoraPlan

__all__ = ["DESCRIPTOR", "backends", "plan"]

_MIRROR = "https://dl.fedoraproject.org/pub"


def backends(request: BackendRequest) -> list[DistroBackend]:
    """The repodata backend (mirror, dnf's cache or local primary files)."""
    from vendaudit.distros.fedora.backend import FedoraRepodataBackend

    return [
        FedoraRepodataBackend(
            request.fetcher,
            mirror=request.mirrors.get("fedora") or request.mirrors.get("epel"),
            local_indexes=dict(request.local_indexes) or None,
            dnf_cache=request.options.dnf_cache,
            cache=request.cache,
            progress=request.progress,
        )
    ]


def plan(request: PlanRequest) -> FedoraPlan:
    """Bundled provides, BuildRequires and the packaging queue for one RPM target."""
    from vendaudit.distros.fedora.plan import build_fedora_plan

    return build_fedora_plan(
        request.project, request.findings, modules_txt=request.modules_txt, target=request.target
    )


DESCRIPTOR = DistroDescriptor(
    names=("fedora", "epel"),
    family="rpm",
    target_forms=("fedora:RELEASE", "epel:N"),
    examples=("fedora:rawhide", "fedora:43", "epel:10"),
    default_mirrors={"fedora": _MIRROR, "epel": _MIRROR},
    backend=f"{__name__}:backends",
    planner=f"{__name__}:plan",
    plan_type="vendaudit.plans.rpm:FedoraPlan",
    renderers={"rpm": FormatSpec("vendaudit.report.rpm:render_rpm", extension="spec")},
    help="RPM repodata (primary.xml) from a mirror, dnf's cache or local files.",
)
"""Fedora and EPEL: one family (``rpm``), one backend factory, one planner, ``--format rpm``."""
