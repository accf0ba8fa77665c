"""The toy distro's backend: parse a JSON package list, answer lookups by import path.

The index file (``packages.json``)::

    {"packages": [{"name": "golang-x-net", "version": "0.39.0-1",
                   "go_import_paths": ["golang.org/x/net"]}]}

A version ``U-R`` has upstream ``U`` and reads as Go ``vU`` when ``U`` is semver-shaped.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from vendaudit.distros.interface import DistroBackend, DistroDataError, DistroError, DistroIndex
from vendaudit.distros.registry import BackendRequest
from vendaudit.model import DistroPackage, MatchKind, Module, PackagedVersion, Target
from vendaudit.versions.modpath import path_major_number

__all__ = ["ToyBackend", "ToyIndex", "backends", "parse_index"]

_SEMVER = re.compile(r"^\d+\.\d+\.\d+$")


@dataclass(frozen=True)
class ToyPackage:
    """One package of the toy distro."""

    name: str
    version: str
    go_import_paths: tuple[str, ...]


def parse_index(data: bytes, source: str) -> list[ToyPackage]:
    """The packages of a toy index; raises :class:`DistroDataError` on a malformed one."""
    try:
        doc = json.loads(data)
        return [
            ToyPackage(str(p["name"]), str(p["version"]), tuple(map(str, p["go_import_paths"])))
            for p in doc["packages"]
        ]
    except (ValueError, KeyError, TypeError) as exc:
        raise DistroDataError(f"{source}: not a toy package index ({exc})") from exc


def _version(text: str) -> PackagedVersion:
    upstream = text.rsplit("-", 1)[0]
    go = f"v{upstream}" if _SEMVER.match(upstream) else None
    return PackagedVersion(text, upstream, go)


class ToyIndex(DistroIndex):
    """Exact import-path matches over a toy package list."""

    def __init__(self, target: Target, packages: Sequence[ToyPackage], provenance: str) -> None:
        self.target = target
        self.provenance = provenance
        self._by_path: dict[str, list[ToyPackage]] = {}
        for pkg in packages:
            for path in pkg.go_import_paths:
                self._by_path.setdefault(path, []).append(pkg)
        self._count = len(packages)

    @property
    def packages(self) -> int:
        """How many packages the index lists."""
        return self._count

    def lookup(self, module: Module) -> list[DistroPackage]:
        """The packages declaring exactly ``module.path``."""
        return [
            DistroPackage(
                source=pkg.name,
                binary=pkg.name,
                version=_version(pkg.version),
                import_path=module.path,
                match=MatchKind.EXACT,
                major=max(path_major_number(module.path) or 1, 1),
            )
            for pkg in self._by_path.get(module.path, ())
        ]


class ToyBackend(DistroBackend):
    """Loads ``toy:*`` targets from the file ``--index`` (or ``$TOYDISTRO_INDEX``) names."""

    def __init__(self, local_indexes: dict[str, tuple[Path, ...]]) -> None:
        self.local_indexes = local_indexes

    def supports(self, target: Target) -> bool:
        """Targets named ``toy:…``."""
        return target.distro == "toy"

    def load(self, target: Target) -> ToyIndex:
        """Read and parse the target's index file."""
        files = self.local_indexes.get(target.id) or ()
        env = os.environ.get("TOYDISTRO_INDEX")
        path = files[0] if files else Path(env) if env else None
        if path is None:
            raise DistroError(f"{target.id}: no index: give --index {target.id}=packages.json")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DistroError(f"{target.id}: cannot read {path}: {exc.strerror}") from exc
        return ToyIndex(target, parse_index(data, str(path)), f"{path} (toy index)")


def backends(request: BackendRequest) -> list[DistroBackend]:
    """The descriptor's backend factory: one :class:`ToyBackend`."""
    return [ToyBackend(dict(request.local_indexes))]
