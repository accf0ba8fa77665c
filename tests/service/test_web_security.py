"""Security findings in the pages, feeds and /api/v1 (the ``secured`` store: real join of
fixtures/vulns against bookworm and the govulndb excerpt, plus unchecked and failed checks)."""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from vendaudit.model import Verdict
from vendaudit.report import Report
from vendaudit.service import Store
from vendaudit.service.web import create_app
from vendaudit.vulns.model import SecurityVerdict

JWT = "github.com/golang-jwt/jwt/v4"
DNS = "github.com/miekg/dns"
GRPC = "google.golang.org/grpc"


@pytest.fixture
def client(secured: Store) -> Iterator[TestClient]:
    with TestClient(create_app(secured)) as c:
        yield c


def _cell(html: str, project: str) -> str:
    row = re.search(rf'<tr><td><a href="/projects/{project}">.*?</tr>', html)
    assert row, project
    m = re.search(r"<td[^>]*data-security=[^>]*>.*?</td>", row.group(0))
    assert m, row.group(0)
    return m.group(0)


def test_overview_says_checked_unknown_and_not_checked(client: TestClient) -> None:
    page = client.get("/").text
    assert "<th>Vulnerabilities</th>" in page
    vuln = _cell(page, "vuln")
    assert 'data-security="ok"' in vuln and "6 vulnerable modules" in vuln
    assert '<span class="up">-1</span>' in vuln  # dns left the findings
    assert "7 vulnerable modules; fixed-in-distro: 3 in bookworm" in _cell(page, "vuln2")
    plain = _cell(page, "plain")
    assert "not checked" in plain and "0" not in plain
    failed = _cell(page, "failed")
    assert "unknown" in failed and "offline" in failed and "vulnerable" not in failed


def test_overview_without_any_check_is_unchanged(filled: Store) -> None:
    with TestClient(create_app(filled)) as c:
        assert "data-security" not in c.get("/").text
        assert 'id="security"' not in c.get("/projects/qs").text


def test_project_page_has_the_reports_security_section(client: TestClient) -> None:
    page = client.get("/projects/vuln").text
    section = page[page.index('<section id="security">') :]
    section = section[: section.index("</section>")]
    assert "GO-2024-3250" in section and "GO-2020-0006" not in section  # dns left
    assert "fixed-in-distro (golang-github-golang-jwt-jwt-dev 4.4.3-1)" in section
    assert f'href="/modules/{JWT}"' in section
    assert "unvendor github.com/golang-jwt/jwt/v4 first" in section  # the ranked advice
    changes = page[page.index("<h2>Recent changes</h2>") :]
    assert "vulnerability fixed: GO-2020-0006 github.com/miekg/dns@v1.0.0" in changes
    assert "vulnerability fixable by unvendoring in bookworm: GO-2024-3250" in changes
    assert '<section id="security">' not in client.get("/projects/plain").text
    failed = client.get("/projects/failed").text
    assert "Vulnerabilities unknown: offline: not in the cache" in failed


def test_module_page_lists_entries_per_project_and_target(client: TestClient) -> None:
    page = client.get(f"/modules/{GRPC}").text
    table = page[page.index('<table id="module-vulns">') :]
    assert 'href="/vulns#GO-2023-2153"' in table
    assert 'href="/projects/vuln"' in table and 'href="/projects/vuln2"' in table
    assert table.count('class="sv sv-affected-in-distro"') == 2
    assert "2 of 4 requiring projects not checked or unknown" in table  # plain, failed
    dns = client.get(f"/modules/{DNS}").text
    # vuln2 still has the entry; vuln's newest run is past it.
    assert dns.count('class="sv sv-fixed-in-distro"') == 1 and 'href="/projects/vuln2"' in dns
    # A module of the checked projects that no entry affects.
    clean = client.get("/modules/github.com/golang-jwt/jwt").text
    assert 'id="vulns"' not in clean  # nobody requires it: nothing to say
    qs = client.get("/modules/github.com/moby/swarmkit/v2").text
    assert 'id="vulns"' not in qs  # required only by projects whose check did not work


def test_vulns_page_ranks_by_projects_unvendoring_fixes(client: TestClient) -> None:
    page = client.get("/vulns").text
    assert "2 projects checked" in page
    assert 'not checked: <a href="/projects/plain">plain</a>' in page
    assert "check failed (unknown)" in page and 'href="/projects/failed"' in page
    ids = re.findall(r'<tr id="(GO-[0-9-]+)">', page)
    # yaml, x/net: fixable in both projects; jwt: in one of two (vuln's newest run); dns:
    # in its only one; then the rest (nowhere fixable) by id.
    assert ids[:4] == ["GO-2020-0014", "GO-2022-0603", "GO-2024-3250", "GO-2020-0006"]
    assert ids.index("GO-2023-2153") > ids.index("GO-2020-0006")  # affected everywhere
    jwt_row = page[page.index('<tr id="GO-2024-3250">') :].split("</tr>")[0]
    assert '<b class="n">1</b> of 2' in jwt_row
    assert "golang-github-golang-jwt-jwt-dev 4.4.3-1" in jwt_row


def test_vulns_page_says_when_nothing_was_checked(filled: Store) -> None:
    with TestClient(create_app(filled)) as c:
        page = c.get("/vulns").text
        assert "0 projects checked" in page and "No project's newest run checked" in page
        assert 'id="vulns"' not in page


def test_api(client: TestClient) -> None:
    runs = client.get("/api/v1/projects/vuln/runs").json()
    assert runs[0]["security"]["vulnerable_modules"] == 6
    assert runs[0]["security"]["targets"]["debian:bookworm"]["fixed-in-distro"] == 3
    assert "security" not in client.get("/api/v1/projects/plain/runs").json()[0]
    failed = client.get("/api/v1/projects/failed/runs").json()[0]["security"]
    assert failed["status"] == "unknown" and failed["vulnerable_modules"] is None
    doc = client.get("/api/v1/projects/vuln/vulns").json()
    assert doc["check"] == "ok" and doc["run"] == runs[0]["id"]
    assert {f["id"] for f in doc["security"]["findings"]} >= {"GO-2024-3250", "GO-2023-2153"}
    assert client.get("/api/v1/projects/plain/vulns").json()["check"] == "not-checked"
    assert client.get("/api/v1/projects/plain/vulns").json()["security"] is None
    assert client.get("/api/v1/projects/failed/vulns").json()["check"] == "unknown"
    assert client.get("/api/v1/projects/ghost/vulns").status_code == 404
    across = client.get("/api/v1/vulns").json()
    assert across["kind"] == "vendaudit-vulns" and across["not_checked"] == ["plain"]
    assert across["unknown"][0]["project"] == "failed"
    top = across["entries"][0]
    assert top["fixable_projects"] == ["vuln", "vuln2"]
    mod = client.get(f"/api/v1/modules/{GRPC}").json()
    assert {v["project"] for v in mod["vulnerabilities"]} == {"vuln", "vuln2"}
    spec = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/vulns" in spec and "/api/v1/projects/{name}/vulns" in spec


def test_feeds_carry_the_security_lines(client: TestClient) -> None:
    ns = {"a": "http://www.w3.org/2005/Atom"}
    for path in ("/feed.atom", "/projects/vuln/feed.atom"):
        root = ET.fromstring(client.get(path).content)
        entry = root.find("a:entry", ns)
        assert entry is not None
        text = entry.findtext("a:content", namespaces=ns) or ""
        assert "vulnerability fixed: GO-2020-0006 github.com/miekg/dns@v1.0.0" in text
        assert "vulnerability fixable by unvendoring in bookworm: GO-2024-3250" in text
        terms = [c.get("term") for c in entry.findall("a:category", ns)]
        assert terms == ["security"]


def test_security_feed_has_only_vulnerability_lines(
    client: TestClient, secured: Store, vuln_report: Report, helpers: Any
) -> None:
    ns = {"a": "http://www.w3.org/2005/Atom"}
    # A run with a verdict change and a vulnerability line, and one with a verdict change only.
    worse = helpers.with_verdict(vuln_report, DNS, Verdict.MISSING)
    kw: dict[str, Any] = {"manifest_hash": "h", "targets": ["debian:bookworm"], "started_at": "t"}
    both = secured.record_run("vuln2", helpers.without_vuln(worse, DNS), **kw)
    only = secured.record_run(
        "plain", helpers.with_verdict(vuln_report, DNS, Verdict.MISSING), **kw
    )
    assert any("missing" in c for c in secured.run(both).changes)  # type: ignore[union-attr]
    assert secured.run(only).changes  # type: ignore[union-attr]
    r = client.get("/vulns/feed.atom")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(r.content)
    entries = root.findall("a:entry", ns)
    assert len(entries) == 2  # vuln2's new run (its verdict lines left out), vuln's second
    newest = entries[0].findtext("a:content", namespaces=ns) or ""
    assert newest == "vulnerability fixed: GO-2020-0006 github.com/miekg/dns@v1.0.0"
    text = entries[1].findtext("a:content", namespaces=ns) or ""
    assert text.splitlines() == [
        "vulnerability fixed: GO-2020-0006 github.com/miekg/dns@v1.0.0",
        "vulnerability fixable by unvendoring in bookworm: GO-2024-3250 "
        "github.com/golang-jwt/jwt/v4@v4.4.0 (golang-github-golang-jwt-jwt-dev 4.4.3-1)",
    ]
    assert 'href="/vulns/feed.atom"' in client.get("/vulns").text
    assert [r.id for r in secured.recent_changes(security=True)] == [both, 2]


def test_vulns_ranked_for_one_target(
    client: TestClient, secured: Store, vuln_report: Report, helpers: Any
) -> None:
    # A second target on vuln2 where only grpc's packaged copy is fixed.
    two = dataclasses.replace(
        vuln_report,
        security=dataclasses.replace(
            vuln_report.security,  # type: ignore[arg-type]
            findings=tuple(
                (
                    v,
                    (
                        *cells,
                        dataclasses.replace(
                            cells[0],
                            target="debian:sid",
                            verdict=SecurityVerdict.FIXED_IN_DISTRO
                            if v.module == GRPC
                            else SecurityVerdict.AFFECTED_IN_DISTRO,
                        ),
                    ),
                )
                for v, cells in vuln_report.security.findings  # type: ignore[union-attr]
            ),
        ),
    )
    kw: dict[str, Any] = {"manifest_hash": "h", "targets": ["debian:bookworm"], "started_at": "t"}
    secured.record_run("vuln2", two, **kw)
    ids = client.get("/api/v1/vulns?target=debian:sid").json()
    assert ids["ranked_by"] == "debian:sid" and ids["entries"][0]["id"] == "GO-2023-2153"
    assert client.get("/api/v1/vulns?target=nonsense").json()["ranked_by"] is None
    page = client.get("/vulns?target=debian:sid").text
    assert "would fix in debian:sid" in page and 'href="/vulns?target=debian%3Abookworm"' in page
    assert re.findall(r'<tr id="(GO-[0-9-]+)">', page)[0] == "GO-2023-2153"
