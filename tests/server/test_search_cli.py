"""repo-server search / reindex, and the index that init builds for the demo data."""

import json

import pytest
from click.testing import CliRunner

from repo_server.cli import main

STUDENT = "student1@demo.khohoclieu.vn"


@pytest.fixture
def cli(tmp_path, monkeypatch):
    """Run ``repo-server`` on a fresh instance folder (SQLite database and index)."""
    monkeypatch.setenv("REPO_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("REPO_DATABASE_URL", f"sqlite:///{tmp_path}/cli.sqlite3")
    monkeypatch.setenv("REPO_SEARCH_URL", f"sqlite:///{tmp_path}/search.sqlite3")
    monkeypatch.setenv("REPO_PASSWORD_HASH_METHOD", "pbkdf2:sha256:1000")
    runner = CliRunner()

    def run(*args):
        return runner.invoke(main, list(args), catch_exceptions=False)

    return run


def search_json(cli, *args) -> dict:
    """Run ``repo-server search ... --json`` and return the parsed output."""
    result = cli("search", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_demo_data_is_searchable_after_init(cli):
    assert cli("init", "--demo").exit_code == 0
    found = search_json(cli, "phuong trinh")
    assert found["total"] >= 3
    assert any("<mark>" in hit["snippet"] for hit in found["items"])
    assert {v["value"] for v in found["facets"]["kind"]} <= {"question", "material"}
    assert search_json(cli, "", "--status", "draft")["total"] > 0
    assert search_json(cli, "", "--status", "draft", "--as", STUDENT)["total"] == 0
    maths = search_json(cli, "", "--subject", "toán", "--grade", "Lớp 9")
    assert maths["filters"] == {"subject": ["TOAN"], "grade": ["9"]}
    text = cli("search", "phuong trinh")
    assert text.exit_code == 0 and "kết quả" in text.output
    assert "<mark>" not in text.output


def test_search_rejects_bad_filters_and_unknown_users(cli):
    cli("init")
    assert cli("search", "x", "--status", "deleted").exit_code == 2
    assert "quản trị viên" in cli("search", "x").output  # nobody to act as yet
    cli("init", "--demo")
    unknown = cli("search", "x", "--subject", "Thiên văn")
    assert unknown.exit_code == 1 and unknown.output.startswith("Lỗi:")
    assert cli("search", "x", "--as", "ai@khong.co").exit_code == 1


def test_reindex_rebuilds_everything(cli):
    cli("init", "--demo")
    before = search_json(cli, "")["total"]
    result = cli("reindex")
    assert result.exit_code == 0, result.output
    assert f"{before} mục" in result.output
    assert search_json(cli, "")["total"] == before


def test_writes_made_while_the_engine_is_down_are_indexed_later(cli, monkeypatch):
    monkeypatch.setenv("REPO_SEARCH_URL", "http://127.0.0.1:9/down")
    init = cli("init", "--demo")
    assert init.exit_code == 0, init.output
    assert "Cảnh báo" in init.stderr
    down = cli("search", "phuong trinh")
    assert down.exit_code == 1 and "Máy tìm kiếm" in down.output
    monkeypatch.delenv("REPO_SEARCH_URL")  # back to the instance's SQLite index
    pending = cli("reindex", "--pending")
    assert pending.exit_code == 0, pending.output
    assert "Đã cập nhật chỉ mục" in pending.output
    assert search_json(cli, "phuong trinh")["total"] >= 3
    assert cli("reindex", "--pending").output.startswith("Đã cập nhật chỉ mục: 0")


def test_reindex_pending_exits_1_while_the_engine_is_down(cli, monkeypatch):
    monkeypatch.setenv("REPO_SEARCH_URL", "http://127.0.0.1:9/down")
    cli("init", "--demo")
    result = cli("reindex", "--pending")
    assert result.exit_code == 1 and "chưa cập nhật được" in result.stderr


def test_reindex_while_the_engine_is_down_says_so_clearly(cli, monkeypatch):
    cli("init")
    monkeypatch.setenv("REPO_SEARCH_URL", "http://127.0.0.1:9/down")
    result = CliRunner().invoke(main, ["reindex"])
    assert result.exit_code == 1
    assert "Máy tìm kiếm" in result.output and "Traceback" not in result.output
