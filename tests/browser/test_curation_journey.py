"""Teacher submits, curator returns with a comment, teacher fixes and resubmits,
curator approves, and the coverage dashboard's count changes."""

import re

import pytest

from tests.browser.test_journey import fill_common, fill_single_choice

pytestmark = pytest.mark.browser
SCREENSHOT = "/tmp/kho-hoc-lieu-so-coverage.png"


def published_questions(page, base: str) -> int:
    """The published-question count of Toán 6 on the coverage dashboard."""
    page.goto(f"{base}/coverage?subject=TOAN&grade=6")
    cell = page.locator('tr[data-cell="TOAN-6"] td.questions-total')
    return int(cell.inner_text())


def test_review_round_trip_changes_coverage(open_page, live_server):
    base = live_server.url
    curator = open_page("curator")
    before = published_questions(curator, base)
    assert curator.locator("svg.bar-chart rect").count() >= 2

    teacher = open_page("teacher")
    teacher.goto(base + "/questions/new")
    fill_common(teacher, "single_choice")
    fill_single_choice(teacher)
    teacher.click("button:has-text('Lưu câu hỏi')")
    teacher.wait_for_url(re.compile(r"/questions/\d+$"))
    qid = int(teacher.url.rsplit("/", 1)[1])
    teacher.click("button[data-action=submit]")
    assert "Đã gửi duyệt." in teacher.inner_text(".flash-success")

    curator.goto(base + "/curation/queue")
    curator.click(f'a[href="/curation/questions/{qid}"]')
    curator.fill("#return-comment", "Phương án nhiễu chưa hợp lý, hãy sửa đề.")
    curator.click("button[data-action=return]")
    assert "Đã trả lại cho tác giả." in curator.inner_text(".flash-success")

    teacher.goto(base + "/notifications")
    assert "Phương án nhiễu chưa hợp lý" in teacher.inner_text("main")
    teacher.goto(f"{base}/curation/questions/{qid}/history")
    assert "Phương án nhiễu chưa hợp lý" in teacher.inner_text(".comments")
    teacher.goto(f"{base}/questions/{qid}/edit")
    teacher.fill("#stem", r"Tính \(\frac{1}{2} + \frac{1}{3}\) (đề đã sửa).")
    teacher.click("button:has-text('Lưu câu hỏi')")
    teacher.wait_for_url(re.compile(rf"/questions/{qid}$"))
    teacher.click("button[data-action=submit]")
    assert "Đã gửi duyệt." in teacher.inner_text(".flash-success")

    curator.goto(f"{base}/curation/questions/{qid}")
    assert "Phương án nhiễu chưa hợp lý" in curator.inner_text(".comments")
    curator.click("button[data-action=approve]")
    assert "Đã xuất bản." in curator.inner_text(".flash-success")

    assert published_questions(curator, base) == before + 1
    curator.screenshot(path=SCREENSHOT, full_page=True)
    teacher.goto(base + "/notifications")
    assert "đã được xuất bản" in teacher.inner_text("main")
