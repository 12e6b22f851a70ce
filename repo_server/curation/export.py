"""The coverage dashboard as an .xlsx workbook (openpyxl)."""

import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from repo_server.curation import coverage

LEVEL_COLUMNS = ("NB", "TH", "VD", "VDC", "none")


def coverage_workbook(user, args: dict) -> bytes:
    """Summary per subject × grade, contributors, and the lessons when one is chosen."""
    report = coverage.dashboard(user, args)
    book = Workbook()
    summary = book.active
    summary.title = _("Tổng hợp")[:31]
    _summary_sheet(summary, report)
    people = book.create_sheet(_("Người đóng góp")[:31])
    _write(
        people,
        [_("Người dùng"), _("Câu hỏi"), _("Học liệu")],
        [[p["name"], p["questions"], p["materials"]] for p in report["contributors"]],
    )
    if args.get("subject") and args.get("grade"):
        lessons = book.create_sheet(_("Bài học")[:31])
        rows = coverage.lesson_rows(user, args)
        _write(
            lessons,
            [
                _("Mã"),
                _("Tên"),
                _("Bài học"),
                *LEVEL_COLUMNS,
                _("Học liệu"),
                _("Đã phủ"),
            ],
            [
                [
                    r["code"],
                    r["name"],
                    "x" if r["lesson"] else "",
                    *(r["questions"][k] for k in LEVEL_COLUMNS),
                    r["materials"],
                    "x" if r["covered"] else "",
                ]
                for r in rows
            ],
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _summary_sheet(sheet, report: dict) -> None:
    sheet.append([_("Năm học"), report["year"]])
    headers = [
        _("Môn"),
        _("Lớp"),
        _("Số bài học"),
        _("Bài đã phủ"),
        _("Tỉ lệ (%)"),
        _("Chỉ tiêu (%)"),
        *(f"{_('Câu hỏi')} {k}" for k in LEVEL_COLUMNS),
        _("Tổng câu hỏi"),
        _("Học liệu"),
        _("Chờ duyệt"),
        _("Chờ lâu nhất (ngày)"),
    ]
    rows = []
    for cell in report["cells"]:
        d = cell.as_dict()
        rows.append(
            [
                d["subject"],
                d["grade"],
                d["lessons"],
                d["covered"],
                d["share"],
                d["target"],
                *(d["questions"][k] for k in LEVEL_COLUMNS),
                d["question_total"],
                d["materials"],
                d["backlog"]["count"],
                d["backlog"]["oldest_days"],
            ]
        )
    sheet.append([])
    _write(sheet, headers, rows)


def _write(sheet, headers: list, rows: list) -> None:
    sheet.append([str(h) for h in headers])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
