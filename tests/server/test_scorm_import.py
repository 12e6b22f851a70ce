"""Importing SCORM lectures through the API and the CLI: stored, searchable, refused."""

import io

import pytest
from sqlalchemy import func, select

from repo_server.extensions import db
from repo_server.files.models import Blob
from repo_server.materials.models import Material
from repo_server.scorm.models import ScormFile
from tests.qti.support import SAMPLES
from tests.scorm.factories import PAGE, lecture, package


def _import(client, data, name="bai-giang.zip", **form):
    return client.post(
        "/api/v1/scorm/imports",
        data={"file": (io.BytesIO(data), name), **form},
        content_type="multipart/form-data",
    )


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_teacher_imports_a_lecture(api, app, version):
    teacher = api("teacher")
    response = _import(
        teacher, lecture(version, 2).getvalue(), subject="toan", grade="6"
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    material, package = body["material"], body["package"]
    assert (material["kind"], material["status"]) == ("lecture", "draft")
    assert material["title"].startswith("Bài giảng")
    assert (material["subject"], material["grade"]) == ("TOAN", "6")
    assert package["version"] == ("1.2" if version == "1.2" else "2004 4th")
    assert package["file_count"] == 4 and package["warnings"] == []
    assert [i["href"] for i in package["toc"]] == ["sco0/index.html", "sco1/index.html"]
    assert material["files"][0]["filename"] == "bai-giang.zip"
    with app.app_context():
        paths = set(db.session.scalars(select(ScormFile.path)))
    assert paths == {"imsmanifest.xml", "sco0/index.html", "sco1/index.html",
                     "shared/img.png"}  # fmt: skip
    again = teacher.get(f"/api/v1/materials/{material['id']}/scorm").get_json()
    assert again == package


def test_lecture_text_is_searchable(api):
    teacher = api("teacher")
    body = _import(teacher, lecture("2004", 1).getvalue()).get_json()
    found = teacher.get("/api/v1/search?q=quang+hợp&kind=material").get_json()
    assert body["material"]["id"] in [hit["id"] for hit in found["items"]]
    assert not teacher.get("/api/v1/search?q=không+phải+văn+bản").get_json()["items"]


def test_missing_metadata_warns_but_imports(api):
    data = package({"index.html": PAGE}, lom=False).getvalue()
    response = _import(api("teacher"), data)
    assert response.status_code == 201
    assert any("siêu dữ liệu" in w for w in response.get_json()["package"]["warnings"])


@pytest.mark.parametrize(
    "files, reason",
    [
        ({"other.html": PAGE}, "Thiếu tệp khởi chạy"),
        ({"imsmanifest.xml": b"<manifest><x></manifest>"}, "XML không hợp lệ"),
        ({"index.html": PAGE, "../x.html": PAGE}, "không an toàn"),
    ],
)
def test_broken_package_is_refused_and_nothing_stays(api, app, files, reason):
    response = _import(api("teacher"), package(files).getvalue())
    assert response.status_code == 422
    assert reason in response.get_json()["error"]["message"]
    with app.app_context():
        assert _count(Material) == _count(Blob) == 0


def test_not_a_zip_is_refused(api):
    response = _import(api("teacher"), b"%PDF-1.4 not a zip")
    assert response.status_code == 422
    assert "ZIP" in response.get_json()["error"]["message"]


def test_student_may_not_import(api):
    assert _import(api("student"), lecture().getvalue()).status_code == 403


def test_deleting_the_draft_releases_its_bytes(api, app):
    teacher = api("teacher")
    body = _import(teacher, lecture().getvalue()).get_json()
    assert (
        teacher.delete(f"/api/v1/materials/{body['material']['id']}").status_code == 204
    )
    with app.app_context():
        assert _count(ScormFile) == _count(Blob) == 0


def test_new_version_keeps_the_package(api, make_user):
    teacher = api("teacher")
    body = _import(teacher, lecture().getvalue(), subject="toan", grade="6").get_json()
    lecture_id = body["material"]["id"]
    assert teacher.post(f"/api/v1/materials/{lecture_id}/submit").status_code == 200
    curator = api(make_user("curator", subjects=["TOAN"]))
    assert curator.post(f"/api/v1/materials/{lecture_id}/publish").status_code == 200
    copy = teacher.post(f"/api/v1/materials/{lecture_id}/versions").get_json()
    package = teacher.get(f"/api/v1/materials/{copy['id']}/scorm").get_json()
    assert package["file_count"] == body["package"]["file_count"]
    assert package["toc"] == body["package"]["toc"]


@pytest.mark.skipif(not (SAMPLES / "scorm12").is_dir(), reason="no shared samples")
def test_shared_golf_package_imports(api):
    path = SAMPLES / "scorm12/packages/golf_ContentPackagingOneFilePerSCO_SCORM12.zip"
    response = _import(api("teacher"), path.read_bytes(), name="golf.zip")
    assert response.status_code == 201, response.get_json()
    package = response.get_json()["package"]
    assert package["version"] == "1.2"
    assert package["toc"][0]["children"][0]["href"] == "Playing/Playing.html"
