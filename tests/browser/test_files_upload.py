"""The files page in a real browser: chunked upload with retry, resume after a reload."""

import os

import pytest

pytestmark = pytest.mark.browser
CHUNK = 256 * 1024


@pytest.fixture
def material(live_server):
    """A draft material of the browser tests' teacher, with small upload chunks."""
    from repo_server.accounts.service import find_user
    from repo_server.materials.service import create_material
    from tests.browser.conftest import USERS

    app = live_server.app
    default = app.config["UPLOAD_CHUNK_BYTES"]
    app.config["UPLOAD_CHUNK_BYTES"] = CHUNK
    with app.app_context(), app.test_request_context():
        teacher = find_user(USERS["teacher"])
        data = {"title": "Video bài giảng", "kind": "video"}
        yield create_material(teacher, data).id
    app.config["UPLOAD_CHUNK_BYTES"] = default


@pytest.fixture
def teacher_page(lenient_page):
    """The teacher's tab (refused requests expected, script errors not): the shared one."""
    return lenient_page


@pytest.fixture
def video(tmp_path):
    """A 1 MiB "MP4" on disk (a stable lastModified lets the page recognise it)."""
    path = tmp_path / "Bài giảng số 1.mp4"
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42" + os.urandom(1024 * 1024 - 12))
    return path


def chunk_starts(page) -> list[int]:
    """Record the first byte of every chunk the page sends."""
    starts = []

    def seen(request):
        if request.method == "PUT" and "/api/v1/uploads/" in request.url:
            span = request.headers.get("content-range", "")
            starts.append(int(span.split()[1].split("-")[0]) if "-" in span else -1)

    page.on("request", seen)
    return starts


def test_a_failed_chunk_is_retried_and_the_file_appears(
    teacher_page, live_server, material, video
):
    page = teacher_page
    page.goto(f"{live_server.url}/materials/{material}/files")
    failures = []

    def flaky(route):
        if route.request.method == "PUT" and not failures:
            failures.append(route.request.url)
            route.abort()  # the connection drops once
        else:
            route.continue_()

    page.route("**/api/v1/uploads/*", flaky)
    page.set_input_files(".files-input", str(video))
    page.click(".files-form button[type=submit]")
    page.wait_for_selector("video.file-preview", timeout=30_000)
    assert failures
    assert page.locator(".file-name").inner_text() == "Bài giảng số 1.mp4"
    src = page.locator("video.file-preview").get_attribute("src")
    ranged = page.request.get(live_server.url + src, headers={"Range": "bytes=0-11"})
    assert ranged.status == 206 and ranged.body()[4:8] == b"ftyp"


def test_after_a_reload_choosing_the_file_again_resumes(
    teacher_page, live_server, material, video
):
    page = teacher_page
    url = f"{live_server.url}/materials/{material}/files"
    page.goto(url)
    sent = []

    def stop_after_two(route):
        if route.request.method == "PUT" and len(sent) >= 2:
            route.abort()  # the network goes away
        else:
            sent.append(route.request.method)
            route.continue_()

    page.route("**/api/v1/uploads/*", stop_after_two)
    page.set_input_files(".files-input", str(video))
    page.click(".files-form button[type=submit]")
    page.wait_for_function("document.body.innerText.includes('thử lại')")
    page.unroute("**/api/v1/uploads/*")
    page.goto(url)  # the teacher reloads the page
    page.wait_for_selector(".files-pending li")
    assert "Bài giảng số 1.mp4" in page.locator(".files-pending").inner_text()
    starts = chunk_starts(page)
    page.set_input_files(".files-input", str(video))
    page.click(".files-form button[type=submit]")
    page.wait_for_selector("video.file-preview", timeout=30_000)
    assert starts and starts[0] > 0  # it continued, it did not start again
