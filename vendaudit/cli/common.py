"""Helpers the commands share: the fetcher, the progress display, writing output."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Self, TypeVar, cast

from vendaudit.cli.app import ExitCode, fail
from vendaudit.progress import NULL_PROGRESS, Progress

if TYPE_CHECKING:
    from vendaudit.fetch import Cache, Fetcher
    from vendaudit.gomod.project import LoadedProject


class RichProgress(Progress):
    """Progress bars on stderr via rich (only built when stderr is a TTY)."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            TextColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as RProgress

        self._bar = RProgress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._tasks: dict[str, object] = {}

    def __enter__(self) -> Self:
        self._bar.start()
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._bar.stop()

    def start(self, task: str, total: int | None = None) -> None:
        """Begin a task."""
        label = task if len(task) < 60 else "…" + task[-59:]
        self._tasks[task] = self._bar.add_task(label, total=total)

    def advance(self, task: str, amount: int = 1) -> None:
        """Advance a task."""
        if task in self._tasks:
            self._bar.advance(self._tasks[task], amount)  # type: ignore[arg-type]

    def done(self, task: str) -> None:
        """Finish a task."""
        tid = self._tasks.pop(task, None)
        if tid is not None:
            self._bar.remove_task(tid)  # type: ignore[arg-type]

    def note(self, message: str) -> None:
        """Print a status line above the bars."""
        self._bar.console.print(message)


def make_progress(enabled: bool | None) -> Progress:
    """Progress bars on stderr when asked, or by default on a TTY outside CI."""
    if enabled is None:
        enabled = sys.stderr.isatty() and not os.environ.get("CI")
    return RichProgress() if enabled else Progress()


def make_fetcher(
    cache_dir: Path | None = None,
    offline: bool = False,
    progress: Progress | None = None,
    run_timeout: float | None = None,
) -> tuple[Fetcher, Cache]:
    """The one Fetcher a command uses, with its on-disk cache (timeouts from the
    environment, see :meth:`vendaudit.fetch.Timeouts.from_environ`)."""
    from vendaudit.api import open_fetcher
    from vendaudit.fetch import Timeouts

    return open_fetcher(
        cache_dir,
        offline,
        progress or NULL_PROGRESS,
        timeouts=Timeouts.from_environ(),
        run_timeout=run_timeout,
    )


def write_output(text: str, output: Path | None) -> None:
    """Write the rendered report to ``output`` (created only now) or stdout.

    A file is written atomically: a temp file in the same directory renamed over
    ``output``, so an error leaves no empty or partial file and an existing one untouched.
    Lone surrogates (undecodable input bytes) are written escaped, never a crash.
    """
    from vendaudit.report.formats import escape_surrogates

    text = escape_surrogates(text)
    if not text.endswith("\n"):
        text += "\n"
    if output is None:
        sys.stdout.write(text)
        return
    from vendaudit.atomicfile import write_atomic

    check_output(output)
    data = text.encode("utf-8")
    try:
        if _is_special(output):
            # /dev/stdout, /dev/null, a FIFO: a rename would replace the device node or
            # pipe by a regular file (as root, /dev/stdout itself); write into it instead.
            with open(output, "wb") as fh:
                fh.write(data)
        else:
            # Through a symlink: replace its target, so the link stays a link.
            write_atomic(Path(os.path.realpath(output)), data)
    except OSError as exc:
        fail(f"{output}: cannot write the output file: {exc.strerror or exc}", ExitCode.BAD_INPUT)


def _is_special(output: Path) -> bool:
    """True when ``output`` (through symlinks) exists and is not a regular file."""
    try:
        return not stat.S_ISREG(os.stat(output).st_mode)
    except OSError:
        return False


def check_output(output: Path | None) -> None:
    """Exit 3 with one line when ``output`` can never be written as a file.

    Called before any work (a wrong ``-o`` then costs nothing) and again just before the
    write.  Without it ``-o /`` reached the final rename and said "Device or resource
    busy", and ``-o /tmp`` left a temp file behind in a root-owned directory first.
    """
    if output is None:
        return
    problem = ""
    parent = output.parent
    try:
        if str(output) in ("", ".") or output.is_dir():
            problem = "is a directory (-o takes a file name)"
        elif not parent.exists():
            problem = f"no such directory {parent}"
        elif not parent.is_dir():
            problem = f"{parent} is not a directory"
    except OSError as exc:  # ENAMETOOLONG, EACCES: is_dir() lets those through
        problem = exc.strerror or str(exc)
    if problem:
        fail(f"{output}: cannot write the output file: {problem}", ExitCode.BAD_INPUT)


E = TypeVar("E", bound=str)


def one_of(vocabulary: Iterable[str]) -> str:
    """``table, json or html``: a vocabulary's values, for generated help texts.

    >>> from vendaudit.report.formats import DiffFormat
    >>> one_of(DiffFormat)
    'table, markdown or json'
    """
    names = [str(m) for m in vocabulary]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def choice(enum: type[E], value: str, option: str = "--format") -> E:
    """``value`` as a member of ``enum`` (a ``StrEnum`` or ``ReportFormat``); an unknown
    name is a usage error (exit 2)."""
    try:
        return enum(value.lower())
    except ValueError:
        known = ", ".join(str(m) for m in cast("Iterable[str]", enum))
        fail(f"vendaudit: {option}: unknown value {value!r} (one of {known})", ExitCode.USAGE)


def load_or_fail(manifest: str | Path, modules_txt: str | Path | None = None) -> LoadedProject:
    """Load the project and its parsed files; a manifest problem exits 3 with Go's text."""
    from vendaudit.gomod.errors import ManifestError
    from vendaudit.gomod.project import load

    try:
        return load(manifest, modules_txt=modules_txt)
    except ManifestError as exc:
        fail(str(exc), ExitCode.BAD_INPUT)
