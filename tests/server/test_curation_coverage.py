"""Coverage on a known fixture: topics imported, items published, figures checked."""

import io

import pytest
from openpyxl import load_workbook

from repo_server.extensions import db
from tests.conftest import SESSION_TABLES, question_payload

TOPICS_CSV = (
    "code,name_vi,name_en,parent,order\n"
    "HH-C1,Chương 1. Hình học,Chapter 1,,1\n"
    "HH-C1-B1,Bài 1. Điểm,Lesson 1,HH-C1,1\n"
    "HH-C1-B2,Bài 2. Đường thẳng,Lesson 2,HH-C1,2\n"
    "HH-C1-B3,Bài 3. Tia,Lesson 3,HH-C1,3\n"
    "HH-C1-B4,Bài 4. Đoạn thẳng,Lesson 4,HH-C1,4\n"
)


@pytest.fixture
def fixture(app, make_user, api):
    """Lớp 6 Toán gets 4 imported lessons (plus the curriculum's own), some covered."""
    teacher, curator, admin = api("teacher"), api("curator"), api("admin")
    response = import_csv(curator, TOPICS_CSV, grade="6")
    assert response.status_code == 201, response.get_json()
    assert response.get_json() == {"rows": 5, "created": 5, "updated": 0}

    def publish(kind, payload):
        item = teacher.post(f"/api/v1/{kind}", payload).get_json()["id"]
        teacher.post(f"/api/v1/{kind}/{item}/submit")
        assert curator.post(f"/api/v1/{kind}/{item}/publish").status_code == 200
        return item

    for topic, level in (("HH-C1-B1", "NB"), ("HH-C1-B1", "VD"), ("HH-C1-B2", "TH")):
        publish("questions", question_payload(topic=topic, cognitive_level=level))
    for topic in ("HH-C1-B1", "HH-C1-B3"):
        publish("materials", material(topic))
    waiting = teacher.post("/api/v1/questions", question_payload(topic="HH-C1-B4"))
    teacher.post(f"/api/v1/questions/{waiting.get_json()['id']}/submit")
    yield {"teacher": teacher, "curator": curator, "admin": admin, "publish": publish}
    drop_imported_topics(app)


def drop_imported_topics(app, prefix: str = "HH-") -> None:
    """Imported topics outlive the test otherwise (the taxonomy is per session)."""
    from repo_server.taxonomy.models import Topic

    with app.app_context():
        for table in reversed(db.metadata.sorted_tables):  # the content that uses them
            if table.name not in SESSION_TABLES:
                db.session.execute(table.delete())
        for parent in (False, True):
            rows = db.session.query(Topic).filter(Topic.code.like(prefix + "%"))
            for topic in rows.filter(Topic.parent_id.is_(None) == parent):
                db.session.delete(topic)
            db.session.commit()


def material(topic: str) -> dict:
    return {
        "title": "Bài giảng",
        "kind": "slides",
        "subject": "TOAN",
        "grade": "6",
        "topic": topic,
    }


def import_csv(client, text: str, grade="6", subject="TOAN", name="bai.csv"):
    return client.post(
        "/api/v1/topics/import",
        data={
            "subject": subject,
            "grade": grade,
            "file": (io.BytesIO(text.encode()), name),
        },
        content_type="multipart/form-data",
    )


def toan6(client, **args) -> dict:
    report = client.get("/api/v1/coverage", query_string={"subject": "toan", **args})
    assert report.status_code == 200, report.get_json()
    cells = {(c["subject"], c["grade"]): c for c in report.get_json()["cells"]}
    return cells[("TOAN", "6")]


def curriculum_lessons(app) -> int:
    """Lessons of Toán 6 in the shipped curriculum (leaf topics)."""
    from repo_server.taxonomy.models import Topic

    with app.app_context():
        rows = db.session.query(Topic).filter_by(subject_code="TOAN", grade_code="6")
        rows = [t for t in rows if not t.code.startswith("HH-")]
        parents = {t.parent_id for t in rows}
        return sum(1 for t in rows if t.id not in parents)


def test_dashboard_figures(fixture, app):
    cell = toan6(fixture["curator"], year="2026-2027")
    lessons = curriculum_lessons(app) + 4
    assert cell["lessons"] == lessons
    assert cell["covered"] == 1  # only Bài 1 has a question and a material
    assert cell["share"] == round(100 / lessons, 1)
    assert cell["questions"] == {"NB": 1, "TH": 1, "VD": 1, "VDC": 0, "none": 0}
    assert cell["materials"] == 2
    assert cell["backlog"] == {"count": 1, "oldest_days": 0}
    assert cell["target"] == 70  # the plan's default for 2026-2027


def test_counts_follow_transitions_and_rebuild_agrees(fixture, app):
    fixture["publish"]("materials", material("HH-C1-B2"))
    assert toan6(fixture["curator"])["covered"] == 2
    question = fixture["teacher"].get(
        "/api/v1/questions?topic=HH-C1-B1&status=published"
    )
    first = question.get_json()["items"][0]["id"]
    fixture["curator"].post(f"/api/v1/questions/{first}/archive")
    before = toan6(fixture["curator"])
    assert before["question_total"] == 2
    with app.app_context():
        from repo_server.curation.counts import rebuild_counts

        rebuild_counts()
    assert toan6(fixture["curator"]) == before


def test_drill_down_targets_contributors_and_org(fixture, make_org):
    rows = fixture["curator"].get("/api/v1/coverage/lessons?subject=TOAN&grade=6")
    by_code = {r["code"]: r for r in rows.get_json()["items"]}
    assert by_code["HH-C1"]["lesson"] is False
    assert by_code["HH-C1-B1"]["covered"] is True
    assert by_code["HH-C1-B1"]["questions"]["VD"] == 1
    assert by_code["HH-C1-B2"]["covered"] is False
    target = {"school_year": "2026-2027", "subject": "TOAN", "percent": 15}
    assert (
        fixture["curator"]._send("PUT", "/api/v1/coverage/targets", target).status_code
        == 200
    )
    assert toan6(fixture["curator"], year="2026-2027")["target"] == 15
    other = {**target, "subject": "NV"}
    assert (
        fixture["curator"]._send("PUT", "/api/v1/coverage/targets", other).status_code
        == 403
    )
    report = fixture["admin"].get("/api/v1/coverage?subject=TOAN").get_json()
    assert report["contributors"][0]["questions"] == 3
    elsewhere = make_org("THCS-B")
    empty = fixture["admin"].get(
        f"/api/v1/coverage?subject=TOAN&grade=6&org={elsewhere.id}"
    )
    cell = empty.get_json()["cells"][0]
    assert cell["question_total"] == 0 and cell["lessons"] > 0
    assert fixture["teacher"].get("/api/v1/coverage").status_code == 403


def test_xlsx_export_and_cli(fixture, app, tmp_path, monkeypatch):
    response = fixture["curator"].get("/api/v1/coverage/export?subject=TOAN&grade=6")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames[0] == "Tổng hợp" and "Bài học" in book.sheetnames
    lessons = {r[0]: r for r in book["Bài học"].iter_rows(values_only=True)}
    assert lessons["HH-C1-B1"][-1] == "x"
    from repo_server.curation.coverage import dashboard
    from repo_server.curation.export import coverage_workbook

    with app.app_context(), app.test_request_context():
        from repo_server.accounts.models import User

        admin = db.session.query(User).filter_by(role="admin").first()
        path = tmp_path / "cov.xlsx"
        path.write_bytes(coverage_workbook(admin, {"subject": "TOAN", "grade": "6"}))
        cells = dashboard(admin, {"subject": "TOAN", "grade": "6"})["cells"]
    assert load_workbook(path)["Tổng hợp"].max_row == 3 + len(cells)


def test_topic_import_problems_write_nothing(fixture, app):
    bad = "code,name_vi,parent\nX-1,Bài X,\nX-1,Lặp,\nX-2,Bài Y,KHONG-CO\n"
    response = import_csv(fixture["curator"], bad)
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert set(fields) == {"row 3", "row 4"}
    assert import_csv(fixture["curator"], "ten\nA\n").status_code == 422
    assert (
        import_csv(
            fixture["curator"], "code,name_vi\nHH-C1,Đổi\n", grade="7"
        ).status_code
        == 422
    )
    assert import_csv(fixture["teacher"], TOPICS_CSV).status_code == 403
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Mã", "Tên", "Mã cha"])
    book.active.append(["HH-C1-B5", "Bài 5. Góc", "HH-C1"])
    data = io.BytesIO()
    book.save(data)
    response = fixture["curator"].post(
        "/api/v1/topics/import",
        data={
            "subject": "TOAN",
            "grade": "6",
            "series": "KNTT",
            "file": (io.BytesIO(data.getvalue()), "bai.xlsx"),
        },
        content_type="multipart/form-data",
    )
    assert response.get_json() == {"rows": 1, "created": 1, "updated": 0}
    rows = fixture["curator"].get(
        "/api/v1/taxonomy/topics?subject=TOAN&grade=6&series=KNTT"
    )
    assert "HH-C1-B5" in [t["code"] for t in rows.get_json()["items"]]
