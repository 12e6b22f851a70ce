"""``repo-server storage check|gc``: verify stored files and remove orphans."""

import json
import sys

import click

from repo_server.cli import with_app
from storage import StorageError

LABELS = {
    "missing": "Thiếu (có trong CSDL, không có trong kho)",
    "corrupt": "Hỏng (sai kích thước hoặc SHA-256)",
    "orphan_objects": "Đối tượng mồ côi (không có dòng Blob)",
    "unreferenced_blobs": "Blob không tệp nào dùng",
    "expired_uploads": "Lượt tải lên đã hết hạn",
}


@click.group()
def storage():
    """Check and clean the file storage."""


@storage.command("check")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--no-hash", is_flag=True, help="Compare sizes only (no full read).")
@with_app
def check(as_json, no_hash):
    """Verify every blob's object (exists, size, SHA-256); exit 1 on any problem."""
    from repo_server.files.maintenance import check_storage

    report = _run(check_storage, verify_hash=not no_hash)
    _print(report, as_json, f"Đã kiểm tra {report.checked} blob.")
    sys.exit(0 if report.clean else 1)


@storage.command("gc")
@click.option("--dry-run", is_flag=True, help="Only list what would be removed.")
@click.option(
    "--min-age",
    type=float,
    default=None,
    help="Hours an unreferenced blob is kept (default UPLOAD_EXPIRY_HOURS).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@with_app
def gc(dry_run, min_age, as_json):
    """Remove orphan objects, unreferenced blobs and expired uploads."""
    from repo_server.files.maintenance import collect_garbage

    report = _run(collect_garbage, dry_run=dry_run, min_age_hours=min_age)
    verb = "Sẽ dọn" if dry_run else "Đã dọn"
    _print(report, as_json, f"{verb}:")


def _run(function, **kwargs):
    """Call a maintenance function; an unreachable storage exits with code 2."""
    try:
        return function(**kwargs)
    except StorageError as exc:
        click.echo(f"Lỗi: kho lưu trữ không truy cập được: {exc}", err=True)
        sys.exit(2)


def _print(report, as_json: bool, title: str) -> None:
    """Print a report as JSON or as lines for people."""
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(title)
    for name, label in LABELS.items():
        items = getattr(report, name)
        click.echo(f"  {label}: {len(items)}")
        for item in items:
            click.echo(f"    {item}")
    if report.clean:
        click.echo("Không có vấn đề nào.")
