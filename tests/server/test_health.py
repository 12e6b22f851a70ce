"""GET /api/v1/health: the database decides up or down; search and storage degrade."""

from repo_server.backends import SEARCH, STORAGE
from search import from_url as search_from_url
from storage import from_url as storage_from_url


def health(app):
    response = app.test_client().get("/api/v1/health")
    return response.status_code, response.get_json()


def test_everything_answers(app):
    assert health(app) == (
        200,
        {
            "status": "ok",
            "database": "ok",
            "search": "ok",
            "storage": "ok",
            "search_outbox": 0,
        },
    )


def test_a_search_outage_degrades_but_keeps_the_app_in_service(app, monkeypatch):
    down = search_from_url("http://127.0.0.1:9/down")
    monkeypatch.setitem(app.extensions, SEARCH, down)
    status, body = health(app)
    assert status == 200
    assert body["status"] == "degraded" and body["search"] == "unreachable"


def test_a_storage_outage_degrades(app, monkeypatch):
    url = "s3://bucket/x?endpoint=http://127.0.0.1:9&region=us-east-1"
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "k")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "s")
    monkeypatch.setitem(app.extensions, STORAGE, storage_from_url(url))
    status, body = health(app)
    assert status == 200
    assert body["status"] == "degraded" and body["storage"] == "unreachable"
