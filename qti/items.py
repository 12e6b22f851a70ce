"""The format-neutral question model: importers produce it, the DB stores it, scoring reads it."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields

from qti.errors import QtiError
from qti.text import clean_html, normalize

#: The question types of the model, in the order editors list them.
QUESTION_TYPES = (
    "single_choice",
    "multiple_response",
    "true_false",
    "true_false_cluster",
    "numeric",
)
TRUE_FALSE_IDS = ("true", "false")
CLUSTER_SIZE = 4


@dataclass(frozen=True)
class Choice:
    """One option of a choice question."""

    id: str
    text: str

    def __post_init__(self):
        _require_id(self.id, "choices")
        object.__setattr__(self, "text", clean_html(self.text))


@dataclass(frozen=True)
class Statement:
    """One statement (a–d) of a true/false cluster, with its truth value."""

    id: str
    text: str
    correct: bool

    def __post_init__(self):
        _require_id(self.id, "statements")
        object.__setattr__(self, "text", clean_html(self.text))
        if not isinstance(self.correct, bool):
            raise QtiError(
                "Mỗi mệnh đề phải được đánh dấu Đúng hoặc Sai.", "statements"
            )


@dataclass(frozen=True)
class NumericAnswer:
    """The key of a short numeric answer: a value and an absolute tolerance."""

    value: float
    tolerance: float = 0.0
    base_type: str = "float"

    def __post_init__(self):
        for name in ("value", "tolerance"):
            number = getattr(self, name)
            if isinstance(number, bool) or not isinstance(number, int | float):
                raise QtiError("Đáp án số phải là một số.", "numeric")
            if not math.isfinite(number):
                raise QtiError("Đáp án số phải là một số hữu hạn.", "numeric")
        if self.tolerance < 0:
            raise QtiError("Sai số cho phép không được âm.", "numeric")
        if self.base_type not in ("float", "integer"):
            raise QtiError("Kiểu số phải là float hoặc integer.", "numeric")


@dataclass(frozen=True)
class Media:
    """A picture, sound or video a question refers to (by storage key or URL)."""

    src: str
    mime: str = ""
    alt: str = ""


@dataclass(frozen=True)
class Item:
    """One question in any of the five types, independent of any file format."""

    type: str
    stem: str
    choices: tuple[Choice, ...] = ()
    correct: tuple[str, ...] = ()
    statements: tuple[Statement, ...] = ()
    numeric: NumericAnswer | None = None
    explanation: str = ""
    shuffle: bool = False
    media: tuple[Media, ...] = ()
    identifier: str = ""
    title: str = ""
    lang: str = "vi"
    extra: dict = field(default_factory=dict, compare=False)

    def __post_init__(self):
        if self.type not in QUESTION_TYPES:
            raise QtiError(f"Loại câu hỏi không hợp lệ: {self.type}.", "type")
        _clean_and_check(self)

    @classmethod
    def from_dict(cls, data: dict) -> Item:
        """Build an item from its JSON form (as stored and as sent by the API)."""
        if not isinstance(data, dict):
            raise QtiError("Câu hỏi phải là một đối tượng JSON.", "item")
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise QtiError(
                f"Trường không hỗ trợ: {', '.join(sorted(unknown))}.", "item"
            )
        try:
            return cls(**_nested_from_dict(data))
        except TypeError as exc:
            raise QtiError(f"Dữ liệu câu hỏi sai kiểu: {exc}.", "item") from exc

    def to_dict(self) -> dict:
        """Return the JSON form of the item (only non-empty fields)."""
        numeric = self.numeric
        data = {
            "type": self.type,
            "stem": self.stem,
            "choices": [{"id": c.id, "text": c.text} for c in self.choices],
            "correct": list(self.correct),
            "statements": [
                {"id": s.id, "text": s.text, "correct": s.correct}
                for s in self.statements
            ],
            "numeric": numeric
            and {
                "value": numeric.value,
                "tolerance": numeric.tolerance,
                "base_type": numeric.base_type,
            },
            "explanation": self.explanation,
            "shuffle": self.shuffle,
            "media": [{"src": m.src, "mime": m.mime, "alt": m.alt} for m in self.media],
            "identifier": self.identifier,
            "title": self.title,
            "lang": self.lang,
            "extra": _jsonable(self.extra),
        }
        return {k: v for k, v in data.items() if v not in ([], {}, None, "")}

    @property
    def choice_ids(self) -> tuple[str, ...]:
        """Identifiers of the options, in authored order."""
        return tuple(c.id for c in self.choices)


def refill(model: Item, texts: dict, options: list[str] | None = None) -> Item:
    """``model`` (a valid item) with other free texts, cleaned and checked as the
    constructor does, without checking again what did not change (a reader's fast path).

    :param texts: ``stem``, ``explanation``, ``title``, ``identifier`` and, for
        numeric items, ``numeric``; ``options`` replaces the option texts, in order.
    """
    values = {**model.__dict__, **texts, "extra": {}}
    if options is not None and model.statements:
        values["statements"] = tuple(
            _trusted(Statement, id=s.id, text=clean_html(text), correct=s.correct)
            for s, text in zip(model.statements, options, strict=True)
        )
    elif options is not None:
        values["choices"] = tuple(
            _trusted(Choice, id=c.id, text=clean_html(text))
            for c, text in zip(model.choices, options, strict=True)
        )
    item = _trusted(Item, **values)
    _clean_and_check(item)
    return item


def _trusted(cls, **values):
    """An instance of the dataclass ``cls`` holding ``values`` as they are."""
    instance = object.__new__(cls)
    instance.__dict__.update(values)
    return instance


def _clean_and_check(item: Item) -> None:
    """Clean the item's own texts, then check it (what its constructor does)."""
    object.__setattr__(item, "stem", clean_html(item.stem))
    object.__setattr__(item, "explanation", clean_html(item.explanation))
    object.__setattr__(item, "title", normalize(item.title).strip())
    if not item.stem:
        raise QtiError("Câu hỏi phải có nội dung (đề bài).", "stem")
    _CHECKS[item.type](item)


def _jsonable(value):
    """Turn tuples into lists, so a dict equals its JSON round trip."""
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def _nested_from_dict(data: dict) -> dict:
    """Turn the nested JSON lists and objects into the model's value objects."""
    out = dict(data)
    out["choices"] = tuple(
        Choice(**_obj(c, "choices")) for c in data.get("choices", ())
    )
    out["statements"] = tuple(
        Statement(**_obj(s, "statements")) for s in data.get("statements", ())
    )
    out["media"] = tuple(Media(**_obj(m, "media")) for m in data.get("media", ()))
    out["correct"] = tuple(data.get("correct", ()))
    if data.get("numeric") is not None:
        out["numeric"] = NumericAnswer(**_obj(data["numeric"], "numeric"))
    return out


def _obj(value, field_name: str) -> dict:
    if not isinstance(value, dict):
        raise QtiError("Phần tử phải là một đối tượng JSON.", field_name)
    return value


def _require_id(value, field_name: str) -> None:
    if not isinstance(value, str) or not value.strip() or len(value) > 64:
        raise QtiError("Mã lựa chọn phải là chuỗi 1–64 ký tự.", field_name)


def _check_choices(item: Item, min_count: int = 2, max_count: int = 8) -> None:
    ids = item.choice_ids
    if not min_count <= len(ids) <= max_count:
        raise QtiError(f"Cần từ {min_count} đến {max_count} phương án.", "choices")
    if len(set(ids)) != len(ids):
        raise QtiError("Mã các phương án bị trùng.", "choices")
    if any(not c.text for c in item.choices):
        raise QtiError("Phương án không được để trống.", "choices")
    if not set(item.correct) <= set(ids) or len(set(item.correct)) != len(item.correct):
        raise QtiError("Đáp án phải là mã của các phương án đã có.", "correct")


def _check_single(item: Item) -> None:
    _check_choices(item)
    if len(item.correct) != 1:
        raise QtiError("Câu một lựa chọn phải có đúng một đáp án.", "correct")


def _check_multiple(item: Item) -> None:
    _check_choices(item)
    if not item.correct:
        raise QtiError("Câu nhiều lựa chọn phải có ít nhất một đáp án.", "correct")


def _check_true_false(item: Item) -> None:
    if not item.choices:
        choices = (Choice("true", "Đúng"), Choice("false", "Sai"))
        object.__setattr__(item, "choices", choices)
    if item.choice_ids != TRUE_FALSE_IDS:
        raise QtiError("Câu Đúng/Sai có hai phương án 'true' và 'false'.", "choices")
    if len(item.correct) != 1 or item.correct[0] not in TRUE_FALSE_IDS:
        raise QtiError("Câu Đúng/Sai phải chọn Đúng hoặc Sai làm đáp án.", "correct")


def _check_cluster(item: Item) -> None:
    ids = tuple(s.id for s in item.statements)
    if len(ids) != CLUSTER_SIZE or len(set(ids)) != CLUSTER_SIZE:
        raise QtiError("Câu Đúng/Sai dạng chùm có đúng 4 mệnh đề a–d.", "statements")
    if any(not s.text for s in item.statements):
        raise QtiError("Mệnh đề không được để trống.", "statements")


def _check_numeric(item: Item) -> None:
    if item.numeric is None:
        raise QtiError("Câu trả lời ngắn phải có đáp án số.", "numeric")


_CHECKS = {
    "single_choice": _check_single,
    "multiple_response": _check_multiple,
    "true_false": _check_true_false,
    "true_false_cluster": _check_cluster,
    "numeric": _check_numeric,
}
