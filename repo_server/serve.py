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


def serve(host: str, port: int, workers: int, threads: int = 8) -> None:
    """Serve on ``host:port`` with ``workers`` processes of ``threads`` threads."""
    _Gunicorn(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "timeout": 120,
            # Browsers (a quiz page saves every few seconds) reuse their connection
            # instead of opening one per request; idle ones cost a socket, no thread.
            "keepalive": 15,
            "backlog": 2048,
            "accesslog": "-",
        }
    ).run()
