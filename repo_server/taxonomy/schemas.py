"""Output shapes of the taxonomy."""


def dump_named(row) -> dict:
    """Return code and names of a taxonomy entry."""
    return {"code": row.code, "name_vi": row.name_vi, "name_en": row.name_en}


def dump_grade(grade) -> dict:
    """Return a grade with its level."""
    return {**dump_named(grade), "level": grade.level_code}


def dump_subject(subject) -> dict:
    """Return a subject with the grades it is taught in."""
    return {**dump_named(subject), "grades": [g.code for g in subject.grades]}


def dump_topic(topic) -> dict:
    """Return a topic with its place in the curriculum."""
    return {
        "id": topic.id,
        "code": topic.code,
        "name_vi": topic.name_vi,
        "name_en": topic.name_en,
        "subject": topic.subject_code,
        "grade": topic.grade_code,
        "series": topic.series_code,
        "parent_id": topic.parent_id,
    }
