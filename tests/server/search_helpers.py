"""Helpers of the search tests: payloads, lifecycle moves, searching through the API."""

UNAVAILABLE = "Máy tìm kiếm tạm thời không truy cập được"


def question(stem, explanation="", subject="TOAN", grade="6", **fields):
    """A single-choice question payload."""
    item = {
        "type": "single_choice",
        "stem": stem,
        "choices": [{"id": "A", "text": "Đáp án một"}, {"id": "B", "text": "Hai"}],
        "correct": ["A"],
    }
    if explanation:
        item["explanation"] = explanation
    return {"subject": subject, "grade": grade, "item": item, **fields}


def create(client, kind, payload) -> int:
    """Create a draft through the API and return its id."""
    response = client.post(f"/api/v1/{kind}", payload)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def move(client, kind, item_id, *actions, comment=None):
    """Apply lifecycle actions in order."""
    for action in actions:
        body = {"comment": comment} if action == "return" else None
        response = client.post(f"/api/v1/{kind}/{item_id}/{action}", body)
        assert response.status_code == 200, response.get_json()


def find(client, **params) -> dict:
    """GET /api/v1/search and return the JSON (asserting 200)."""
    response = client.get("/api/v1/search", query_string=params)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def ids(results: dict) -> list[tuple[str, int]]:
    """Return (kind, id) of the hits in order."""
    return [(hit["kind"], hit["id"]) for hit in results["items"]]
