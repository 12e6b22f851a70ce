"""A quiz as a package: its pinned question versions, as QTI (an assessmentTest whose
sections are the quiz's parts) or as one SCORM quiz SCO (points as the quiz sets them)."""

from flask_babel import gettext as _

from qti import write_package
from repo_server.errors import Conflict, Invalid
from repo_server.exchange.media import ExportMedia
from repo_server.exchange.service import (
    FORMATS,
    question_entry,
    vietnamese_taxonomy_names,
)
from repo_server.quizzes.service import owned_quiz
from repo_server.scorm.exporting import EDITIONS
from scorm.quiz import write_quiz_sco


def exportable_quiz(user, quiz_id: int, fmt: str):
    """The quiz the user manages, published, in a format a quiz is written in."""
    quiz = owned_quiz(user, quiz_id)
    if quiz.state == "draft":
        raise Conflict(_("Hãy phát hành đề trước: câu hỏi của ma trận chưa được rút."))
    if fmt not in EDITIONS and FORMATS[fmt].qti_version is None:
        message = _("Đề kiểm tra xuất được dạng QTI hoặc SCORM.")
        raise Invalid(message, {"format": [message]})
    if fmt in EDITIONS and quiz.draw_per_student:
        # One SCO shows every question it holds: it cannot draw a set per learner.
        raise Conflict(
            _(
                "Đề rút câu riêng cho từng học sinh chỉ xuất được dạng QTI (cả bộ câu đã ghim)."
            )
        )
    return quiz


def write_quiz_package(user, quiz_id: int, fmt: str, fileobj) -> int:
    """Write the quiz the user manages into ``fileobj``; return the number of items."""
    quiz = exportable_quiz(user, quiz_id, fmt)
    if fmt in EDITIONS:
        return _write_scorm(quiz, EDITIONS[fmt], fileobj)
    version = FORMATS[fmt].qti_version
    slots, names, media = quiz.questions, vietnamese_taxonomy_names(), ExportMedia()
    entries = [question_entry(slot.question, names) for slot in slots]
    entries = [(media.shown(item), meta) for item, meta in entries]
    sections = [
        (part["title"], sum(1 for slot in slots if slot.part == index))
        for index, part in enumerate(quiz.parts)
    ]
    return write_package(
        entries,
        fileobj,
        version,
        media_opener=media.open,
        test_title=quiz.title,
        test_sections=sections,
        identifier=f"QUIZ-{quiz.id}",
    )


def _write_scorm(quiz, edition: str, fileobj) -> int:
    """Write the quiz as one offline SCO scored like the service (its points kept)."""
    names, media = vietnamese_taxonomy_names(), ExportMedia()
    entries = []
    for slot in quiz.questions:
        item, meta = question_entry(slot.question, names)
        entries.append((media.shown(item), {**meta, "points": slot.points}))
    meta = {"licence": "CC-BY-4.0", "language": "vi"}
    return write_quiz_sco(
        entries, fileobj, edition, quiz.title, meta, media_opener=media.open
    )
