"""A selection of questions as one self-contained SCORM quiz SCO (HTML + JS, offline).

The page scores in the browser with the rules of ``qti.scoring`` (the cluster credit
table and the numeric tolerance are taken from it, and a browser test compares the
two on every question type), then reports score, pass/fail and completion through
the runtime API of SCORM 1.2 or 2004.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import BinaryIO

from qti.items import Item
from qti.scoring import CLUSTER_CREDIT
from qti.zipwriter import ZipWriter
from scorm.errors import ScormError
from scorm.model import Asset, TocItem
from scorm.quiz_media import MediaOpener, QuizMedia
from scorm.writer import write_manifest

#: The JS compares |value − key| ≤ tolerance + EPSILON, as ``qti.scoring`` does.
EPSILON = 1e-9
LABELS = {
    "question": "Câu",
    "yes": "Đúng",
    "no": "Sai",
    "submit": "Nộp bài",
    "result": "Điểm: {earned}/{total}.",
    "passed": "Đạt.",
    "failed": "Chưa đạt.",
}
PAGE = "index.html"


def quiz_question(item: Item, points: float = 1.0) -> dict:
    """Return what the page needs of one question (its key included: it scores offline)."""
    data = {
        "id": item.identifier or item.title or "q",
        "type": item.type,
        "stem": item.stem,
        "points": points,
        "choices": [{"id": c.id, "text": c.text} for c in item.choices]
        or _true_false(item),
        "correct": list(item.correct),
        "statements": [
            {"id": s.id, "text": s.text, "correct": s.correct} for s in item.statements
        ],
    }
    if item.numeric is not None:
        data["numeric"] = {
            "value": item.numeric.value,
            "tolerance": item.numeric.tolerance,
        }
    return data


def _true_false(item: Item) -> list[dict]:
    """A true/false question without choices answers "true" or "false"."""
    if item.type != "true_false":
        return []
    return [
        {"id": "true", "text": LABELS["yes"]},
        {"id": "false", "text": LABELS["no"]},
    ]


def quiz_page(
    questions: list[dict], version: str, title: str, passing: float = 0.5
) -> bytes:
    """Return the quiz SCO page for ``version`` ("1.2" or "2004")."""
    data = {
        "version": version,
        "passing": passing,
        "questions": questions,
        "labels": LABELS,
        "rules": {
            "cluster_credit": {str(k): v for k, v in CLUSTER_CREDIT.items()},
            "epsilon": EPSILON,
        },
    }
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    page = _template("quiz.html") % {
        "lang": "vi",
        "title": html.escape(title),
        "submit": LABELS["submit"],
        "data": text,
        "script": _template("quiz.js").replace("</", "<\\/"),
    }
    return page.encode("utf-8")


def _template(name: str) -> str:
    return resources.files("scorm").joinpath("templates", name).read_text("utf-8")


def write_quiz_sco(
    entries: Iterable[Item | tuple[Item, Mapping]],
    fileobj: BinaryIO,
    version: str,
    title: str,
    meta: Mapping | None = None,
    passing: float = 0.5,
    media_opener: MediaOpener | None = None,
) -> int:
    """Write a quiz package of the questions ``entries``; return how many it holds.

    A quiz's questions come in order with their points in ``meta["points"]``.
    ``media_opener`` supplies the pictures with a site path (``/…``) that the items
    list in ``media``; they are copied into the package so it works offline.
    """
    if version not in ("1.2", "2004"):
        raise ScormError(f"Phiên bản SCORM không hỗ trợ: {version}.", "version")
    pairs = [e if isinstance(e, tuple) else (e, {}) for e in entries]
    if not pairs:
        raise ScormError("Không có câu hỏi nào để đóng gói.", "selection")
    sco = TocItem("ITEM-QUIZ", title, PAGE, "RES-QUIZ", "sco", mastery_score=None)
    meta = {"title": title, "language": "vi", **(meta or {})}
    with ZipWriter(fileobj) as archive:
        pictures = QuizMedia(archive, media_opener)
        questions = [
            quiz_question(pictures.localise(item), float(extra.get("points", 1.0)))
            for item, extra in pairs
        ]
        asset = Asset("RES-QUIZ", PAGE, "sco", (PAGE, *pictures.paths.values()))
        archive.write(PAGE, quiz_page(questions, version, title, passing))
        manifest = write_manifest(version, "KHLS-QUIZ", title, (sco,), (asset,), meta)
        archive.write("imsmanifest.xml", manifest)
    return len(questions)
