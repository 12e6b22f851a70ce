"""Indexing after commit: changes, the outbox when the engine is down, file text,
reindex (on SQLite FTS5, then OpenSearch and Elasticsearch when their URLs are set)."""

import pytest
from sqlalchemy import func, select

from repo_server.backends import SEARCH, get_search
from repo_server.extensions import db
from search import from_url
from tests.server.search_helpers import UNAVAILABLE, create, find, ids, move, question


@pytest.fixture(scope="module")
def app(search_app):
    """This module runs on every search backend."""
    return search_app


@pytest.fixture(autouse=True)
def empty_index(app):
    """Every test starts from an empty index."""
    with app.app_context():
        get_search().reset()


def test_changes_are_indexed_after_commit(people):
    teacher, curator, student = people["teacher"], people["curator"], people["student"]
    item_id = create(teacher, "questions", question("Chu vi hình tròn"))
    update = {"item": question("Diện tích hình tròn")["item"]}
    assert teacher.patch(f"/api/v1/questions/{item_id}", update).status_code == 200
    assert find(teacher, q="chu vi")["total"] == 0
    assert ids(find(teacher, q="dien tich")) == [("question", item_id)]
    move(teacher, "questions", item_id, "submit")
    move(curator, "questions", item_id, "publish")
    assert ids(find(student, q="dien tich")) == [("question", item_id)]
    version = curator.post(f"/api/v1/questions/{item_id}/versions").get_json()["id"]
    move(curator, "questions", version, "submit", "publish")
    assert ids(find(student, q="dien tich")) == [("question", version)]
    draft = create(teacher, "questions", question("Câu nháp sẽ xoá"))
    assert teacher.delete(f"/api/v1/questions/{draft}").status_code == 204
    assert find(teacher, q="nhap se xoa")["total"] == 0


def test_engine_down_answers_503_and_writes_are_indexed_later(app, people, monkeypatch):
    from repo_server.catalog.models import SearchOutbox

    teacher = people["teacher"]
    working = app.extensions[SEARCH]
    monkeypatch.setitem(app.extensions, SEARCH, from_url("http://127.0.0.1:9/down"))
    item_id = create(teacher, "questions", question("Lực ma sát trượt"))
    update = {"item": question("Lực ma sát nghỉ")["item"]}
    assert teacher.patch(f"/api/v1/questions/{item_id}", update).status_code == 200
    response = teacher.get("/api/v1/search?q=ma+sat")
    assert response.status_code == 503
    assert UNAVAILABLE in response.get_json()["error"]["message"]
    with app.app_context():
        rows = db.session.scalars(select(SearchOutbox)).all()
        assert {row.item_id for row in rows} == {item_id}
        assert all(row.attempts >= 1 and "down" in row.last_error for row in rows)
    monkeypatch.setitem(app.extensions, SEARCH, working)
    assert ids(find(teacher, q="ma sat nghi")) == [("question", item_id)]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SearchOutbox)) == 0


def test_material_documents_include_file_text(app, people):
    from repo_server.catalog.service import flush_outbox, mark_for_index
    from repo_server.files.models import Blob, MaterialFile

    material = {
        "title": "Tài liệu",
        "kind": "document",
        "subject": "TOAN",
        "grade": "6",
    }
    item_id = create(people["teacher"], "materials", material)
    with app.app_context():
        db.session.add(
            Blob(sha256="a" * 64, size=1, content_type="text/plain", storage_key="k")
        )
        text = "Nội dung tệp: định lí Pythagore cho tam giác vuông."
        db.session.add(
            MaterialFile(
                material_id=item_id,
                blob_sha256="a" * 64,
                filename="bai.txt",
                content_type="text/plain",
                size=1,
                extracted_text=text,
            )
        )
        mark_for_index("material", item_id)
        db.session.commit()
        assert flush_outbox().applied == 1
    found = find(people["teacher"], q="pythagore tam giac vuong")
    assert ids(found) == [("material", item_id)]
    assert "<mark>Pythagore</mark>" in found["items"][0]["snippet"]


def test_reindex_rebuilds_from_the_database_with_progress(app, people):
    from repo_server.catalog import service

    teacher = people["teacher"]
    made = [
        create(teacher, "questions", question(f"Ôn tập chương {n}")) for n in (1, 2)
    ]
    with app.app_context():
        get_search().reset()
    assert find(teacher, q="on tap")["total"] == 0
    with app.app_context():
        steps = []
        assert service.reindex(steps.append) == 2 == sum(steps)
    assert sorted(hit["id"] for hit in find(teacher, q="on tap")["items"]) == made


def test_an_uploaded_file_is_searchable_at_once(app, people):
    from tests.conftest import upload_file

    material = {
        "title": "Tài liệu",
        "kind": "document",
        "subject": "TOAN",
        "grade": "6",
    }
    item_id = create(people["teacher"], "materials", material)
    text = "Bài đọc thêm: định lí Ta-lét trong tam giác.".encode()
    uploaded = upload_file(people["teacher"], item_id, text, "doc-them.txt")
    assert uploaded.status_code == 201, uploaded.get_json()
    found = find(people["teacher"], q="dinh li ta-let")
    assert ids(found) == [("material", item_id)]
