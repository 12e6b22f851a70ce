"""Bad files and failing backends: clear 4xx/503, and never a row without its bytes."""

import io
import os
import zipfile

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from repo_server.backends import get_storage
from repo_server.extensions import db
from repo_server.files.models import Blob, MaterialFile
from tests.conftest import ApiClient, create_material, fetch_file, upload_file

ELF = b"\x7fELF\x02\x01\x01" + bytes(100)
PE = b"MZ" + bytes(58) + (64).to_bytes(4, "little") + b"PE\0\0" + bytes(100)
PNG = b"\x89PNG\r\n\x1a\n" + os.urandom(200)


@pytest.fixture(scope="module")
def app(storage_app):
    """Every test here runs once per storage backend."""
    return storage_app


@pytest.fixture
def teacher(api):
    return api("teacher")


def stored_objects(app) -> set[str]:
    """Every blob object in the app's storage."""
    with app.app_context():
        return set(get_storage().iter_keys("blobs/"))


def rows(app) -> tuple[int, int]:
    """Count MaterialFile and Blob rows."""
    with app.app_context():
        files = db.session.scalar(select(func.count()).select_from(MaterialFile))
        return files, db.session.scalar(select(func.count()).select_from(Blob))


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def error(response, status: int) -> str:
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()["error"]["message"]


@pytest.mark.parametrize(
    ("data", "name", "status", "words"),
    [
        (b"", "rong.pdf", 422, "rỗng"),
        (ELF, "bai-giang.pdf", 415, "chương trình"),
        (PE, "tai-lieu.docx", 415, "chương trình"),
        (b"#!/bin/sh\nrm -rf /\n", "ghi-chu.txt", 415, "chương trình"),
        (b"%PDF-1.4 ok", "setup.exe", 415, ".exe"),
        (b"echo hi", "chay.bat", 415, ".bat"),
        (PNG, "bai-giang.pdf", 415, "ảnh"),
        (b"%PDF-1.4\n" + os.urandom(100), "anh.png", 415, "PDF"),
        (zip_bytes({"a.txt": b"x"}), "soan-thao.docx", 415, "ZIP"),
        (zip_bytes({"META-INF/MANIFEST.MF": b"", "a/B.class": b"x"}), "t.zip", 415, ""),
        (os.urandom(300) + b"\0", "video.mp4", 415, "không rõ"),
    ],
)
def test_bad_files_get_clear_errors_and_leave_nothing(
    app, teacher, data, name, status, words
):
    before = stored_objects(app)
    material = create_material(teacher)
    message = error(upload_file(teacher, material, data, name), status)
    assert words in message
    assert rows(app) == (0, 0)
    assert stored_objects(app) == before


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (zip_bytes({"word/document.xml": b"<w/>"}), "van-ban.zip", "wordprocessingml"),
        (b"<!doctype html><p>Xin ch\xc3\xa0o</p>", "trang.txt", "text/html"),
        (b"\xff\xd8\xff\xe0" + os.urandom(64), "anh.png", "image/jpeg"),
        (b"Ch\xc3\xa0o", "khong-duoi", "text/plain"),
        (zip_bytes({"imsmanifest.xml": b"<manifest/>"}), "goi.zip", "application/zip"),
    ],
)
def test_harmless_name_mismatches_are_accepted(teacher, data, name, content_type):
    material = create_material(teacher)
    created = upload_file(teacher, material, data, name)
    assert created.status_code == 201, created.get_json()
    assert content_type in created.get_json()["content_type"]


def test_files_without_extension_get_the_usual_one(teacher):
    material = create_material(teacher)
    created = upload_file(
        teacher, material, b"%PDF-1.4\n" + os.urandom(50), "bai giang"
    )
    assert created.get_json()["filename"] == "bai giang.pdf"


def test_oversize_files_get_413(app, teacher):
    app.config["UPLOAD_MAX_BYTES"] = 1000
    try:
        material = create_material(teacher)
        data = b"%PDF-1.4\n" + os.urandom(5000)
        message = error(upload_file(teacher, material, data, "lon.pdf"), 413)
        assert "1000 B" in message
        big = teacher.post(
            f"/api/v1/materials/{material}/files",
            data=b"x" * 100,
            content_type="multipart/form-data; boundary=x",
            environ_overrides={"CONTENT_LENGTH": str(10 * 1024 * 1024)},
        )
        error(big, 413)
        start = {"material_id": material, "filename": "lon.pdf", "size": 1001}
        error(teacher.post("/api/v1/uploads", start), 413)
        error(teacher.post("/api/v1/uploads", {**start, "size": 0}), 422)
    finally:
        app.config["UPLOAD_MAX_BYTES"] = 2 * 1024**3
    assert rows(app) == (0, 0)


def test_a_client_that_disconnects_leaves_nothing(app, teacher):
    before = stored_objects(app)
    material = create_material(teacher)
    body = (
        b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n%PDF-1.4\n" + os.urandom(300_000)
    )
    response = teacher.post(
        f"/api/v1/materials/{material}/files",
        input_stream=io.BytesIO(body),
        content_type="multipart/form-data; boundary=x",
        environ_overrides={"CONTENT_LENGTH": str(len(body) + 1000)},
    )
    assert response.status_code == 400
    assert rows(app) == (0, 0)
    assert stored_objects(app) == before
    with app.app_context():
        storage = get_storage()
        if hasattr(storage, "root"):
            assert not any((storage.root / ".tmp").iterdir())


def test_database_failure_after_the_bytes_are_stored_leaves_no_orphan(
    app, teacher, monkeypatch
):
    before = stored_objects(app)
    material = create_material(teacher)
    real_commit = db.session.commit
    calls = []

    def failing_commit():
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("COMMIT", {}, Exception("database went away"))
        real_commit()

    monkeypatch.setattr(db.session, "commit", failing_commit)
    with pytest.raises(OperationalError):
        upload_file(teacher, material, b"%PDF-1.4\n" + os.urandom(500), "a.pdf")
    monkeypatch.undo()
    assert rows(app) == (0, 0)
    assert stored_objects(app) == before


def test_bytes_shared_with_a_committed_file_survive_a_failed_upload(
    app, teacher, monkeypatch
):
    data = b"%PDF-1.4\n" + os.urandom(500)
    material = create_material(teacher)
    kept = upload_file(teacher, material, data, "a.pdf").get_json()
    monkeypatch.setattr(
        db.session,
        "commit",
        lambda: (_ for _ in ()).throw(OperationalError("COMMIT", {}, Exception("x"))),
    )
    with pytest.raises(OperationalError):
        upload_file(teacher, material, data, "b.pdf")
    monkeypatch.undo()
    assert rows(app) == (1, 1)
    assert fetch_file(teacher, kept["url"])[2] == data


def make_user_on(app, role: str = "teacher"):
    """Create an organisation and a user on a separate app; return the user."""
    from repo_server.accounts.service import create_user
    from repo_server.orgs.service import create_organisation

    with app.app_context():
        org = create_organisation(
            None, {"code": "PGD", "name": "Phòng GD&ĐT", "kind": "department"}
        )
        return create_user(
            None,
            {
                "email": "gv@truong.edu.vn",
                "name": "Giáo viên",
                "role": role,
                "org_id": org.id,
                "password": "mat-khau-1",
            },
        )


def test_unreachable_s3_answers_503_and_keeps_no_row(app_factory, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
    down = app_factory(
        "s3://bucket/prefix?endpoint=http://127.0.0.1:9&region=us-east-1"
    )
    client = ApiClient(down.test_client(), make_user_on(down))
    material = create_material(client)
    data = b"%PDF-1.4\n" + os.urandom(500)
    message = error(upload_file(client, material, data, "a.pdf"), 503)
    assert "Kho lưu trữ tạm thời không truy cập được" in message
    start = {"material_id": material, "filename": "a.pdf", "size": len(data)}
    upload = client.post("/api/v1/uploads", start).get_json()
    headers = {"Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}"}
    put = client._send("PUT", upload["url"], data=data, headers=headers)
    error(put, 503)
    assert client.get(upload["url"]).get_json()["offset"] == len(
        data
    )  # kept for a retry
    assert rows(down) == (0, 0)


def test_the_json_body_limit_does_not_apply_to_uploads(app, teacher):
    material = create_material(teacher)
    app.config["MAX_CONTENT_LENGTH"] = 2000
    try:
        data = b"%PDF-1.4\n" + os.urandom(10_000)
        assert upload_file(teacher, material, data, "lon.pdf").status_code == 201
        start = {"material_id": material, "filename": "b.pdf", "size": len(data)}
        upload = teacher.post("/api/v1/uploads", start).get_json()
        headers = {"Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}"}
        put = teacher._send("PUT", upload["url"], data=data, headers=headers)
        assert put.status_code == 201
        too_long = {"title": "x" * 3000, "kind": "slides"}
        assert teacher.post("/api/v1/materials", too_long).status_code == 413
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 64 * 1024 * 1024
