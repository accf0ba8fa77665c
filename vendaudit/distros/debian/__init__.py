"""Debian and Ubuntu: acquire a suite's Go view (Sources, apt lists, ftp-master API) and map it.

Acquisition: :class:`DebianArchiveBackend` (mirror, local files, apt's lists) and
:class:`FtpMasterBackend` (ftp-master API) both return a :class:`DebianIndex`, the
module → package mapping built over a list of :class:`SourceEntry`.
"""

from typing import TYPE_CHECKING

from vendaudit._lazy import lazy_exports

if TYPE_CHECKING:
    from vendaudit.distros.debian.aptlists import DEFAULT_LISTS_DIR, AptSuite, find_apt_suites
    from vendaudit.distros.debian.archive import (
        DEFAULT_COMPONENTS,
        DEFAULT_MIRRORS,
        DebianArchiveBackend,
        merge_entries,
    )
    from vendaudit.distros.debian.compression import decompress, iter_decompress
    from vendaudit.distros.debian.entries import SourceEntry
    from vendaudit.distros.debian.ftpmaster import FtpMasterBackend
    from vendaudit.distros.debian.index import DebianIndex
    from vendaudit.distros.debian.indexcache import ParsedIndex, parse_cached, parse_cached_file
    from vendaudit.distros.debian.inrelease import (
        Release,
        SignatureResult,
        check_index_hash,
        parse_release,
        verify_signature,
    )
    from vendaudit.distros.debian.sources import (
        DebianIndexError,
        parse_sources,
        parse_sources_chunks,
    )

# Imported on first use (start-up time): name -> submodule.
__getattr__ = lazy_exports(
    __name__,
    {
        "DEFAULT_LISTS_DIR": "aptlists",
        "AptSuite": "aptlists",
        "find_apt_suites": "aptlists",
        "DEFAULT_COMPONENTS": "archive",
        "DEFAULT_MIRRORS": "archive",
        "DebianArchiveBackend": "archive",
        "merge_entries": "archive",
        "decompress": "compression",
        "iter_decompress": "compression",
        "SourceEntry": "entries",
        "FtpMasterBackend": "ftpmaster",
        "DebianIndex": "index",
        "ParsedIndex": "indexcache",
        "parse_cached": "indexcache",
        "parse_cached_file": "indexcache",
        "Release": "inrelease",
        "SignatureResult": "inrelease",
        "check_index_hash": "inrelease",
        "parse_release": "inrelease",
        "verify_signature": "inrelease",
        "DebianIndexError": "sources",
        "parse_sources": "sources",
        "parse_sources_chunks": "sources",
    },
)

__all__ = [
    "DEFAULT_COMPONENTS",
    "DEFAULT_LISTS_DIR",
    "DEFAULT_MIRRORS",
    "AptSuite",
    "DebianArchiveBackend",
    "DebianIndex",
    "DebianIndexError",
    "FtpMasterBackend",
    "ParsedIndex",
    "Release",
    "SignatureResult",
    "SourceEntry",
    "check_index_hash",
    "decompress",
    "find_apt_suites",
    "iter_decompress",
    "merge_entries",
    "parse_cached",
    "parse_cached_file",
    "parse_release",
    "parse_sources",
    "parse_sources_chunks",
    "verify_signature",
]
