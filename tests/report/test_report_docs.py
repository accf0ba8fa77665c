"""The CI examples stay in step with the CLI: exit codes documented, commands spelled right."""

from __future__ import annotations

from pathlib import Path

from vendaudit.cli.app import ExitCode

DOCS = Path(__file__).resolve().parents[2] / "docs" / "ci"


def test_readme_documents_every_exit_code() -> None:
    text = (DOCS / "README.md").read_text()
    for code in ExitCode:
        assert f"\n| {int(code)} |" in text, code


def test_workflows_use_the_documented_commands() -> None:
    for name in ("github-actions.yml", "gitlab-ci.yml"):
        text = (DOCS / name).read_text()
        assert "vendaudit report vendor.mod" in text
        assert "--format json --output report.json" in text
        assert "vendaudit diff previous/report.json report.json" in text
        assert "--fail-on-regression" in text
        assert "VENDAUDIT_CACHE_DIR" in text
    gha = (DOCS / "github-actions.yml").read_text()
    assert "schedule:" in gha and "workflow_dispatch:" in gha and "GITHUB_STEP_SUMMARY" in gha
    assert "CI_JOB_TOKEN" in (DOCS / "gitlab-ci.yml").read_text()
