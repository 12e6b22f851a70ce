"""Admin journeys: organisations as a tree, users and roles; personal API tokens."""

from openapi_spec_validator import validate

from tests.conftest import question_payload


def test_admin_builds_the_tree_and_creates_users(api, make_user):
    admin = api("admin")
    dept = admin.post(
        "/api/v1/organisations",
        {"code": "SGD", "name": "Sở GD&ĐT", "kind": "department"},
    ).get_json()
    office = admin.post(
        "/api/v1/organisations",
        {
            "code": "PGD-TDM",
            "name": "Phòng GD&ĐT Thủ Dầu Một",
            "kind": "office",
            "parent_id": dept["id"],
        },
    ).get_json()
    school = admin.post(
        "/api/v1/organisations",
        {
            "code": "TH-PC",
            "name": "Trường Tiểu học Phú Cường",
            "kind": "school",
            "parent_id": office["id"],
            "levels": ["TH"],
        },
    )
    assert school.status_code == 201 and school.get_json()["levels"] == ["TH"]
    cycle = admin.patch(
        f"/api/v1/organisations/{dept['id']}",
        {"kind": "department", "parent_id": office["id"]},
    )
    assert cycle.status_code == 422
    bad_parent = admin.post(
        "/api/v1/organisations",
        {
            "code": "X",
            "name": "X",
            "kind": "office",
            "parent_id": school.get_json()["id"],
        },
    )
    assert bad_parent.status_code == 422
    curator = admin.post(
        "/api/v1/users",
        {
            "email": "Chuyen.Vien@sgd.vn",
            "name": "Chuyên viên Toán",
            "role": "curator",
            "org_id": office["id"],
            "password": "mat-khau-1",
            "subjects": ["Toán", "KHTN"],
        },
    )
    assert curator.status_code == 201, curator.get_json()
    body = curator.get_json()
    assert body["email"] == "chuyen.vien@sgd.vn" and body["subjects"] == [
        "KHTN",
        "TOAN",
    ]
    assert "password" not in repr(body) and "hash" not in repr(body)
    dup = admin.post(
        "/api/v1/users",
        {
            **{
                "email": "chuyen.vien@sgd.vn",
                "name": "B",
                "role": "teacher",
                "org_id": office["id"],
                "password": "mat-khau-1",
            }
        },
    )
    assert dup.status_code == 409
    listed = admin.get("/api/v1/users?role=curator").get_json()
    assert [u["email"] for u in listed["items"]] == ["chuyen.vien@sgd.vn"]


def test_admin_deactivates_a_user_who_then_cannot_log_in(api, make_user):
    admin, teacher = api("admin"), make_user("teacher")
    changed = admin.patch(f"/api/v1/users/{teacher.id}", {"active": False})
    assert changed.status_code == 200 and changed.get_json()["active"] is False
    login = api().post(
        "/api/v1/session", {"email": teacher.email, "password": "mat-khau-1"}
    )
    assert login.status_code == 401


def test_admin_cannot_demote_themselves(api, make_user):
    user = make_user("admin")
    admin = api(user)
    assert (
        admin.patch(f"/api/v1/users/{user.id}", {"role": "teacher"}).status_code == 409
    )


def test_student_role_fields(api, make_user):
    admin = api("admin")
    org_id = make_user("teacher").org_id
    student = admin.post(
        "/api/v1/users",
        {
            "email": "hs@truong.vn",
            "name": "Học sinh",
            "role": "student",
            "org_id": org_id,
            "password": "mat-khau-1",
            "grade": "Lớp 6",
            "class_name": "6A2",
        },
    ).get_json()
    assert (student["grade"], student["class_name"]) == ("6", "6A2")
    short = admin.post(
        "/api/v1/users",
        {
            "email": "x@truong.vn",
            "name": "X",
            "role": "teacher",
            "org_id": org_id,
            "password": "ngan",
        },
    )
    assert (
        short.status_code == 422 and "password" in short.get_json()["error"]["fields"]
    )


def test_personal_tokens_work_for_scripts_and_can_be_revoked(app, api):
    teacher = api("teacher")
    created = teacher.post("/api/v1/me/tokens", {"name": "nhập câu hỏi"}).get_json()
    secret = created["token"]
    assert secret.startswith("khls_") and created["prefix"] == secret[:12]
    assert "token" not in teacher.get("/api/v1/me/tokens").get_json()["items"][0]
    script = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    made = script.post("/api/v1/questions", json=question_payload(), headers=headers)
    assert made.status_code == 201  # no CSRF token needed with a Bearer token
    assert teacher.delete(f"/api/v1/me/tokens/{created['id']}").status_code == 204
    assert script.get("/api/v1/me", headers=headers).status_code == 401


def test_logout_ends_the_session(api):
    teacher = api("teacher")
    assert teacher.get("/api/v1/me").status_code == 200
    assert teacher.delete("/api/v1/session").status_code == 204
    assert teacher.get("/api/v1/me").status_code == 401


def test_health_and_openapi(app):
    client = app.test_client()
    assert client.get("/api/v1/health").get_json()["status"] == "ok"
    spec = client.get("/api/v1/openapi.json").get_json()
    validate(spec)
    create = spec["paths"]["/api/v1/questions"]["post"]
    schema = create["requestBody"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("/QuestionIn")
    assert "/api/v1/questions/{question_id}/{action}" in spec["paths"]
