"""``repo-server import LECTURE.zip`` and ``repo-server export --format scorm…``."""

import io
import json
import zipfile

from scorm import open_package
from tests.scorm.factories import lecture, package
from tests.server.test_exchange_cli import cli  # noqa: F401  (the fixture)


def test_import_then_export_a_lecture(cli, tmp_path):  # noqa: F811
    source = tmp_path / "bai-giang.zip"
    source.write_bytes(lecture("2004", 2).getvalue())
    result = cli("import", source, "--subject", "toan", "--grade", "6", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)["lectures"][0]
    assert (report["version"], report["scos"], report["files"]) == ("2004 4th", 2, 4)

    target = tmp_path / "ra.zip"
    result = cli("export", "--format", "scorm12", "--material", report["material"],
                 "--status", "all", "-o", target)  # fmt: skip
    assert result.exit_code == 0, result.output
    exported = open_package(io.BytesIO(target.read_bytes())).package
    assert exported.version == "1.2" and len(exported.scos) == 2
    assert exported.meta["subject"]["code"] == "TOAN"


def test_quiz_export_and_broken_lecture(cli, tmp_path):  # noqa: F811
    target = tmp_path / "quiz.zip"
    result = cli("export", "--format", "scorm2004", "--subject", "toan", "-o", target)
    assert result.exit_code == 0, result.output
    assert "index.html" in zipfile.ZipFile(target).namelist()

    broken = tmp_path / "hong.zip"
    broken.write_bytes(package({"khac.html": "<p>x</p>"}).getvalue())
    result = cli("import", broken)
    assert result.exit_code == 1 and "Thiếu tệp khởi chạy" in result.output
