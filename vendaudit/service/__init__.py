"""The report service: a watch list of projects × targets, their history, pages and an API.

:class:`Store` keeps the data (SQLite or PostgreSQL); :mod:`.runner` audits watched
projects; :mod:`.web` serves pages, ``/api/v1`` and feeds over the same store.
"""

from vendaudit.service.errors import ServiceError, StoreError, UnknownProject
from vendaudit.service.store import (
    RunSummary,
    SecuritySummary,
    Store,
    TargetCounts,
    VulnUse,
    WatchedProject,
)

__all__ = [
    "RunSummary",
    "SecuritySummary",
    "ServiceError",
    "Store",
    "StoreError",
    "TargetCounts",
    "UnknownProject",
    "VulnUse",
    "WatchedProject",
]
