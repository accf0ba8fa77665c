"""The fetcher against real sockets: what is retried, what marks a host down."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from vendaudit.fetch import Cache, Fetcher, Timeouts, Unreachable, retry_after


def fetcher(tmp_path: Path, **kw: Any) -> Fetcher:
    kw.setdefault("timeouts", Timeouts(read=1, connect=1, quick=0.3, retry_after_max=1))
    return Fetcher(None, Cache(tmp_path / "c"), backoff=0.05, **kw)


def test_refused_is_not_retried_and_marks_the_host_down(tmp_path: Path, refused_url: str) -> None:
    f = fetcher(tmp_path)
    start = time.monotonic()
    with pytest.raises(Unreachable, match="ConnectError"):
        f.get(f"{refused_url}/a")
    with pytest.raises(Unreachable, match="is down"):
        f.get(f"{refused_url}/b")
    assert time.monotonic() - start < 1  # no backoff sleeps
    assert refused_url in f.down_hosts()


def test_no_such_host_is_not_retried(tmp_path: Path) -> None:
    f = fetcher(tmp_path)
    start = time.monotonic()
    with pytest.raises(Unreachable):
        f.get("http://no-such-host.invalid/x")
    assert time.monotonic() - start < 2


def test_5xx_is_retried_then_the_host_is_down(tmp_path: Path, server: Any, kit: Any) -> None:
    server.routes["/x"] = kit.Reply(b"oops", 500)
    server.routes["/y"] = kit.Reply(b"fine")
    f = fetcher(tmp_path)
    with pytest.raises(Unreachable, match="HTTP 500 \\(after 3 attempts\\)"):
        f.get(f"{server.url}/x")
    assert server.count("/x") == 3
    with pytest.raises(Unreachable, match="is down"):
        f.get(f"{server.url}/y")
    assert server.count("/y") == 0


def test_black_hole_probe_marks_it_down_early(tmp_path: Path, black_hole: str) -> None:
    f = fetcher(tmp_path)
    start = time.monotonic()
    f.probe(black_hole + "/")
    with pytest.raises(Unreachable, match="is down"):
        f.get(f"{black_hole}/m/@v/v1.0.0.info", kind="proxy-info", immutable=True)
    assert time.monotonic() - start < 1.5


def test_a_probed_proxy_keeps_ordinary_timeouts(tmp_path: Path, server: Any, kit: Any) -> None:
    # Slower than the quick timeout, within the read timeout: fine once the host answered.
    server.routes["/m/@v/v1.0.0.info"] = kit.Reply(b'{"Version":"v1.0.0"}', drip=0.5)
    f = fetcher(tmp_path)
    f.probe(server.url + "/")
    got = f.get(f"{server.url}/m/@v/v1.0.0.info", kind="proxy-info", immutable=True)
    assert got.content.startswith(b'{"Version"')


def test_retry_after_forms() -> None:
    assert retry_after("7") == 7.0
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480.0) == 0.0
    assert retry_after("soon") is None and retry_after(None) is None


def test_a_black_hole_is_found_without_an_explicit_probe(tmp_path: Path, black_hole: str) -> None:
    f = fetcher(tmp_path)
    start = time.monotonic()
    for name in ("a", "b", "c"):
        with pytest.raises(Unreachable, match="is down"):
            f.get(f"{black_hole}/{name}/@v/v1.0.0.mod", kind="proxy-mod", immutable=True)
    assert time.monotonic() - start < 1.5


def test_a_slow_first_answer_from_a_live_proxy_is_waited_for(
    tmp_path: Path, server: Any, kit: Any
) -> None:
    # Headers come late (a cold .mod): longer than the quick timeout, within the read one.
    server.routes["/m/@v/v1.0.0.mod"] = kit.Reply(b"module m\n", drip=0.6)
    got = fetcher(tmp_path).get(f"{server.url}/m/@v/v1.0.0.mod", kind="proxy-mod")
    assert got.content == b"module m\n"
