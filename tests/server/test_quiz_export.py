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
