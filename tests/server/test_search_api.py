"""Search through the API and the page: Vietnamese matching, who sees what, facets,
filters, pages (on SQLite FTS5, then OpenSearch and Elasticsearch when their URLs are set)."""

import re

import pytest

from repo_server.backends import get_search
from tests.server.search_helpers import create, find, ids, move, question


@pytest.fixture(scope="module")
def app(search_app):
    """This module runs on every search backend."""
    return search_app


@pytest.fixture(autouse=True)
def empty_index(app):
    """Every test starts from an empty index."""
    with app.app_context():
        get_search().reset()


def test_anonymous_gets_401(api):
    assert api().get("/api/v1/search?q=toan").status_code == 401


def test_queries_without_diacritics_find_vietnamese_text(people):
    teacher, curator = people["teacher"], people["curator"]
    first = create(teacher, "questions", question("Giải phương trình bậc hai x² = 4"))
    move(teacher, "questions", first, "submit")
    move(curator, "questions", first, "publish")
    material = {"title": "Em yêu quê hương", "kind": "video", "subject": "DD"}
    other = create(teacher, "materials", {**material, "grade": "3"})
    found = find(teacher, q="phuong trinh")
    assert ids(found) == [("question", first)]
    assert "<mark>phương</mark> <mark>trình</mark>" in found["items"][0]["snippet"]
    assert ids(find(teacher, q="dao duc")) == [("material", other)]
    assert ids(find(teacher, q="Đạo đức")) == [("material", other)]
    assert ids(find(teacher, q='"bậc hai"')) == [("question", first)]
    assert ids(find(teacher, q="phuong tr")) == [("question", first)]


def test_students_never_see_drafts_or_answer_keys(people):
    teacher, curator, student = people["teacher"], people["curator"], people["student"]
    published = create(
        teacher,
        "questions",
        question("Số nào là số nguyên tố?", "Lời giải: bảy chỉ chia hết cho một"),
    )
    move(teacher, "questions", published, "submit")
    move(curator, "questions", published, "publish")
    draft = create(teacher, "questions", question("Số nguyên tố nhỏ nhất là số nào?"))
    seen = find(student, q="nguyen to")
    assert ids(seen) == [("question", published)]
    assert find(student, q="chia het").get("total") == 0  # the explanation
    assert "chia hết" not in str(find(student, q="nguyen to"))
    assert ids(find(teacher, q="chia het")) == [("question", published)]
    assert "chia hết" not in find(teacher, q="chia het")["items"][0]["snippet"]
    assert ("question", draft) in ids(find(teacher, q="nguyen to"))
    assert find(student, status="draft")["total"] == 0


def test_teachers_see_their_own_drafts_only(people):
    mine = create(people["teacher"], "questions", question("Tập hợp các số chẵn"))
    theirs = create(people["other"], "questions", question("Tập hợp các số lẻ"))
    assert ids(find(people["teacher"], q="tap hop")) == [("question", mine)]
    assert ids(find(people["other"], q="tap hop")) == [("question", theirs)]


def test_curators_see_submitted_items_of_their_subjects(people):
    teacher = people["teacher"]
    maths = create(teacher, "questions", question("Hình vuông có mấy cạnh?"))
    prose = create(
        teacher, "questions", question("Hình ảnh nào trong bài thơ?", subject="NV")
    )
    move(teacher, "questions", maths, "submit")
    move(teacher, "questions", prose, "submit")
    assert ids(find(people["curator"], q="hinh")) == [("question", maths)]
    assert ids(find(people["curator_nv"], q="hinh")) == [("question", prose)]
    assert find(people["other"], q="hinh")["total"] == 0


def test_search_visibility_matches_the_lifecycle_rules(people):
    """Every role finds exactly the items it may open, in every state."""
    made = _items_in_every_state(people)
    for name, client in people.items():
        found = set(ids(find(client, per_page=100, facets="none")))
        openable = {
            (kind, item_id)
            for kind, item_id in made
            if client.get(f"/api/v1/{kind}s/{item_id}").status_code == 200
        }
        assert found == openable, name


def _items_in_every_state(people) -> list[tuple[str, int]]:
    """Questions of one teacher in every state, a curator's new version, a material."""
    teacher, curator = people["teacher"], people["curator"]
    made = []
    for status, subject in (
        ("draft", "TOAN"),
        ("submitted", "TOAN"),
        ("submitted", "NV"),
        ("returned", "TOAN"),
        ("published", "TOAN"),
        ("archived", "TOAN"),
    ):
        item_id = create(
            teacher, "questions", question(f"Câu {status}", subject=subject)
        )
        moves = {"draft": (), "submitted": ("submit",)}.get(status, ("submit",))
        move(teacher, "questions", item_id, *moves)
        reviewer = curator if subject == "TOAN" else people["curator_nv"]
        later = {"returned": ("return",), "published": ("publish",)}
        later["archived"] = ("publish", "archive")
        move(reviewer, "questions", item_id, *later.get(status, ()), comment="Sửa")
        made.append(("question", item_id))
    response = curator.post(f"/api/v1/questions/{made[4][1]}/versions")
    made.append(("question", response.get_json()["id"]))
    material = {"title": "Bài giảng", "kind": "slides", "subject": "NV", "grade": "6"}
    made.append(("material", create(people["other"], "materials", material)))
    return made


def test_facet_counts_and_filters(people):
    teacher = people["teacher"]
    for stem, subject, grade in (
        ("Đề ôn tập số học", "TOAN", "6"),
        ("Đề ôn tập hình học", "TOAN", "7"),
        ("Đề ôn tập văn bản", "NV", "6"),
    ):
        create(teacher, "questions", question(stem, subject=subject, grade=grade))
    material = {"title": "Đề ôn tập cuối kì", "kind": "document", "subject": "TOAN"}
    create(teacher, "materials", {**material, "grade": "6"})
    found = find(teacher, q="on tap")
    assert found["total"] == 4
    subjects = {
        v["value"]: (v["label"], v["count"]) for v in found["facets"]["subject"]
    }
    assert subjects == {"TOAN": ("Toán", 3), "NV": ("Ngữ văn", 1)}
    kinds = {v["value"]: v["count"] for v in found["facets"]["kind"]}
    assert kinds == {"question": 3, "material": 1}
    assert found["facets"]["status"] == [
        {"value": "draft", "label": "Bản nháp", "count": 4}
    ]
    assert find(teacher, q="on tap", subject="Toán", grade="6")["total"] == 2
    both = find(teacher, q="on tap", subject=["TOAN", "NV"], type="single_choice")
    assert both["total"] == 3 and both["filters"]["question_type"] == ["single_choice"]
    assert find(teacher, kind="material", material_kind="document")["total"] == 1
    only = find(teacher, q="on tap", facets="grade")
    assert list(only["facets"]) == ["grade"]


def test_pagination_and_sorting(people):
    teacher = people["teacher"]
    made = [
        create(teacher, "questions", question(f"Bài luyện tập số {n}"))
        for n in range(1, 13)
    ]
    pages = [find(teacher, q="luyen tap", per_page=5, page=n) for n in (1, 2, 3)]
    assert [p["pages"] for p in pages] == [3, 3, 3]
    assert [len(p["items"]) for p in pages] == [5, 5, 2]
    seen = [hit["id"] for p in pages for hit in p["items"]]
    assert sorted(seen) == made
    newest = find(teacher, q="luyen tap", sort="newest", per_page=3)
    assert [hit["id"] for hit in newest["items"]] == made[::-1][:3]
    assert newest["total"] == 12 and newest["total_exact"] is True


def test_totals_stop_at_the_count_limit(app, people, monkeypatch):
    teacher = people["teacher"]
    made = [
        create(teacher, "questions", question(f"Bài ôn luyện số {n}"))
        for n in range(1, 8)
    ]
    monkeypatch.setitem(app.config, "LIST_COUNT_LIMIT", 5)
    found = find(teacher, q="on luyen", sort="newest", per_page=2)
    assert (found["total"], found["total_exact"], found["pages"]) == (5, False, 3)
    assert [hit["id"] for hit in found["items"]] == made[::-1][:2]
    assert sum(v["count"] for v in found["facets"]["kind"]) >= 5
    page = teacher.get("/search", query_string={"q": "on luyen"})
    assert "5+ kết quả" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    "params",
    [
        {"per_page": 101},
        {"page": 0},
        {"page": 200, "per_page": 100},
        {"sort": "oldest"},
        {"status": "deleted"},
        {"facets": "subject,colour"},
        {"subject": "Thiên văn học"},
        {"topic": "KHONG-CO"},
    ],
)
def test_bad_arguments_get_422(people, params):
    response = people["teacher"].get("/api/v1/search", query_string=params)
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["error"]["code"] == "invalid"


def test_snippets_are_escaped_html_with_marks(people):
    teacher = people["teacher"]
    create(teacher, "questions", question("So sánh: 2 &lt; 3 và <b>ba</b> &amp; bốn"))
    snippet = find(teacher, q="so sanh")["items"][0]["snippet"]
    assert "<mark>So</mark> <mark>sánh</mark>" in snippet
    assert "&lt;" in snippet and "&amp;" in snippet and "<b>" not in snippet


def test_search_page_shows_facets_highlights_and_pages(people, api):
    teacher = people["teacher"]
    for n in range(1, 24):
        create(teacher, "questions", question(f"Phương trình số {n}"))
    page = teacher.get("/search?q=phuong+trinh").get_data(as_text=True)
    assert "<mark>Phương</mark> <mark>trình</mark>" in page
    assert "Môn học" in page and "Toán" in page and ">23<" in page
    assert 'rel="next"' in page and "Tìm kiếm" in page
    filtered = teacher.get("/search?q=phuong+trinh&subject=TOAN&page=2")
    selected = re.search(r'<a href="([^"]*)" class="selected"', filtered.text)
    assert filtered.status_code == 200 and selected
    assert "subject=TOAN" not in selected.group(1) and "page=" not in selected.group(1)
    anonymous = api().get("/search?q=x")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_facet_labels_follow_a_taxonomy_change_at_once(app, people):
    from repo_server.catalog.labels import CACHE
    from repo_server.extensions import db
    from repo_server.taxonomy.models import Subject

    teacher = people["teacher"]
    create(teacher, "questions", question("Bài đọc hiểu", subject="NV"))

    def label() -> str:
        facet = find(teacher, q="doc hieu")["facets"]["subject"]
        return {v["value"]: v["label"] for v in facet}["NV"]

    def rename(name: str, commit: bool = True) -> None:
        with app.app_context():
            db.session.get(Subject, "NV").name_vi = name
            db.session.flush()
            if commit:
                db.session.commit()
            else:
                db.session.rollback()

    assert label() == "Ngữ văn"
    rename("Tiếng Việt và Văn học", commit=False)
    assert CACHE in app.extensions  # a rolled-back change keeps the cached names
    try:
        rename("Tiếng Việt và Văn học")
        assert label() == "Tiếng Việt và Văn học"
    finally:
        rename("Ngữ văn")
    assert label() == "Ngữ văn"


def test_a_deactivated_user_can_no_longer_search(app, api, make_user):
    from repo_server.accounts.models import User
    from repo_server.extensions import db

    user = make_user("curator")
    client = api(user)
    assert client.get("/api/v1/search", query_string={"q": "x"}).status_code == 200
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()
    assert client.get("/api/v1/search", query_string={"q": "x"}).status_code == 401


def test_search_requests_load_a_light_reader(app, make_user):
    from repo_server.accounts.readers import Reader, active_reader

    curator = make_user("curator", subjects=["TOAN", "NV"])
    teacher = make_user("teacher")
    with app.app_context():
        assert active_reader(curator.id) == Reader(
            curator.id, "curator", "vi", ("NV", "TOAN")
        )
        assert active_reader(teacher.id).subject_codes == ()
        assert active_reader(10**9) is None
