"""Debian and Ubuntu as a registered distro (entry point ``vendaudit.distros: debian``).

The descriptor is data; :func:`backends` and :func:`plan` import the real code only when
a Debian or Ubuntu target is audited.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vendaudit.descriptor import DistroDescriptor, FormatSpec

if TYPE_CHECKING:
    from vendaudit.distros.interface import DistroBackend
    from vendaudit.distros.registry import BackendRequest, PlanRequest
    from vendaudit.plans import DebianPlan

__all__ = ["DESCRIPTOR", "backends", "plan"]


def backends(request: BackendRequest) -> list[DistroBackend]:
    """The Sources-index backend, behind the ftp-master API one with ``--debian-backend api``."""
    from vendaudit.distros.debian.archive import DebianArchiveBackend

    options = request.options
    out: list[DistroBackend] = []
    if options.debian_backend == "api":
        from vendaudit.distros.debian.ftpmaster import FtpMasterBackend  # only when asked

        out.append(FtpMasterBackend(request.fetcher, base=options.mirrors.get("ftp-master")))
    out.append(
        DebianArchiveBackend(
            request.fetcher,
            mirrors=dict(request.mirrors) or None,
            local_indexes=dict(request.local_indexes) or None,
            apt_lists=options.apt_lists,
            cache=request.cache,
            allow_unsigned=options.allow_unsigned,
            keyrings=options.keyrings or None,
            progress=request.progress,
        )
    )
    return out


def plan(request: PlanRequest) -> DebianPlan:
    """Build-Depends, Files-Excluded, keep/update/create for one Debian or Ubuntu target."""
    from vendaudit.distros.debian.plan import build_debian_plan

    return build_debian_plan(
        request.project,
        request.findings,
        only_satisfied=request.only_satisfied,
        cycles=request.cycles,
        order=request.order,
        target=request.target,
        unused=request.unused,
        walk=request.walk,
        direct_only=request.direct_only,
        taken=request.taken,
    )


DESCRIPTOR = DistroDescriptor(
    names=("debian", "ubuntu"),
    family="deb",
    target_forms=("debian:SUITE", "ubuntu:SUITE"),
    examples=("debian:sid", "debian:trixie", "ubuntu:noble"),
    default_mirrors={
        "debian": "https://deb.debian.org/debian",
        "ubuntu": "http://archive.ubuntu.com/ubuntu",
    },
    backend=f"{__name__}:backends",
    planner=f"{__name__}:plan",
    plan_type="vendaudit.plans.deb:DebianPlan",
    renderers={"debian": FormatSpec("vendaudit.report.debian:render_debian", extension="txt")},
    help="Sources indexes (mirror, apt's lists, local files) or the ftp-master API.",
)
"""Debian and Ubuntu: family ``deb``, one backend factory, one planner, ``--format debian``."""
