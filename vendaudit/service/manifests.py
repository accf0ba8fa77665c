"""Read a watched project's manifest: a local path, or an https URL fetched by vendaudit.

A remote manifest (a raw go.mod or vendor.mod, optionally with its modules.txt) is
downloaded through the one :class:`~vendaudit.fetch.Fetcher` and parsed from a private
temporary directory, so the parsers see exactly what a local run would; errors name the
URL, never the temporary file.
"""

from __future__ import annotations

import dataclasses
import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from vendaudit import api
from vendaudit.fetch import Fetcher, FetchError
from vendaudit.gomod.errors import ManifestError
from vendaudit.gomod.project import LoadedProject
from vendaudit.service.errors import ServiceError

__all__ = ["ManifestFetchError", "ReadManifest", "is_url", "read_watched_manifest"]

_NAMES = ("go.mod", "vendor.mod")


class ManifestFetchError(ServiceError):
    """A watched manifest cannot be read, downloaded or parsed."""


@dataclass(frozen=True, slots=True)
class ReadManifest:
    """A watched project's parsed manifest and the hash of the bytes it came from."""

    loaded: LoadedProject
    sha256: str
    """SHA-256 of the manifest bytes, then of modules.txt's when there is one."""


def is_url(text: str) -> bool:
    """True for ``http(s)://`` manifests (only https is accepted when watching)."""
    return text.startswith(("https://", "http://"))


def _hash(*parts: bytes | None) -> str:
    h = hashlib.sha256()
    for part in parts:
        if part is not None:
            h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


def _load(path: str | Path, modules_txt: str | Path | None, vendor_check: bool) -> LoadedProject:
    try:
        return api.load_project(path, modules_txt, vendor_check=vendor_check)
    except (ManifestError, api.AuditError) as exc:
        raise ManifestFetchError(str(exc)) from exc


def read_watched_manifest(
    manifest: str, modules_txt: str | None, fetcher: Fetcher, *, vendor_check: bool = True
) -> ReadManifest:
    """Load a watched manifest; raises :class:`ManifestFetchError` with a one-line reason.

    ``vendor_check`` refuses a modules.txt that disagrees with the manifest, as ``report``
    (and ``go build -mod=vendor``) does.
    """
    if not is_url(manifest):
        loaded = _load(manifest, modules_txt, vendor_check)
        mt = loaded.files.modules_txt_path if loaded.files.modules_txt is not None else None
        return ReadManifest(
            loaded, _hash(loaded.files.path.read_bytes(), mt.read_bytes() if mt else None)
        )
    name = PurePosixPath(urlsplit(manifest).path).name
    if name not in _NAMES:
        # A URL need not end in go.mod (e.g. ?raw=1); vendor.mod only when it says so.
        name = "go.mod"
    mod_bytes = _get(fetcher, manifest)
    mt_bytes = _get(fetcher, modules_txt) if modules_txt else None
    with tempfile.TemporaryDirectory(prefix="vendaudit-watch-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(mod_bytes)
        mt_path = None
        if mt_bytes is not None:
            mt_path = Path(tmp) / "vendor" / "modules.txt"
            mt_path.parent.mkdir()
            mt_path.write_bytes(mt_bytes)
        try:
            loaded = _load(path, mt_path, vendor_check)
        except ManifestFetchError as exc:
            text = str(exc).replace(str(path), manifest)
            if mt_path is not None and modules_txt:
                text = text.replace(str(mt_path), modules_txt)
            raise ManifestFetchError(text) from exc
    # The report names the URLs the user watches, not the temporary files.
    project = dataclasses.replace(
        loaded.project, manifest=manifest, modules_txt=modules_txt if mt_bytes else None
    )
    return ReadManifest(dataclasses.replace(loaded, project=project), _hash(mod_bytes, mt_bytes))


def _get(fetcher: Fetcher, url: str) -> bytes:
    try:
        return fetcher.get(url).content
    except FetchError as exc:
        raise ManifestFetchError(f"{url}: cannot download: {exc}") from exc
