"""``repo-server export`` and ``repo-server import``: the journey and the exit codes."""

import io
import json
import zipfile

import pytest

from qti import read_package


@pytest.fixture
def cli(demo_cli):
    """``repo-server`` on a fresh demo instance (tests/server/conftest.py)."""
    return demo_cli


def test_export_import_export_round_trip(cli, tmp_path):
    first = tmp_path / "toan.zip"
    result = cli(
        "export", "--format", "qti30", "--subject", "toan", "-o", first, "--json"
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["count"] > 0 and summary["subject"] == "TOAN"
    exported = read_package(io.BytesIO(first.read_bytes()))
    assert len(exported.items) == summary["count"] and not exported.problems

    result = cli("import", first, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert len(report["imported"]) == summary["count"] and not report["skipped"]

    again = tmp_path / "again.zip"
    ids = ",".join(map(str, report["imported"]))
    result = cli(
        "export", "--format", "qti30", "--status", "draft", "--ids", ids, "-o", again
    )
    assert result.exit_code == 0 and f"{summary['count']} câu hỏi" in result.output
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(again) as b:
        items = sorted(n for n in a.namelist() if n.startswith("items/"))
        assert items == sorted(n for n in b.namelist() if n.startswith("items/"))
        assert all(a.read(n) == b.read(n) for n in items)


def test_dry_run_writes_nothing_and_reports_in_a_table(cli, tmp_path):
    def drafts() -> int:
        out = tmp_path / "drafts.zip"
        result = cli(
            "export", "--format", "qti21", "--status", "draft", "-o", out, "--json"
        )
        return json.loads(result.output)["count"]

    package = tmp_path / "p.zip"
    cli("export", "--format", "qti21", "-o", package)
    before = drafts()
    result = cli("import", package, "--dry-run")
    assert result.exit_code == 0 and "chạy thử" in result.output
    assert drafts() == before


def test_partial_import_exits_0_and_lists_what_was_skipped(cli, tmp_path):
    essay = tmp_path / "essay.xml"
    essay.write_bytes(
        b'<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" '
        b'identifier="e" title="e" adaptive="false" timeDependent="false">'
        b'<responseDeclaration identifier="R" cardinality="single" baseType="string"/>'
        b'<itemBody><extendedTextInteraction responseIdentifier="R"/></itemBody>'
        b"</assessmentItem>"
    )
    result = cli("import", essay, "--subject", "Toán", "--grade", "6")
    assert result.exit_code == 0
    assert "Đã nhập 0 câu hỏi" in result.output and "BỎ QUA" in result.output


def test_failures_exit_1_and_usage_errors_exit_2(cli, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("không phải QTI")
    failed = cli("import", text)
    assert failed.exit_code == 1 and "notes.txt" in failed.output
    unknown = cli("import", text, "--owner", "ai@dau.vn")
    assert unknown.exit_code == 1
    assert cli("export", "--format", "qti12", "-o", tmp_path / "x.zip").exit_code == 2
    assert (
        cli(
            "export", "--format", "qti21", "--ids", "1,x", "-o", tmp_path / "x.zip"
        ).exit_code
        == 2
    )
    bad_subject = cli(
        "export", "--format", "qti21", "--subject", "???", "-o", tmp_path / "y.zip"
    )
    assert bad_subject.exit_code == 1


def test_a_large_package_is_read_by_worker_processes_from_the_cli(cli, tmp_path):
    import random

    from bench.synthetic import question
    from qti import Item, write_package
    from qti.parallel import THRESHOLD

    rng = random.Random(3)
    items = [Item.from_dict(question(rng)["item"]) for _ in range(THRESHOLD)]
    package = tmp_path / "large.zip"
    with package.open("wb") as target:
        write_package(items, target, "3.0")
    result = cli("import", package, "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"Đọc được {THRESHOLD} câu hỏi" in result.output
