"""Search documents built from question and material rows (``search/`` never sees models).

What a student may read is all a document shows: a question's title and body are its
stem, options and statements without their truth values; the explanation goes to
``answer_text``, which the engines match only for readers who see answer keys and never
return or highlight. So neither a snippet nor a match reveals an answer to a student.
"""

import html
from collections.abc import Iterator

from flask import current_app
from sqlalchemy import select

from qti.text import plain_text
from repo_server.extensions import db
from repo_server.files.models import MaterialFile
from repo_server.materials.models import Material
from repo_server.questions.models import Question
from repo_server.taxonomy.models import (
    CognitiveLevel,
    Grade,
    Subject,
    TextbookSeries,
    Topic,
)
from search import Document

MODELS = {"question": Question, "material": Material}
#: Taxonomy tables whose names (Vietnamese and English) are searchable.
NAMED = {
    "subject": Subject,
    "grade": Grade,
    "cognitive_level": CognitiveLevel,
    "series": TextbookSeries,
}
#: Longest title made from a question's stem, in characters.
TITLE_CHARS = 150


def text(fragment: str | None) -> str:
    """Return the visible, unescaped text of stored rich text."""
    return html.unescape(plain_text(fragment or ""))


def shorten(value: str, size: int = TITLE_CHARS) -> str:
    """Cut ``value`` at a word boundary before ``size`` characters."""
    if len(value) <= size:
        return value
    cut = value.rfind(" ", 0, size)
    return value[: cut if cut > 0 else size] + "…"


def iso(value) -> str:
    """Return a timestamp as sortable ISO text (milliseconds), or ""."""
    return value.isoformat(timespec="milliseconds") if value else ""


def load_documents(kind: str, ids: list[int]) -> tuple[list[Document], set[int]]:
    """Return the documents of the items that exist, and the ids that do not."""
    model = MODELS[kind]
    rows = list(db.session.scalars(select(model).where(model.id.in_(ids))))
    missing = set(ids) - {row.id for row in rows}
    return build_documents(kind, rows), missing


def iter_documents(kind: str, batch: int) -> Iterator[list[Document]]:
    """Yield the documents of every item of ``kind`` in batches, by id."""
    model = MODELS[kind]
    last = 0
    while True:
        query = select(model).where(model.id > last).order_by(model.id).limit(batch)
        rows = list(db.session.scalars(query))
        if not rows:
            return
        last = rows[-1].id
        yield build_documents(kind, rows)
        for row in rows:  # keeps memory flat over 100,000 rows
            db.session.expunge(row)


def build_documents(kind: str, rows: list) -> list[Document]:
    """Return the documents of loaded rows (one query per lookup, not per row)."""
    names = taxonomy_names(rows)
    if kind == "question":
        return [question_document(row, names) for row in rows]
    files = file_texts([row.id for row in rows])
    return [material_document(row, names, files.get(row.id, [])) for row in rows]


def taxonomy_names(rows: list) -> dict[str, dict]:
    """Map each taxonomy kind to {code: "Vietnamese English"}, topics by id."""
    names = {
        kind: {
            r.code: f"{r.name_vi} {r.name_en}" for r in db.session.scalars(select(m))
        }
        for kind, m in NAMED.items()
    }
    parents = {row.topic.parent_id for row in rows if row.topic and row.topic.parent_id}
    topics = db.session.scalars(select(Topic).where(Topic.id.in_(parents)))
    names["topic"] = {t.id: f"{t.name_vi} {t.name_en}" for t in topics}
    return names


def file_texts(material_ids: list[int]) -> dict[int, list[str]]:
    """Return the text extracted from each material's files, in file order."""
    query = (
        select(MaterialFile.material_id, MaterialFile.extracted_text)
        .where(MaterialFile.material_id.in_(material_ids))
        .order_by(MaterialFile.material_id, MaterialFile.position, MaterialFile.id)
    )
    texts: dict[int, list[str]] = {}
    for material_id, extracted in db.session.execute(query):
        if extracted:
            texts.setdefault(material_id, []).append(extracted)
    return texts


def question_document(question: Question, names: dict) -> Document:
    """Return the search document of a question version (student-safe body)."""
    item = question.item
    parts = [text(item.get("stem"))]
    parts += [text(choice["text"]) for choice in item.get("choices", [])]
    parts += [text(statement["text"]) for statement in item.get("statements", [])]
    series = question.topic.series_code if question.topic else None
    codes = {"cognitive_level": question.cognitive_level, "series": series}
    return Document(
        kind="question",
        title=item.get("title") or shorten(parts[0]),
        body="\n".join(part for part in parts if part),
        answer_text=text(item.get("explanation")),
        taxonomy_text=taxonomy_text(question, names, codes),
        facets=facets(question, {**codes, "question_type": question.qtype}),
        **shared_fields(question),
    )


def material_document(material: Material, names: dict, files: list[str]) -> Document:
    """Return the search document of a material version with its files' text."""
    body = "\n".join([material.description or "", *files]).strip()
    codes = {"series": material.series_code}
    return Document(
        kind="material",
        title=material.title,
        body=body[: current_app.config["SEARCH_MAX_BODY_CHARS"]],
        taxonomy_text=taxonomy_text(material, names, codes),
        facets=facets(material, {**codes, "material_kind": material.kind}),
        **shared_fields(material),
    )


def taxonomy_text(row, names: dict, codes: dict) -> str:
    """Return the names of the item's subject, grade, topic (and chapter), and tags."""
    codes = {"subject": row.subject_code, "grade": row.grade_code, **codes}
    words = [names[key].get(code, "") for key, code in codes.items() if code]
    topic = row.topic
    if topic is not None:
        words += [topic.name_vi, topic.name_en, names["topic"].get(topic.parent_id, "")]
    return " ".join(word for word in [*words, *(row.tags or [])] if word)


def facets(row, specific: dict) -> dict:
    """Return the facet values of an item (empty ones left out)."""
    values = {
        "subject": row.subject_code,
        "grade": row.grade_code,
        "topic": row.topic.code if row.topic else None,
        "organisation": str(row.org_id),
        **specific,
    }
    return {key: value for key, value in values.items() if value}


def shared_fields(row) -> dict:
    """Return the Document fields questions and materials fill the same way."""
    return {
        "id": row.id,
        "status": row.status,
        "author_id": row.author_id,
        "writer_id": 0 if row.created_by_id == row.author_id else row.created_by_id,
        "subject": row.subject_code or "",
        "created_at": iso(row.created_at),
        "updated_at": iso(row.updated_at),
    }
