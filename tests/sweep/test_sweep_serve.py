"""The archive view stored as JSON reads back, and `serve --archive` shows it at /archive."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from vendaudit.cli import app
from vendaudit.sweep.render import ArchiveFormatError, load_archive, render_archive

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "sweep"


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("sweep")
    result = CliRunner().invoke(
        app,
        [
            "sweep",
            "--manifests",
            str(FIX / "apps"),
            "--index",
            f"debian:sid={FIX / 'sid-Sources-libs'}",
            "--output-dir",
            str(tmp / "out"),
            "--cache-dir",
            str(tmp / "cache"),
            "--no-tag-dates",
        ],
    )
    assert result.exit_code == 0, result.stderr
    return tmp / "out" / "archive.json"


def test_round_trip(archive: Path) -> None:
    view = load_archive(archive)
    assert render_archive(view, "json") == archive.read_text()


def test_bad_archive(tmp_path: Path) -> None:
    bad = tmp_path / "archive.json"
    bad.write_text('{"kind": "vendaudit-archive", "schema_version": 1, "targets": 3}')
    with pytest.raises(ArchiveFormatError, match=r"archive\.json"):
        load_archive(bad)
    with pytest.raises(ArchiveFormatError, match=r"archive\.json"):
        load_archive(tmp_path / "nope" / "archive.json")


def test_served_at_archive(archive: Path, tmp_path: Path) -> None:
    pytest.importorskip("starlette")
    from starlette.testclient import TestClient

    from vendaudit.cli.serve import archive_page
    from vendaudit.service import Store
    from vendaudit.service.web import create_app

    store = Store.open(f"sqlite:///{tmp_path / 'db.sqlite'}")
    try:
        with TestClient(create_app(store, extra_pages=[archive_page(archive)])) as client:
            page = client.get("/archive")
            assert page.status_code == 200
            assert "Most wanted" in page.text and "github.com/mattn/go-localereader" in page.text
            assert "default-src" in page.headers.get("content-security-policy", "")
            archive.write_text("garbage")
            broken = client.get("/archive")
            assert broken.status_code == 200 and "not a readable archive view" in broken.text
    finally:
        store.close()
