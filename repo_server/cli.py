"""The ``repo-server`` command line; every command calls the same services as the API."""

import functools
import json
import sys

import click
from flask import g

from repo_server import create_app
from repo_server.errors import RepoError


def with_app(func):
    """Run the command inside an app context; turn service errors into exit code 1."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        debug = click.get_current_context().find_root().params.get("debug")
        app = create_app()
        with app.app_context(), app.test_request_context():
            g.user = None
            try:
                return func(*args, **kwargs)
            except RepoError as exc:
                if debug:
                    raise
                fields = (
                    f" {json.dumps(exc.fields, ensure_ascii=False)}"
                    if exc.fields
                    else ""
                )
                click.echo(f"Lỗi: {exc.message}{fields}", err=True)
                sys.exit(1)

    return wrapper


@click.group()
@click.option("--debug", is_flag=True, help="Show tracebacks of failures.")
def main(debug):
    """Kho học liệu số — the repository service."""


@main.command()
@click.option("--demo", is_flag=True, help="Also seed the demo data set.")
@with_app
def init(demo):
    """Create or migrate the database and load the curriculum (idempotent)."""
    from repo_server.cli_search import prepare_search_index
    from repo_server.demo.service import seed_demo
    from repo_server.migrate import analyze_database, upgrade_database
    from repo_server.taxonomy.service import load_taxonomy

    upgrade_database()
    counts = load_taxonomy()
    click.echo(f"Cơ sở dữ liệu sẵn sàng; danh mục: {counts}")
    if demo:
        for line in seed_demo():
            click.echo(line)
    analyze_database()
    prepare_search_index()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
@click.option(
    "--threads",
    default=8,
    show_default=True,
    type=int,
    help="Threads per worker (8 held 2,000 quiz takers on 2 cores: docs/BENCHMARKS.md).",
)
def serve(host, port, workers, threads):
    """Serve the app with gunicorn (a production WSGI server)."""
    from repo_server.jobs.service import fail_interrupted_jobs_at_start
    from repo_server.serve import serve as run_server

    fail_interrupted_jobs_at_start()
    run_server(host, port, workers, threads)


@main.group()
def user():
    """Manage users."""


@user.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option(
    "--role",
    required=True,
    type=click.Choice(["admin", "curator", "teacher", "student"]),
)
@click.option("--org", "org_code", required=True, help="Organisation code.")
@click.option("--subject", "subjects", multiple=True, help="Curated subject (repeat).")
@click.option("--grade", help="Student's grade.")
@click.option("--class-name", help="Student's class, e.g. 6A1.")
@with_app
def user_create(email, name, role, org_code, subjects, grade, class_name):
    """Create a user; the password is read from standard input."""
    from repo_server.accounts.service import create_user
    from repo_server.orgs.service import find_organisation

    password = sys.stdin.readline().rstrip("\n")
    data = {
        "email": email,
        "name": name,
        "role": role,
        "password": password,
        "org_id": find_organisation(org_code).id,
        "subjects": list(subjects),
        "grade": grade,
        "class_name": class_name,
    }
    created = create_user(None, data)
    click.echo(f"Đã tạo người dùng #{created.id} {created.email} ({created.role}).")


@main.group()
def taxonomy():
    """Manage the curriculum taxonomy."""


@taxonomy.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_app
def taxonomy_load(path):
    """Load or update the taxonomy from a JSON file."""
    from repo_server.taxonomy.service import load_taxonomy

    counts = load_taxonomy(path)
    click.echo(json.dumps(counts, ensure_ascii=False))


from repo_server.cli_storage import storage  # noqa: E402  (it needs with_app above)

main.add_command(storage)

from repo_server.cli_search import reindex, search  # noqa: E402  (needs with_app)

main.add_command(reindex)
main.add_command(search)

from repo_server.cli_exchange import export_command, import_command  # noqa: E402

main.add_command(export_command)
main.add_command(import_command)

from repo_server.cli_curation import (  # noqa: E402
    coverage_command,
    reminders_command,
    topics_group,
)

main.add_command(coverage_command)
main.add_command(reminders_command)
main.add_command(topics_group)
from repo_server.quizzes.cli import quiz_command  # noqa: E402  (needs with_app)

main.add_command(quiz_command)
