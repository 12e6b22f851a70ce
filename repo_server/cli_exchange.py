"""``repo-server export`` and ``repo-server import``: the exchange services on files."""

import contextlib
import json
import sys

import click

from qti import QtiError
from repo_server.cli import with_app
from repo_server.errors import Invalid
from repo_server.exchange.formats import FORMATS


def _acting_user(email: str | None):
    """The --owner user, or the first admin (``init`` creates one)."""
    from repo_server.accounts.service import find_user, first_admin

    user = find_user(email) if email else first_admin()
    if user is None:
        raise Invalid(
            "Chưa có quản trị viên; hãy chạy 'repo-server init' hoặc --owner."
        )
    return user


def _ids(_ctx, _param, value):
    if not value:
        return []
    try:
        return [int(part) for part in value.split(",") if part.strip()]
    except ValueError as exc:
        raise click.BadParameter(
            "Mã câu hỏi phải là số, cách nhau bằng dấu phẩy."
        ) from exc


class _Bar:
    """A progress bar on stderr when it is a terminal; silent otherwise."""

    def __init__(self, label: str):
        self.label, self.bar, self.shown = label, None, 0

    def __call__(self, done: int, total: int | None = None) -> None:
        """Move the bar to ``done`` (of ``total``)."""
        if total is not None and self.bar is None and sys.stderr.isatty():
            self.bar = click.progressbar(
                length=total, label=self.label, file=sys.stderr
            )
            self.bar.__enter__()
        if self.bar is not None:
            self.bar.update(done - self.shown)
            self.shown = done

    def close(self) -> None:
        """Finish the bar's line."""
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@click.command("export")
@click.option("--format", "fmt", required=True, type=click.Choice(list(FORMATS)))
@click.option("--material", type=int, help="SCORM: xuất bài giảng (học liệu) này.")
@click.option("--subject", help="Môn học: mã hoặc tên (toan, Toán).")
@click.option("--grade", help="Lớp: mã hoặc tên.")
@click.option("--topic", help="Mã chủ đề, bài học.")
@click.option(
    "--status",
    default="published",
    show_default=True,
    type=click.Choice(
        ["published", "draft", "submitted", "returned", "archived", "all"]
    ),
)
@click.option("--ids", callback=_ids, help="Mã câu hỏi, cách nhau bằng dấu phẩy.")
@click.option("--owner", help="Xuất với quyền xem của người dùng này (email).")
@click.option(
    "--quiz", type=int, help="Xuất một đề kiểm tra (assessmentTest theo phần)."
)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@with_app
def export_command(
    fmt, material, subject, grade, topic, status, ids, owner, quiz, output, as_json
):
    """Export questions (QTI, or one SCORM quiz SCO), one quiz, or a SCORM lecture."""
    from repo_server.exchange.service import selection, write_selection

    user = _acting_user(owner)
    if quiz is not None:
        return _export_quiz(user, quiz, fmt, output, as_json)
    data = {"subject": subject, "grade": grade, "topic": topic, "status": status}
    params = {"format": fmt, **selection({**data, "ids": ids})}
    if material:
        params["material"] = material
    bar = _Bar("Đang xuất")
    try:
        with open(output, "wb") as target, contextlib.closing(bar):
            count = write_selection(user, params, target, bar)
    except QtiError as exc:
        raise Invalid(exc.message) from exc
    if as_json:
        click.echo(json.dumps({"count": count, "output": output, **params}))
    else:
        what = "mục bài giảng" if material else "câu hỏi"
        click.echo(f"Đã xuất {count} {what} vào {output}.")


def _export_quiz(user, quiz_id: int, fmt: str, output: str, as_json: bool) -> None:
    from repo_server.quizzes.export import write_quiz_package

    with open(output, "wb") as target:
        count = write_quiz_package(user, quiz_id, fmt, target)
    if as_json:
        click.echo(json.dumps({"count": count, "output": output, "quiz": quiz_id}))
    else:
        click.echo(f"Đã xuất đề {quiz_id}: {count} câu hỏi vào {output}.")


@click.command("import")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False)
)
@click.option("--subject", help="Môn học cho câu hỏi mà tệp không ghi.")
@click.option("--grade", help="Lớp cho câu hỏi mà tệp không ghi.")
@click.option("--owner", help="Người sở hữu các bản nháp (email).")
@click.option("--dry-run", is_flag=True, help="Chỉ đọc và báo cáo, không ghi gì.")
@click.option("--json", "as_json", is_flag=True, help="In báo cáo dạng JSON.")
@with_app
def import_command(files, subject, grade, owner, dry_run, as_json):
    """Import questions (Word, Excel/CSV, Moodle XML, GIFT, Aiken, QTI) and SCORM
    lectures (.zip) as drafts."""
    from repo_server.imports.schemas import dump_import
    from repo_server.imports.service import commit_all, start_import
    from repo_server.scorm.cli import import_lectures

    user = _acting_user(owner)
    form = {"subject": subject, "grade": grade}
    files = import_lectures(user, files, form, dry_run, as_json)
    if not files:
        return
    with contextlib.ExitStack() as stack:
        uploads = [(path, stack.enter_context(open(path, "rb"))) for path in files]
        form = {"subject": subject, "grade": grade}
        if dry_run:
            record = start_import(user, uploads, form, dry_run=True)
            report = {"readable": len(record.entries), "entries": record.entries,
                      "skipped": record.skipped}  # fmt: skip
        else:
            report = dump_import(commit_all(user, uploads, form))
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False))
        return
    _print_report(report, dry_run)


def _print_report(report: dict, dry_run: bool) -> None:
    if dry_run:
        click.echo(f"Đọc được {report['readable']} câu hỏi (chạy thử, chưa ghi).")
        for entry in report["entries"]:
            for message in entry["problems"]:
                click.echo(f"LƯU Ý   {entry['file']}  {entry['label']}: {message}")
    else:
        click.echo(f"Đã nhập {len(report['imported'])} câu hỏi (bản nháp).")
        for entry in report["problems"]:
            click.echo(f"LƯU Ý   {entry['file']}  {entry['item']}: {entry['message']}")
    for entry in report["skipped"]:
        click.echo(f"BỎ QUA  {entry['file']}  {entry['item']}: {entry['reason']}")
    for entry in report.get("entries", []):
        for found in entry["duplicates"]:
            other = found.get("question") or f"câu {found.get('entry')} của lượt nhập"
            click.echo(f"TRÙNG   {entry['file']}  {entry['label']}: {other}")
