"""SCORM exports: lectures (faithful, or in the other edition) and quiz SCOs."""

import io
import zipfile

import pytest

from scorm import open_package
from tests.conftest import question_payload
from tests.qti.support import STANDARDS, assert_valid
from tests.scorm.factories import lecture

SCHEMA = {"scorm12": "scorm12", "scorm2004": "scorm2004"}


def _export(client, **body) -> zipfile.ZipFile:
    response = client.post("/api/v1/exports", body)
    assert response.status_code == 202, response.get_json()
    job = client.get(f"/api/v1/jobs/{response.get_json()['id']}").get_json()
    assert job["status"] == "done", job
    with client.get(job["download_url"]) as download:
        assert download.status_code == 200
        return zipfile.ZipFile(io.BytesIO(download.get_data()))


def _lecture(teacher, version="1.2") -> tuple[int, bytes]:
    data = lecture(version, 2).getvalue()
    response = teacher.post(
        "/api/v1/scorm/imports",
        data={"file": (io.BytesIO(data), "l.zip"), "subject": "TOAN", "grade": "6"},
        content_type="multipart/form-data",
    )
    return response.get_json()["material"]["id"], data


def _valid(fmt: str, manifest: bytes) -> None:
    if STANDARDS.is_dir():
        assert_valid(SCHEMA[fmt], manifest)


def test_same_edition_export_is_faithful(api):
    teacher = api("teacher")
    material_id, original = _lecture(teacher, "1.2")
    exported = _export(teacher, format="scorm12", material=material_id, status="all")
    source = zipfile.ZipFile(io.BytesIO(original))
    assert sorted(exported.namelist()) == sorted(source.namelist())
    for name in source.namelist():
        assert exported.read(name) == source.read(name), name


@pytest.mark.parametrize("source, fmt", [("1.2", "scorm2004"), ("2004", "scorm12")])
def test_other_edition_round_trip(api, source, fmt):
    teacher = api("teacher")
    material_id, original = _lecture(teacher, source)
    exported = _export(teacher, format=fmt, material=material_id)
    _valid(fmt, exported.read("imsmanifest.xml"))
    before = open_package(io.BytesIO(original)).package
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as copy:
        for name in exported.namelist():
            copy.writestr(name, exported.read(name))
    after = open_package(io.BytesIO(buffer.getvalue())).package
    assert after.edition == ("1.2" if fmt == "scorm12" else "2004")
    assert [i.href for i in after.scos] == [i.href for i in before.scos]
    assert after.meta["subject"]["code"] == "TOAN" and after.title == before.title


@pytest.mark.parametrize("fmt", ["scorm12", "scorm2004"])
def test_plain_material_gets_a_launch_page(api, fmt):
    teacher = api("teacher")
    material = teacher.post(
        "/api/v1/materials", {"title": "Tài liệu ôn tập", "kind": "document"}
    ).get_json()
    teacher.post(
        f"/api/v1/materials/{material['id']}/files",
        data={"file": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "on-tap.pdf")},
        content_type="multipart/form-data",
    )
    exported = _export(teacher, format=fmt, material=material["id"], status="all")
    _valid(fmt, exported.read("imsmanifest.xml"))
    assert "files/1-on-tap.pdf" in exported.namelist()
    assert b"files/1-on-tap.pdf" in exported.read("index.html")


@pytest.mark.parametrize("fmt", ["scorm12", "scorm2004"])
def test_selection_of_questions_becomes_one_quiz_sco(api, fmt):
    teacher = api("teacher")
    ids = [
        teacher.post("/api/v1/questions", question_payload()).get_json()["id"]
        for _ in range(3)
    ]
    exported = _export(teacher, format=fmt, ids=ids, status="all")
    assert sorted(exported.namelist()) == ["imsmanifest.xml", "index.html"]
    _valid(fmt, exported.read("imsmanifest.xml"))
    page = exported.read("index.html").decode()
    assert page.count('"type": "single_choice"') == 3


def test_empty_selection_fails_clearly(api):
    response = api("teacher").post(
        "/api/v1/exports", {"format": "scorm2004", "ids": [999999], "status": "all"}
    )
    job = response.get_json()
    assert job["status"] == "failed" and "Không có câu hỏi" in job["error"]


def test_student_may_not_export(api):
    response = api("student").post("/api/v1/exports", {"format": "scorm12"})
    assert response.status_code == 403
