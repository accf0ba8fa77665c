"""Fedora repodata from a loopback mirror and from local dirs: checksums, floors, hrefs."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path
from typing import Any

import pytest

from vendaudit.distros.fedora import FedoraRepodataBackend
from vendaudit.distros.interface import DistroDataError
from vendaudit.fetch import Cache, Fetcher, Timeouts
from vendaudit.model import Module, Target

ROOT = Path(__file__).resolve().parent.parent.parent
PRIMARY = (ROOT / "fixtures" / "fedora" / "primary-release.xml").read_bytes()
RAWHIDE = Target("fedora", "rawhide")
REPO = "/pub/fedora/linux/development/rawhide/Everything/x86_64/os/"


def repomd(primary: bytes, plain: bytes, href: str | None = None) -> tuple[bytes, str]:
    """A createrepo_c-shaped repomd.xml for a gzip ``primary``."""
    sha = hashlib.sha256(primary).hexdigest()
    href = href or f"repodata/{sha}-primary.xml.gz"
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<repomd xmlns="http://linux.duke.edu/metadata/repo">
  <revision>1767225600</revision>
  <data type="primary">
    <checksum type="sha256">{sha}</checksum>
    <open-checksum type="sha256">{hashlib.sha256(plain).hexdigest()}</open-checksum>
    <location href="{href}"/>
    <size>{len(primary)}</size>
    <open-size>{len(plain)}</open-size>
  </data>
</repomd>
"""
    return xml.encode(), href


def publish(server: Any, kit: Any, plain: bytes = PRIMARY) -> tuple[str, bytes]:
    comp = gzip.compress(plain, mtime=0)
    xml, href = repomd(comp, plain)
    server.routes[REPO + "repodata/repomd.xml"] = kit.Reply(xml, headers={"ETag": '"m1"'})
    server.routes[REPO + href] = kit.Reply(comp)
    return REPO + href, comp


def backend(server: Any, cache: Path, **kw: Any) -> FedoraRepodataBackend:
    fetcher = Fetcher(
        None, Cache(cache), retries=1, backoff=0, timeouts=Timeouts(read=1, connect=1)
    )
    kw.setdefault("min_packages", {"fedora": 0})
    return FedoraRepodataBackend(fetcher, mirror=f"{server.url}/pub", **kw)


def test_generated_repo_end_to_end(server: Any, kit: Any, tmp_path: Path) -> None:
    publish(server, kit)
    index = backend(server, tmp_path).load(RAWHIDE)
    assert index.lookup(Module("github.com/docker/go-units", "v0.5.0"))


def test_a_corrupt_primary_is_not_cached_as_immutable(
    server: Any, kit: Any, tmp_path: Path
) -> None:
    path, comp = publish(server, kit)
    server.routes[path] = kit.Reply(comp[:-8] + b"\0" * 8)
    with pytest.raises(DistroDataError, match="checksum does not match"):
        backend(server, tmp_path).load(RAWHIDE)
    assert Cache(tmp_path).get_response(server.url + path) is None
    server.routes[path] = kit.Reply(comp)  # healed
    assert backend(server, tmp_path).load(RAWHIDE).packages == 5
    assert Cache(tmp_path).get_response(server.url + path) is not None


def test_too_few_packages_is_an_error_not_missing(server: Any, kit: Any, tmp_path: Path) -> None:
    publish(server, kit)
    with pytest.raises(DistroDataError, match="lists only 7 packages"):
        backend(server, tmp_path, min_packages={"fedora": 1000}).load(RAWHIDE)


def test_a_remote_href_leaving_the_repository_is_refused(
    server: Any, kit: Any, tmp_path: Path
) -> None:
    comp = gzip.compress(PRIMARY, mtime=0)
    xml, _ = repomd(comp, PRIMARY, href="../../../../elsewhere/primary.xml.gz")
    server.routes[REPO + "repodata/repomd.xml"] = kit.Reply(xml)
    with pytest.raises(DistroDataError, match="leaves the repository"):
        backend(server, tmp_path).load(RAWHIDE)
    assert Cache(tmp_path).get_response(server.url + REPO + "repodata/repomd.xml") is None


@pytest.mark.parametrize("how", ["dotdot", "absolute", "symlink"])
def test_a_local_href_must_stay_inside_the_index_dir(tmp_path: Path, how: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    comp = gzip.compress(PRIMARY, mtime=0)
    (outside / "primary.xml.gz").write_bytes(comp)
    repo = tmp_path / "repo"
    (repo / "repodata").mkdir(parents=True)
    href = {
        "dotdot": "../outside/primary.xml.gz",
        "absolute": str(outside / "primary.xml.gz"),
        "symlink": "repodata/link-primary.xml.gz",
    }[how]
    if how == "symlink":
        (repo / "repodata" / "link-primary.xml.gz").symlink_to(outside / "primary.xml.gz")
    xml, _ = repomd(comp, PRIMARY, href=href)
    (repo / "repodata" / "repomd.xml").write_bytes(xml)
    b = FedoraRepodataBackend(
        Fetcher(None, None), local_indexes={"fedora:rawhide": [repo]}, min_packages={"fedora": 0}
    )
    with pytest.raises(DistroDataError, match="leaves"):
        b.load(RAWHIDE)


def test_a_dnf_cache_href_must_stay_inside_it(tmp_path: Path) -> None:
    comp = gzip.compress(PRIMARY, mtime=0)
    (tmp_path / "secret.xml.gz").write_bytes(comp)
    repodata = tmp_path / "dnf" / "libdnf5" / "rawhide-0123456789abcdef" / "repodata"
    repodata.mkdir(parents=True)
    xml, _ = repomd(comp, PRIMARY, href="../../../../secret.xml.gz")
    (repodata / "repomd.xml").write_bytes(xml)
    b = FedoraRepodataBackend(
        Fetcher(None, None), dnf_cache=tmp_path / "dnf", min_packages={"fedora": 0}
    )
    with pytest.raises(DistroDataError, match="leaves"):
        b.load(RAWHIDE)
