"""The WSGI entry point: ``gunicorn wsgi:app``."""

from repo_server import create_app

app = create_app()
