"""``repo-server coverage``, ``reminders`` and ``topics import``: curation on the command line."""

import json
from pathlib import Path

import click

from repo_server.cli import with_app


def _acting_user(email: str | None):
    """The user named by --as, else the first admin (as the other commands do)."""
    from flask_babel import gettext as _

    from repo_server.accounts.service import find_user, first_admin
    from repo_server.errors import NotFound

    user = find_user(email) if email else first_admin()
    if user is None:
        raise NotFound(
            _("Chưa có quản trị viên; hãy tạo bằng 'repo-server user create'.")
        )
    return user


@click.command("coverage")
@click.option("--subject", help="Subject code or name.")
@click.option("--grade", help="Grade code or name.")
@click.option("--series", help="Textbook series.")
@click.option("--org", "org_code", help="Organisation code (with what is under it).")
@click.option("--year", help="School year, e.g. 2025-2026.")
@click.option(
    "--xlsx", "xlsx_path", type=click.Path(dir_okay=False), help="Write .xlsx."
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.option("--rebuild", is_flag=True, help="Recount from the content tables first.")
@click.option("--as", "as_email", help="Act as this user (default: the first admin).")
@with_app
def coverage_command(
    subject, grade, series, org_code, year, xlsx_path, as_json, rebuild, as_email
):
    """Coverage of the curriculum per subject × grade, as the dashboard shows it."""
    from repo_server.curation import counts, coverage, export
    from repo_server.curation.views_coverage import coverage_args
    from repo_server.orgs.service import find_organisation

    if rebuild:
        click.echo(f"Đã đếm lại: {counts.rebuild_counts()}", err=True)
    user = _acting_user(as_email)
    query = {"subject": subject, "grade": grade, "series": series, "year": year}
    if org_code:
        query["org"] = find_organisation(org_code).id
    args = coverage_args({k: v for k, v in query.items() if v})
    report = coverage.dashboard(user, args)
    if xlsx_path:
        Path(xlsx_path).write_bytes(export.coverage_workbook(user, args))
        click.echo(f"Đã ghi {xlsx_path}", err=True)
    if as_json:
        cells = [c.as_dict() for c in report["cells"]]
        document = {**report, "cells": cells}
        click.echo(json.dumps(document, ensure_ascii=False, indent=1))
        return
    _print_table(report)


def _print_table(report: dict) -> None:
    """A readable table: one line per subject × grade, then the totals."""
    click.echo(f"Năm học {report['year']}")
    header = (
        "Môn       Lớp  Bài  Phủ   Tỉ lệ  Chỉ tiêu  NB    TH    VD    VDC   HL    Chờ"
    )
    click.echo(header)
    for c in report["cells"]:
        q = c.questions
        click.echo(
            f"{c.subject:<9} {c.grade:<4} {c.lessons:>4} {c.covered:>4} {c.share:>6}% "
            f"{c.target:>7}% {q['NB']:>5} {q['TH']:>5} {q['VD']:>5} {q['VDC']:>5} "
            f"{c.materials:>5} {c.backlog:>4}"
        )
    t = report["totals"]
    click.echo(
        f"Tổng: {t['covered']}/{t['lessons']} bài ({t['share']}%), {t['questions']} "
        f"câu hỏi, {t['materials']} học liệu, {t['backlog']} chờ duyệt."
    )


@click.command("reminders")
@click.option(
    "--days", type=int, help="Remind of items waiting longer (default: config)."
)
@with_app
def reminders_command(days):
    """Remind reviewers (in the app and by e-mail) of items waiting too long."""
    from repo_server.curation.service import send_reminders

    sent = send_reminders(days)
    click.echo(f"Đã nhắc duyệt {sent} nội dung.")


@click.group("topics")
def topics_group():
    """Maintain the curriculum topics and lessons."""


@topics_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--subject", required=True)
@click.option("--grade", required=True)
@click.option("--series")
@click.option("--as", "as_email", help="Act as this user (default: the first admin).")
@with_app
def topics_import(path, subject, grade, series, as_email):
    """Import topics/lessons of subject × grade from .xlsx or CSV."""
    from repo_server.curation.topics import import_topics

    user = _acting_user(as_email)
    data = Path(path).read_bytes()
    result = import_topics(user, subject, grade, series, Path(path).name, data)
    click.echo(json.dumps(result, ensure_ascii=False))
