"""The import flow through the API: preview, fix, deselect, commit; duplicates; originals."""

import io

from tests.conftest import question_payload
from tests.importers.docxbuild import Paper


def upload(client, files: dict, **form):
    data = {"files": [(io.BytesIO(body), name) for name, body in files.items()], **form}
    return client.post("/api/v1/imports", data=data, content_type="multipart/form-data")


def paper() -> bytes:
    """Three questions: one good with a picture, one without an answer, one numeric."""
    doc = Paper()
    stem = doc.p("Câu 1: Hình nào là hình vuông? ")
    doc.picture(stem, 3)
    doc.lines("A. Hình 1\tB. Hình 2\nĐáp án: A")
    doc.lines("Câu 2: Chưa đánh dấu\nA. x\tB. y\tC. z\tD. w")
    doc.lines("Câu 3: 2 + 3 = ?\nĐáp án: 5")
    return doc.bytes()


def test_preview_fix_deselect_and_commit(api):
    teacher = api("teacher")
    response = upload(
        teacher, {"đề 1.docx": paper()}, subject="toan", grade="6", preview="1"
    )
    assert response.status_code == 201, response.get_json()
    record = response.get_json()
    assert record["status"] == "preview" and record["imported"] == []
    assert record["counts"] == {
        "entries": 3,
        "selected": 2,
        "blocking": 1,
        "duplicates": 0,
    }
    first, second, third = record["entries"]
    assert [e["label"] for e in record["entries"]] == ["Câu 1", "Câu 2", "Câu 3"]
    assert second["problems"] == ["Chưa đánh dấu đáp án đúng."] and second["blocking"]
    assert third["data"]["item"]["numeric"]["value"] == 5
    src = first["data"]["item"]["media"][0]["src"]
    assert (
        src.startswith("/api/v1/media/")
        and f'src="{src}"' in first["data"]["item"]["stem"]
    )
    with teacher.client.get(src) as picture:
        assert picture.status_code == 200 and picture.mimetype == "image/png"

    fixed = {**second["data"]["item"], "correct": ["C"]}
    changes = {
        "entries": [{"index": 1, "item": fixed}, {"index": 2, "selected": False}]
    }
    record = teacher.patch(f"/api/v1/imports/{record['id']}", changes).get_json()
    assert record["counts"] == {
        "entries": 3,
        "selected": 2,
        "blocking": 0,
        "duplicates": 0,
    }
    assert record["entries"][1]["selected"] and not record["entries"][2]["selected"]

    record = teacher.post(f"/api/v1/imports/{record['id']}/commit").get_json()
    assert record["status"] == "committed" and len(record["imported"]) == 2
    question = teacher.get(f"/api/v1/questions/{record['imported'][1]}").get_json()
    assert question["status"] == "draft" and question["subject"] == "TOAN"
    assert question["item"]["correct"] == ["C"]
    assert teacher.post(f"/api/v1/imports/{record['id']}/commit").status_code == 409


def test_a_broken_fix_is_reported_and_blocks_the_commit(api):
    teacher = api("teacher")
    record = upload(teacher, {"a.docx": paper()}, preview="1").get_json()
    broken = {**record["entries"][0]["data"]["item"], "correct": ["Z"]}
    record = teacher.patch(
        f"/api/v1/imports/{record['id']}", {"entries": [{"index": 0, "item": broken}]}
    ).get_json()
    assert record["entries"][0]["problems"] == [
        "Đáp án phải là mã của các phương án đã có."
    ]
    assert not record["entries"][0]["selected"]
    select = {"entries": [{"index": 0, "selected": True}]}
    record = teacher.patch(f"/api/v1/imports/{record['id']}", select).get_json()
    assert not record["entries"][0]["selected"]  # a blocking entry stays out


def test_commit_creates_all_selected_questions_or_none(api, app, monkeypatch):
    from repo_server.lifecycle import content

    teacher = api("teacher")
    record = upload(teacher, {"a.docx": paper()}, preview="1").get_json()

    def explode(*_args):
        raise RuntimeError("database went away")

    monkeypatch.setattr(content.outbox, "enqueue_ids", explode)
    try:
        teacher.post(f"/api/v1/imports/{record['id']}/commit")
    except RuntimeError:
        pass
    monkeypatch.undo()
    again = teacher.get(f"/api/v1/imports/{record['id']}").get_json()
    assert again["status"] == "preview" and again["imported"] == []
    assert teacher.get("/api/v1/questions?status=draft").get_json()["total"] == 0


STEM = "Trong các tập hợp cho dưới đây, tập hợp nào là tập hợp rỗng (không có phần tử nào)?"


def test_duplicates_in_the_bank_and_in_the_file_are_flagged_with_a_link(api):
    teacher = api("teacher")
    payload = question_payload()
    payload["item"]["stem"] = STEM
    existing = teacher.post("/api/v1/questions", payload).get_json()["id"]
    doc = Paper()
    doc.lines(f"Câu 1: {STEM}\nA. {{0}}\tB. ∅\nĐáp án: B")
    doc.lines(
        f"Câu 2: {STEM.replace('tập hợp nào', 'tập hợp nào sau đây')}\nA. {{0}}\tB. ∅\nĐA: B"
    )
    doc.lines("Câu 3: Một câu khác hẳn về hình học phẳng\nA. a\tB. b\nĐáp án: A")
    record = upload(teacher, {"a.docx": doc.bytes()}, preview="1").get_json()
    dups = [e["duplicates"] for e in record["entries"]]
    assert dups[0] == [
        {"question": existing, "similarity": 1.0, "url": f"/questions/{existing}"}
    ]
    near = dups[1]
    assert near[0]["question"] == existing and 0.8 <= near[0]["similarity"] < 1
    assert {"entry": 0, "similarity": near[1]["similarity"]} == near[1]
    assert dups[2] == []
    assert record["counts"]["duplicates"] == 2


def test_one_step_import_skips_questions_that_need_fixing(api):
    teacher = api("teacher")
    response = upload(teacher, {"a.docx": paper()}, subject="Toán", grade="6")
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "committed" and len(body["imported"]) == 2
    assert body["skipped"] == [
        {"file": "a.docx", "item": "Câu 2", "reason": "Chưa đánh dấu đáp án đúng."}
    ]


def test_dry_run_keeps_nothing(api, app):
    from repo_server.backends import get_storage

    with app.app_context():
        before = set(get_storage().iter_keys("imports/"))
    teacher = api("teacher")
    response = upload(teacher, {"a.docx": paper()}, dry_run="1")
    assert response.status_code == 200
    assert response.get_json()["readable"] == 3
    assert teacher.get("/api/v1/imports").get_json()["items"] == []
    with app.app_context():
        assert set(get_storage().iter_keys("imports/")) == before


def test_discard_deletes_the_originals(api, app):
    from repo_server.backends import get_storage

    teacher = api("teacher")
    record = upload(teacher, {"a.docx": paper()}, preview="1").get_json()
    key = teacher.get(f"/api/v1/imports/{record['id']}").get_json()["files"][0]["url"]
    with app.app_context():
        from repo_server.extensions import db
        from repo_server.imports.models import QuestionImport

        stored = db.session.get(QuestionImport, record["id"]).files[0]["key"]
        assert get_storage().exists(stored)
    record = teacher.delete(f"/api/v1/imports/{record['id']}").get_json()
    assert record["status"] == "discarded" and record["files"] == []
    with app.app_context():
        assert not get_storage().exists(stored)
    assert teacher.get(key).status_code == 404


def test_every_format_goes_through_the_same_flow(api):
    teacher = api("teacher")
    files = {
        "a.gift": b"::G1:: 2 + 2 = ? {=4 ~3 ~5}",
        "b.txt": b"Thu do?\nA) Hue\nB) Ha Noi\nANSWER: B\n",
        "c.csv": "Câu hỏi,A,B,Đáp án\nSố chẵn?,1,2,B\n".encode(),
        "d.xml": b'<quiz><question type="truefalse"><name><text>TF</text></name>'
        b"<questiontext><text>Dung?</text></questiontext>"
        b'<answer fraction="100"><text>true</text></answer>'
        b'<answer fraction="0"><text>false</text></answer></question></quiz>',
    }
    record = upload(teacher, files, preview="1").get_json()
    assert [(e["file"], e["data"]["item"]["type"]) for e in record["entries"]] == [
        ("a.gift", "single_choice"),
        ("b.txt", "single_choice"),
        ("c.csv", "single_choice"),
        ("d.xml", "true_false"),
    ]
    assert [f["format"] for f in record["files"]] == [
        "gift",
        "aiken",
        "csv",
        "moodle-xml",
    ]


def test_template_download_reads_back_as_questions(api):
    teacher = api("teacher")
    with teacher.client.get("/api/v1/imports/template.docx") as response:
        template = response.get_data()
    record = upload(teacher, {"mau.docx": template}, preview="1").get_json()
    types = [e["data"]["item"]["type"] for e in record["entries"]]
    assert types == [
        "single_choice",
        "multiple_response",
        "true_false_cluster",
        "numeric",
    ]
    assert record["counts"]["blocking"] == 0


def test_import_pages(api):
    teacher, anonymous = api("teacher"), api()
    page = teacher.get("/imports").get_data(as_text=True)
    assert 'id="drop-zone"' in page and "imports.js" in page and "template.docx" in page
    record = upload(teacher, {"a.docx": paper()}, preview="1").get_json()
    page = teacher.get(f"/imports/{record['id']}").get_data(as_text=True)
    assert 'id="preview"' in page and f"/api/v1/imports/{record['id']}" in page
    assert api("teacher").get(f"/imports/{record['id']}").status_code == 404
    assert anonymous.get("/imports").status_code == 302


def test_export_to_moodle_xml_and_gift_reads_back(api):
    from importers.gift import read_gift
    from importers.moodle import read_moodle_xml
    from qti import PackageLimits

    teacher = api("teacher")
    record = upload(teacher, {"a.docx": paper()}, subject="toan", grade="6").get_json()
    ids = record["imported"]
    for fmt, reader, ext in (
        ("moodle-xml", read_moodle_xml, ".xml"),
        ("gift", read_gift, ".txt"),
    ):
        job = teacher.post(
            "/api/v1/exports", {"format": fmt, "status": "draft", "ids": ids}
        )
        job = teacher.get(f"/api/v1/jobs/{job.get_json()['id']}").get_json()
        assert job["status"] == "done", job
        with teacher.client.get(job["download_url"]) as download:
            data = download.get_data()
            assert f"-{job['id']}{ext}" in download.headers["Content-Disposition"]
        result = reader(io.BytesIO(data), f"x{ext}", PackageLimits())
        assert [i.type for i, _m in result.items] == ["single_choice", "numeric"]
        assert result.items[0][1]["topic"]["name"] == "Lớp 6"
