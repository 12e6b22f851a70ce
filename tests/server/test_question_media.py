"""Pictures in question text: upload, fetch, carried in QTI packages and stored back."""

import io
import struct
import zipfile
import zlib

import pytest

from qti import Item, Media, write_package
from qti.parser import parse_xml
from repo_server.files.maintenance import collect_garbage
from tests.conftest import question_payload


def png(seed: int = 0) -> bytes:
    """A real 1×1 PNG whose pixel depends on ``seed`` (distinct bytes per seed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixel = zlib.compress(bytes([0, seed % 256, 80, 160]))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", pixel)
        + chunk(b"IEND", b"")
    )


def _upload(client, data: bytes, name: str = "hinh.png"):
    return client.post(
        "/api/v1/media",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _published_with_picture(teacher, curator, src: str) -> int:
    payload = question_payload()
    payload["item"]["stem"] = f'<p>Quan sát hình: <img src="{src}" alt="hình"></p>'
    question_id = teacher.post("/api/v1/questions", payload).get_json()["id"]
    teacher.post(f"/api/v1/questions/{question_id}/submit")
    assert curator.post(f"/api/v1/questions/{question_id}/publish").status_code == 200
    return question_id


def _export(client, **body) -> bytes:
    job = client.post("/api/v1/exports", {"format": "qti21", **body}).get_json()
    polled = client.get(f"/api/v1/jobs/{job['id']}").get_json()
    assert polled["status"] == "done", polled
    with client.get(polled["download_url"]) as download:
        return download.get_data()


def _import(client, name: str, data: bytes):
    return client.post(
        "/api/v1/imports",
        data={"files": [(io.BytesIO(data), name)]},
        content_type="multipart/form-data",
    )


def test_upload_and_fetch_a_picture(api):
    teacher, student = api("teacher"), api("student")
    response = _upload(teacher, png(1))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["src"] == f"/api/v1/media/{body['sha256']}"
    assert body["content_type"] == "image/png"
    with student.get(body["src"]) as fetched:
        assert fetched.status_code == 200 and fetched.get_data() == png(1)
        assert fetched.headers["X-Content-Type-Options"] == "nosniff"
    assert _upload(teacher, png(1)).get_json() == body  # stored once
    with api().get(body["src"]) as anonymous:
        assert anonymous.status_code == 401


@pytest.mark.parametrize(
    ("data", "name", "status"),
    [
        (b"%PDF-1.4\n%%EOF\n", "a.pdf", 415),
        (b'<svg xmlns="http://www.w3.org/2000/svg"/>', "a.svg", 415),
        (b"", "a.png", 422),
    ],
)
def test_only_pictures_are_accepted(api, data, name, status):
    response = _upload(api("teacher"), data, name)
    assert response.status_code == status, response.get_json()
    assert response.get_json()["error"]["message"]


def test_students_do_not_upload_and_unknown_pictures_are_404(api):
    assert _upload(api("student"), png(2)).status_code == 403
    assert api("teacher").get("/api/v1/media/" + "0" * 64).status_code == 404


def test_export_carries_pictures_and_import_stores_them_back(api):
    teacher, curator, other = api("teacher"), api("curator"), api("teacher")
    src = _upload(teacher, png(3)).get_json()["src"]
    question_id = _published_with_picture(teacher, curator, src)
    package = _export(teacher, ids=[question_id])
    sha = src.rsplit("/", 1)[1]
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        assert archive.read(f"media/{sha}.png") == png(3)
        item_xml = archive.read(next(n for n in archive.namelist() if "items/" in n))
        manifest = parse_xml(archive.read("imsmanifest.xml"))
    assert f'src="../media/{sha}.png"'.encode() in item_xml
    resources = {r.get("identifier"): r for r in manifest.iter("{*}resource")}
    [item] = [r for r in resources.values() if r.get("type").startswith("imsqti_item")]
    [dependency] = item.iter("{*}dependency")
    assert resources[dependency.get("identifierref")].get("href") == f"media/{sha}.png"

    report = _import(other, "goi.zip", package).get_json()
    assert len(report["imported"]) == 1 and not report["skipped"], report
    imported = other.get(f"/api/v1/questions/{report['imported'][0]}").get_json()
    assert f'src="{src}"' in imported["item"]["stem"]
    again = _export(other, ids=report["imported"], status="draft")
    with zipfile.ZipFile(io.BytesIO(again)) as archive:
        assert archive.read(f"media/{sha}.png") == png(3)


def test_import_stores_pictures_of_packages_from_elsewhere(api):
    item = Item.from_dict(
        {
            **question_payload()["item"],
            "identifier": "Q-ngoai",
            "stem": '<p>Hình: <img src="media/hinh-4.png" alt="a"></p>',
            "media": [{"src": "media/hinh-4.png", "mime": "image/png"}],
        }
    )
    buffer = io.BytesIO()
    write_package([item], buffer, "3.0", media_opener=lambda _media: png(4))
    teacher = api("teacher")
    report = _import(teacher, "ngoai.zip", buffer.getvalue()).get_json()
    [question_id] = report["imported"]
    stem = teacher.get(f"/api/v1/questions/{question_id}").get_json()["item"]["stem"]
    src = stem.split('src="')[1].split('"')[0]
    assert src.startswith("/api/v1/media/")
    with teacher.get(src) as fetched:
        assert fetched.get_data() == png(4)


def test_a_package_file_that_is_no_picture_is_reported(api):
    item = Item.from_dict(
        {
            **question_payload()["item"],
            "identifier": "Q-sai",
            "stem": '<p><img src="media/x.png"></p>',
            "media": [{"src": "media/x.png", "mime": "image/png"}],
        }
    )
    buffer = io.BytesIO()
    write_package([item], buffer, "2.1", media_opener=lambda _m: b"MZ\x90\x00 program")
    report = _import(api("teacher"), "x.zip", buffer.getvalue()).get_json()
    assert len(report["imported"]) == 1
    assert any("media/x.png" in p["message"] for p in report["problems"]), report


def test_storage_gc_keeps_question_pictures(app, api):
    src = _upload(api("teacher"), png(5)).get_json()["src"]
    sha = src.rsplit("/", 1)[1]
    with app.app_context():
        report = collect_garbage(min_age_hours=0)
    assert not [key for key in report.unreferenced_blobs if sha in key]
    with api("student").get(src) as fetched:
        assert fetched.status_code == 200 and fetched.get_data() == png(5)


def test_media_entries_are_our_pictures_only():
    """External pictures stay links in exported packages (no opener call)."""
    buffer = io.BytesIO()
    item = Item.from_dict(
        {
            **question_payload()["item"],
            "media": [{"src": "https://example.org/a.png", "mime": "image/png"}],
        }
    )
    called = []
    write_package([item], buffer, media_opener=lambda m: called.append(m) or None)
    assert not called and isinstance(item.media[0], Media)


def test_a_scorm_quiz_sco_carries_the_pictures(api):
    teacher, curator = api("teacher"), api("curator")
    src = _upload(teacher, png(5)).get_json()["src"]
    question_id = _published_with_picture(teacher, curator, src)
    package = _export(teacher, format="scorm2004", ids=[question_id])
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        [picture] = [n for n in archive.namelist() if n.startswith("media/")]
        assert archive.read(picture) == png(5)
        page = archive.read("index.html").decode()
    assert picture in page and src not in page
