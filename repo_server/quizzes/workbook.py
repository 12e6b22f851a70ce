"""The results workbook (.xlsx): students, classes, schools and item statistics."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from repo_server.quizzes.models import Quiz


def build_workbook(quiz: Quiz, results: dict) -> io.BytesIO:
    """Four sheets: Kết quả, Theo lớp, Theo trường, Thống kê câu hỏi."""
    from repo_server.quizzes.itemstats import compute_quiz_stats
    from repo_server.quizzes.results import slot_label

    book = Workbook()
    sheet = book.active
    sheet.title = "Kết quả"
    labels = [slot_label(quiz, qq) for qq in quiz.questions]
    _header(sheet, ["Học sinh", "Email", "Trường", "Lớp", "Lần", "Điểm", "Tối đa",
                    "Nộp bởi", "Lưu bị từ chối", *labels])  # fmt: skip
    for s in results["students"]:
        sheet.append(
            [s["student"]["name"], s["student"]["email"], s["school"],
             ", ".join(s["classes"]), s["number"], s["score"], s["max_score"],
             s["submitted_by"], s["refused_saves"],
             *[a["points"] for a in s["answers"]]]
        )  # fmt: skip
    for title, key in (("Theo lớp", "by_class"), ("Theo trường", "by_school")):
        group = book.create_sheet(title)
        _header(
            group, ["Tên", "Số học sinh", "Điểm trung bình", "Thấp nhất", "Cao nhất"]
        )
        for g in results[key]:
            group.append([g["name"], g["students"], g["mean"], g["min"], g["max"]])
    _stats_sheet(
        book.create_sheet("Thống kê câu hỏi"), compute_quiz_stats(quiz), labels
    )
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def _stats_sheet(sheet, data: dict, labels: list[str]) -> None:
    sheet.append(["Cronbach's alpha", data["cronbach_alpha"]])
    sheet.append(["Số học sinh", data["students"]])
    sheet.append([])
    _header(sheet, ["Câu", "Mã câu hỏi", "Loại", "Độ khó (p)", "Point-biserial",
                    "Phân biệt 27%", "Lựa chọn", "Cảnh báo", "Nội dung"])  # fmt: skip
    for label, item in zip(labels, data["items"], strict=True):
        options = ", ".join(f"{k}: {v}" for k, v in item["options"].items())
        sheet.append(
            [label, item["question_id"], item["type"], item["facility"],
             item["point_biserial"], item["discrimination"], options,
             ", ".join(item["flags"]), item["stem_text"]]
        )  # fmt: skip


def _header(sheet, names: list[str]) -> None:
    sheet.append(names)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
