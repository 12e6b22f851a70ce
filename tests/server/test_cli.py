"""The repo-server command line: init, demo data, users, taxonomy; exit codes."""

import json

import pytest
from click.testing import CliRunner

from repo_server.cli import main


@pytest.fixture
def cli(tmp_path, monkeypatch):
    """Run ``repo-server`` on a fresh instance folder with its own SQLite database."""
    monkeypatch.setenv("REPO_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("REPO_DATABASE_URL", f"sqlite:///{tmp_path}/cli.sqlite3")
    monkeypatch.setenv("REPO_PASSWORD_HASH_METHOD", "pbkdf2:sha256:1000")
    runner = CliRunner()

    def run(*args, stdin=None):
        return runner.invoke(main, list(args), input=stdin, catch_exceptions=False)

    return run


def test_init_demo_is_idempotent_and_prints_logins(cli):
    first = cli("init", "--demo")
    assert first.exit_code == 0, first.output
    assert "admin@demo.khohoclieu.vn" in first.output and "30 câu hỏi" in first.output
    second = cli("init", "--demo")
    assert second.exit_code == 0 and "đã có sẵn" in second.output
    assert "admin@demo.khohoclieu.vn" in second.output


def test_user_create_reads_the_password_from_stdin(cli):
    cli("init", "--demo")
    created = cli(
        "user",
        "create",
        "--email",
        "Co.Giao@Truong.edu.vn",
        "--name",
        "Cô giáo Hoà",
        "--role",
        "curator",
        "--org",
        "THCS-CVA",
        "--subject",
        "toan",
        "--subject",
        "Ngữ văn",
        stdin="mat-khau-rat-dai\n",
    )
    assert created.exit_code == 0, created.output
    assert "co.giao@truong.edu.vn" in created.output


def test_failures_exit_1_with_one_line(cli):
    cli("init")
    short = cli(
        "user",
        "create",
        "--email",
        "a@b.vn",
        "--name",
        "A",
        "--role",
        "teacher",
        "--org",
        "KHONG-CO",
        stdin="x\n",
    )
    assert short.exit_code == 1 and short.output.startswith("Lỗi:")
    assert len(short.output.strip().splitlines()) == 1


def test_wrong_usage_exits_2(cli):
    assert cli("user", "create", "--role", "wizard").exit_code == 2


def test_taxonomy_load_updates(cli, tmp_path):
    cli("init")
    extra = {
        "subjects": [
            {
                "code": "STEM",
                "name_vi": "Giáo dục STEM",
                "name_en": "STEM education",
                "grades": ["6"],
            }
        ]
    }
    path = tmp_path / "extra.json"
    path.write_text(json.dumps(extra, ensure_ascii=False), encoding="utf-8")
    loaded = cli("taxonomy", "load", str(path))
    assert loaded.exit_code == 0 and json.loads(loaded.output)["subjects"] == 1
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    assert cli("taxonomy", "load", str(broken)).exit_code == 1
