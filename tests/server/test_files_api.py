"""Files of materials through the API: one contract, on local disk and on S3."""

import os
import unicodedata
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from repo_server.backends import get_storage
from repo_server.extensions import db
from repo_server.files.models import Blob, MaterialFile
from tests.conftest import create_material, fetch_file, upload_file

NAME = "Bài giảng Tập hợp – lớp 6.pdf"


@pytest.fixture(scope="module")
def app(storage_app):
    """Every test here runs once per storage backend."""
    return storage_app


@pytest.fixture
def teacher(api):
    return api("teacher")


def pdf_bytes(tag: str = "") -> bytes:
    """Unique PDF-looking bytes (each test its own blob)."""
    return b"%PDF-1.4\n% " + tag.encode() + os.urandom(2000) + b"\n%%EOF\n"


def blob_exists(app, sha256: str) -> bool:
    """Tell whether the bytes of ``sha256`` are in the app's storage."""
    with app.app_context():
        key = f"blobs/{sha256[:2]}/{sha256[2:4]}/{sha256}"
        return get_storage().exists(key)


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_round_trip_keeps_the_vietnamese_name(app, teacher):
    material = create_material(teacher)
    data = pdf_bytes("round trip")
    nfd = unicodedata.normalize("NFD", NAME)
    created = upload_file(teacher, material, data, nfd)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["filename"] == NAME  # NFC again
    assert body["content_type"] == "application/pdf" and body["size"] == len(data)
    status, headers, content = fetch_file(teacher, body["url"])
    assert status == 200 and content == data
    assert headers["Content-Type"] == "application/pdf"
    disposition = headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote(NAME)}" in disposition
    assert 'filename="Bai giang Tap hop - lop 6.pdf"' in disposition
    _, headers, _ = fetch_file(teacher, body["inline_url"])
    assert headers["Content-Disposition"].startswith("inline;")


def test_listing_and_the_material_show_the_files(teacher):
    material = create_material(teacher)
    first = upload_file(teacher, material, pdf_bytes("a"), "a.pdf").get_json()
    second = upload_file(
        teacher, material, b"Ghi ch\xc3\xba\n", "ghi-chu.txt"
    ).get_json()
    listed = teacher.get(f"/api/v1/materials/{material}/files").get_json()["items"]
    assert [f["id"] for f in listed] == [first["id"], second["id"]]
    assert [f["position"] for f in listed] == [0, 1]
    assert second["content_type"] == "text/plain; charset=utf-8"
    shown = teacher.get(f"/api/v1/materials/{material}").get_json()["files"]
    assert [f["filename"] for f in shown] == ["a.pdf", "ghi-chu.txt"]


@pytest.mark.parametrize(
    ("header", "status", "span"),
    [
        ("bytes=0-99", 206, (0, 99)),
        ("bytes=100-", 206, (100, None)),
        ("bytes=-300", 206, (-300, None)),
        ("bytes=5000000-", 416, None),
        ("bytes=abc", 200, None),
    ],
)
def test_range_requests_let_video_seek(teacher, header, status, span):
    material = create_material(teacher)
    data = pdf_bytes("range")
    body = upload_file(teacher, material, data, "video.pdf").get_json()
    got, headers, content = fetch_file(teacher, body["url"], {"Range": header})
    assert got == status
    size = len(data)
    if status == 206:
        start, end = span
        start = start % size
        end = size - 1 if end is None else end
        assert content == data[start : end + 1]
        assert headers["Content-Range"] == f"bytes {start}-{end}/{size}"
    elif status == 416:
        assert headers["Content-Range"] == f"bytes */{size}"
    else:
        assert content == data


def test_conditional_requests_on_local_disk(app, teacher):
    if app.config["TEST_BACKEND"] != "local":
        pytest.skip("S3 serves presigned URLs itself")
    material = create_material(teacher)
    body = upload_file(teacher, material, pdf_bytes("etag"), "a.pdf").get_json()
    etag = f'"{body["sha256"]}"'
    assert fetch_file(teacher, body["url"], {"If-None-Match": etag})[0] == 304
    other = {"Range": "bytes=0-9", "If-Range": '"something-else"'}
    assert fetch_file(teacher, body["url"], other)[0] == 200
    same = {"Range": "bytes=0-9", "If-Range": etag}
    assert fetch_file(teacher, body["url"], same)[0] == 206
    with teacher.client.head(body["url"]) as head:
        assert head.status_code == 200
        assert head.headers["Content-Length"] == str(body["size"])


def test_s3_downloads_redirect_to_a_short_lived_url(app, teacher):
    if app.config["TEST_BACKEND"] != "s3":
        pytest.skip("local files are streamed by the app")
    material = create_material(teacher)
    body = upload_file(teacher, material, pdf_bytes("s3"), NAME).get_json()
    with teacher.get(body["url"]) as response:
        assert response.status_code == 302
        assert "X-Amz-Expires=300" in response.headers["Location"]
        assert "response-content-disposition" in response.headers["Location"]


def test_the_same_bytes_are_stored_once(app, teacher):
    data = pdf_bytes("dedup")
    first_material, second_material = create_material(teacher), create_material(teacher)
    first = upload_file(teacher, first_material, data, "một.pdf").get_json()
    second = upload_file(teacher, second_material, data, "hai.pdf").get_json()
    sha = first["sha256"]
    assert second["sha256"] == sha and second["id"] != first["id"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(Blob.sha256 == sha)) == 1
    assert teacher.delete(first["url"]).status_code == 204
    assert blob_exists(app, sha)
    assert fetch_file(teacher, second["url"])[2] == data
    assert teacher.delete(second["url"]).status_code == 204
    assert not blob_exists(app, sha)
    with app.app_context():
        assert db.session.get(Blob, sha) is None


def test_deleting_a_draft_material_releases_its_files(app, teacher):
    kept = create_material(teacher)
    shared = pdf_bytes("shared")
    upload_file(teacher, kept, shared, "giữ lại.pdf")
    doomed = create_material(teacher)
    own = upload_file(teacher, doomed, pdf_bytes("own"), "riêng.pdf").get_json()
    other = upload_file(teacher, doomed, shared, "chung.pdf").get_json()
    assert teacher.delete(f"/api/v1/materials/{doomed}").status_code == 204
    assert not blob_exists(app, own["sha256"])
    assert blob_exists(app, other["sha256"])
    with app.app_context():
        assert db.session.get(MaterialFile, own["id"]) is None


def test_new_versions_share_blobs_and_published_files_are_frozen(app, api, teacher):
    curator = api("curator")
    material = create_material(teacher)
    data = pdf_bytes("version")
    original = upload_file(teacher, material, data, "v1.pdf").get_json()
    assert teacher.post(f"/api/v1/materials/{material}/submit").status_code == 200
    assert curator.post(f"/api/v1/materials/{material}/publish").status_code == 200
    frozen = upload_file(teacher, material, pdf_bytes("late"), "late.pdf")
    assert frozen.status_code == 409
    assert teacher.delete(original["url"]).status_code == 409
    version = teacher.post(f"/api/v1/materials/{material}/versions").get_json()
    copied = version["files"]
    assert [(f["filename"], f["sha256"]) for f in copied] == [
        ("v1.pdf", original["sha256"])
    ]
    assert copied[0]["id"] != original["id"]
    assert teacher.delete(copied[0]["url"]).status_code == 204
    assert fetch_file(teacher, original["url"])[2] == data
    assert blob_exists(app, original["sha256"])


def test_students_see_files_of_published_materials_only(api, teacher):
    student, curator = api("student"), api("curator")
    material = create_material(teacher)
    body = upload_file(teacher, material, pdf_bytes("student"), "bài.pdf").get_json()
    assert fetch_file(student, body["url"])[0] == 404
    assert student.get(f"/api/v1/materials/{material}/files").status_code == 404
    assert api().get(body["url"]).status_code == 401
    teacher.post(f"/api/v1/materials/{material}/submit")
    curator.post(f"/api/v1/materials/{material}/publish")
    assert fetch_file(student, body["url"])[0] == 200
    assert student.delete(body["url"]).status_code == 403


def test_other_teachers_cannot_upload_to_a_draft(api, teacher):
    material = create_material(teacher)
    other = api("teacher")
    assert upload_file(other, material, pdf_bytes("x"), "x.pdf").status_code == 404


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd.txt"),
        ("/etc/shadow.txt", "shadow.txt"),
        ("..", "tep.txt"),
        ("a\x00b\u202e.txt", "a b.txt"),
        # multipart quoting eats single backslashes before we see the name
        ("..\\..\\x.txt", None),
        ("C:\\Windows\\win.ini.txt", None),
    ],
)
def test_path_traversal_in_names_is_stored_safely(app, teacher, name, expected):
    material = create_material(teacher)
    created = upload_file(teacher, material, f"nội dung {name!r}".encode(), name)
    assert created.status_code == 201, created.get_json()
    stored = created.get_json()["filename"]
    assert stored == expected or expected is None
    assert not {"/", "\\", ":", "\x00"} & set(stored) and not stored.startswith(".")
    with app.app_context():
        row = db.session.get(MaterialFile, created.get_json()["id"])
        assert row.blob.storage_key.startswith("blobs/")
        storage = get_storage()
        if hasattr(storage, "root"):
            outside = {p.name for p in storage.root.parent.parent.rglob("*")}
            assert not {"passwd", "shadow.txt", "x.txt", "win.ini.txt"} & outside


def test_unknown_ids_and_bad_requests(teacher):
    assert teacher.get("/api/v1/files/999999").status_code == 404
    assert teacher.delete("/api/v1/files/999999").status_code == 404
    material = create_material(teacher)
    plain = teacher.post(f"/api/v1/materials/{material}/files", {"file": "x"})
    assert plain.status_code == 422
    empty_form = teacher.post(
        f"/api/v1/materials/{material}/files",
        data={"other": "x"},
        content_type="multipart/form-data",
    )
    assert empty_form.status_code == 422
    assert "file" in empty_form.get_json()["error"]["message"]
