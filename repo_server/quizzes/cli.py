"""``repo-server quiz``: results as .xlsx or JSON, and a deadline sweep on demand."""

import json

import click

from repo_server.cli import with_app


@click.group("quiz")
def quiz_command():
    """Online quizzes."""


@quiz_command.command("results")
@click.argument("quiz_id", type=int)
@click.option("--xlsx", "xlsx_path", type=click.Path(dir_okay=False, writable=True))
@click.option("--as", "email", help="Act as this user (default: the first admin).")
@with_app
def results_command(quiz_id, xlsx_path, email):
    """Write a quiz's results (students, classes, schools, item statistics)."""
    from repo_server.cli_exchange import _acting_user
    from repo_server.quizzes.results import quiz_results, results_workbook

    user = _acting_user(email)
    if xlsx_path:
        data, _name = results_workbook(user, quiz_id)
        with open(xlsx_path, "wb") as handle:
            handle.write(data.getvalue())
        click.echo(f"Đã ghi {xlsx_path}")
        return
    click.echo(json.dumps(quiz_results(user, quiz_id), ensure_ascii=False, indent=2))


@quiz_command.command("sweep")
@with_app
def sweep_command():
    """Submit every attempt past its deadline now (the web processes also sweep)."""
    from repo_server.quizzes.delivery import sweep

    click.echo(f"Đã đóng {sweep()} bài làm quá hạn.")
