"""Question use cases: list, read, write, version and move through the lifecycle."""

from functools import partial

from qti import Item
from qti.text import plain_text
from repo_server.common import paginate
from repo_server.lifecycle import content
from repo_server.lifecycle import service as lifecycle
from repo_server.questions.models import Question
from repo_server.taxonomy.service import resolve, resolve_topic

SORTS = {
    "id": Question.id,
    "created_at": Question.created_at,
    "updated_at": Question.updated_at,
    "difficulty": Question.difficulty,
}
SNAPSHOT = (
    "subject_code",
    "grade_code",
    "topic_id",
    "cognitive_level",
    "difficulty",
    "tags",
    "licence",
    "item",
)


def list_questions(user, args: dict):
    """Return (questions, total, page, per_page) visible to ``user`` for the filters."""
    conditions = [lifecycle.visible_filter(Question, user)]
    conditions += [column == value for column, value in _filters(args)]
    return paginate(Question, conditions, args, SORTS)


def _filters(args: dict):
    """Yield (column, value) pairs for the filters present in ``args``."""
    if args.get("subject"):
        yield Question.subject_code, resolve("subject", args["subject"])
    if args.get("grade"):
        yield Question.grade_code, resolve("grade", args["grade"])
    if args.get("cognitive_level"):
        yield (
            Question.cognitive_level,
            resolve("cognitive_level", args["cognitive_level"]),
        )
    if args.get("topic"):
        yield Question.topic_id, resolve_topic(args["topic"], None, None).id
    simple = {
        "type": Question.qtype,
        "status": Question.status,
        "author": Question.author_id,
        "org": Question.org_id,
    }
    for key, column in simple.items():
        if args.get(key) is not None:
            yield column, args[key]


def reveals_key(user) -> bool:
    """Everyone but students may see answer keys and explanations."""
    return user.role != "student"


def apply_question(question: Question, data: dict) -> list[str]:
    """Validate ``data`` against the taxonomy and the item model; return what changed."""
    before = {key: getattr(question, key) for key in SNAPSHOT}
    content.apply_taxonomy(question, data, resolve, resolve_topic)
    if "cognitive_level" in data:
        question.cognitive_level = resolve("cognitive_level", data["cognitive_level"])
    for key in ("difficulty", "tags", "licence"):
        if key in data:
            setattr(question, key, data[key])
    if "item" in data:
        item = Item.from_dict(data["item"])
        question.item = item.to_dict()
        question.qtype = item.type
        question.stem_text = plain_text(item.stem)[:300]
    return [key for key in SNAPSHOT if before[key] != getattr(question, key)]


KIND = content.ContentKind(
    "question",
    Question,
    apply_question,
    ("qtype", "cognitive_level", "difficulty", "stem_text", "item"),
)
get_question = partial(lifecycle.get_visible, Question)
create_question = partial(content.create, KIND)
create_questions = partial(content.create_many, KIND)
update_question = partial(content.update, KIND)
delete_question = partial(content.delete_draft, KIND)
transition_question = partial(content.transition, KIND)
new_version = partial(content.new_version, KIND)
question_history = partial(content.versions_and_history, KIND)
