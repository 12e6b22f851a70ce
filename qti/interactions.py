"""Read the interactions of a neutral QTI item into the fields of an ``Item``."""

from __future__ import annotations

import copy

from lxml import etree

from qti.dialect import remove
from qti.errors import UnsupportedItem
from qti.items import CLUSTER_SIZE, Choice, NumericAnswer, Statement
from qti.markup import inner_html
from qti.ns import child
from qti.responses import declaration, keyed_values, mapping, numeric_key
from qti.text import plain_text

#: Words that mark an option as "true" / "false" (identifiers must be whole words).
_ID_WORDS = {
    True: frozenset("true đúng dung yes right richtig wahr vrai".split()),
    False: frozenset("false sai no wrong falsch faux".split()),
}
#: Option texts may also be the single letters used on answer sheets (Đ/S, T/F).
_TEXT_WORDS = {True: _ID_WORDS[True] | {"đ", "t"}, False: _ID_WORDS[False] | {"s", "f"}}
#: Controls that are not questions (QTI's "show solution" button).
IGNORED = frozenset({"endAttemptInteraction"})
#: Inline markup that belongs to feedback or templates, never to the question text.
NOT_CONTENT = ("feedbackInline", "feedbackBlock", "templateInline", "templateBlock")
_DESCRIPTIONS = {
    "associateInteraction": "ghép cặp tự do",
    "drawingInteraction": "vẽ hình",
    "extendedTextInteraction": "tự luận",
    "gapMatchInteraction": "kéo thả vào chỗ trống",
    "graphicAssociateInteraction": "ghép cặp trên hình",
    "graphicGapMatchInteraction": "kéo thả trên hình",
    "graphicOrderInteraction": "sắp xếp trên hình",
    "hotspotInteraction": "chọn vùng trên hình",
    "hottextInteraction": "chọn từ trong đoạn văn",
    "inlineChoiceInteraction": "chọn trong danh sách thả xuống",
    "mediaInteraction": "xem/nghe đa phương tiện",
    "orderInteraction": "sắp xếp thứ tự",
    "positionObjectInteraction": "đặt vật lên hình",
    "selectPointInteraction": "chọn điểm trên hình",
    "sliderInteraction": "thanh trượt",
    "uploadInteraction": "tải tệp lên",
}


def read_interactions(root: etree._Element, found: list[etree._Element]) -> dict:
    """Return the Item fields the interactions ``found`` describe."""
    if not found:
        raise UnsupportedItem("Câu hỏi không có tương tác nào để trả lời.", "type")
    for interaction in found:
        if interaction.tag not in _READERS:
            raise UnsupportedItem(_unsupported(interaction.tag), "type")
    if len(found) == CLUSTER_SIZE and all(_is_true_false(root, i) for i in found):
        return _read_choice_cluster(root, found)
    if len(found) > 1:
        raise UnsupportedItem(
            f"Câu hỏi có {len(found)} tương tác; chỉ hỗ trợ một tương tác mỗi câu "
            "(hoặc 4 câu Đúng/Sai tạo thành một chùm).",
            "type",
        )
    return _READERS[found[0].tag](root, found[0])


def _unsupported(tag: str) -> str:
    description = _DESCRIPTIONS.get(tag, "không xác định")
    return f"Dạng tương tác chưa hỗ trợ: {description} ({tag})."


def content_html(element: etree._Element) -> str:
    """Return the HTML content of ``element`` without feedback or template markup."""
    if not len(element) or next(element.iter(*NOT_CONTENT), None) is None:
        return inner_html(element)  # nothing to take out: no copy needed
    holder = copy.deepcopy(element)
    for inner in [e for e in holder.iter(*NOT_CONTENT) if e is not holder]:
        if inner.getparent() is not None:
            remove(inner)
    return inner_html(holder)


def polarity(identifier: str, html: str) -> bool | None:
    """Return True/False when an option means "true"/"false" (by text, then id)."""
    text = plain_text(html).strip().rstrip(".!").casefold()
    for candidate, words in ((text, _TEXT_WORDS), (identifier.casefold(), _ID_WORDS)):
        for value in (True, False):
            if candidate in words[value]:
                return value
    return None


def _read_choice(root, interaction) -> dict:
    decl = declaration(root, interaction.get("responseIdentifier"))
    _require_identifier_response(decl)
    single = decl.get("cardinality", "single") == "single"
    choices = [
        Choice(c.get("identifier", ""), content_html(c))
        for c in interaction.iterchildren("simpleChoice")
    ]
    fields = {
        "type": "single_choice" if single else "multiple_response",
        "choices": tuple(choices),
        "correct": tuple(keyed_values(decl, single)),
        "shuffle": interaction.get("shuffle") == "true",
        "notes": _partial_credit_note(decl, single),
    }
    if single and len(choices) == 2:
        fields.update(_as_true_false(choices, fields["correct"]))
    return fields


def _require_identifier_response(decl) -> None:
    if decl.get("baseType") != "identifier" or decl.get("cardinality") not in (
        None,
        "single",
        "multiple",
    ):
        raise UnsupportedItem("Câu trả lời của câu chọn phải là mã phương án.", "type")


def _partial_credit_note(decl, single: bool) -> list[str]:
    if single or not mapping(decl):
        return []
    return ["Điểm từng phần (mapping) của tệp gốc được thay bằng chấm đúng/sai cả câu."]


def _as_true_false(choices: list[Choice], correct: tuple[str, ...]) -> dict:
    """Return true_false fields when the two options mean true and false, else {}."""
    truth = {c.id: polarity(c.id, c.text) for c in choices}
    if set(truth.values()) != {True, False}:
        return {}
    text = {truth[c.id]: c.text for c in choices}
    return {
        "type": "true_false",
        "choices": (Choice("true", text[True]), Choice("false", text[False])),
        "correct": tuple("true" if truth[c] else "false" for c in correct),
    }


def _is_true_false(root, interaction) -> bool:
    if interaction.tag != "choiceInteraction":
        return False
    options = list(interaction.iterchildren("simpleChoice"))
    marks = {polarity(o.get("identifier", ""), content_html(o)) for o in options}
    return len(options) == 2 and marks == {True, False}


def _read_choice_cluster(root, found: list[etree._Element]) -> dict:
    """Read 4 true/false choice interactions (one per statement) as a cluster."""
    statements = []
    for letter, interaction in zip("abcd", found, strict=True):
        prompt = child(interaction, "prompt")
        if prompt is None:
            raise UnsupportedItem(
                "Mệnh đề Đúng/Sai thiếu nội dung (prompt).", "statements"
            )
        decl = declaration(root, interaction.get("responseIdentifier"))
        key = keyed_values(decl, True)[0]
        options = interaction.iterchildren("simpleChoice")
        option = next((o for o in options if o.get("identifier") == key), None)
        if option is None:
            raise UnsupportedItem("Đáp án không khớp phương án nào.", "correct")
        truth = polarity(key, content_html(option))
        statements.append(Statement(letter, content_html(prompt), truth is True))
    return {
        "type": "true_false_cluster",
        "statements": tuple(statements),
        "prompts": False,
    }


def _read_match(root, interaction) -> dict:
    """Read a matchInteraction of 4 statements × {true, false} as a cluster."""
    sources, targets, swapped = _match_sets(interaction)
    truth = {
        t.get("identifier"): polarity(t.get("identifier", ""), content_html(t))
        for t in targets
    }
    if set(truth.values()) != {True, False}:
        raise UnsupportedItem(_match_reason(), "type")
    decl = declaration(root, interaction.get("responseIdentifier"))
    keys = _pair_keys(keyed_values(decl, False), truth, swapped)
    statements = []
    for source in sources:
        marks = keys.get(source.get("identifier"), set())
        if len(marks) != 1:
            raise UnsupportedItem(
                "Khoá Đúng/Sai chưa đủ cho mọi mệnh đề.", "statements"
            )
        identifier = source.get("identifier", "")
        statements.append(Statement(identifier, content_html(source), marks == {True}))
    shuffle = interaction.get("shuffle") == "true"
    return {
        "type": "true_false_cluster",
        "statements": tuple(statements),
        "shuffle": shuffle,
    }


def _match_sets(interaction) -> tuple[list, list, bool]:
    """Return (statements, the two answers, whether the answers came first)."""
    sets = [list(s.iterchildren("simpleAssociableChoice")) for s in interaction]
    sets = [s for s in sets if s]
    sizes = [len(s) for s in sets]
    if sizes == [CLUSTER_SIZE, 2]:
        return sets[0], sets[1], False
    if sizes == [2, CLUSTER_SIZE]:
        return sets[1], sets[0], True
    raise UnsupportedItem(_match_reason(), "type")


def _match_reason() -> str:
    return (
        "Dạng tương tác chưa hỗ trợ: ghép cặp (matchInteraction) "
        "không phải chùm 4 mệnh đề Đúng/Sai."
    )


def _pair_keys(values: list[str], truth: dict, swapped: bool) -> dict[str, set]:
    keys: dict[str, set] = {}
    for value in values:
        pair = value.split()
        if len(pair) != 2:
            continue
        source, target = reversed(pair) if swapped else pair
        keys.setdefault(source, set()).add(truth.get(target))
    return keys


def _read_text_entry(root, interaction) -> dict:
    decl = declaration(root, interaction.get("responseIdentifier"))
    base_type = decl.get("baseType")
    if (
        base_type not in ("float", "integer")
        or decl.get("cardinality", "single") != "single"
    ):
        raise UnsupportedItem(
            "Dạng tương tác chưa hỗ trợ: điền chữ (textEntryInteraction kiểu "
            f"{base_type}); chỉ hỗ trợ đáp án là số.",
            "type",
        )
    value, tolerance = numeric_key(root, decl)
    if base_type == "integer" and value.is_integer():
        value = int(value)
    return {"type": "numeric", "numeric": NumericAnswer(value, tolerance, base_type)}


_READERS = {
    "choiceInteraction": _read_choice,
    "matchInteraction": _read_match,
    "textEntryInteraction": _read_text_entry,
}
