"""Policy: which verdicts fail a run, and time-boxed exceptions for known gaps.

A policy file is TOML::

    fail_on = ["missing", "outdated"]

    [[ignore]]
    module = "github.com/foo/bar"        # exact path, or a glob such as "k8s.io/*"
    targets = ["debian:sid"]             # optional: every target when absent
    verdicts = ["missing"]               # optional: every verdict when absent
    until = 2027-01-01                   # optional: the ignore stops applying ON this date
    reason = "waiting for ITP #123"      # required: the next reader must know why

``fail_on`` may also name ``vulnerable``: a required module the Go vulnerability database
says is affected (``report --vulns``) fails the run; an ignore with ``id = "GO-2025-1234"``
(or a CVE/GHSA alias; ``module`` then optional) accepts one entry, until its date.

An expired ignore no longer hides anything and is listed in :attr:`PolicyResult.expired`,
so a forgotten exception turns the build red instead of lingering for ever.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from vendaudit.model import Target, Verdict
from vendaudit.report.model import Report

__all__ = [
    "Expired",
    "Ignore",
    "Ignored",
    "Policy",
    "PolicyError",
    "PolicyResult",
    "Violation",
    "parse_verdicts",
    "split_vulnerable",
]

VULNERABLE = "vulnerable"
"""The ``fail_on`` name for "a required module has a known vulnerability" (not a verdict)."""


def split_vulnerable(values: Sequence[str]) -> tuple[list[str], bool]:
    """``["outdated,vulnerable"]`` → (``["outdated"]``, True): the verdict names and the flag."""
    names = [n.strip() for v in values for n in v.split(",") if n.strip()]
    rest = [n for n in names if n.lower() != VULNERABLE]
    return rest, len(rest) != len(names)


class PolicyError(ValueError):
    """A policy file or ``--fail-on`` value is invalid; the message starts with its source."""


class Violation(NamedTuple):
    """A (module, target, verdict) that fails the run."""

    module: str
    target: str
    verdict: Verdict


class Ignored(NamedTuple):
    """A violation an active ignore hid, with the ignore's reason."""

    module: str
    target: str
    verdict: Verdict
    reason: str


class Expired(NamedTuple):
    """An ignore whose ``until`` date has passed."""

    module: str
    until: dt.date
    reason: str


def parse_verdicts(values: Sequence[str], source: str = "--fail-on") -> tuple[Verdict, ...]:
    """Parse verdict names (commas allowed inside each value); :class:`PolicyError` if unknown."""
    out: list[Verdict] = []
    for value in values:
        for name in filter(None, (v.strip().lower() for v in value.split(","))):
            try:
                verdict = Verdict(name)
            except ValueError:
                valid = ", ".join(v.value for v in Verdict)
                raise PolicyError(f"{source}: unknown verdict {name!r} (valid: {valid})") from None
            if verdict not in out:
                out.append(verdict)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Ignore:
    """One ``[[ignore]]`` entry."""

    module: str
    reason: str
    targets: tuple[str, ...] = ()
    verdicts: tuple[Verdict, ...] = ()
    until: dt.date | None = None
    id: str = ""
    """A vulnerability id or alias: the entry accepts that vulnerability, not verdicts."""

    def matches(self, module: str, target: str, verdict: Verdict) -> bool:
        """True when this entry covers the violation (regardless of expiry)."""
        return (
            not self.id
            and self.names_module(module)
            and (not self.targets or target in self.targets)
            and (not self.verdicts or verdict in self.verdicts)
        )

    def names_module(self, module: str) -> bool:
        """True when ``module`` is what this entry's ``module`` (a path or glob) names."""
        return fnmatch.fnmatchcase(module, self.module)

    def matches_vuln(self, module: str, ids: Sequence[str]) -> bool:
        """True when this entry accepts a vulnerability (its id or an alias) in ``module``."""
        return bool(self.id) and self.id in ids and self.names_module(module)

    def active(self, today: dt.date) -> bool:
        """True before the ``until`` date (or always, without one)."""
        return self.until is None or today < self.until


@dataclass(frozen=True, slots=True)
class PolicyResult:
    """The outcome of :meth:`Policy.evaluate`; the CLI exits 1 when ``failing`` is non-empty."""

    failing: tuple[Violation, ...]
    ignored: tuple[Ignored, ...]
    expired: tuple[Expired, ...]
    vulnerable: tuple[tuple[str, str], ...] = ()
    """``(module, entry id)`` failing through ``fail_on = ["vulnerable"]``."""

    @property
    def ok(self) -> bool:
        """True when nothing fails."""
        return not self.failing and not self.vulnerable


_IGNORE_KEYS = {"module", "targets", "verdicts", "until", "reason", "id"}


@dataclass(frozen=True, slots=True)
class Policy:
    """Which verdicts fail a run and which findings are knowingly accepted."""

    fail_on: tuple[Verdict, ...] = ()
    ignores: tuple[Ignore, ...] = ()
    fail_on_vulnerable: bool = False

    @classmethod
    def from_toml(cls, data: bytes, filename: str) -> Policy:
        """Parse a policy file's bytes; errors are :class:`PolicyError` ``"<filename>: ..."``."""
        import tomllib  # only with --policy: a default run has no TOML to read

        try:
            doc = tomllib.loads(data.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise PolicyError(f"{filename}: not UTF-8 text: {exc.reason}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise PolicyError(f"{filename}: invalid TOML: {exc}") from exc
        except RecursionError as exc:  # tomllib recurses per nested array or inline table
            raise PolicyError(f"{filename}: invalid TOML: nested too deeply") from exc
        unknown = sorted(set(doc) - {"fail_on", "ignore"})
        if unknown:
            raise PolicyError(f"{filename}: unknown key {unknown[0]!r} (expected fail_on, ignore)")
        fail_on = doc.get("fail_on", [])
        if not isinstance(fail_on, list) or not all(isinstance(v, str) for v in fail_on):
            raise PolicyError(f"{filename}: fail_on must be a list of verdict names")
        entries = doc.get("ignore", [])
        if not isinstance(entries, list):
            raise PolicyError(f"{filename}: ignore must be an array of tables ([[ignore]])")
        ignores = tuple(
            _ignore(entry, f"{filename}: ignore #{n}") for n, entry in enumerate(entries, 1)
        )
        names, vulnerable = split_vulnerable(fail_on)
        return cls(parse_verdicts(names, f"{filename}: fail_on"), ignores, vulnerable)

    @classmethod
    def load(cls, path: Path) -> Policy:
        """Read and parse a policy file."""
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise PolicyError(f"{path}: cannot read: {exc.strerror or exc}") from exc
        return cls.from_toml(data, str(path))

    def evaluate(
        self,
        report: Report,
        today: dt.date,
        fail_on_cli: Sequence[Verdict] | None = None,
        vulnerable_cli: bool | None = None,
    ) -> PolicyResult:
        """Apply the policy; ``fail_on_cli`` / ``vulnerable_cli`` (from ``--fail-on``) replace
        the file's list."""
        fail_on = set(fail_on_cli if fail_on_cli is not None else self.fail_on)
        vulnerable_on = self.fail_on_vulnerable if vulnerable_cli is None else vulnerable_cli
        failing: list[Violation] = []
        ignored: list[Ignored] = []
        for row in report.modules:
            for tid, cell in row.results:
                if cell.verdict not in fail_on:
                    continue
                hit = next(
                    (
                        ig
                        for ig in self.ignores
                        if ig.active(today) and ig.matches(row.path, tid, cell.verdict)
                    ),
                    None,
                )
                if hit is None:
                    failing.append(Violation(row.path, tid, cell.verdict))
                else:
                    ignored.append(Ignored(row.path, tid, cell.verdict, hit.reason))
        vulnerable: list[tuple[str, str]] = []
        security = report.security
        if vulnerable_on and security is not None:
            for vuln, _cells in security.findings:
                ids = (vuln.id, *vuln.aliases)
                accepted = any(
                    ig.active(today) and ig.matches_vuln(vuln.module, ids) for ig in self.ignores
                )
                if not accepted:
                    vulnerable.append((vuln.module, vuln.id))
        expired = tuple(
            Expired(ig.id or ig.module, ig.until, ig.reason)
            for ig in self.ignores
            if ig.until is not None and not ig.active(today)
        )
        return PolicyResult(tuple(failing), tuple(ignored), expired, tuple(vulnerable))


def _ignore(entry: Any, where: str) -> Ignore:
    if not isinstance(entry, dict):
        raise PolicyError(f"{where}: must be a table")
    unknown = sorted(set(entry) - _IGNORE_KEYS)
    if unknown:
        # A typo such as `untill` would silently make an exception permanent.
        raise PolicyError(f"{where}: unknown key {unknown[0]!r}")
    vuln_id = entry.get("id", "")
    if not isinstance(vuln_id, str):
        raise PolicyError(f"{where}: 'id' must be a vulnerability id such as GO-2025-1234")
    module, reason = entry.get("module", "*" if vuln_id else None), entry.get("reason")
    if not isinstance(module, str) or not module:
        raise PolicyError(f"{where}: 'module' is required (a module path or glob)")
    if not isinstance(reason, str) or not reason.strip():
        raise PolicyError(f"{where} ({module}): 'reason' is required")
    targets = entry.get("targets", [])
    if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
        raise PolicyError(f"{where} ({module}): 'targets' must be a list of distro:release")
    for t in targets:
        try:
            Target.parse(t)
        except ValueError as exc:
            raise PolicyError(f"{where} ({module}): {exc}") from None
    verdicts = entry.get("verdicts", [])
    if not isinstance(verdicts, list) or not all(isinstance(v, str) for v in verdicts):
        raise PolicyError(f"{where} ({module}): 'verdicts' must be a list of verdict names")
    until = entry.get("until")
    if isinstance(until, str):
        try:
            until = dt.date.fromisoformat(until)
        except ValueError:
            raise PolicyError(
                f"{where} ({module}): 'until' must be a date like 2027-01-01"
            ) from None
    if isinstance(until, dt.datetime):
        until = until.date()
    if until is not None and not isinstance(until, dt.date):
        raise PolicyError(f"{where} ({module}): 'until' must be a date like 2027-01-01")
    return Ignore(
        module=module,
        reason=reason.strip(),
        targets=tuple(Target.parse(t).id for t in targets),
        verdicts=parse_verdicts(verdicts, f"{where} ({module}): verdicts"),
        until=until,
        id=vuln_id,
    )
