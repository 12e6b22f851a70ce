"""A teacher writes every question type in the editor, a curator publishes, a student reads."""

import re

import pytest

pytestmark = pytest.mark.browser
TOPIC = "TOAN-6-KNTT-C1-B1"
SCREENSHOT = "/tmp/kho-hoc-lieu-so-editor.png"


def fill_common(page, qtype: str) -> None:
    """Choose the type, write a stem with math, and classify the question."""
    page.check(f'input[name="type"][value="{qtype}"]')
    page.fill("#stem", rf"[{qtype}] Tính \(\frac{{1}}{{2}} + \frac{{1}}{{3}}\).")
    page.fill("#explanation", f"Lời giải kín {qtype}: quy đồng mẫu số.")
    page.select_option("#subject", "TOAN")
    page.select_option("#grade", "6")
    page.wait_for_selector(f'#topic option[value="{TOPIC}"]', state="attached")
    page.select_option("#topic", TOPIC)
    page.select_option("#cognitive_level", "TH")
    page.select_option("#difficulty", "3")
    page.fill("#tags", "phân số, trình duyệt")


def fill_choices(page, texts: list[str], correct: list[int]) -> None:
    """Write the options (adding rows as needed) and mark the correct ones."""
    rows = page.locator("#choices .choice")
    while rows.count() < len(texts):
        page.click("#add-choice")
    while rows.count() > len(texts):
        rows.last.locator("[data-remove-choice]").click()
    for i, text in enumerate(texts):
        rows.nth(i).locator('input[name="choice_text"]').fill(text)
    for i in correct:
        rows.nth(i).locator('input[name="correct"]').check()


def fill_single_choice(page):
    fill_choices(page, [r"\(\frac{5}{6}\)", r"\(\frac{2}{5}\)", "1", "0"], [0])


def fill_multiple_response(page):
    fill_choices(
        page, ["5/6", r"$\frac{2}{5}$", r"\(\frac{10}{12}\)", "1", "0"], [0, 2]
    )


def fill_true_false(page):
    page.check('input[name="tf"][value="false"]')


def fill_true_false_cluster(page):
    for letter, truth in zip("abcd", ("true", "false", "true", "false"), strict=True):
        page.fill(f"#statement_{letter}", rf"Mệnh đề {letter}: \(x^{2} \ge 0\)")
        page.check(f'input[name="truth_{letter}"][value="{truth}"]')


def fill_numeric(page):
    page.fill("#numeric_value", "0,8333")
    page.fill("#numeric_tolerance", "0,001")


FILLERS = {
    "single_choice": fill_single_choice,
    "multiple_response": fill_multiple_response,
    "true_false": fill_true_false,
    "true_false_cluster": fill_true_false_cluster,
    "numeric": fill_numeric,
}


def write_question(page, base_url: str, qtype: str) -> int:
    """Write one question in the editor, check its live preview, save it, submit it."""
    page.goto(base_url + "/questions/new")
    fill_common(page, qtype)
    FILLERS[qtype](page)
    section = page.locator(f'.type-section[data-types~="{qtype}"]')
    assert section.is_visible()
    assert page.locator(".type-section:visible").count() == 1
    page.wait_for_selector("#preview .stem .katex")
    assert "quy đồng" in page.inner_text("#preview .explanation")
    if qtype == "multiple_response":
        assert page.locator("#preview .option.is-correct").count() == 2
        assert page.locator("#preview .option .katex").count() == 2
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=SCREENSHOT, full_page=True)
    page.click("button:has-text('Lưu câu hỏi')")
    page.wait_for_url(re.compile(r"/questions/\d+$"))
    assert page.locator(".item .katex").count() >= 1
    page.click("button[data-action=submit]")
    assert "Đã gửi duyệt." in page.inner_text(".flash-success")
    return int(page.url.rsplit("/", 1)[1])


def test_teacher_writes_each_type_curator_publishes_student_reads(
    open_page, live_server
):
    base = live_server.url
    teacher = open_page("teacher")
    ids = [write_question(teacher, base, qtype) for qtype in FILLERS]

    curator = open_page("curator")
    for qid in ids:
        curator.goto(f"{base}/review")
        form = curator.locator(f'form[action="/questions/{qid}/publish"]')
        form.locator("button").click()
        curator.wait_for_url(f"{base}/review")
        assert "Đã xuất bản." in curator.inner_text(".flash-success")

    student = open_page("student")
    student.goto(f"{base}/questions")
    for qid in ids:
        assert student.locator(f'a[href="/questions/{qid}"]').count() == 1
    assert student.locator(".stem-cell .katex").count() >= len(ids)
    for qid in (ids[0], ids[3], ids[4]):
        student.goto(f"{base}/questions/{qid}")
        student.wait_for_selector(".item .stem .katex")
        text = student.inner_text("main")
        assert "Lời giải kín" not in text and "quy đồng" not in text
        assert "0,8333" not in text and "Đáp án đúng" not in text
        assert student.locator(".is-correct, .key-mark, .explanation").count() == 0


def test_language_switch_and_role_fields(open_page, live_server):
    admin = open_page("admin")
    admin.click(".langswitch button[value=en]")
    admin.wait_for_selector("text=Log out")
    admin.goto(live_server.url + "/admin/users/new")
    assert not admin.is_visible("[data-show-for-role=student]")
    admin.select_option("#role", "student")
    assert admin.is_visible("[data-show-for-role=student]")
    assert not admin.is_visible("[data-show-for-role=curator]")
    admin.click(".langswitch button[value=vi]")
    admin.wait_for_selector("text=Đăng xuất")
