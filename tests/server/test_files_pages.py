"""The files page: previews by type, the upload form for the author only, downloads."""

import html
import json
import os

import pytest

from tests.conftest import create_material, fetch_file, upload_file

FILES = {
    "bài giảng.pdf": b"%PDF-1.4\n" + os.urandom(64),
    "sơ đồ.png": b"\x89PNG\r\n\x1a\n" + os.urandom(64),
    "video.mp4": b"\x00\x00\x00\x18ftypmp42" + os.urandom(64),
    "bài đọc.mp3": b"ID3\x04\x00" + os.urandom(64),
    "mô phỏng.html": "<!doctype html><p>Gương phẳng</p>".encode(),
    "gói.zip": b"PK\x05\x06" + bytes(18),
}


@pytest.fixture
def teacher(api):
    return api("teacher")


@pytest.fixture
def material(teacher):
    material = create_material(teacher)
    for name, data in FILES.items():
        assert upload_file(teacher, material, data, name).status_code == 201
    return material


def page(client, url):
    with client.get(url, headers={"Accept": "text/html"}) as response:
        return response.status_code, response.get_data(as_text=True)


def test_the_author_sees_previews_and_the_upload_form(teacher, material):
    status, text = page(teacher, f"/materials/{material}/files")
    assert status == 200
    for name in FILES:
        assert html.escape(name) in text
    assert '<iframe class="file-preview file-preview-doc" src="/files/' in text
    assert '<img class="file-preview" src="/files/' in text
    assert (
        '<video class="file-preview" controls preload="metadata" src="/files/' in text
    )
    assert "<audio" in text and 'sandbox="allow-scripts" src=' in text
    assert 'id="files-upload"' in text and "files/files.js" in text
    settings = text.split('data-settings="', 1)[1].split('"', 1)[0]
    settings = json.loads(html.unescape(settings))
    assert settings["materialId"] == material and settings["chunkSize"] == 32 * 1024**2
    assert "{name}" in settings["messages"]["resume"]


def test_readers_get_previews_without_the_form(api, teacher, material):
    teacher.post(f"/api/v1/materials/{material}/submit")
    api("curator").post(f"/api/v1/materials/{material}/publish")
    status, text = page(api("student"), f"/materials/{material}/files")
    assert status == 200 and "bài giảng.pdf" in text
    assert 'id="files-upload"' not in text


def test_drafts_are_hidden_from_students_and_anonymous_users_log_in(api, material):
    assert page(api("student"), f"/materials/{material}/files")[0] == 404
    with api().get(f"/materials/{material}/files") as anonymous:
        assert (
            anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
        )


def test_the_page_route_downloads_with_ranges(teacher, material):
    listed = teacher.get(f"/api/v1/materials/{material}/files").get_json()["items"]
    video = next(f for f in listed if f["filename"] == "video.mp4")
    status, headers, body = fetch_file(
        teacher, f"/files/{video['id']}?inline=1", {"Range": "bytes=0-11"}
    )
    assert status == 206 and body == FILES["video.mp4"][:12]
    assert headers["Content-Type"] == "video/mp4"
    assert headers["Content-Disposition"].startswith("inline;")


def test_html_is_sandboxed_and_never_sniffed(teacher, material):
    listed = teacher.get(f"/api/v1/materials/{material}/files").get_json()["items"]
    page_file = next(f for f in listed if f["preview"] == "html")
    _, headers, _ = fetch_file(teacher, page_file["inline_url"])
    assert headers["Content-Security-Policy"] == "sandbox allow-scripts"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_the_script_and_styles_are_served(app):
    client = app.test_client()
    for name in ("files/files.js", "files/files.css"):
        with client.get(f"/static/{name}") as response:
            assert response.status_code == 200
