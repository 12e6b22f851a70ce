"""Real QTI files from other systems (…/shared/samples) imported through the API."""

import io
import zipfile

import pytest

from tests.qti.support import SAMPLES
from tests.qti.test_qti_samples import EXPECTED, NO, OK

ITEMS = [(name, outcome) for name, outcome, _ in EXPECTED if outcome in (OK, NO)]


@pytest.fixture(scope="module")
def samples():
    """The shared samples folder; skip with a message when it is absent."""
    if not SAMPLES.is_dir():
        pytest.skip(f"shared QTI samples not present at {SAMPLES}")
    return SAMPLES


def _post(client, files: list[tuple[str, bytes]], **form):
    data = {"files": [(io.BytesIO(body), name) for name, body in files], **form}
    return client.post("/api/v1/imports", data=data, content_type="multipart/form-data")


def test_sample_items_are_imported_or_skipped_file_by_file(samples, api):
    teacher = api("teacher")
    files = [(name, (samples / name).read_bytes()) for name, _ in ITEMS]
    response = _post(teacher, files, subject="toan", grade="6")
    assert response.status_code == 201, response.get_json()
    report = response.get_json()
    skipped = {entry["file"] for entry in report["skipped"]}
    assert skipped == {name for name, outcome in ITEMS if outcome == NO}
    assert len(report["imported"]) == sum(outcome == OK for _, outcome in ITEMS)
    listed = teacher.get("/api/v1/questions?status=draft&per_page=100").get_json()
    assert listed["total"] == len(report["imported"])
    assert {q["subject"] for q in listed["items"]} == {"TOAN"}


@pytest.mark.parametrize(
    "folder", ["qti22/package_test_qti_2.2", "qti30/BeginnersGuide"]
)
def test_sample_packages_import_through_the_api(samples, api, folder):
    buffer = io.BytesIO()
    root = samples / folder
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                archive.write(path, str(path.relative_to(root)))
    response = _post(api("teacher"), [(f"{root.name}.zip", buffer.getvalue())])
    assert response.status_code == 201, response.get_json()
    report = response.get_json()
    assert report["imported"] and report["skipped"]
    assert all(entry["reason"] for entry in report["skipped"])
