"""A quiz as a QTI package: its pinned question versions and an assessmentTest whose
sections are the quiz's parts."""

from flask_babel import gettext as _

from qti import write_package
from repo_server.errors import Conflict
from repo_server.exchange.service import FORMATS, _taxonomy_names, question_entry
from repo_server.quizzes.service import owned_quiz


def write_quiz_package(user, quiz_id: int, fmt: str, fileobj) -> int:
    """Write the quiz the user manages into ``fileobj``; return the number of items."""
    quiz = owned_quiz(user, quiz_id)
    if quiz.state == "draft":
        raise Conflict(_("Hãy phát hành đề trước: câu hỏi của ma trận chưa được rút."))
    slots = quiz.questions
    names = _taxonomy_names()
    entries = [question_entry(slot.question, names) for slot in slots]
    sections = [
        (part["title"], sum(1 for slot in slots if slot.part == index))
        for index, part in enumerate(quiz.parts)
    ]
    return write_package(
        entries,
        fileobj,
        FORMATS[fmt],
        test_title=quiz.title,
        test_sections=sections,
        identifier=f"QUIZ-{quiz.id}",
    )
