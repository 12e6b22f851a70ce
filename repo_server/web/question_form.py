"""The question editor's fields: from a question or a post, and to the QuestionIn input."""

import re
from decimal import Decimal

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from repo_server.errors import Invalid
from repo_server.web.forms import or_none, split_tags

LETTERS = "ABCDEFGH"
STATEMENT_IDS = "abcd"
MIN_CHOICES = 2
#: Item keys the editor writes; the others (media, identifier, ...) are kept as they are.
EDITOR_KEYS = (
    "type",
    "stem",
    "choices",
    "correct",
    "statements",
    "numeric",
    "explanation",
)
META_KEYS = ("subject", "grade", "topic", "cognitive_level", "difficulty", "licence")
NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


def blank_state() -> dict:
    """The editor of a new question: single choice with four empty options."""
    return {
        "type": "single_choice",
        "stem": "",
        "choices": [{"id": x, "text": "", "correct": False} for x in LETTERS[:4]],
        "tf": "",
        "statements": [{"id": x, "text": "", "correct": None} for x in STATEMENT_IDS],
        "numeric_value": "",
        "numeric_tolerance": "",
        "explanation": "",
        **{key: "" for key in META_KEYS},
        "licence": "CC-BY-4.0",
        "tags": "",
    }


def state_from_question(question) -> dict:
    """The editor filled from a stored question."""
    item = question.item
    correct = set(item.get("correct", []))
    numeric = item.get("numeric") or {}
    state = blank_state()
    state.update(
        type=item["type"],
        stem=item.get("stem", ""),
        tf=next(iter(correct), "") if item["type"] == "true_false" else "",
        numeric_value=_number_text(numeric.get("value")),
        numeric_tolerance=_number_text(numeric.get("tolerance")),
        explanation=item.get("explanation", ""),
        subject=question.subject_code or "",
        grade=question.grade_code or "",
        topic=question.topic.code if question.topic else "",
        cognitive_level=question.cognitive_level or "",
        difficulty=str(question.difficulty or ""),
        licence=question.licence or "",
        tags=", ".join(question.tags or []),
    )
    if item["type"] in ("single_choice", "multiple_response"):
        state["choices"] = [
            {"id": c["id"], "text": c["text"], "correct": c["id"] in correct}
            for c in item.get("choices", [])
        ]
    if item.get("statements"):
        state["statements"] = [dict(s) for s in item["statements"]]
    return state


def state_from_form(form: MultiDict) -> dict:
    """The editor as the author posted it (shown again when something is wrong)."""
    correct = set(form.getlist("correct"))
    texts = form.getlist("choice_text")[: len(LETTERS)]
    texts += [""] * (MIN_CHOICES - len(texts))  # the editor always shows two rows
    state = blank_state()
    state.update(
        {key: form.get(key, "") for key in state if isinstance(state[key], str)}
    )
    state["choices"] = [
        {"id": LETTERS[i], "text": text, "correct": LETTERS[i] in correct}
        for i, text in enumerate(texts)
    ]
    state["statements"] = [
        {
            "id": x,
            "text": form.get(f"statement_{x}", ""),
            "correct": {"true": True, "false": False}.get(form.get(f"truth_{x}")),
        }
        for x in STATEMENT_IDS
    ]
    return state


def question_input(state: dict, stored_item: dict | None = None) -> dict:
    """The QuestionIn input of the editor's fields (the item built by type)."""
    data = {key: or_none(state[key]) for key in META_KEYS}
    data["licence"] = data["licence"] or "CC-BY-4.0"
    data["tags"] = split_tags(state["tags"])
    data["item"] = build_item(state, stored_item)
    return data


def build_item(state: dict, stored_item: dict | None = None) -> dict:
    """The item JSON of the editor's fields; qti.Item checks it when it is saved."""
    kept = {k: v for k, v in (stored_item or {}).items() if k not in EDITOR_KEYS}
    item = {**kept, "type": state["type"], "stem": state["stem"]}
    if state["explanation"].strip():
        item["explanation"] = state["explanation"]
    builder = BUILDERS.get(state["type"])
    return {**item, **builder(state, stored_item or {})} if builder else item


def _choices(state: dict, _stored: dict) -> dict:
    """Options that are filled in (or marked correct), lettered again from A."""
    rows = [c for c in state["choices"] if c["text"].strip() or c["correct"]]
    choices = [{"id": LETTERS[i], "text": c["text"]} for i, c in enumerate(rows)]
    correct = [LETTERS[i] for i, c in enumerate(rows) if c["correct"]]
    return {"choices": choices, "correct": correct}


def _true_false(state: dict, _stored: dict) -> dict:
    return {"correct": [state["tf"]] if state["tf"] else []}


def _cluster(state: dict, _stored: dict) -> dict:
    return {"statements": [dict(s) for s in state["statements"]]}


def _numeric(state: dict, stored: dict) -> dict:
    value = parse_number(state["numeric_value"], required=True)
    tolerance = parse_number(state["numeric_tolerance"], required=False) or 0
    answer = {"value": value, "tolerance": tolerance}
    base_type = (stored.get("numeric") or {}).get("base_type")
    return {"numeric": {**answer, "base_type": base_type} if base_type else answer}


BUILDERS = {
    "single_choice": _choices,
    "multiple_response": _choices,
    "true_false": _true_false,
    "true_false_cluster": _cluster,
    "numeric": _numeric,
}


def parse_number(text: str, required: bool) -> int | float | None:
    """A number typed with a decimal comma or point ("2,5" or "2.5")."""
    text = (text or "").strip().replace(" ", "")
    if not text and not required:
        return None
    if not NUMBER.match(text):
        message = _("Hãy nhập một số, ví dụ 2,5.")
        raise Invalid(message, {"numeric": [message]})
    if any(mark in text for mark in ".,"):
        return float(text.replace(",", "."))
    return int(text)


def _number_text(value) -> str:
    """A stored number as the author types it (decimal comma, as in Vietnamese)."""
    if value is None:
        return ""
    return format(Decimal(str(value)), "f").replace(".", ",")
