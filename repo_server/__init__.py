"""Kho học liệu số: the Flask application factory."""

import logging
import os

from flask import Flask

from repo_server.config import defaults


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app: config → database → auth → blueprints → errors → CLI."""
    app = Flask(__name__, instance_path=_instance_path(overrides))
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(defaults(app.instance_path))
    app.config.from_prefixed_env("REPO")
    app.config.update(overrides or {})
    _check_secret(app)
    _init_extensions(app)
    _init_backends(app)
    _register_blueprints(app)
    from repo_server.errors import register_error_handlers

    register_error_handlers(app)
    logging.basicConfig(level=logging.INFO)
    return app


def _instance_path(overrides: dict | None) -> str:
    """The data folder: override, then REPO_INSTANCE_PATH, then ./instance."""
    path = (overrides or {}).get("INSTANCE_PATH") or os.environ.get(
        "REPO_INSTANCE_PATH"
    )
    return os.path.abspath(path or "instance")


def _check_secret(app: Flask) -> None:
    """Refuse the development secret key in production."""
    if app.config["SECRET_KEY"] == "dev" and not (app.debug or app.testing):
        secret_file = os.path.join(app.instance_path, "secret_key")
        app.config["SECRET_KEY"] = _read_or_create_secret(secret_file)


def _read_or_create_secret(path: str) -> str:
    """Keep a random secret key in the instance folder, created on first start."""
    if not os.path.exists(path):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(os.urandom(32).hex())
    with open(path) as handle:
        return handle.read().strip()


def _init_extensions(app: Flask) -> None:
    from repo_server.auth import init_auth, select_locale
    from repo_server.extensions import babel, csrf, db

    app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    app.config["SQLALCHEMY_ECHO"] = app.config["SQL_ECHO"]
    # No ping before each checkout (a round trip per request): a connection found dead
    # (database restarted) invalidates the pool and its request gets a 503 to retry.
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_recycle": 3600})
    db.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    init_auth(app)


def _init_backends(app: Flask) -> None:
    from repo_server.backends import init_backends

    init_backends(app)


def _register_blueprints(app: Flask) -> None:
    from repo_server import health, openapi  # noqa: F401  (routes on the api blueprint)
    from repo_server.accounts import views as _accounts  # noqa: F401
    from repo_server.api import bp as api_bp
    from repo_server.catalog import views as _catalog  # noqa: F401
    from repo_server.catalog.pages import bp as search_bp
    from repo_server.curation import install as install_curation
    from repo_server.curation import views as _curation  # noqa: F401
    from repo_server.curation import views_coverage as _coverage  # noqa: F401
    from repo_server.curation.pages import bp as curation_bp
    from repo_server.exchange import views as _exchange  # noqa: F401
    from repo_server.exchange.pages import bp as exchange_bp
    from repo_server.files import views as _files  # noqa: F401
    from repo_server.files.pages import bp as files_bp
    from repo_server.imports import views as _imports  # noqa: F401
    from repo_server.imports.pages import bp as imports_bp
    from repo_server.jobs import views as _jobs  # noqa: F401
    from repo_server.materials import views as _materials  # noqa: F401
    from repo_server.media import views as _media  # noqa: F401
    from repo_server.orgs import views as _orgs  # noqa: F401
    from repo_server.questions import views as _questions  # noqa: F401
    from repo_server.quizzes import views as _quizzes  # noqa: F401
    from repo_server.quizzes.pages import bp as quizzes_bp
    from repo_server.quizzes.sweeper import install as install_quiz_sweeper
    from repo_server.scorm import views as _scorm  # noqa: F401
    from repo_server.scorm.pages import bp as scorm_bp
    from repo_server.taxonomy import views as _taxonomy  # noqa: F401
    from repo_server.web.views import bp as web_bp

    app.register_blueprint(api_bp)
    app.register_blueprint(web_bp)
    app.register_blueprint(files_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(exchange_bp)
    app.register_blueprint(imports_bp)
    app.register_blueprint(curation_bp)
    install_curation(app)
    app.register_blueprint(quizzes_bp)
    install_quiz_sweeper(app)
    app.register_blueprint(scorm_bp)
