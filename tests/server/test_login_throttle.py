"""Wrong passwords lock an e-mail (and a client address) for a while, on API and form."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import update

from repo_server.accounts.models import LoginFailure
from repo_server.extensions import db
from repo_server.timeutil import utcnow

HTML = {"Accept": "text/html"}


def log_in(api, email, password="mat-khau-1", ip="10.0.0.1"):
    return api().post(
        "/api/v1/session",
        {"email": email, "password": password},
        environ_base={"REMOTE_ADDR": ip},
    )


@pytest.fixture
def limits(app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES", 3)
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_IP", 5)


def test_too_many_wrong_passwords_lock_the_account(api, make_user, limits):
    teacher = make_user("teacher")
    for _ in range(3):
        assert log_in(api, teacher.email, "sai-mat-khau").status_code == 401
    locked = log_in(api, teacher.email)  # even the right password waits
    assert locked.status_code == 429
    error = locked.get_json()["error"]
    assert error["code"] == "too_many_requests" and "15 phút" in error["message"]


def test_a_success_clears_the_failures(api, make_user, limits):
    teacher = make_user("teacher")
    for _ in range(2):
        log_in(api, teacher.email, "sai-mat-khau")
    assert log_in(api, teacher.email).status_code == 200
    for _ in range(2):
        assert log_in(api, teacher.email, "sai-mat-khau").status_code == 401
    assert log_in(api, teacher.email).status_code == 200


def test_failures_expire_after_the_window(app, api, make_user, limits):
    teacher = make_user("teacher")
    for _ in range(3):
        log_in(api, teacher.email, "sai-mat-khau")
    with app.app_context():
        long_ago = utcnow() - timedelta(minutes=16)
        db.session.execute(update(LoginFailure).values(at=long_ago))
        db.session.commit()
    assert log_in(api, teacher.email).status_code == 200


def test_one_address_guessing_many_accounts_is_stopped(api, make_user, limits):
    emails = [make_user("student").email for _ in range(6)]
    codes = [log_in(api, email, "sai-mat-khau").status_code for email in emails]
    assert codes == [401] * 5 + [429]
    assert log_in(api, emails[0], ip="10.0.0.2").status_code == 200  # another school


def test_unknown_emails_count_too(api, limits):
    for _ in range(3):
        assert log_in(api, "khong.co@truong.edu.vn", "x" * 8).status_code == 401
    assert log_in(api, "KHONG.CO@truong.edu.vn", "x" * 8).status_code == 429


def test_the_login_form_shows_the_wait(app, make_user, limits):
    teacher = make_user("teacher")
    client = app.test_client()
    page = client.get("/login", headers=HTML).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {"email": teacher.email, "password": "sai-mat-khau", "csrf_token": token}
    pages = [client.post("/login", data=form, headers=HTML) for _ in range(4)]
    assert [p.status_code for p in pages][-1] == 429
    assert "Vui lòng thử lại sau 15 phút" in pages[-1].get_data(as_text=True)
