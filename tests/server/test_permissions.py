"""Every API endpoint × every role: who may do what (through Bearer tokens)."""

import io

import pytest

from tests.conftest import database_url, question_payload
from tests.server.quiz_matrix import PLACEHOLDERS, QUIZ_CASES, quiz_world

ROLES = ("anonymous", "student", "teacher", "other_teacher", "curator", "admin")
#: On PostgreSQL (CI's second pass, for what differs by dialect) the matrix runs for the
#: roles whose answers come from filtered queries. Anonymous requests are refused before
#: any query, and an admin's are the unfiltered queries the feature tests run there too;
#: both stay covered on SQLite.
MATRIX_ROLES = ROLES if database_url().startswith("sqlite") else ROLES[1:5]
MATERIAL = {
    "title": "Bài giảng Tập hợp",
    "kind": "slides",
    "subject": "TOAN",
    "grade": "6",
}


def expect(default, **by_role):
    """Expected status per role: ``default`` for logged-in roles, 401 for anonymous."""
    return {"anonymous": 401, **{r: default for r in ROLES[1:]}, **by_role}


OWNER_ONLY = expect(403, teacher=200, student=404, curator=404, other_teacher=404)
REVIEWER = expect(403, curator=200, admin=200)
CONTENT_CASES = [
    ("GET", "/api/v1/{kind}", None, expect(200)),
    ("POST", "/api/v1/{kind}", "new", expect(201, student=403)),
    ("GET", "/api/v1/{kind}/{draft}", None, {**OWNER_ONLY, "admin": 200}),
    ("GET", "/api/v1/{kind}/{published}", None, expect(200)),
    (
        "GET",
        "/api/v1/{kind}/{submitted}",
        None,
        expect(200, student=404, other_teacher=404),
    ),
    ("PATCH", "/api/v1/{kind}/{draft}", "patch", OWNER_ONLY),
    ("PATCH", "/api/v1/{kind}/{published}", "patch", expect(403, teacher=409)),
    ("DELETE", "/api/v1/{kind}/{draft}", None, {**OWNER_ONLY, "teacher": 204}),
    ("POST", "/api/v1/{kind}/{draft}/submit", None, OWNER_ONLY),
    (
        "POST",
        "/api/v1/{kind}/{submitted}/withdraw",
        None,
        expect(403, teacher=200, student=404, other_teacher=404),
    ),
    (
        "POST",
        "/api/v1/{kind}/{submitted}/publish",
        None,
        {**REVIEWER, "student": 404, "other_teacher": 404},
    ),
    (
        "POST",
        "/api/v1/{kind}/{submitted}/return",
        {"comment": "Sửa lại"},
        {**REVIEWER, "student": 404, "other_teacher": 404},
    ),
    ("POST", "/api/v1/{kind}/{published}/archive", None, REVIEWER),
    (
        "POST",
        "/api/v1/{kind}/{published}/versions",
        None,
        expect(201, student=403, other_teacher=403),
    ),
    ("GET", "/api/v1/{kind}/{draft}/history", None, {**OWNER_ONLY, "admin": 200}),
]
CASES = [
    ("GET", "/api/v1/health", None, expect(200, anonymous=200)),
    ("GET", "/api/v1/openapi.json", None, expect(200, anonymous=200)),
    ("GET", "/api/v1/session", None, expect(200, anonymous=200)),
    (
        "POST",
        "/api/v1/session",
        {"email": "x@y.vn", "password": "sai-mat-khau"},
        expect(401, anonymous=400),
    ),  # a login post without a CSRF token is refused
    ("DELETE", "/api/v1/session", None, expect(204, anonymous=204)),
    ("GET", "/api/v1/me", None, expect(200)),
    ("GET", "/api/v1/me/tokens", None, expect(200)),
    ("POST", "/api/v1/me/tokens", {"name": "script"}, expect(201)),
    ("DELETE", "/api/v1/me/tokens/{teacher_token}", None, expect(404, teacher=204)),
    ("GET", "/api/v1/users", None, expect(403, admin=200)),
    ("POST", "/api/v1/users", "user", expect(403, admin=201)),
    ("GET", "/api/v1/users/{student_id}", None, expect(403, admin=200)),
    (
        "PATCH",
        "/api/v1/users/{student_id}",
        {"name": "Tên mới"},
        expect(403, admin=200),
    ),
    ("GET", "/api/v1/organisations", None, expect(200)),
    ("POST", "/api/v1/organisations", "org", expect(403, admin=201)),
    ("GET", "/api/v1/organisations/{org_id}", None, expect(200)),
    (
        "PATCH",
        "/api/v1/organisations/{org_id}",
        {"name": "Trường mới"},
        expect(403, admin=200),
    ),
    ("GET", "/api/v1/taxonomy", None, expect(200)),
    ("GET", "/api/v1/taxonomy/subjects/TOAN", None, expect(200)),
    ("GET", "/api/v1/taxonomy/topics?subject=TOAN&grade=6", None, expect(200)),
    ("GET", "/api/v1/search?q=tap+hop&subject=TOAN", None, expect(200)),
] + [
    (m, u.replace("{kind}", k).replace("}", f"_{k}}}").replace(f"{{{k}_{k}}}", k), b, e)
    for k in ("questions", "materials")
    for m, u, b, e in CONTENT_CASES
]
#: Files of materials and resumable uploads (a JSON body is no file: 422 when allowed).
UPLOAD = {"material_id": None, "filename": "a.pdf", "size": 10}
CASES += [
    (
        "GET",
        "/api/v1/materials/{draft_materials}/files",
        None,
        {**OWNER_ONLY, "admin": 200},
    ),
    ("GET", "/api/v1/materials/{published_materials}/files", None, expect(200)),
    (
        "POST",
        "/api/v1/materials/{draft_materials}/files",
        None,
        {**OWNER_ONLY, "teacher": 422},
    ),
    (
        "POST",
        "/api/v1/materials/{published_materials}/files",
        None,
        expect(403, teacher=409),
    ),
    ("GET", "/api/v1/files/{draft_file}", None, {**OWNER_ONLY, "admin": 200}),
    ("GET", "/api/v1/files/{published_file}", None, expect(200)),
    ("DELETE", "/api/v1/files/{draft_file}", None, {**OWNER_ONLY, "teacher": 204}),
    ("DELETE", "/api/v1/files/{published_file}", None, expect(403, teacher=409)),
    ("POST", "/api/v1/uploads", UPLOAD, {**OWNER_ONLY, "teacher": 201}),
    ("GET", "/api/v1/uploads/{upload}", None, expect(404, teacher=200)),
    ("PUT", "/api/v1/uploads/{upload}", None, expect(404, teacher=422)),
    ("DELETE", "/api/v1/uploads/{upload}", None, expect(404, teacher=204)),
]
#: Exchange: exports are jobs (students may not export); imports need files (422).
CASES += [
    ("POST", "/api/v1/exports", {"format": "qti21"}, expect(202, student=403)),
    ("POST", "/api/v1/imports", None, expect(422, student=403)),
    ("GET", "/api/v1/jobs/999999", None, expect(404)),
]
#: Imports: previews belong to their uploader; admins may look, not change.
IMPORT_OWNER = expect(404, teacher=200, admin=403)
CASES += [
    ("GET", "/api/v1/imports", None, expect(200)),
    ("GET", "/api/v1/imports/{import}", None, {**OWNER_ONLY, "admin": 200}),
    ("PATCH", "/api/v1/imports/{import}", {"entries": [{"index": 0}]}, IMPORT_OWNER),
    ("POST", "/api/v1/imports/{import}/commit", None, IMPORT_OWNER),
    ("DELETE", "/api/v1/imports/{import}", None, IMPORT_OWNER),
    ("GET", "/api/v1/imports/{import}/files/1", None, {**OWNER_ONLY, "admin": 200}),
    ("GET", "/api/v1/imports/template.docx", None, expect(200)),
    ("GET", "/api/v1/jobs/999999/download", None, expect(404)),
]
#: Pictures for question text: authors upload (a JSON body is no file: 422).
CASES += [
    ("POST", "/api/v1/media", None, expect(422, student=403)),
    ("GET", "/api/v1/media/" + "0" * 64, None, expect(404)),
]

#: Curation: review queues and decisions, comments, history, settings, coverage, audit.
REVIEW = "/api/v1/review/questions"
HIDDEN = {"student": 404, "other_teacher": 404}
TARGET = {"school_year": "2026-2027", "subject": "TOAN", "percent": 70}
CASES += [
    ("GET", "/api/v1/review/queue", None, REVIEWER),
    ("GET", REVIEW + "/{submitted_questions}", None, expect(200, **HIDDEN)),
    ("POST", REVIEW + "/{submitted_questions}/approve", None, {**REVIEWER, **HIDDEN}),
    (
        "POST",
        REVIEW + "/{submitted_questions}/return",
        {"comment": "Sửa lại"},
        {**REVIEWER, **HIDDEN},
    ),
    (
        "POST",
        "/api/v1/review/approve",
        {"items": [{"kind": "questions", "id": 1}]},
        REVIEWER,
    ),
    ("GET", REVIEW + "/{submitted_questions}/comments", None, expect(200, **HIDDEN)),
    (
        "POST",
        REVIEW + "/{submitted_questions}/comments",
        {"body": "Xem lại"},
        expect(403, curator=201, admin=201, **HIDDEN),
    ),
    ("GET", REVIEW + "/{published_questions}/history", None, expect(200, student=403)),
    (
        "POST",
        REVIEW + "/{published_questions}/restore",
        None,
        expect(201, student=403, other_teacher=403),
    ),
    ("PUT", "/api/v1/review/levels/{org_id}", {"levels": 2}, expect(403, admin=200)),
    (
        "PUT",
        "/api/v1/review/scopes/{curator_id}",
        {"grades": ["6"]},
        expect(403, admin=200),
    ),
    ("GET", "/api/v1/notifications", None, expect(200)),
    ("POST", "/api/v1/notifications/999999/read", None, expect(404)),
    ("POST", "/api/v1/notifications/read", None, expect(200)),
    ("GET", "/api/v1/coverage", None, REVIEWER),
    ("GET", "/api/v1/coverage/lessons?subject=TOAN&grade=6", None, REVIEWER),
    ("GET", "/api/v1/coverage/export", None, REVIEWER),
    ("PUT", "/api/v1/coverage/targets", TARGET, REVIEWER),
    ("POST", "/api/v1/topics/import", None, expect(403, curator=422, admin=422)),
    ("GET", "/api/v1/audit", None, expect(403, admin=200)),
]
CASES += QUIZ_CASES
#: SCORM: imports need a file (422); a material that is no lecture has no package.
CASES += [
    ("POST", "/api/v1/scorm/imports", None, expect(422, student=403)),
    ("GET", "/api/v1/materials/{published_materials}/scorm", None, expect(404)),
    (
        "POST",
        "/api/v1/materials/{published_materials}/scorm/attempts",
        {"sco": "I0"},
        expect(404),
    ),
    (
        "GET",
        "/api/v1/materials/{published_materials}/scorm/attempts",
        None,
        expect(404),
    ),
    ("PUT", "/api/v1/scorm/attempts/999999", {"cmi": {}}, expect(404)),
    ("GET", "/api/v1/materials/{published_materials}/scorm/results", None, expect(404)),
]


@pytest.fixture
def world(app, make_user, make_org, api):
    """Users of every role with tokens, and content of the teacher in every state."""
    users = {
        role: make_user("teacher" if role == "other_teacher" else role)
        for role in ROLES[1:]
    }
    tokens = {
        role: api(user).post("/api/v1/me/tokens", {"name": "t"}).get_json()
        for role, user in users.items()
    }
    ids = {
        "student_id": users["student"].id,
        "org_id": users["student"].org_id,
        "teacher_token": tokens["teacher"]["id"],
        "curator_id": users["curator"].id,
    }
    teacher, curator = api(users["teacher"]), api(users["curator"])
    for kind, payload in (("questions", question_payload()), ("materials", MATERIAL)):
        for state in ("draft", "submitted", "published"):
            item_id = teacher.post(f"/api/v1/{kind}", payload).get_json()["id"]
            if kind == "materials":
                ids[f"{state}_file"] = _attach_file(teacher, item_id)
            if state != "draft":
                teacher.post(f"/api/v1/{kind}/{item_id}/submit")
            if state == "published":
                curator.post(f"/api/v1/{kind}/{item_id}/publish")
            ids[f"{state}_{kind}"] = item_id
    ids["import"] = _preview_import(teacher)
    ids.update(quiz_world(teacher, api(users["student"]), ids))
    upload = {**UPLOAD, "material_id": ids["draft_materials"]}
    ids["upload"] = teacher.post("/api/v1/uploads", upload).get_json()["id"]
    return {
        "tokens": {r: t["token"] for r, t in tokens.items()},
        "ids": ids,
        "client": app.test_client(),
    }


def _preview_import(client) -> int:
    """Upload a one-question GIFT file for preview; return the import's id."""
    response = client.post(
        "/api/v1/imports",
        data={"files": (io.BytesIO(b"1 + 1 = ? {#2}"), "a.gift"), "preview": "1"},
        content_type="multipart/form-data",
    )
    return response.get_json()["id"]


def _attach_file(client, material_id: int) -> int:
    """Upload a small PDF to a material and return the file's id."""
    response = client.post(
        f"/api/v1/materials/{material_id}/files",
        data={"file": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "a.pdf")},
        content_type="multipart/form-data",
    )
    return response.get_json()["id"]


def _body(name, kind_url):
    bodies = {
        "new": MATERIAL if "materials" in kind_url else question_payload(),
        "patch": {"tags": ["sửa"]},
        "user": {
            "email": "moi@truong.edu.vn",
            "name": "Giáo viên mới",
            "role": "teacher",
            "org_id": None,
            "password": "mat-khau-1",
        },
        "org": {
            "code": "SO-MOI",
            "name": "Sở GD&ĐT mới",
            "kind": "department",
            "levels": [],
        },
    }
    return bodies.get(name, name) if isinstance(name, str) else name


@pytest.mark.parametrize("role", MATRIX_ROLES)
@pytest.mark.parametrize(
    ("method", "url", "body", "expected"),
    CASES,
    ids=[f"{m} {u}" for m, u, _, _ in CASES],
)
def test_endpoint_role_matrix(world, role, method, url, body, expected):
    body = body(world["ids"]) if callable(body) else _body(body, url)
    if isinstance(body, dict) and "org_id" in body and body["org_id"] is None:
        body = {**body, "org_id": world["ids"]["org_id"]}
    if isinstance(body, dict) and "material_id" in body:
        body = {**body, "material_id": world["ids"]["draft_materials"]}
    headers = {}
    if role != "anonymous":
        headers["Authorization"] = f"Bearer {world['tokens'][role]}"
    with world["client"].open(
        url.format(**world["ids"]), method=method, json=body, headers=headers
    ) as response:  # closed: file downloads hold an open file
        assert response.status_code == expected[role], response.get_data(as_text=True)


def test_every_api_endpoint_is_in_the_matrix(app):
    adapter = app.url_map.bind("localhost")
    placeholders = {
        "teacher_token": 1,
        "student_id": 1,
        "org_id": 1,
        "curator_id": 1,
        "draft_file": 1,
        "published_file": 1,
        "upload": "0" * 32,
        "import": 1,
        **PLACEHOLDERS,
        **{
            f"{s}_{k}": 1
            for s in ("draft", "submitted", "published")
            for k in ("questions", "materials")
        },
    }
    covered = {
        (adapter.match(u.split("?")[0].format(**placeholders), m)[0], m)
        for m, u, _, _ in CASES
    }
    for rule in app.url_map.iter_rules():
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if rule.rule.startswith("/api/"):
                assert (rule.endpoint, method) in covered, f"{method} {rule.rule}"
