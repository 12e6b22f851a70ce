"""``repo-server import LECTURE.zip``: SCORM lectures among the files to import."""

import json

import click

import scorm
from repo_server.scorm import importing


def import_lectures(user, paths, form: dict, dry_run: bool, as_json: bool) -> list:
    """Import the SCORM zips among ``paths``; return the other paths (questions)."""
    others, reports = [], []
    for path in paths:
        with open(path, "rb") as stream:
            if not scorm.is_scorm(stream):
                others.append(path)
                continue
            reports.append(_one(user, path, stream, form, dry_run))
    if as_json and reports:
        click.echo(json.dumps({"lectures": reports}, ensure_ascii=False))
    elif reports:
        for report in reports:
            _print(report, dry_run)
    return others


def _one(user, path: str, stream, form: dict, dry_run: bool) -> dict:
    if dry_run:
        opened = importing.open_lecture(stream, path)
        package = opened.package
        opened.close()
        return {"file": path, "version": package.version, "title": package.title,
                "scos": len(package.scos), "warnings": list(package.warnings)}  # fmt: skip
    material = importing.import_lecture(user, path, stream, form)
    package = material.scorm
    return {
        "file": path,
        "material": material.id,
        "version": package.version,
        "title": material.title,
        "scos": sum(
            1 for item in _items(package.toc) if item.get("scorm_type") == "sco"
        ),
        "files": package.file_count,
        "warnings": package.warnings,
    }


def _items(toc: list):
    for item in toc:
        yield item
        yield from _items(item.get("children", []))


def _print(report: dict, dry_run: bool) -> None:
    if dry_run:
        click.echo(f"Đọc được bài giảng SCORM {report['version']} “{report['title']}” "
                   f"({report['scos']} SCO) từ {report['file']} (chạy thử, chưa ghi).")  # fmt: skip
    else:
        click.echo(f"Đã nhập bài giảng SCORM {report['version']} #{report['material']} "
                   f"“{report['title']}” ({report['files']} tệp) từ {report['file']}.")  # fmt: skip
    for warning in report["warnings"]:
        click.echo(f"LƯU Ý   {report['file']}: {warning}")
