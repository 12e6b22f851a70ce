"""Run the app under gunicorn from the CLI."""

from gunicorn.app.base import BaseApplication

from repo_server import create_app


class _Gunicorn(BaseApplication):
    """A gunicorn application serving our app factory."""

    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return create_app()


def serve(host: str, port: int, workers: int) -> None:
    """Serve on ``host:port`` with ``workers`` threaded worker processes."""
    _Gunicorn(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": 4,
            "worker_class": "gthread",
            "timeout": 120,
            "accesslog": "-",
        }
    ).run()
