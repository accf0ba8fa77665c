"""Parse ``repodata/repomd.xml``: the table of contents of an RPM repository.

Each ``<data type="...">`` record names one metadata file (``primary``, ``filelists``,
``primary_zck``…) with its location, compressed checksum and size, and the checksum of
its decompressed content (``open-checksum``).  createrepo_c writes it; the format is
the same for Fedora, EPEL and CentOS Stream.

The parser is a pure function of bytes.  DTDs and entities are refused (repomd.xml
never has them), so a hostile mirror cannot expand entities at us.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from vendaudit.distros.interface import DistroDataError

__all__ = ["Repomd", "RepomdRecord", "parse_repomd"]

_NS = "{http://linux.duke.edu/metadata/repo}"


@dataclass(frozen=True, slots=True)
class RepomdRecord:
    """One ``<data>`` record of repomd.xml."""

    type: str
    """``primary``, ``filelists``, ``primary_db``, ``primary_zck``…"""
    href: str
    """Location relative to the repository root, e.g. ``repodata/<sha>-primary.xml.gz``."""
    checksum_type: str
    """Hash name as createrepo spells it (``sha256``; ``sha`` means sha1)."""
    checksum: str
    """Hex digest of the file as stored (compressed)."""
    size: int | None = None
    open_checksum_type: str | None = None
    open_checksum: str | None = None
    """Hex digest of the decompressed content, when recorded."""
    open_size: int | None = None


@dataclass(frozen=True, slots=True)
class Repomd:
    """A parsed repomd.xml: revision, distro tags and the records by type."""

    revision: str
    records: dict[str, RepomdRecord]
    distro_cpeids: tuple[str, ...] = ()
    """``<tags><distro cpeid=...>`` values (e.g. ``cpe:/o:fedoraproject:fedora:43``)."""

    def primary(self) -> RepomdRecord:
        """The ``primary`` (XML) record; :class:`DistroDataError` when there is none."""
        rec = self.records.get("primary")
        if rec is None:
            raise DistroDataError("repomd.xml has no 'primary' record")
        return rec


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def parse_repomd(data: bytes, source: str = "repomd.xml") -> Repomd:
    """Parse repomd.xml bytes; raise :class:`DistroDataError` naming ``source`` if unusable."""
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise DistroDataError(f"{source}: refused unsafe XML ({exc})") from exc
    except ParseError as exc:
        raise DistroDataError(f"{source}: not valid XML ({exc})") from exc
    except (LookupError, RecursionError) as exc:  # unknown encoding; absurd nesting
        raise DistroDataError(f"{source}: unsupported XML ({exc!s:.80})") from exc
    if root.tag != f"{_NS}repomd":
        raise DistroDataError(f"{source}: root element is {root.tag!r}, not repomd")
    records: dict[str, RepomdRecord] = {}
    for data_el in root.findall(f"{_NS}data"):
        rtype = data_el.get("type", "")
        loc = data_el.find(f"{_NS}location")
        csum = data_el.find(f"{_NS}checksum")
        if loc is None or csum is None or not loc.get("href") or not (csum.text or "").strip():
            raise DistroDataError(f"{source}: record {rtype!r} lacks location or checksum")
        ocsum = data_el.find(f"{_NS}open-checksum")
        records[rtype] = RepomdRecord(
            type=rtype,
            href=loc.get("href", ""),
            checksum_type=csum.get("type", "sha256"),
            checksum=(csum.text or "").strip().lower(),
            size=_int(data_el.findtext(f"{_NS}size")),
            open_checksum_type=ocsum.get("type", "sha256") if ocsum is not None else None,
            open_checksum=(ocsum.text or "").strip().lower() or None if ocsum is not None else None,
            open_size=_int(data_el.findtext(f"{_NS}open-size")),
        )
    cpeids = tuple(
        el.get("cpeid", "") for el in root.iterfind(f"{_NS}tags/{_NS}distro") if el.get("cpeid")
    )
    return Repomd((root.findtext(f"{_NS}revision") or "").strip(), records, cpeids)
