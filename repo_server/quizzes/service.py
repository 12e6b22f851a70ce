"""Quiz authoring: create and change drafts, check blueprints, publish (draw and pin)."""

import logging
import secrets

from flask_babel import gettext as _
from sqlalchemy import select

from repo_server.accounts.models import User
from repo_server.accounts.service import require_role
from repo_server.errors import Conflict, Forbidden, Invalid, NotFound
from repo_server.extensions import db
from repo_server.orgs.models import Organisation
from repo_server.questions.models import Question
from repo_server.quizzes import blueprint
from repo_server.quizzes.models import Quiz, QuizQuestion, SchoolClass, class_members
from repo_server.taxonomy.service import resolve
from repo_server.timeutil import utcnow

logger = logging.getLogger(__name__)
AUTHORS = ("teacher", "curator", "admin")
SETTINGS = (
    "title",
    "parts",
    "time_limit_minutes",
    "opens_at",
    "closes_at",
    "max_attempts",
    "shuffle_questions",
    "shuffle_options",
    "draw_per_student",
    "review",
    "show_explanations",
    "class_ids",
    "school_ids",
)

#: Settings a caller of the service may leave out (added after the first callers).
OPTIONAL = {"draw_per_student": False}


def list_quizzes(user) -> list[Quiz]:
    """Quizzes of the user: own (authors), all (admin), open to them (students)."""
    query = select(Quiz).order_by(Quiz.id.desc())
    if user.role == "student":
        query = query.where(Quiz.state != "draft")
        return [q for q in db.session.scalars(query) if eligible(q, user)]
    if user.role != "admin":
        query = query.where(Quiz.owner_id == user.id)
    return list(db.session.scalars(query))


def get_quiz(user, quiz_id: int) -> Quiz:
    """Return a quiz the user may see, or raise NotFound."""
    quiz = db.session.get(Quiz, quiz_id)
    if quiz is None or not _visible(quiz, user):
        raise NotFound(_("Không tìm thấy đề kiểm tra #%(id)s.", id=quiz_id))
    return quiz


def _visible(quiz: Quiz, user) -> bool:
    if user.role == "student":
        return quiz.state != "draft" and eligible(quiz, user)
    return user.role == "admin" or quiz.owner_id == user.id


def owned_quiz(user, quiz_id: int) -> Quiz:
    """Return a quiz the user may manage (its owner or an admin)."""
    quiz = get_quiz(user, quiz_id)
    if user.role == "student":
        raise Forbidden(_("Bạn không có quyền thực hiện thao tác này."))
    return quiz


def eligible(quiz: Quiz, user) -> bool:
    """True when the student is in one of the quiz's classes or schools."""
    if user.org_id in audience_orgs(quiz):
        return True
    if not quiz.class_ids:
        return False
    return bool(
        db.session.scalar(
            select(class_members.c.user_id).where(
                class_members.c.user_id == user.id,
                class_members.c.class_id.in_(quiz.class_ids),
            )
        )
    )


def audience_orgs(quiz: Quiz) -> set[int]:
    """The quiz's schools and every organisation below them (an office: its schools)."""
    found, frontier = set(quiz.school_ids or []), set(quiz.school_ids or [])
    while frontier:
        frontier = (
            set(
                db.session.scalars(
                    select(Organisation.id).where(Organisation.parent_id.in_(frontier))
                )
            )
            - found
        )
        found |= frontier
    return found


def audience(quiz: Quiz) -> list[int]:
    """Ids of every student who may take the quiz."""
    ids = set()
    orgs = audience_orgs(quiz)
    if orgs:
        ids |= set(
            db.session.scalars(
                select(User.id).where(User.role == "student", User.org_id.in_(orgs))
            )
        )
    if quiz.class_ids:
        ids |= set(
            db.session.scalars(
                select(class_members.c.user_id).where(
                    class_members.c.class_id.in_(quiz.class_ids)
                )
            )
        )
    return sorted(ids)


def create_quiz(user, data: dict) -> Quiz:
    """Create a draft quiz; an impossible blueprint is refused with its shortages."""
    require_role(user, *AUTHORS)
    quiz = Quiz(owner_id=user.id, org_id=user.org_id, seed=secrets.randbits(48))
    _apply(user, quiz, data)
    db.session.add(quiz)
    db.session.commit()
    logger.info("quiz %s created by %s", quiz.id, user.email)
    return quiz


def update_quiz(user, quiz_id: int, data: dict) -> Quiz:
    """Change a draft quiz (a published quiz is fixed: its attempts exist)."""
    quiz = _draft(user, quiz_id)
    current = {key: getattr(quiz, key) for key in SETTINGS}
    current.update(subject=quiz.subject_code, grade=quiz.grade_code)
    _apply(user, quiz, {**current, **data})
    db.session.commit()
    return quiz


def delete_quiz(user, quiz_id: int) -> None:
    """Delete a draft quiz."""
    db.session.delete(_draft(user, quiz_id))
    db.session.commit()


def _draft(user, quiz_id: int) -> Quiz:
    quiz = owned_quiz(user, quiz_id)
    if quiz.state != "draft":
        raise Conflict(_("Đề đã phát hành thì không sửa hay xoá được."))
    return quiz


def _apply(user, quiz: Quiz, data: dict) -> None:
    """Validate references and the blueprint, then copy the settings."""
    opens, closes = data.get("opens_at"), data.get("closes_at")
    if opens and closes and closes <= opens:
        message = _("Thời điểm đóng phải sau thời điểm mở.")
        raise Invalid(message, {"closes_at": [message]})
    quiz.subject_code = resolve("subject", data.get("subject"))
    quiz.grade_code = resolve("grade", data.get("grade"))
    fixed = [i for part in data["parts"] for i in part["question_ids"]]
    lineages = _check_fixed(fixed)
    _check_audience(user, data["class_ids"], data["school_ids"])
    blueprint.draw(
        quiz.subject_code, quiz.grade_code, data["parts"], quiz.seed, lineages
    )
    for key in SETTINGS:
        setattr(quiz, key, data[key] if key in data else OPTIONAL[key])


def _check_fixed(ids: list[int]) -> set[int]:
    """Fixed questions must be distinct published versions; return their lineages."""
    if len(set(ids)) != len(ids):
        raise Invalid(_("Một câu hỏi được chọn hai lần."), {"parts": ["duplicate"]})
    rows = db.session.execute(
        select(Question.id, Question.lineage_id, Question.status).where(
            Question.id.in_(ids)
        )
    ).all()
    bad = set(ids) - {r.id for r in rows if r.status == "published"}
    if bad:
        message = _(
            "Chỉ dùng được câu hỏi đã xuất bản; không dùng được: %(ids)s.",
            ids=", ".join(map(str, sorted(bad))),
        )
        raise Invalid(message, {"parts": [message]})
    return {r.lineage_id or r.id for r in rows}


def _check_audience(user, class_ids: list[int], school_ids: list[int]) -> None:
    found = set(
        db.session.scalars(select(SchoolClass.id).where(SchoolClass.id.in_(class_ids)))
    )
    orgs = set(
        db.session.scalars(
            select(Organisation.id).where(Organisation.id.in_(school_ids))
        )
    )
    missing = (set(class_ids) - found) | (set(school_ids) - orgs)
    if missing:
        message = _("Lớp hoặc đơn vị không tồn tại: %(ids)s.", ids=sorted(missing))
        raise Invalid(message, {"class_ids": [message]})


def publish_quiz(user, quiz_id: int) -> Quiz:
    """Draw the blueprint, pin every question version, and generate the attempts."""
    from repo_server.quizzes.generation import generate_attempts

    quiz = _draft(user, quiz_id)
    fixed = [i for part in quiz.parts for i in part["question_ids"]]
    lineages = _check_fixed(fixed)
    subject, grade = quiz.subject_code, quiz.grade_code
    if quiz.draw_per_student:
        cells = blueprint.pools(subject, grade, quiz.parts, quiz.seed, lineages)
    else:
        drawn = blueprint.draw(subject, grade, quiz.parts, quiz.seed, lineages)
        cells = [[ids] if ids else [] for ids in drawn]
    _pin(quiz, cells)
    quiz.state, quiz.published_at = "published", utcnow()
    db.session.flush()
    count = generate_attempts(quiz, audience(quiz), number=1)
    db.session.commit()
    logger.info("quiz %s published: %s attempts generated", quiz.id, count)
    return quiz


def _pin(quiz: Quiz, cells: list[list[list[int]]]) -> None:
    """One slot per fixed question and per question of each cell's draw (or pool)."""
    position = 0
    for index, (part, pools) in enumerate(zip(quiz.parts, cells, strict=True)):
        per_student = len(part["question_ids"]) + sum(
            c["count"] for c in part.get("blueprint") or []
        )
        points = part["points"]
        if part.get("total_points") is not None:
            points = round(part["total_points"] / per_student, 6)
        rows = [(i, None) for i in part["question_ids"]]
        for number, ids in enumerate(pools):
            rows += [(i, number if quiz.draw_per_student else None) for i in ids]
        for question_id, cell in rows:
            position += 1
            quiz.questions.append(
                QuizQuestion(position=position, part=index, cell=cell,
                             question_id=question_id, points=points)
            )  # fmt: skip


def close_quiz(user, quiz_id: int) -> Quiz:
    """Close a published quiz; attempts still open are submitted with what was saved."""
    from repo_server.quizzes.delivery import finish
    from repo_server.quizzes.models import Attempt

    quiz = owned_quiz(user, quiz_id)
    if quiz.state != "published":
        raise Conflict(_("Chỉ đóng được đề đang phát hành."))
    open_attempts = db.session.scalars(
        select(Attempt).where(
            Attempt.quiz_id == quiz.id, Attempt.state == "in_progress"
        )
    ).all()
    for attempt in open_attempts:
        finish(attempt, quiz, "teacher")
    quiz.state = "closed"
    db.session.commit()
    return quiz
