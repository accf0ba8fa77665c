"""HTTP fetching with an on-disk cache: one client factory, conditional revalidation.

Everything that downloads goes through :class:`Fetcher`.  Parsers never see it: they
get bytes.  See :mod:`vendaudit.fetch.fetcher` for the cache semantics.
"""

from vendaudit.fetch.cache import Cache, default_cache_dir
from vendaudit.fetch.fetcher import (
    USER_AGENT,
    Fetched,
    Fetcher,
    FetchError,
    NotFound,
    OfflineMiss,
    TooLarge,
    Unreachable,
    Verify,
    make_client,
    retry_after,
)
from vendaudit.fetch.limits import KINDS, Kind, Timeouts

__all__ = [
    "KINDS",
    "USER_AGENT",
    "Cache",
    "FetchError",
    "Fetched",
    "Fetcher",
    "Kind",
    "NotFound",
    "OfflineMiss",
    "Timeouts",
    "TooLarge",
    "Unreachable",
    "Verify",
    "default_cache_dir",
    "make_client",
    "retry_after",
]
