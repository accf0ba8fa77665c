"""Fault injection against a loopback Debian mirror: signatures, floors, poisoning, limits."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from vendaudit.distros.debian.inrelease import DEBIAN_KEYRING

needs_gpgv = pytest.mark.skipif(
    shutil.which("gpgv") is None or not DEBIAN_KEYRING.is_file(), reason="gpgv/keyring absent"
)
Vendaudit = Callable[..., Any]
FaultServer = Any


def report(vendaudit: Vendaudit, manifest: Path, server: FaultServer, *extra: str) -> Any:
    return vendaudit(
        "report",
        str(manifest),
        "--distro",
        "debian:sid",
        "--mirror",
        f"debian={server.url}/debian",
        "--no-tag-dates",
        "--graph",
        "none",
        "--format",
        "json",
        *extra,
    )


def bodies(cache: Path) -> int:
    return len(list(cache.glob("http/*.body")))


def test_unsigned_inrelease_is_refused_unless_allowed(
    vendaudit: Vendaudit, manifest: Path, server: FaultServer, kit: Any, fast_env: Path
) -> None:
    kit.serve_sid(server, kit.sid_sources())
    refused = report(vendaudit, manifest, server)
    assert refused.code == 4, refused.stderr
    assert set(refused.verdicts("debian:sid").values()) == {"unknown"}
    assert "refused" in refused.stderr and "--allow-unsigned" in refused.stderr
    assert bodies(fast_env) == 0  # nothing unverified reached the cache
    allowed = report(vendaudit, manifest, server, "--allow-unsigned")
    assert allowed.code == 0, allowed.stderr
    verdicts = allowed.verdicts("debian:sid")
    assert verdicts["example.org/lib0007"] == "satisfied"
    assert verdicts["example.org/nowhere"] == "missing"
    assert verdicts["github.com/docker/docker"] == "satisfied"
    assert "--allow-unsigned" in allowed.stderr  # the note says how it got past


def test_forged_inrelease_with_a_tiny_sources_gives_no_missing(
    vendaudit: Vendaudit, manifest: Path, server: FaultServer, kit: Any, fast_env: Path
) -> None:
    stanzas = (kit.SAMPLES / "bookworm-updates-main-Sources").read_bytes()
    files = {"main/source/Sources": stanzas}
    server.routes["/debian/dists/sid/InRelease"] = kit.Reply(kit.release(files))
    server.routes["/debian/dists/sid/main/source/Sources"] = kit.Reply(stanzas)
    run = report(vendaudit, manifest, server)
    assert run.code == 4
    assert "missing" not in run.verdicts("debian:sid").values()
    # Even when the user accepts unsigned data, 5 stanzas are no Debian release.
    run = report(vendaudit, manifest, server, "--allow-unsigned")
    assert run.code == 4
    assert "only 0 Go sources" in run.stderr
    assert "missing" not in run.verdicts("debian:sid").values()


@needs_gpgv
def test_real_signed_chain_and_a_tampered_copy(
    vendaudit: Vendaudit, manifest: Path, server: FaultServer, kit: Any, fast_env: Path
) -> None:
    good = (kit.SAMPLES / "bookworm-updates-InRelease").read_bytes()
    sources = (kit.SAMPLES / "bookworm-updates-main-Sources").read_bytes()
    dists = "/debian/dists/bookworm-updates"
    tampered = good.replace(b"Suite: oldstable-updates", b"Suite: oldstable-updatez")
    assert tampered != good
    server.routes[f"{dists}/InRelease"] = kit.Reply(tampered)
    import hashlib

    plain = hashlib.sha256(sources).hexdigest()
    server.routes[f"{dists}/main/source/by-hash/SHA256/{plain}"] = kit.Reply(sources)
    args = ["--distro", "debian:bookworm-updates", "--mirror", f"debian={server.url}/debian"]
    common = ["--no-tag-dates", "--graph", "none", "--format", "json"]
    bad = vendaudit("report", str(manifest), *args, *common)
    assert bad.code == 4 and "BAD signature" in bad.stderr
    assert set(bad.verdicts("debian:bookworm-updates").values()) == {"unknown"}
    assert bodies(fast_env) == 0
    server.routes[f"{dists}/InRelease"] = kit.Reply(good)  # healed
    ok = vendaudit("report", str(manifest), *args, *common)
    assert ok.code == 0, ok.stderr
    # bookworm-updates really has no Go sources: "missing" is the true answer here.
    assert set(ok.verdicts("debian:bookworm-updates").values()) == {"missing"}
    assert bodies(fast_env) == 2  # InRelease and Sources, both verified
    offline = vendaudit("report", str(manifest), *args, *common, "--offline")
    assert offline.code == 0 and offline.stdout.count("missing") == ok.stdout.count("missing")


def test_a_large_drop_against_the_last_good_index_fails(
    vendaudit: Vendaudit, manifest: Path, server: FaultServer, kit: Any, fast_env: Path
) -> None:
    kit.serve_sid(server, kit.sid_sources(1000))
    assert report(vendaudit, manifest, server, "--allow-unsigned").code == 0
    kit.serve_sid(server, kit.sid_sources(800))
    small = report(vendaudit, manifest, server, "--allow-unsigned")
    assert small.code == 0  # a 20 % drop is not "large"
    kit.serve_sid(server, kit.sid_sources(380))  # 386 Go sources: above the floor
    dropped = report(vendaudit, manifest, server, "--allow-unsigned")
    assert dropped.code == 4
    assert "386 Go sources, down from 806" in dropped.stderr
    kit.serve_sid(server, kit.sid_sources(1000))  # healed
    assert report(vendaudit, manifest, server, "--allow-unsigned").code == 0


def test_a_corrupt_sources_is_never_cached_and_is_refetched_unconditionally(
    vendaudit: Vendaudit, manifest: Path, server: FaultServer, kit: Any, fast_env: Path
) -> None:
    files = kit.serve_sid(server, kit.sid_sources())
    xz = "/debian/dists/sid/main/source/Sources.xz"
    good = files["main/source/Sources.xz"]
    server.routes[xz] = kit.Reply(good[:-10] + b"0123456789", headers={"ETag": '"s1"'})
    bad = report(vendaudit, manifest, server, "--allow-unsigned")
    assert bad.code == 4 and "SHA256" in bad.stderr
    assert bodies(fast_env) == 1  # only the InRelease

    # A server that would answer 304 to the stale validator: never asked with one.
    def healed(headers: dict[str, str]) -> Any:
        if headers.get("If-None-Match") == '"s1"':
            return kit.Reply(b"", 304)
        return kit.Reply(good, headers={"ETag": '"s1"'})

    server.routes[xz] = healed
    ok = report(vendaudit, manifest, server, "--allow-unsigned")
    assert ok.code == 0, ok.stderr
    assert bodies(fast_env) == 2


def test_a_poisoned_cache_entry_is_dropped_and_fetched_without_validators(
    vendaudit: Vendaudit, manifest: Path, server: FaultServer, kit: Any, fast_env: Path
) -> None:
    from vendaudit.fetch import Cache
    from vendaudit.fetch.cache import CachedResponse

    files = kit.serve_sid(server, kit.sid_sources())
    xz_url = f"{server.url}/debian/dists/sid/main/source/Sources.xz"
    # An entry a buggy earlier version stored: consistent in itself, wrong for InRelease.
    Cache(fast_env).put_response(CachedResponse(xz_url, b"garbage", '"s1"', None, 0.0))
    good = files["main/source/Sources.xz"]
    seen: list[dict[str, str]] = []

    def answer(headers: dict[str, str]) -> Any:
        seen.append(headers)
        if headers.get("If-None-Match") == '"s1"':
            return kit.Reply(b"", 304)
        return kit.Reply(good, headers={"ETag": '"s1"'})

    server.routes["/debian/dists/sid/main/source/Sources.xz"] = answer
    ok = report(vendaudit, manifest, server, "--allow-unsigned")
    assert ok.code == 0, ok.stderr
    assert seen and all("If-None-Match" not in h for h in seen)
    assert Cache(fast_env).get_response(xz_url).content == good  # type: ignore[union-attr]


def test_cache_metadata_of_the_wrong_type_is_a_miss(
    vendaudit: Vendaudit,
    manifest: Path,
    server: FaultServer,
    kit: Any,
    fast_env: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    kit.serve_sid(server, kit.sid_sources())
    assert report(vendaudit, manifest, server, "--allow-unsigned").code == 0
    for meta in fast_env.glob("http/*.json"):
        meta.write_text('["not", "an", "object"]')
    again = report(vendaudit, manifest, server, "--allow-unsigned")
    assert again.code == 0
    assert "not an object" in caplog.text
    assert all(m.read_text().startswith("{") for m in fast_env.glob("http/*.json"))


def test_a_dripping_mirror_ends_in_bounded_time(
    vendaudit: Vendaudit,
    manifest: Path,
    server: FaultServer,
    kit: Any,
    fast_env: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("VENDAUDIT_DEADLINE_SCALE", "0.005")
    files = kit.serve_sid(server, kit.sid_sources())
    body = server.routes["/debian/dists/sid/InRelease"].body
    server.routes["/debian/dists/sid/InRelease"] = kit.Reply(body, drip=0.2)
    # 100 bytes every 0.2 s never trips the 1 s read timeout; the deadline (120 s x 0.005)
    # does.
    run = report(vendaudit, manifest, server, "--allow-unsigned")
    assert run.code == 4 and "took longer than" in run.stderr
    assert run.seconds < 5
    server.routes["/debian/dists/sid/InRelease"] = kit.Reply(kit.release(files))
    assert report(vendaudit, manifest, server, "--allow-unsigned").code == 0


def test_whole_run_timeout(
    vendaudit: Vendaudit, manifest: Path, server: FaultServer, kit: Any, fast_env: Path
) -> None:
    kit.serve_sid(server, kit.sid_sources())
    server.routes["/debian/dists/sid/main/source/Sources.xz"] = kit.Reply(b"x" * 5000, drip=0.1)
    run = report(vendaudit, manifest, server, "--allow-unsigned", "--timeout", "0.8")
    assert run.code == 4 and "run time limit of 0.8 s" in run.stderr
    assert run.seconds < 3


def test_oversized_answers_are_refused_unread(
    vendaudit: Vendaudit, manifest: Path, server: FaultServer, kit: Any, fast_env: Path
) -> None:
    kit.serve_sid(server, kit.sid_sources())
    huge = {"Content-Length": str(1 << 30)}
    server.routes["/debian/dists/sid/InRelease"] = kit.Reply(b"x", headers=huge)
    run = report(vendaudit, manifest, server, "--allow-unsigned")
    assert run.code == 4 and "1073741824 bytes announced" in run.stderr
    # No Content-Length: the limit is enforced while streaming.
    server.routes["/debian/dists/sid/InRelease"] = kit.Reply(b"A" * (17 << 20), length=False)
    run = report(vendaudit, manifest, server, "--allow-unsigned")
    assert run.code == 4 and "larger than the 16777216 bytes allowed" in run.stderr
    assert bodies(fast_env) == 0


def test_retry_after_is_honoured(
    vendaudit: Vendaudit, manifest: Path, server: FaultServer, kit: Any, fast_env: Path
) -> None:
    kit.serve_sid(server, kit.sid_sources())
    inrelease = server.routes["/debian/dists/sid/InRelease"]
    server.routes["/debian/dists/sid/InRelease"] = [
        kit.Reply(b"slow down", 429, {"Retry-After": "0"}),
        inrelease,
    ]
    run = report(vendaudit, manifest, server, "--allow-unsigned")
    assert run.code == 0, run.stderr
    assert server.count("/debian/dists/sid/InRelease") == 2


def test_a_long_retry_after_fails_that_target_at_once(
    vendaudit: Vendaudit, manifest: Path, server: FaultServer, kit: Any, fast_env: Path
) -> None:
    kit.serve_sid(server, kit.sid_sources())
    server.routes["/debian/dists/sid/InRelease"] = kit.Reply(b"", 503, {"Retry-After": "3600"})
    run = report(vendaudit, manifest, server, "--allow-unsigned")
    assert run.code == 4 and "Retry-After 3600 s" in run.stderr
    assert run.seconds < 3
    assert server.count("/debian/dists/sid/InRelease") == 1


@pytest.mark.parametrize("variants", [(".gz",), ("",), (".xz", ".gz")])
def test_offline_after_online_whatever_compressions(
    vendaudit: Vendaudit,
    manifest: Path,
    server: FaultServer,
    kit: Any,
    fast_env: Path,
    variants: tuple[str, ...],
) -> None:
    kit.serve_sid(server, kit.sid_sources(), variants)
    online = report(vendaudit, manifest, server, "--allow-unsigned")
    assert online.code == 0, online.stderr
    server.close()
    offline = report(vendaudit, manifest, server, "--allow-unsigned", "--offline")
    assert offline.code == 0, offline.stderr
    assert offline.verdicts("debian:sid") == online.verdicts("debian:sid")
