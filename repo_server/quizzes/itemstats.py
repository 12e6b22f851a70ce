"""Item statistics of a quiz, and of a question accumulated over every quiz using it."""

from flask_babel import gettext as _
from sqlalchemy import select

from repo_server.accounts.service import require_role
from repo_server.extensions import db
from repo_server.questions.models import Question
from repo_server.questions.service import get_question
from repo_server.quizzes import stats
from repo_server.quizzes.delivery import sweep
from repo_server.quizzes.models import Quiz, QuizQuestion
from repo_server.quizzes.results import latest_submitted, score_matrix
from repo_server.quizzes.service import owned_quiz


def quiz_stats(user, quiz_id: int) -> dict:
    """The statistics of a quiz the user manages."""
    return compute_quiz_stats(owned_quiz(user, quiz_id))


def compute_quiz_stats(quiz: Quiz) -> dict:
    """Per-item statistics over each student's latest submitted attempt, and alpha."""
    sweep(quiz.id)  # attempts past their deadline count, as submitted with their saves
    rows = score_matrix(quiz, latest_submitted(quiz))
    totals = [sum(p for p in r.points if p is not None) for r in rows]
    items = [_item(slot, j, rows, totals) for j, slot in enumerate(quiz.questions)]
    # Alpha needs every student on the same items: not so when each draws their own.
    same_items = all(p is not None for r in rows for p in r.points)
    alpha = stats.cronbach_alpha([r.points for r in rows]) if same_items else None
    return {
        "quiz_id": quiz.id,
        "students": len(rows),
        "mean_score": round(sum(totals) / len(totals), 4) if totals else None,
        "cronbach_alpha": None if alpha is None else round(alpha, 4),
        "items": items,
    }


def _item(slot: QuizQuestion, j: int, rows: list, totals: list[float]) -> dict:
    """One slot's statistics over the students whose attempt held it."""
    took = [i for i, r in enumerate(rows) if r.points[j] is not None]
    report = stats.item_report(
        slot.question.item,
        [rows[i].points[j] for i in took],
        slot.points,
        [totals[i] for i in took],
        [rows[i].responses[j] for i in took],
    )
    if not took:
        report["flags"] = []  # nobody drew it: nothing to warn about
    return {
        "slot": slot.id,
        "position": slot.position,
        "question_id": slot.question_id,
        "type": slot.question.qtype,
        "stem_text": slot.question.stem_text,
        **report,
    }


def question_stats(user, question_id: int) -> dict:
    """Statistics of every version of a question, per quiz and pooled."""
    require_role(user, "teacher", "curator", "admin")
    question = get_question(user, question_id)
    lineage = question.lineage_id or question.id
    slots = db.session.scalars(
        select(QuizQuestion)
        .join(Question, Question.id == QuizQuestion.question_id)
        .where((Question.lineage_id == lineage) | (Question.id == lineage))
        .order_by(QuizQuestion.quiz_id)
    ).all()
    per_quiz = []
    for slot in slots:
        quiz = db.session.get(Quiz, slot.quiz_id)
        report = next(
            i for i in compute_quiz_stats(quiz)["items"] if i["slot"] == slot.id
        )
        per_quiz.append({"quiz_id": quiz.id, "title": quiz.title, **report})
    return {
        "question_id": question.id,
        "lineage_id": lineage,
        "quizzes": per_quiz,
        "overall": pooled(question.item, per_quiz),
    }


def pooled(item: dict, reports: list[dict]) -> dict:
    """Weighted by students: facility and discrimination; options summed."""
    n = sum(r["n"] for r in reports)
    out = {"n": n, "facility": None, "point_biserial": None, "discrimination": None}
    for key in ("facility", "point_biserial", "discrimination"):
        known = [(r[key], r["n"]) for r in reports if r[key] is not None]
        weight = sum(w for _v, w in known)
        if weight:
            out[key] = round(sum(v * w for v, w in known) / weight, 4)
    options: dict[str, int] = {}
    for report in reports:
        for key, count in report["options"].items():
            options[key] = options.get(key, 0) + count
    out["options"] = options
    out["flags"] = (
        stats.flags(item, out["point_biserial"], out["discrimination"], options)
        if n
        else []
    )
    out["note"] = _("Gộp theo số học sinh của từng đề.")
    return out
