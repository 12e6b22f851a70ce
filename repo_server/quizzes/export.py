"""A quiz as a QTI package: its pinned question versions and an assessmentTest whose
sections are the quiz's parts."""

from flask_babel import gettext as _

from qti import write_package
from repo_server.errors import Conflict, Invalid
from repo_server.exchange.media import ExportMedia
from repo_server.exchange.service import FORMATS, _taxonomy_names, question_entry
from repo_server.quizzes.service import owned_quiz


def write_quiz_package(user, quiz_id: int, fmt: str, fileobj) -> int:
    """Write the quiz the user manages into ``fileobj``; return the number of items."""
    quiz = owned_quiz(user, quiz_id)
    if quiz.state == "draft":
        raise Conflict(_("Hãy phát hành đề trước: câu hỏi của ma trận chưa được rút."))
    version = FORMATS[fmt].qti_version
    if version is None:
        raise Invalid(_("Đề kiểm tra chỉ xuất được dạng QTI 2.1 hoặc 3.0."))
    slots, names, media = quiz.questions, _taxonomy_names(), ExportMedia()
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
