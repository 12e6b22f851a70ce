"""Exports and imports through the API: round trips, permissions, bad packages."""

import io
import zipfile

import pytest

from qti import Item, read_package
from tests.conftest import question_payload

TYPES = (
    "single_choice",
    "multiple_response",
    "true_false",
    "true_false_cluster",
    "numeric",
)


def _publish_all(teacher, curator, payloads) -> list[int]:
    ids = []
    for payload in payloads:
        question_id = teacher.post("/api/v1/questions", payload).get_json()["id"]
        assert (
            teacher.post(f"/api/v1/questions/{question_id}/submit").status_code == 200
        )
        assert (
            curator.post(f"/api/v1/questions/{question_id}/publish").status_code == 200
        )
        ids.append(question_id)
    return ids


def _export(client, **body) -> bytes:
    response = client.post("/api/v1/exports", {"format": "qti21", **body})
    assert response.status_code == 202, response.get_json()
    job = response.get_json()
    polled = client.get(f"/api/v1/jobs/{job['id']}").get_json()
    assert polled["status"] == "done", polled
    assert polled["progress"]["done"] == polled["progress"]["total"]
    with client.get(polled["download_url"]) as download:  # closes the stored file
        assert download.status_code == 200
        assert download.mimetype == "application/zip"
        return download.get_data()


def _import(client, files: dict, **form):
    data = {"files": [(io.BytesIO(body), name) for name, body in files.items()], **form}
    return client.post("/api/v1/imports", data=data, content_type="multipart/form-data")


def _items(package: bytes) -> list:
    return [item for item, _meta in read_package(io.BytesIO(package)).items]


@pytest.fixture
def bank(api, make_user):
    """A teacher, a curator (Toán) and one published question of every type."""
    teacher, curator = api("teacher"), api("curator")
    payloads = [question_payload(t, topic="TOAN-6-KNTT-C1-B1") for t in TYPES]
    return teacher, curator, _publish_all(teacher, curator, payloads)


@pytest.mark.parametrize("fmt", ["qti21", "qti30"])
def test_export_import_export_keeps_every_item(bank, api, fmt):
    teacher, _curator, ids = bank
    first = _export(teacher, format=fmt)
    items = _items(first)
    assert sorted(i.type for i in items) == sorted(TYPES)
    assert all(i.identifier.startswith("KHLS-") for i in items)
    importer = api("teacher")
    report = _import(importer, {"bank.zip": first})
    assert report.status_code == 201, report.get_json()
    body = report.get_json()
    assert len(body["imported"]) == len(TYPES) and not body["skipped"]
    assert not body["problems"], body["problems"]
    again = _export(importer, format=fmt, status="draft", ids=body["imported"])
    assert _items(again) == items
    with (
        zipfile.ZipFile(io.BytesIO(first)) as a,
        zipfile.ZipFile(io.BytesIO(again)) as b,
    ):
        assert sorted(a.namelist()) == sorted(b.namelist())
        for name in a.namelist():
            if name.startswith("items/"):
                assert a.read(name) == b.read(name), name


def test_imported_questions_are_drafts_with_the_package_taxonomy(bank, api):
    teacher, _curator, _ids = bank
    importer = api("teacher")
    body = _import(importer, {"bank.zip": _export(teacher)}).get_json()
    question = importer.get(f"/api/v1/questions/{body['imported'][0]}").get_json()
    assert question["status"] == "draft"
    assert (question["subject"], question["grade"]) == ("TOAN", "6")
    assert question["topic"] == "TOAN-6-KNTT-C1-B1"
    assert question["cognitive_level"] == "NB"


def test_export_carries_lom_codes_and_vietnamese_names(bank):
    teacher, _curator, _ids = bank
    result = read_package(io.BytesIO(_export(teacher, subject="Toán", grade="6")))
    _item, meta = result.items[0]
    assert meta["subject"] == {"code": "TOAN", "name": "Toán"}
    assert meta["grade"]["code"] == "6" and meta["grade"]["name"]
    assert meta["level"]["code"] == "NB"
    assert meta["topic"]["code"] == "TOAN-6-KNTT-C1-B1"
    assert meta["licence"] == "CC-BY-4.0" and meta["language"] == "vi"


def test_export_selection_follows_visibility(api, make_user):
    teacher, other, admin = api("teacher"), api("teacher"), api("admin")
    draft = teacher.post("/api/v1/questions", question_payload()).get_json()["id"]
    assert len(_items(_export(teacher, status="all"))) == 1
    assert len(_items(_export(other, status="all"))) == 0
    assert len(_items(_export(admin, status="draft", ids=[draft]))) == 1
    assert len(_items(_export(teacher))) == 0  # published only by default


def test_students_may_not_export_and_jobs_are_their_owners(bank, api):
    teacher, _curator, _ids = bank
    student = api("student")
    response = student.post("/api/v1/exports", {"format": "qti30"})
    assert response.status_code == 403
    job = teacher.post("/api/v1/exports", {"format": "qti30"}).get_json()
    other = api("teacher")
    assert other.get(f"/api/v1/jobs/{job['id']}").status_code == 404
    assert other.get(f"/api/v1/jobs/{job['id']}/download").status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"format": "qti12"}, "format"),
        ({"format": "qti21", "status": "deleted"}, "status"),
        ({"format": "qti21", "ids": "1,x"}, "ids"),
        ({"format": "qti21", "subject": "không-có"}, "subject"),
        ({"format": "qti21", "quiz": "x"}, "quiz"),
        ({"format": "qti21", "quiz": 999999}, None),
    ],
)
def test_bad_export_requests_are_422(api, body, field):
    response = api("teacher").post("/api/v1/exports", body)
    if field is None:  # a quiz that does not exist (or is not theirs): no job
        assert response.status_code == 404
        assert "#999999" in response.get_json()["error"]["message"]
        return
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_partial_import_reports_skipped_items(api, tmp_path):
    teacher = api("teacher")
    good = question_payload("single_choice")
    package = io.BytesIO()
    from qti import write_package

    write_package([Item.from_dict(good["item"])], package)
    unsupported = (
        b'<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" '
        b'identifier="x" title="x" adaptive="false" timeDependent="false">'
        b'<responseDeclaration identifier="R" cardinality="single" baseType="string"/>'
        b'<itemBody><extendedTextInteraction responseIdentifier="R"/></itemBody>'
        b"</assessmentItem>"
    )
    response = _import(
        teacher, {"a.zip": package.getvalue(), "essay.xml": unsupported}, subject="toan"
    )
    body = response.get_json()
    assert response.status_code == 201
    assert len(body["imported"]) == 1
    assert body["skipped"][0]["file"] == "essay.xml"
    assert "tự luận" in body["skipped"][0]["reason"]
    notes = [p["message"] for p in body["problems"]]
    assert any("lớp" in note for note in notes)  # no grade in the file or the form
    question = teacher.get(f"/api/v1/questions/{body['imported'][0]}").get_json()
    assert question["subject"] == "TOAN" and question["grade"] is None


@pytest.mark.parametrize(
    ("name", "data", "status"),
    [
        ("bad.zip", b"PK\x03\x04 not really a zip", 422),
        ("notes.txt", b"just some text", 415),
        ("empty.zip", b"", 422),  # "Tệp empty.zip rỗng."
    ],
)
def test_bad_files_fail_the_whole_request(api, name, data, status):
    teacher = api("teacher")
    good = io.BytesIO()
    from qti import write_package

    write_package([Item.from_dict(question_payload()["item"])], good)
    response = _import(teacher, {"good.zip": good.getvalue(), name: data})
    assert response.status_code == status, response.get_json()
    assert name in response.get_json()["error"]["message"]
    assert teacher.get("/api/v1/questions?status=draft").get_json()["total"] == 0


def test_unsafe_package_is_refused(api):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../evil.xml", b"<x/>")
        archive.writestr("imsmanifest.xml", b"<manifest/>")
    response = _import(api("teacher"), {"evil.zip": buffer.getvalue()})
    assert response.status_code == 422
    assert "không an toàn" in response.get_json()["error"]["message"]


def test_students_may_not_import(api):
    response = _import(api("student"), {"a.xml": b"<x/>"})
    assert response.status_code == 403


def test_import_keeps_the_original_file(api, app):
    from repo_server.backends import get_storage

    teacher = api("teacher")
    package = io.BytesIO()
    from qti import write_package

    write_package([Item.from_dict(question_payload()["item"])], package)
    body = _import(teacher, {"bộ đề.zip": package.getvalue()}).get_json()
    record = teacher.get(f"/api/v1/imports/{body['id']}").get_json()
    assert record["status"] == "committed"
    assert record["imported"] == body["imported"]
    assert [f["name"] for f in record["files"]] == ["bộ đề.zip"]
    with teacher.client.get(record["files"][0]["url"]) as original:
        assert original.get_data() == package.getvalue()
    with app.app_context():
        storage = get_storage()
        keys = [k for k in storage.iter_keys("imports/") if k.endswith(".zip")]
        stored = []
        for key in keys:
            with storage.open(key) as stream:
                stored.append(stream.read())
        assert package.getvalue() in stored


def test_export_and_import_pages(api):
    teacher, student, anonymous = api("teacher"), api("student"), api()
    page = teacher.get("/exports").get_data(as_text=True)
    assert 'id="export-form"' in page and 'name="csrf-token"' in page
    assert "QTI 3.0" in page and "exchange.js" in page
    page = teacher.get("/imports").get_data(as_text=True)
    assert 'id="drop-zone"' in page and ".docx,.xlsx,.csv" in page
    assert 'id="export-form"' not in student.get("/exports").get_data(as_text=True)
    assert anonymous.get("/imports").status_code == 302
