"""Browser fixtures: the real app on a free local port, and headless Chromium."""

import importlib.util
import os
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "mat-khau-trinh-duyet"
KATEX = Path(__file__).parents[2] / "repo_server/static/vendor/katex/katex.min.js"
#: The users every browser test may log in as: role → e-mail.
USERS = {
    "admin": "admin@web.test",
    "curator": "curator@web.test",
    "teacher": "teacher@web.test",
    "student": "student@web.test",
}


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium under Playwright (skipped when either is missing)."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(
            f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)"
        )
    if importlib.util.find_spec("playwright") is None:
        pytest.skip(
            "browser tests need the playwright package (pip install -e '.[dev]')"
        )
    if not KATEX.exists():
        pytest.fail("KaTeX is not built: run `make assets` (or .ci/build-assets.sh)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, chromium):
    """The app served by werkzeug on 127.0.0.1 (file SQLite, taxonomy, one user a role)."""
    from werkzeug.serving import make_server

    from repo_server import create_app
    from repo_server.extensions import db

    instance = tmp_path_factory.mktemp("browser-instance")
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(instance),
            "DATABASE_URL": f"sqlite:///{instance}/repo.sqlite3",
            "SECRET_KEY": "browser-tests",
            "STORAGE_URL": f"file://{instance}/files",
            "SEARCH_URL": "sqlite://",
        }
    )
    with app.app_context():
        _seed()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield SimpleNamespace(url=f"http://127.0.0.1:{server.server_port}", app=app)
    server.shutdown()
    thread.join()
    server.server_close()
    with app.app_context():
        db.engine.dispose()


def _seed() -> None:
    """Schema, curriculum, a school and one user of each role."""
    import repo_server.models  # noqa: F401
    from repo_server.accounts.service import create_user
    from repo_server.extensions import db
    from repo_server.orgs.service import create_organisation
    from repo_server.taxonomy.service import load_taxonomy

    db.create_all()
    load_taxonomy()
    root = {"code": "SGD", "name": "Sở GD&ĐT", "kind": "department"}
    department = create_organisation(None, root)
    school = create_organisation(
        None,
        {"code": "THCS-W", "name": "Trường THCS Web", "kind": "school",
         "parent_id": department.id, "levels": ["THCS"]},
    )  # fmt: skip
    for role, email in USERS.items():
        extra = {"student": {"grade": "6", "class_name": "6A1"}}.get(role, {})
        subjects = ["TOAN"] if role == "curator" else []
        create_user(
            None,
            {"email": email, "name": f"Người dùng {role}", "role": role,
             "org_id": school.id, "password": PASSWORD, "subjects": subjects, **extra},
        )  # fmt: skip


@pytest.fixture
def open_page(chromium, live_server):
    """``open_page(role)``: a fresh tab logged in as that role; script errors fail the test."""
    contexts, problems = [], []

    def open_as(role: str | None = None):
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("pageerror", lambda error: problems.append(f"script: {error}"))
        page.on(
            "response",
            lambda r: r.status >= 500 and problems.append(f"{r.status} {r.url}"),
        )
        page.on(
            "console",
            lambda m: m.type == "error" and problems.append(f"console: {m.text}"),
        )
        if role is not None:
            login(page, live_server.url, USERS[role])
        return page

    yield open_as
    for context in contexts:
        context.close()
    assert not problems, problems


def login(page, base_url: str, email: str) -> None:
    """Log in through the form and wait for the home page."""
    page.goto(base_url + "/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_url(base_url + "/")


@pytest.fixture
def lenient_page(chromium, live_server):
    """A teacher's tab where refused requests (4xx) are expected; script errors are not."""
    context = chromium.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    login(page, live_server.url, USERS["teacher"])
    yield page
    context.close()
    assert not errors
