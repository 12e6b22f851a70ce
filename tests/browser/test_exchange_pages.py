"""The export page in a real browser: filters, progress, download."""

import io
import zipfile

import pytest

from qti import read_package
from tests.conftest import question_payload

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def published(live_server):
    """Three published Toán 6 questions and one Ngữ văn 7 question of the teacher."""
    from repo_server.accounts.service import find_user
    from repo_server.questions.service import create_questions, transition_question
    from tests.browser.conftest import USERS

    app = live_server.app
    with app.app_context(), app.test_request_context():
        teacher, admin = find_user(USERS["teacher"]), find_user(USERS["admin"])
        datas = [
            question_payload(t) for t in ("single_choice", "true_false", "numeric")
        ]
        datas.append(question_payload(subject="NV", grade="7"))
        rows = create_questions(teacher, datas)
        ids = [row.id for row in rows]
        for question_id in ids:
            transition_question(teacher, question_id, "submit")
            transition_question(admin, question_id, "publish")
    return ids


def published_count(app, subject: str, grade: str) -> int:
    """Published questions of a subject and grade (other browser tests add some too)."""
    from sqlalchemy import func, select

    from repo_server.extensions import db
    from repo_server.questions.models import Question

    where = (
        Question.status == "published",
        Question.subject_code == subject,
        Question.grade_code == grade,
    )
    with app.app_context():
        return db.session.scalar(
            select(func.count()).select_from(Question).where(*where)
        )


def test_export_page_follows_the_job_and_the_package_downloads(
    open_page, live_server, published
):
    expected = published_count(live_server.app, "TOAN", "6")
    assert expected >= 3
    page = open_page("teacher")
    page.goto(live_server.url + "/exports")
    page.select_option("select[name=format]", "qti30")
    page.select_option("select[name=subject]", "TOAN")
    page.select_option("select[name=grade]", "6")
    page.select_option("select[name=status]", "published")
    page.click("#export-form button[type=submit]")
    link = page.locator("#export-download")
    link.wait_for(state="visible")
    assert f"{expected} câu hỏi" in page.text_content("#export-status")
    bar = page.locator("#export-progress")
    assert bar.evaluate(f"b => b.value === b.max && b.max === {expected}")
    with page.expect_download() as caught:
        link.click()
    download = caught.value
    assert download.suggested_filename.endswith(".zip")
    with open(download.path(), "rb") as package:
        data = package.read()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert "imsmanifest.xml" in archive.namelist()
    result = read_package(io.BytesIO(data))
    assert len(result.items) == expected and not result.problems
    assert b"imsqti_item_xmlv3p0" in zipfile.ZipFile(io.BytesIO(data)).read(
        "imsmanifest.xml"
    )


def test_export_page_reports_a_bad_topic(lenient_page, live_server, published):
    page = lenient_page
    page.goto(live_server.url + "/exports")
    page.fill("input[name=topic]", "KHONG-CO-CHU-DE")
    page.click("#export-form button[type=submit]")
    status = page.locator("#export-status")
    status.wait_for(state="visible")
    page.wait_for_function(
        "() => document.getElementById('export-status').textContent.length > 0"
    )
    assert page.text_content("#export-status").startswith("Xuất không thành công")
    assert page.locator("#export-download").is_hidden()
