"""``repo-server import`` on Word files and ``export --format moodle-xml|gift``."""

import json

import pytest

from importers.gift import read_gift
from qti import PackageLimits
from tests.importers.docxbuild import Paper


@pytest.fixture
def cli(demo_cli):
    """``repo-server`` on a fresh demo instance (tests/server/conftest.py)."""
    return demo_cli


def paper(path) -> str:
    doc = Paper()
    doc.lines("Câu 1: Một cộng một\nA. 1\tB. 2\nĐáp án: B")
    doc.lines("Câu 2: Chưa có đáp án\nA. x\tB. y")
    path.write_bytes(doc.bytes())
    return str(path)


def test_dry_run_reads_and_reports_without_writing(cli, tmp_path):
    result = cli("import", paper(tmp_path / "de.docx"), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Đọc được 2 câu hỏi (chạy thử, chưa ghi)." in result.output
    assert "Câu 2: Chưa đánh dấu đáp án đúng." in result.output


def test_import_then_export_to_gift(cli, tmp_path):
    result = cli("import", paper(tmp_path / "de.docx"), "--subject", "Toán", "--grade", "6",
                 "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert len(report["imported"]) == 1 and report["status"] == "committed"
    assert report["skipped"] == [
        {"file": str(tmp_path / "de.docx"), "item": "Câu 2",
         "reason": "Chưa đánh dấu đáp án đúng."}
    ]  # fmt: skip
    out = tmp_path / "ra.gift"
    ids = ",".join(map(str, report["imported"]))
    result = cli(
        "export", "--format", "gift", "--status", "draft", "--ids", ids, "-o", out
    )
    assert result.exit_code == 0, result.output
    with open(out, "rb") as stream:
        back = read_gift(stream, "ra.gift", PackageLimits())
    assert [(i.stem, i.correct) for i, _m in back.items] == [
        ("<p>Một cộng một</p>", ("B",))
    ]


def test_a_bad_file_exits_with_the_message(cli, tmp_path):
    old = tmp_path / "cu.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    result = cli("import", old)
    assert result.exit_code != 0
    assert "định dạng Word/Excel cũ" in result.output
