"""Notifications in the app and by e-mail (a real local SMTP server), and reminders."""

import socket
from datetime import timedelta
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from click.testing import CliRunner
from sqlalchemy import update

from repo_server.curation.models import ReviewTask
from repo_server.extensions import db
from repo_server.timeutil import utcnow
from tests.conftest import question_payload


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd API)
        mail = message_from_bytes(envelope.content)
        self.messages.append((envelope.rcpt_tos, mail))
        return "250 OK"

    def subjects(self) -> list[str]:
        return [
            str(make_header(decode_header(m["Subject"]))) for _to, m in self.messages
        ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(app):
    """A real SMTP server on 127.0.0.1, and the app pointed at it for one test."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port)
    yield inbox
    app.config.update(SMTP_HOST="")
    controller.stop()


def submit(client) -> int:
    qid = client.post("/api/v1/questions", question_payload()).get_json()["id"]
    client.post(f"/api/v1/questions/{qid}/submit")
    return qid


def test_reviewers_and_authors_get_mail(smtp, api, make_user):
    teacher_user, curator_user = make_user("teacher"), make_user("curator")
    teacher, curator = api(teacher_user), api(curator_user)
    make_user("curator", subjects=["NV"])  # another subject: not told
    qid = submit(teacher)
    assert [to for to, _m in smtp.messages] == [[curator_user.email]]
    curator.post(
        f"/api/v1/review/questions/{qid}/return", {"comment": "Thiếu lời giải"}
    )
    to, mail = smtp.messages[-1]
    assert to == [teacher_user.email]
    assert "Thiếu lời giải" in mail.get_payload(decode=True).decode()
    assert "bị trả lại" in smtp.subjects()[-1]
    unread = teacher.get("/api/v1/notifications?unread=1").get_json()
    assert unread["unread"] == 1
    note = unread["items"][0]["id"]
    assert curator.post(f"/api/v1/notifications/{note}/read").status_code == 404
    assert teacher.post(f"/api/v1/notifications/{note}/read").get_json() == {
        "changed": 1
    }
    assert teacher.get("/api/v1/notifications").get_json()["unread"] == 0


def test_failed_request_sends_nothing(smtp, api):
    teacher, curator = api("teacher"), api("curator")
    qid = submit(teacher)
    before = len(smtp.messages)
    assert curator.post(f"/api/v1/review/questions/{qid}/return", {}).status_code == 422
    assert len(smtp.messages) == before


def test_english_users_get_english(api, make_user):
    teacher = make_user("teacher", locale="en")
    client, curator = api(teacher), api("curator")
    qid = submit(client)
    curator.post(f"/api/v1/review/questions/{qid}/approve")
    message = client.get("/api/v1/notifications").get_json()["items"][0]["message"]
    assert message.startswith("Question #")


def test_reminders_for_items_waiting_too_long(smtp, app, api, make_user, monkeypatch):
    curator_user = make_user("curator")
    teacher = api("teacher")
    old, fresh = submit(teacher), submit(teacher)
    with app.app_context():
        week_ago = utcnow() - timedelta(days=8)
        db.session.execute(
            update(ReviewTask)
            .where(ReviewTask.content_id == old)
            .values(submitted_at=week_ago)
        )
        db.session.commit()
    smtp.messages.clear()
    monkeypatch.setattr("repo_server.cli.create_app", lambda: app)
    from repo_server.cli import main

    result = CliRunner().invoke(main, ["reminders", "--days", "7"])
    assert result.exit_code == 0, result.output
    assert "1 nội dung" in result.output
    assert [to for to, _m in smtp.messages] == [[curator_user.email]]
    assert f"#{old}" in smtp.subjects()[0] and f"#{fresh}" not in smtp.subjects()[0]
    again = CliRunner().invoke(main, ["reminders", "--days", "7"])
    assert "0 nội dung" in again.output  # reminded already: not again for 7 days
    notes = api(curator_user).get("/api/v1/notifications").get_json()["items"]
    assert notes[0]["kind"] == "reminder"


def test_coverage_cli(app, api, monkeypatch, tmp_path):
    api("admin")
    teacher, curator = api("teacher"), api("curator")
    qid = submit(teacher)
    curator.post(f"/api/v1/questions/{qid}/publish")
    monkeypatch.setattr("repo_server.cli.create_app", lambda: app)
    from repo_server.cli import main

    out = tmp_path / "toan6.xlsx"
    result = CliRunner().invoke(
        main, ["coverage", "--subject", "Toán", "--grade", "6", "--xlsx", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "TOAN" in result.output and out.stat().st_size > 1000
    result = CliRunner().invoke(main, ["coverage", "--subject", "TOAN", "--json"])
    assert '"question_total": 1' in result.output
    bad = CliRunner().invoke(main, ["coverage", "--subject", "khong-co"])
    assert bad.exit_code == 1 and "Lỗi" in bad.output
