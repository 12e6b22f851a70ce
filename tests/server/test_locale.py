"""The interface language: the user's, else the cookie, else Vietnamese (also outside requests)."""

from flask_babel import gettext

from repo_server.auth import select_locale


def test_work_outside_a_request_speaks_vietnamese(app):
    with app.app_context():  # the CLI, background jobs and the outbox have no request
        assert select_locale() == "vi"
        assert gettext("Email hoặc mật khẩu không đúng.").startswith("Email hoặc")


def test_the_language_cookie_is_honoured(app):
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        assert select_locale() == "en"
        assert gettext("Email hoặc mật khẩu không đúng.") == "Wrong email or password."
