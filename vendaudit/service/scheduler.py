"""One background worker for watch runs: triggered runs and the periodic refresh.

Runs are serialised on a single thread (each loads the target indexes once for every
project it runs), so a burst of triggers never starts many index loads at once.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
from collections.abc import Callable, Sequence

__all__ = ["RunQueue", "parse_interval"]

logger = logging.getLogger(__name__)

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> dt.timedelta:
    """``90s``, ``30m``, ``6h``, ``1d`` (or combinations like ``1h30m``) → a timedelta."""
    parts = re.findall(r"(\d+)\s*([smhd])", text.strip().lower())
    if not parts or re.sub(r"\s*\d+\s*[smhd]", "", text.strip().lower()):
        raise ValueError(f"invalid interval {text!r}: expected e.g. 30m, 6h or 1d")
    seconds = sum(int(n) * _UNITS[u] for n, u in parts)
    if seconds <= 0:
        raise ValueError(f"invalid interval {text!r}: must be positive")
    return dt.timedelta(seconds=seconds)


class RunQueue:
    """Queue project names for ``run`` (called on the worker thread with a batch)."""

    def __init__(
        self,
        run: Callable[[list[str]], None],
        *,
        due: Callable[[], list[str]] | None = None,
        poll: float = 60.0,
    ) -> None:
        self._run = run
        self._due = due
        self._poll = poll
        self._pending: list[str] = []
        self._cond = threading.Condition()
        self._stop = False
        self._busy = False
        self._thread = threading.Thread(target=self._loop, name="vendaudit-runs", daemon=True)

    def start(self) -> None:
        """Start the worker thread."""
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the worker to stop after its current run, and wait a little for it."""
        with self._cond:
            self._stop = True
            self._cond.notify_all()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def submit(self, names: Sequence[str]) -> None:
        """Queue ``names`` (duplicates of queued names are dropped)."""
        with self._cond:
            self._pending += [n for n in names if n not in self._pending]
            self._cond.notify_all()

    @property
    def idle(self) -> bool:
        """True when nothing is queued or running."""
        with self._cond:
            return not self._pending and not self._busy

    def _loop(self) -> None:
        while True:
            with self._cond:
                if not self._pending and not self._stop:
                    self._cond.wait(self._poll)
                if self._stop:
                    return
                batch, self._pending = self._pending, []
                self._busy = True
            try:
                if not batch and self._due is not None:
                    batch = self._due()
                if batch:
                    self._run(batch)
            except Exception:  # a failed run must not kill the worker
                logger.exception("watch run of %s failed", ", ".join(batch))
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()
