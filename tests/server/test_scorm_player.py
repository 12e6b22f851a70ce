"""Attempts through the API: open, resume, commit CMI data, reports; the content route."""

import io
import re

import pytest

from repo_server.scorm.cmi import seconds, summary
from tests.scorm.factories import lecture

CMI_12 = {
    "core": {
        "lesson_status": "failed",
        "lesson_location": "p3",
        "exit": "suspend",
        "score": {"raw": "40", "max": "50", "min": "0"},
        "total_time": "0000:10:30.5",
    },
    "suspend_data": "x" * 5000,
}
CMI_2004 = {
    "completion_status": "completed",
    "success_status": "passed",
    "score": {"raw": "9", "max": "10", "scaled": "0.9"},
    "location": "s2",
    "exit": "normal",
    "total_time": "PT1H2M3.5S",
    "interactions": [{"id": "q1", "result": "correct"}],
}


@pytest.fixture
def lecture_ids(api, make_user):
    """A published SCORM 1.2 lecture of two SCOs: (material id, first SCO id)."""
    teacher = api("teacher")
    response = teacher.post(
        "/api/v1/scorm/imports",
        data={
            "file": (io.BytesIO(lecture("1.2").getvalue()), "b.zip"),
            "subject": "TOAN",
            "grade": "6",
        },
        content_type="multipart/form-data",
    )
    material_id = response.get_json()["material"]["id"]
    assert teacher.post(f"/api/v1/materials/{material_id}/submit").status_code == 200
    curator = api(make_user("curator"))
    assert curator.post(f"/api/v1/materials/{material_id}/publish").status_code == 200
    return material_id, "I0", teacher


def test_cmi_summaries():
    first = summary("1.2", CMI_12)
    assert (first["completion_status"], first["success_status"]) == (
        "completed",
        "failed",
    )
    assert (first["score_raw"], first["score_max"], first["score_scaled"]) == (
        40,
        50,
        0.8,
    )
    assert first["total_seconds"] == 630.5 and first["exit"] == "suspend"
    second = summary("2004", CMI_2004)
    assert second["score_scaled"] == 0.9 and second["total_seconds"] == 3723.5
    assert seconds("PT0S") == 0 and seconds("nonsense") == 0


def test_learner_opens_commits_and_resumes(api, lecture_ids):
    material_id, sco, teacher = lecture_ids
    student = api("student")
    url = f"/api/v1/materials/{material_id}/scorm/attempts"
    opened = student.post(url, {"sco": sco}).get_json()
    assert opened["number"] == 1 and opened["seed"]["cmi.core.entry"] == "ab-initio"
    assert re.search(r"/scorm/content/[^/]+/sco0/index.html$", opened["content_url"])
    saved = student.put(
        f"/api/v1/scorm/attempts/{opened['id']}", {"cmi": CMI_12, "finished": True}
    ).get_json()
    assert saved["score_raw"] == 40 and saved["location"] == "p3"
    assert "4096" in saved["warnings"][0]  # 1.2 suspend_data over its limit
    again = student.post(url, {"sco": sco}).get_json()
    assert again["id"] == opened["id"] and again["seed"]["cmi.core.entry"] == "resume"
    assert again["seed"]["cmi.core.lesson_location"] == "p3"
    done = {**CMI_12, "core": {**CMI_12["core"], "exit": ""}}
    student.put(
        f"/api/v1/scorm/attempts/{opened['id']}", {"cmi": done, "finished": True}
    )
    assert student.post(url, {"sco": sco}).get_json()["number"] == 2
    report = teacher.get(f"/api/v1/materials/{material_id}/scorm/results").get_json()
    assert [r["number"] for r in report["items"]] == [1, 2]
    assert report["items"][0]["learner"]["name"]


def test_attempts_are_private(api, lecture_ids):
    material_id, sco, _teacher = lecture_ids
    opened = (
        api("student")
        .post(f"/api/v1/materials/{material_id}/scorm/attempts", {"sco": sco})
        .get_json()
    )
    other = api("student")
    response = other.put(f"/api/v1/scorm/attempts/{opened['id']}", {"cmi": {}})
    assert response.status_code == 404
    assert (
        other.get(f"/api/v1/materials/{material_id}/scorm/results").status_code == 403
    )
    assert (
        api("teacher").get(f"/api/v1/materials/{material_id}/scorm/results").status_code
        == 403
    )  # another teacher: not the author


def test_unknown_sco_is_not_found(api, lecture_ids):
    material_id, _sco, _teacher = lecture_ids
    response = api("student").post(
        f"/api/v1/materials/{material_id}/scorm/attempts", {"sco": "NOPE"}
    )
    assert response.status_code == 404


def test_content_is_served_sandboxed_with_the_runtime(api, lecture_ids, app):
    material_id, sco, _teacher = lecture_ids
    opened = (
        api("student")
        .post(f"/api/v1/materials/{material_id}/scorm/attempts", {"sco": sco})
        .get_json()
    )
    anonymous = app.test_client()  # the link works without cookies
    page = anonymous.get(opened["content_url"])
    assert page.status_code == 200
    policy = page.headers["Content-Security-Policy"]
    assert (
        policy.startswith("sandbox allow-scripts") and "allow-same-origin" not in policy
    )
    assert "connect-src http://localhost/scorm/content/" in policy
    assert b'<script src="../__khls__/runtime.js"></script>' in page.data
    runtime = anonymous.get(
        opened["content_url"].replace("sco0/index.html", "__khls__/runtime.js")
    )
    assert b"CrossFrameAPI" in runtime.data and b"cmi.core.student_name" in runtime.data
    with anonymous.get(
        opened["content_url"].replace("sco0/index.html", "shared/img.png")
    ) as image:
        assert image.headers["Content-Type"] == "image/png"
        assert image.data.startswith(b"\x89PNG")
    assert (
        anonymous.get(opened["content_url"].replace("index.html", "x.html")).status_code
        == 404
    )
    forged = re.sub(r"/content/[^/]+/", "/content/forged.token/", opened["content_url"])
    assert anonymous.get(forged).status_code == 404


def test_player_and_report_pages(api, lecture_ids):
    material_id, _sco, teacher = lecture_ids
    page = api("student").get(f"/materials/{material_id}/play")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'sandbox="allow-scripts' in html and "allow-same-origin" not in html
    assert html.count("data-sco=") == 2
    assert teacher.get(f"/materials/{material_id}/scorm/results").status_code == 200


def test_import_page(api):
    teacher = api("teacher")
    assert teacher.get("/materials/scorm/import").status_code == 200
    response = teacher.post(
        "/materials/scorm/import",
        data={"file": (io.BytesIO(b"not a zip"), "x.zip")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and "ZIP" in response.get_data(as_text=True)
