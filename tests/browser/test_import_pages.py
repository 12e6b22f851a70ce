"""The import pages in a real browser: upload with progress, preview, fix, commit."""

import pytest

from qti import Item, write_package
from tests.conftest import question_payload
from tests.importers.docxbuild import Paper

pytestmark = pytest.mark.browser
#: A valid QTI 2.1 item the model cannot represent (an essay): reported, not imported.
ESSAY = """<?xml version="1.0" encoding="UTF-8"?>
<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="ESSAY-1"
  title="Tu luan" adaptive="false" timeDependent="false">
  <responseDeclaration identifier="RESPONSE" cardinality="single" baseType="string"/>
  <itemBody><p>Viết đoạn văn ngắn.</p>
    <extendedTextInteraction responseIdentifier="RESPONSE"/></itemBody>
</assessmentItem>""".encode()


def upload(page, url: str, paths: list) -> None:
    page.goto(url + "/imports")
    page.set_input_files("#upload-files", [str(p) for p in paths])
    assert page.locator("#upload-list li").count() == len(paths)
    page.select_option("select[name=subject]", "TOAN")
    page.select_option("select[name=grade]", "6")
    page.click("#upload-form button[type=submit]")


def test_qti_files_are_previewed_then_committed(open_page, live_server, tmp_path):
    items = [
        Item.from_dict({**question_payload(t)["item"], "identifier": f"NHAP-{t}"})
        for t in ("single_choice", "true_false_cluster")
    ]
    package = tmp_path / "goi-cau-hoi.zip"
    with open(package, "wb") as target:
        write_package(items, target, "2.1")
    essay = tmp_path / "tu-luan.xml"
    essay.write_bytes(ESSAY)

    page = open_page("teacher")
    upload(page, live_server.url, [package, essay])
    page.wait_for_url("**/imports/*")
    page.locator("#preview-rows tr").first.wait_for()
    assert page.locator("#preview-rows tr").count() == 2
    assert "2 câu; đã chọn 2; cần sửa 0" in page.text_content("#preview-summary")
    assert "tu-luan.xml" in page.text_content("#skipped-list")
    page.click("#commit")
    page.wait_for_function(
        "document.getElementById('preview-summary').textContent.includes('Đã ghi 2 câu')"
    )
    assert page.locator("#commit").is_disabled()


def test_a_word_question_without_answer_is_fixed_in_the_preview(
    open_page, live_server, tmp_path
):
    paper = Paper()
    paper.lines("Câu 1: Một cộng một bằng\nA. 1\tB. 2\tC. 3\nĐáp án: B")
    paper.lines("Câu 2: Hai nhân hai bằng\nA. 2\tB. 3\tC. 4")
    path = tmp_path / "de-kiem-tra.docx"
    path.write_bytes(paper.bytes())

    page = open_page("teacher")
    upload(page, live_server.url, [path])
    page.wait_for_url("**/imports/*")
    page.locator("#preview-rows tr").nth(1).wait_for()
    second = page.locator("#preview-rows tr").nth(1)
    assert "Chưa đánh dấu đáp án đúng." in second.text_content()
    assert "cần sửa 1" in page.text_content("#preview-summary")
    second.locator("label", has_text="C").locator("input").check()
    page.wait_for_function(
        "document.getElementById('preview-summary').textContent.includes('cần sửa 0')"
    )
    page.click("#commit")
    page.wait_for_function(
        "document.getElementById('preview-summary').textContent.includes('Đã ghi 2 câu')"
    )


def test_a_refused_file_shows_why(lenient_page, live_server, tmp_path):
    broken = tmp_path / "de-cu.doc"
    broken.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    page = lenient_page
    page.goto(live_server.url + "/imports")
    page.set_input_files("#upload-files", str(broken))
    page.click("#upload-form button[type=submit]")
    page.wait_for_function(
        "document.getElementById('upload-status').textContent !== ''"
    )
    status = page.text_content("#upload-status")
    assert status.startswith("Tải lên không thành công") and ".docx/.xlsx" in status
