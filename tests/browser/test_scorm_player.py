"""The SCORM player in Chromium: runtime API, persistence, resume, and the sandbox."""

import io
import json

import pytest

from repo_server.extensions import db
from repo_server.scorm.models import ScormAttempt
from scorm import open_package
from tests.browser.conftest import USERS, login
from tests.scorm.factories import probe_lecture

pytestmark = pytest.mark.browser


def _import(page, base: str, version: str) -> int:
    csrf = page.locator('meta[name="csrf-token"]').get_attribute("content")
    response = page.request.post(
        base + "/api/v1/scorm/imports",
        multipart={
            "file": {
                "name": f"probe-{version}.zip",
                "mimeType": "application/zip",
                "buffer": probe_lecture(version).getvalue(),
            }
        },
        headers={"X-CSRFToken": csrf},
    )
    assert response.status == 201, response.text()
    return response.json()["material"]["id"]


def _play_until_saved(page, url: str) -> dict:
    """Open the player and wait for the SCO's final (finished) commit to be saved."""
    page.goto(url)
    return page.evaluate(
        """() => new Promise((resolve) => {
          document.getElementById("scorm-player").addEventListener("scorm:saved",
            (e) => { if (e.detail.finished) resolve(e.detail); });
        })"""
    )


@pytest.fixture
def teacher_page(chromium, live_server):
    """A teacher's tab; script errors fail the test, except the CSP refusals the probe
    SCO provokes on purpose."""
    context = chromium.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = []
    page.on("pageerror", lambda error: problems.append(f"script: {error}"))
    page.on(
        "console",
        lambda m: (
            m.type == "error"
            and "Content Security Policy" not in m.text
            and problems.append(m.text)
        ),
    )
    login(page, live_server.url, USERS["teacher"])
    yield page
    context.close()
    assert not problems, problems


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_sco_is_tracked_resumed_and_sandboxed(teacher_page, live_server, version):
    page = teacher_page
    material_id = _import(page, live_server.url, version)
    player = f"{live_server.url}/materials/{material_id}/play"

    first = _play_until_saved(page, player)
    assert (first["completion_status"], first["success_status"]) == (
        "completed",
        "passed",
    )
    assert first["score_raw"] == 80 and first["score_scaled"] == 0.8
    assert first["location"] == "trang-1"

    second = _play_until_saved(page, player)
    assert second["id"] == first["id"]  # suspended: the same attempt resumes
    assert second["location"] == "trang-2"
    with live_server.app.app_context():
        attempt = db.session.get(ScormAttempt, second["id"])
        seen = json.loads(attempt.suspend_data)
    assert seen["visits"] == 2 and seen["entry"] == "resume"
    assert seen["name"] == "Người dùng teacher"
    # The package's JavaScript can neither read the app's cookies nor call its API.
    assert seen["cookie"].startswith("blocked")
    assert seen["api"] == "blocked"

    page.goto(f"{live_server.url}/materials/{material_id}/scorm/results")
    row = page.locator("#scorm-results tbody tr").first
    assert "Người dùng teacher" in row.inner_text() and "80/100" in row.inner_text()


def test_lecture_is_exported_from_its_page(teacher_page, live_server):
    page = teacher_page
    material_id = _import(page, live_server.url, "1.2")
    page.goto(f"{live_server.url}/materials/{material_id}")
    page.select_option("#export-form select[name=format]", "scorm2004")
    page.click("#export-form button[type=submit]")
    link = page.locator("#export-download")
    link.wait_for(state="visible")
    response = page.request.get(live_server.url + link.get_attribute("href"))
    exported = open_package(io.BytesIO(response.body())).package
    assert exported.version == "2004 4th" and len(exported.scos) == 1
