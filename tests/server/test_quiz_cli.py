"""``repo-server quiz results QUIZ --xlsx FILE`` and ``repo-server quiz sweep``."""

import zipfile

from click.testing import CliRunner
from openpyxl import load_workbook

from repo_server.cli import main
from tests.server.quiz_helpers import FileApp, save


def test_results_xlsx_and_json_from_the_command_line(tmp_path, monkeypatch):
    instance = FileApp(tmp_path)
    ids = instance.prepare()
    student = instance.client()
    for n, (slot, response) in enumerate(ids["answers"].items(), start=1):
        save(student, ids["attempt"], slot, response, n)
    student.post(f"/api/v1/attempts/{ids['attempt']}/submit")
    instance.stop()
    monkeypatch.setenv("REPO_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("REPO_DATABASE_URL", f"sqlite:///{tmp_path}/restart.sqlite3")
    monkeypatch.setenv("REPO_SEARCH_URL", "sqlite://")
    runner = CliRunner()
    out = tmp_path / "ket-qua.xlsx"
    result = runner.invoke(
        main, ["quiz", "results", str(ids["quiz"]), "--xlsx", str(out),
               "--as", "teacher@r.vn"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = list(load_workbook(out)["Kết quả"].iter_rows(values_only=True))
    assert rows[1][0] == "student" and rows[1][5] == 2.0
    result = runner.invoke(main, ["quiz", "results", "999", "--as", "teacher@r.vn"])
    assert result.exit_code == 1 and "Không tìm thấy" in result.output
    result = runner.invoke(main, ["quiz", "sweep"])
    assert result.exit_code == 0 and "0 bài" in result.output
    package = tmp_path / "de.zip"
    result = runner.invoke(
        main, ["export", "--format", "qti21", "--quiz", str(ids["quiz"]),
               "-o", str(package), "--owner", "teacher@r.vn"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "2 câu hỏi" in result.output
    with zipfile.ZipFile(package) as archive:
        assert "test.xml" in archive.namelist()
