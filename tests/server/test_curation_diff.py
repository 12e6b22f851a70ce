"""Version diff: a new version against the published one (text, metadata, files)."""

from repo_server.curation.diff import text_segments
from tests.conftest import create_material, question_payload, upload_file


def test_text_segments_mark_words():
    segments = text_segments("Tập hợp nào rỗng?", "Tập hợp nào khác rỗng?")
    assert segments["old"] == [("equal", "Tập hợp nào "), ("equal", "rỗng?")]
    assert ("insert", "khác ") in segments["new"] or ("insert", "khác") in segments[
        "new"
    ]
    assert text_segments("a", "a") == {"old": [("equal", "a")], "new": [("equal", "a")]}


def publish(teacher, curator, kind, item_id):
    teacher.post(f"/api/v1/{kind}/{item_id}/submit")
    assert curator.post(f"/api/v1/{kind}/{item_id}/publish").status_code == 200


def test_question_version_against_published(api):
    teacher, curator = api("teacher"), api("curator")
    v1 = teacher.post("/api/v1/questions", question_payload()).get_json()["id"]
    publish(teacher, curator, "questions", v1)
    v2 = teacher.post(f"/api/v1/questions/{v1}/versions").get_json()["id"]
    changed = question_payload(tags=["tập hợp", "mới"], cognitive_level="TH")
    changed["item"]["stem"] = "Tập hợp nào sau đây <b>không</b> rỗng?"
    changed["item"]["choices"][0]["text"] = "{1}"
    assert teacher.patch(f"/api/v1/questions/{v2}", changed).status_code == 200
    teacher.post(f"/api/v1/questions/{v2}/submit")
    review = curator.get(f"/api/v1/review/questions/{v2}").get_json()
    assert review["base"] == {"id": v1, "version": 1, "status": "published"}
    rows = {r["field"]: r for r in review["fields"]}
    assert rows["stem"]["changed"] and rows["stem"]["new"].endswith("không rỗng?")
    assert ["insert", "không "] in rows["stem"]["segments"]["new"]
    assert rows["choice A"]["old"] == "{0}" and rows["choice A"]["new"] == "{1}"
    assert (
        rows["cognitive_level"]["old"] == "NB"
        and rows["cognitive_level"]["new"] == "TH"
    )
    assert rows["tags"]["changed"]
    assert not rows["choice B"]["changed"] and not rows["explanation"]["changed"]
    assert review["actions"] == ["approve", "return", "comment"]
    assert teacher.get(f"/api/v1/review/questions/{v2}").get_json()["actions"] == []


def test_new_question_compares_with_nothing(api):
    teacher = api("teacher")
    qid = teacher.post("/api/v1/questions", question_payload()).get_json()["id"]
    review = teacher.get(f"/api/v1/review/questions/{qid}").get_json()
    assert review["base"] is None
    stem = next(r for r in review["fields"] if r["field"] == "stem")
    assert stem["old"] == "" and stem["changed"]


def test_material_file_changes(api):
    teacher, curator = api("teacher"), api("curator")
    v1 = create_material(teacher)
    upload_file(teacher, v1, b"%PDF-1.4\n1\n%%EOF\n", "bai.pdf")
    upload_file(teacher, v1, b"%PDF-1.4\n2\n%%EOF\n", "phu-luc.pdf")
    publish(teacher, curator, "materials", v1)
    v2 = teacher.post(f"/api/v1/materials/{v1}/versions").get_json()["id"]
    files = teacher.get(f"/api/v1/materials/{v2}/files").get_json()["items"]
    by_name = {f["filename"]: f["id"] for f in files}
    assert teacher.delete(f"/api/v1/files/{by_name['bai.pdf']}").status_code == 204
    upload_file(teacher, v2, b"%PDF-1.4\n3\n%%EOF\n", "bai.pdf")
    upload_file(teacher, v2, b"%PDF-1.4\n4\n%%EOF\n", "de-kiem-tra.pdf")
    teacher.patch(f"/api/v1/materials/{v2}", {"title": "Bài giảng Tập hợp (sửa)"})
    assert teacher.post(f"/api/v1/materials/{v2}/submit").status_code == 200
    review = curator.get(f"/api/v1/review/materials/{v2}").get_json()
    changes = {f["filename"]: f["change"] for f in review["files"]}
    assert changes == {
        "bai.pdf": "replaced",
        "de-kiem-tra.pdf": "added",
        "phu-luc.pdf": "kept",
    }
    title = next(r for r in review["fields"] if r["field"] == "title")
    assert title["changed"] and ["insert", " (sửa)"] in title["segments"]["new"]
