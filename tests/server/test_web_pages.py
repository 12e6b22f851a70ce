"""The web shell through the test client: access per role, forms, CSRF, language."""

import re
from datetime import datetime

import pytest

from tests.conftest import question_payload

HTML = {"Accept": "text/html,application/xhtml+xml"}
TOPIC = "TOAN-6-KNTT-C1-B1"
TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')


class Browser:
    """A test client that logs in through the form and posts forms with the CSRF token."""

    def __init__(self, app, user=None):
        self.client = app.test_client()
        if user is not None:
            page = self.post("/login", {"email": user.email, "password": "mat-khau-1"})
            assert page.status_code == 302, page.text

    def get(self, url, **kwargs):
        """GET a page as a browser would."""
        return self.client.get(url, headers=HTML, **kwargs)

    def token(self) -> str:
        """The CSRF token the layout gives to forms."""
        return TOKEN.search(self.get("/login", follow_redirects=True).text).group(1)

    def post(self, url, data=None, csrf=True):
        """POST a form (with its CSRF token unless ``csrf`` is false)."""
        data = dict(data or {})
        if csrf:
            data["csrf_token"] = self.token()
        return self.client.post(url, data=data, headers=HTML)


@pytest.fixture
def browser(app, make_user):
    """``browser(role_or_user)`` returns a logged-in Browser (anonymous with None)."""

    def make(who=None):
        user = make_user(who) if isinstance(who, str) else who
        return Browser(app, user)

    return make


def editor_form(qtype: str) -> dict:
    """The editor's fields for a valid question of each type (Toán 6)."""
    fields = {
        "type": qtype,
        "stem": r"Tính \(\frac{1}{2} + \frac{1}{2}\).",
        "subject": "TOAN",
        "grade": "6",
        "topic": TOPIC,
        "cognitive_level": "NB",
        "difficulty": "2",
        "tags": "phân số, cộng",
        "licence": "CC-BY-4.0",
        "explanation": "Lời giải bí mật: bằng 1.",
        "choice_text": ["1", "2", "0", ""],
        "correct": ["A"] if qtype != "multiple_response" else ["A", "C"],
    }
    extra = {
        "true_false": {"tf": "true"},
        "true_false_cluster": {
            **{f"statement_{x}": f"Mệnh đề {x}" for x in "abcd"},
            **{f"truth_{x}": "true" if x in "ac" else "false" for x in "abcd"},
        },
        "numeric": {"numeric_value": "2,5", "numeric_tolerance": "0,01"},
    }
    return {**fields, **extra.get(qtype, {})}


EXPECTED = {
    "single_choice": {"correct": ["A"], "choices": 3},
    "multiple_response": {"correct": ["A", "C"], "choices": 3},
    "true_false": {"correct": ["true"]},
    "true_false_cluster": {"statements": [True, False, True, False]},
    "numeric": {"numeric": {"value": 2.5, "tolerance": 0.01, "base_type": "float"}},
}


@pytest.mark.parametrize("qtype", list(EXPECTED))
def test_teacher_creates_each_question_type_through_the_editor(browser, qtype):
    teacher = browser("teacher")
    assert teacher.get("/questions/new").status_code == 200
    saved = teacher.post("/questions/new", editor_form(qtype))
    assert saved.status_code == 302, saved.text
    qid = int(saved.location.rsplit("/", 1)[1])
    body = teacher.client.get(f"/api/v1/questions/{qid}").get_json()
    item, expected = body["item"], EXPECTED[qtype]
    assert (body["type"], body["topic"], body["difficulty"]) == (qtype, TOPIC, 2)
    assert body["tags"] == ["phân số", "cộng"] and "Lời giải" in item["explanation"]
    if "choices" in expected:
        assert [c["id"] for c in item["choices"]] == ["A", "B", "C"]
    if "statements" in expected:
        assert [s["correct"] for s in item["statements"]] == expected["statements"]
    for key in ("correct", "numeric"):
        assert item.get(key) == expected.get(key)
    page = teacher.get(f"/questions/{qid}").text
    assert "Lời giải bí mật" in page and 'class="key-mark"' in page


def test_editor_shows_errors_inline_and_keeps_the_input(browser):
    teacher = browser("teacher")
    form = {**editor_form("single_choice"), "correct": []}
    page = teacher.post("/questions/new", form)
    assert page.status_code == 422
    assert "Câu một lựa chọn phải có đúng một đáp án." in page.text
    assert r"\frac{1}{2}" in page.text and 'class="field-error"' in page.text
    numeric = editor_form("numeric")
    bad = teacher.post("/questions/new", {**numeric, "numeric_value": "hai"})
    assert bad.status_code == 422 and "Hãy nhập một số" in bad.text
    bad = teacher.post("/questions/new", {**numeric, "grade": "7"})
    assert bad.status_code == 422 and 'id="topic-error"' in bad.text


def test_editing_keeps_item_parts_the_editor_does_not_show(api, browser, make_user):
    teacher = make_user("teacher")
    payload = question_payload()
    payload["item"] = {**payload["item"], "identifier": "Q-ngoai", "shuffle": True}
    qid = api(teacher).post("/api/v1/questions", payload).get_json()["id"]
    web = browser(teacher)
    assert "∅" in web.get(f"/questions/{qid}/edit").text
    form = {**editor_form("single_choice"), "stem": "Đề đã sửa"}
    assert web.post(f"/questions/{qid}/edit", form).status_code == 302
    item = web.client.get(f"/api/v1/questions/{qid}").get_json()["item"]
    assert item["stem"] == "Đề đã sửa"
    assert (item["identifier"], item["shuffle"]) == ("Q-ngoai", True)


def published(api, qtype="single_choice", **overrides) -> int:
    """Create, submit and publish a question through the API; return its id."""
    teacher, curator = api("teacher"), api("curator")
    payload = question_payload(qtype, **overrides)
    qid = teacher.post("/api/v1/questions", payload).get_json()["id"]
    teacher.post(f"/api/v1/questions/{qid}/submit")
    assert curator.post(f"/api/v1/questions/{qid}/publish").status_code == 200
    return qid


SECRETS = ("Giải thích kín đáo", "is-correct", "Đáp án đúng", "2,5", "Lời giải")


@pytest.mark.parametrize("qtype", list(EXPECTED))
def test_students_never_see_the_key_or_the_explanation(api, browser, qtype):
    item = dict(question_payload(qtype)["item"], explanation="Giải thích kín đáo.")
    qid = published(api, qtype, item=item)
    page = browser("student").get(f"/questions/{qid}").text
    assert not [secret for secret in SECRETS if secret in page]
    assert qtype != "true_false_cluster" or "Mệnh đề a" in page
    assert "Giải thích kín đáo" in browser("admin").get(f"/questions/{qid}").text


def test_lifecycle_buttons_move_a_question_through_review(api, browser, make_user):
    teacher = make_user("teacher")
    qid = api(teacher).post("/api/v1/questions", question_payload()).get_json()["id"]
    author, curator = browser(teacher), browser("curator")
    assert author.post(f"/questions/{qid}/submit").status_code == 302
    assert "Tập hợp nào sau đây rỗng?" in curator.get("/review").text
    refused = curator.post(f"/questions/{qid}/return", {"comment": ""}, csrf=True)
    assert "Cần ghi nhận xét khi trả lại." in curator.get(refused.location).text
    curator.post(f"/questions/{qid}/return", {"comment": "Thêm hình minh hoạ"})
    assert "Thêm hình minh hoạ" in author.get("/").text
    author.post(f"/questions/{qid}/submit")
    done = curator.post(f"/questions/{qid}/publish", {"next": "/review"})
    assert done.location == "/review"
    assert "Đã xuất bản" in author.get(f"/questions/{qid}").text
    assert browser("student").post(f"/questions/{qid}/archive").status_code == 403
    new = author.post(f"/questions/{qid}/versions")
    assert new.status_code == 302 and new.location.endswith("/edit")


def test_material_form_creates_and_edits(browser):
    teacher = browser("teacher")
    form = dict(title="Tập hợp", kind="slides", subject="TOAN", grade="6")
    form.update(series="KNTT", language="vi", licence="CC-BY-4.0", tags="tập hợp")
    created = teacher.post("/materials/new", form)
    assert created.status_code == 302, created.text
    url = created.location + "/edit"
    assert teacher.post(url, {**form, "title": ""}).status_code == 422
    assert teacher.post(url, {**form, "title": "Tập hợp (sửa)"}).status_code == 302
    mid = int(created.location.rsplit("/", 1)[1])
    page = teacher.get(f"/materials/{mid}").text
    assert "Tập hợp (sửa)" in page and "Trình chiếu" in page and "Tệp đính kèm" in page
    assert "Tập hợp (sửa)" in teacher.get("/materials?kind=slides").text


AUTHORS_ONLY = {"student": 403}
ADMINS_ONLY = {"student": 403, "teacher": 403, "curator": 403}
PAGES = [("/", {}), ("/questions", {}), ("/materials", {}), ("/account/tokens", {})]
PAGES += [("/questions/new", AUTHORS_ONLY), ("/materials/new", AUTHORS_ONLY)]
PAGES += [("/review", {"student": 403, "teacher": 403})]
PAGES += [(url, ADMINS_ONLY) for url in ("/admin/users", "/admin/users/new")]
PAGES += [
    (url, ADMINS_ONLY) for url in ("/admin/organisations", "/admin/organisations/new")
]


@pytest.mark.parametrize("url,refused", PAGES)
def test_each_page_renders_for_its_roles_and_refuses_others(browser, url, refused):
    for role in ("student", "teacher", "curator", "admin"):
        page = browser(role).get(url)
        assert page.status_code == refused.get(role, 200), (role, url)
        assert "<html" in page.text
    anonymous = browser().get(url)
    assert anonymous.location.startswith("/login?next=")


def test_drafts_are_hidden_from_students_and_other_teachers(api, browser, make_user):
    teacher = make_user("teacher")
    qid = api(teacher).post("/api/v1/questions", question_payload()).get_json()["id"]
    assert browser(teacher).get(f"/questions/{qid}/edit").status_code == 200
    assert browser("student").get(f"/questions/{qid}").status_code == 404
    assert browser("teacher").get(f"/questions/{qid}/edit").status_code == 404


def test_forms_without_csrf_token_are_refused(browser):
    teacher = browser("teacher")
    refused = teacher.post("/questions/new", editor_form("numeric"), csrf=False)
    assert refused.status_code == 400
    login = browser().post("/login", {"email": "a@b.vn", "password": "x"}, csrf=False)
    assert login.status_code == 400 and "CSRF" in login.text


def test_login_form(browser, make_user):
    user = make_user("teacher")
    anonymous, login = browser(), {"email": user.email, "password": "mat-khau-1"}
    assert 'name="password"' in anonymous.get("/login").text
    wrong = anonymous.post("/login", {**login, "password": "sai-mat-khau"})
    assert wrong.status_code == 200 and "Email hoặc mật khẩu không đúng." in wrong.text
    assert anonymous.post("/login?next=/materials", login).location == "/materials"
    assert anonymous.get("/login").location == "/"
    assert anonymous.post("/logout").location == "/login"
    assert anonymous.post("/login?next=//evil.example", login).location == "/"


def test_english_switch_sets_the_interface_and_the_user_locale(api, browser, make_user):
    anonymous = browser()
    anonymous.post("/language", {"lang": "en", "next": "/login"})
    assert ">Log in<" in anonymous.get("/login").text
    user = make_user("teacher")
    web = browser(user)
    assert "Đăng xuất" in web.get("/").text
    switched = web.post("/language", {"lang": "en", "next": "/questions"})
    assert switched.location == "/questions"
    page = web.get("/questions").text
    assert "Log out" in page and "Write a new question" in page
    assert "Đăng xuất" not in page
    assert api(user).get("/api/v1/me").get_json()["user"]["locale"] == "en"


def test_admin_manages_users_and_organisations(browser, make_org):
    admin = browser("admin")
    school = make_org("THCS-B")
    new_user = dict(email="hs@truong.edu.vn", name="Học sinh Mới", role="student")
    new_user.update(org_id=school.id, password="mat-khau-2", grade="7")
    new_user.update(class_name="7A2", locale="vi", active="1")
    short = admin.post("/admin/users/new", {**new_user, "password": "ngan"})
    assert short.status_code == 422 and "ít nhất 8 ký tự" in short.text
    assert admin.post("/admin/users/new", new_user).status_code == 302
    listing = admin.get(f"/admin/users?role=student&org={school.id}").text
    assert "Học sinh Mới" in listing and "7A2" in listing
    uid = int(re.search(r"/admin/users/(\d+)/edit\">Học sinh Mới", listing).group(1))
    assert admin.post(f"/admin/users/{uid}/active", {"active": "0"}).status_code == 302
    assert "Đã khoá" in admin.get("/admin/users?role=student").text
    edited = admin.post(f"/admin/users/{uid}/edit", {**new_user, "name": "HS Đổi"})
    assert edited.status_code == 302 and "HS Đổi" in admin.get("/admin/users").text
    department = {"code": "SGD-X", "name": "Sở X", "kind": "department"}
    assert admin.post("/admin/organisations/new", department).status_code == 302
    tree = admin.get("/admin/organisations").text
    sgd = re.search(r'/admin/organisations/(\d+)/edit">Sở X', tree).group(1)
    school = {"code": "TH-X", "name": "Trường Tiểu học X", "kind": "school"}
    made = {**school, "parent_id": sgd, "levels": "TH"}
    assert admin.post("/admin/organisations/new", made).status_code == 302
    tree = admin.get("/admin/organisations").text
    assert "Trường Tiểu học X" in tree and "Tiểu học" in tree
    orphan = admin.post("/admin/organisations/new", {**school, "code": "TH-Y"})
    assert orphan.status_code == 422 and "Đơn vị cấp trên không phù hợp" in orphan.text


def test_tokens_page_shows_the_secret_once_and_revokes(browser):
    web = browser("teacher")
    created = web.post("/account/tokens", {"name": "Máy chấm"})
    secret = re.search(r'id="new-token">([^<]+)<', created.text).group(1)
    assert secret.startswith("khls_")
    listed = web.get("/account/tokens").text
    assert "Máy chấm" in listed and secret not in listed
    token_id = re.search(r"/account/tokens/(\d+)/revoke", listed).group(1)
    assert web.post(f"/account/tokens/{token_id}/revoke").status_code == 302
    assert "Máy chấm" not in web.get("/account/tokens").text


def test_question_listing_filters_and_pages(app, api, browser, make_user, monkeypatch):
    teacher = make_user("teacher")
    client = api(teacher)
    for i in range(23):
        qtype = "numeric" if i % 2 else "single_choice"
        client.post("/api/v1/questions", question_payload(qtype))
    web = browser(teacher)
    first = web.get("/questions").text
    assert "23 câu hỏi · trang 1/2" in first and "Trang sau" in first
    second = web.get("/questions?page=2").text
    assert "Trang trước" in second and "Trang sau" not in second
    numeric = web.get("/questions?type=numeric&subject=TOAN&grade=6&status=").text
    assert "11 câu hỏi" in numeric
    dashboard = web.get("/").text
    assert 'href="/questions?author=' in dashboard and ">23<" in dashboard
    monkeypatch.setitem(app.config, "LIST_COUNT_LIMIT", 20)
    assert "20+ câu hỏi · trang 1/1" in web.get("/questions?per_page=20").text


def test_dates_are_shown_in_vietnam_time():
    from repo_server.web.blueprint import localtime

    assert localtime(datetime(2026, 1, 1, 20, 5)) == "02/01/2026 03:05"
    assert localtime(None) == ""
