"""The service layer's error type (storage, watch list, manifest fetching)."""

from __future__ import annotations

__all__ = ["ServiceError", "StoreError", "UnknownProject"]


class ServiceError(Exception):
    """Base of every error the service layer raises; the message is one line for the user."""


class StoreError(ServiceError):
    """The database cannot be opened, migrated or written."""


class UnknownProject(ServiceError):
    """No watched project has this name."""
