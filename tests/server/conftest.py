"""Fixtures shared by the service tests."""

import pytest
from click.testing import CliRunner

from repo_server.cli import main


@pytest.fixture
def demo_cli(tmp_path, monkeypatch):
    """Run ``repo-server`` on a fresh demo instance (its own SQLite file)."""
    monkeypatch.setenv("REPO_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("REPO_DATABASE_URL", f"sqlite:///{tmp_path}/cli.sqlite3")
    monkeypatch.setenv("REPO_PASSWORD_HASH_METHOD", "pbkdf2:sha256:1000")
    monkeypatch.setenv("REPO_SEARCH_URL", "sqlite://")
    runner = CliRunner()

    def run(*args):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    assert run("init", "--demo").exit_code == 0
    return run
