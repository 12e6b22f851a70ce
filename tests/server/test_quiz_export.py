"""A published quiz as a QTI package: its pinned versions, one section per part."""

import io
import zipfile

import pytest
from lxml import etree

from qti import read_package
from repo_server.errors import Conflict
from repo_server.quizzes.export import write_quiz_package
from tests.server.quiz_helpers import publish, quiz_body


def test_quiz_package_has_a_section_per_part(app, people, make_user):
    t, c = people["teacher"], people["curator"]
    single = [publish(t, c) for _ in range(2)]
    cluster = publish(t, c, "true_false_cluster")
    body = quiz_body(
        [{"title": "Phần I", "points": 0.25, "question_ids": single},
         {"title": "Phần II", "points": 1, "question_ids": [cluster]}],
    )  # fmt: skip
    quiz_id = t.post("/api/v1/quizzes", body).get_json()["id"]
    with app.app_context():
        from repo_server.accounts.models import User
        from repo_server.extensions import db

        email = t.get("/api/v1/me").get_json()["user"]["email"]
        owner = db.session.query(User).filter_by(email=email).one()
        with pytest.raises(Conflict):  # a draft's blueprint is not drawn yet
            write_quiz_package(owner, quiz_id, "qti21", io.BytesIO())
    t.post(f"/api/v1/quizzes/{quiz_id}/publish")
    out = io.BytesIO()
    with app.app_context():
        owner = db.session.query(User).filter_by(email=email).one()
        assert write_quiz_package(owner, quiz_id, "qti30", out) == 3
    package = read_package(io.BytesIO(out.getvalue()))
    assert [item.type for item, _meta in package.items] == [
        "single_choice", "single_choice", "true_false_cluster",
    ]  # fmt: skip
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        test = etree.fromstring(archive.read("test.xml"))
    sections = [e for e in test.iter() if etree.QName(e).localname.endswith("section")]
    titles = [s.get("title") for s in sections]
    refs = [len([r for r in s if etree.QName(r).localname.endswith("item-ref")])
            for s in sections]  # fmt: skip
    assert titles == ["Phần I", "Phần II"] and refs == [2, 1]


@pytest.mark.parametrize("fmt, version", [("scorm12", "1.2"), ("scorm2004", "2004")])
def test_a_published_quiz_exports_as_one_scorm_sco(app, people, fmt, version):
    from scorm import open_package, walk

    t, c = people["teacher"], people["curator"]
    ids = [publish(t, c) for _ in range(2)]
    body = quiz_body([{"title": "Phần I", "points": 0.25, "question_ids": ids}])
    quiz_id = t.post("/api/v1/quizzes", body).get_json()["id"]
    t.post(f"/api/v1/quizzes/{quiz_id}/publish")
    out = io.BytesIO()
    with app.app_context():
        from repo_server.accounts.models import User
        from repo_server.extensions import db

        email = t.get("/api/v1/me").get_json()["user"]["email"]
        owner = db.session.query(User).filter_by(email=email).one()
        assert write_quiz_package(owner, quiz_id, fmt, out) == 2
    opened = open_package(io.BytesIO(out.getvalue()))
    assert opened.package.version.startswith(version)
    scos = [item for item in walk(opened.package.toc) if item.scorm_type == "sco"]
    assert len(scos) == 1
    page = b"".join(opened.read(path) for path, _info in opened.files())
    assert b"0.25" in page  # the quiz's points travel with its questions


def _published(t, c, org=None):
    ids = [publish(t, c) for _ in range(2)]
    body = quiz_body([{"title": "Phần I", "points": 0.5, "question_ids": ids}])
    if org is not None:
        body["school_ids"] = [org]
    quiz_id = t.post("/api/v1/quizzes", body).get_json()["id"]
    return quiz_id, ids


def test_quiz_exports_through_the_api_as_a_job(people):
    t, c = people["teacher"], people["curator"]
    quiz_id, _ids = _published(t, c)
    draft = t.post("/api/v1/exports", {"format": "qti21", "quiz": quiz_id})
    assert draft.status_code == 409  # not published: refused before any job is made
    t.post(f"/api/v1/quizzes/{quiz_id}/publish")
    gift = t.post("/api/v1/exports", {"format": "gift", "quiz": quiz_id})
    assert gift.status_code == 422 and "QTI hoặc SCORM" in gift.get_json()["error"][
        "message"]  # fmt: skip
    assert (
        people["other"]
        .post("/api/v1/exports", {"format": "qti21", "quiz": quiz_id})
        .status_code
        == 404
    )
    for fmt in ("qti30", "scorm2004"):
        job = t.post("/api/v1/exports", {"format": fmt, "quiz": quiz_id})
        assert job.status_code == 202, job.get_json()
        done = t.get(f"/api/v1/jobs/{job.get_json()['id']}").get_json()
        assert done["status"] == "done", done
        assert done["result"]["count"] == 2 and done["progress"]["done"] == 2
        file = t.get(done["download_url"])
        data, disposition = file.data, file.headers["Content-Disposition"]
        file.close()
        assert file.status_code == 200 and f"de-{quiz_id}-{fmt}" in disposition
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
        assert ("test.xml" in names) == (fmt == "qti30")


def test_quiz_page_links_to_its_export_page(app, people, make_user):
    from tests.server.test_quiz_pages import _record
    from tests.server.test_web_pages import Browser

    t, c = people["teacher"], people["curator"]
    student = make_user("student")
    quiz_id, _ids = _published(t, c, student.org_id)
    t.post(f"/api/v1/quizzes/{quiz_id}/publish")
    owner = Browser(app, _record(app, t))
    detail = owner.get(f"/quizzes/{quiz_id}").text
    assert f'href="/exports?quiz={quiz_id}"' in detail
    page = owner.get(f"/exports?quiz={quiz_id}")
    assert page.status_code == 200
    assert f'name="quiz" value="{quiz_id}"' in page.text
    assert 'value="scorm12"' in page.text and 'value="gift"' not in page.text
    assert (
        Browser(app, make_user("teacher")).get(f"/exports?quiz={quiz_id}").status_code
        == 404
    )
