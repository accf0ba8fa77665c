"""Progress reporting through an injected observer; the core never imports rich."""

from __future__ import annotations

from types import TracebackType
from typing import Self


class Progress:
    """No-op progress observer; the CLI substitutes a rich-backed one on a TTY.

    It is a context manager so the CLI can ``with`` whichever observer it picked.
    """

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None

    def start(self, task: str, total: int | None = None) -> None:
        """Begin a task (a download, a parse) with an optional total size."""

    def advance(self, task: str, amount: int = 1) -> None:
        """Advance ``task`` by ``amount`` units."""

    def done(self, task: str) -> None:
        """Finish ``task``."""

    def note(self, message: str) -> None:
        """Show a one-line status message."""


NULL_PROGRESS = Progress()
"""The shared no-op observer."""
