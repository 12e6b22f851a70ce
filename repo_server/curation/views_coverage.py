"""JSON endpoints of coverage, curriculum topics and the audit log."""

from flask import Response, request

from repo_server.accounts.service import current_user
from repo_server.api import bp, json_body
from repo_server.curation import audit, coverage, export, schemas, targets, topics
from repo_server.taxonomy.service import resolve

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def coverage_args(args) -> dict:
    """Dashboard filters with taxonomy names resolved to codes."""
    data = schemas.CoverageArgs().load(args)
    for key in ("subject", "grade", "series"):
        if data.get(key):
            data[key] = resolve(key, data[key])
    return data


@bp.get("/coverage")
def coverage_report():
    """Coverage per subject × grade: lessons, counts by level, target, backlog."""
    report = coverage.dashboard(current_user(), coverage_args(request.args))
    return {
        "year": report["year"],
        "cells": [c.as_dict() for c in report["cells"]],
        "totals": report["totals"],
        "contributors": report["contributors"],
    }


@bp.get("/coverage/lessons")
def coverage_lessons():
    """Drill-down: the topics of one subject × grade with their counts."""
    rows = coverage.lesson_rows(current_user(), coverage_args(request.args))
    return {"items": rows}


@bp.get("/coverage/export")
def coverage_export():
    """The dashboard (and the lessons of one subject × grade) as .xlsx."""
    data = export.coverage_workbook(current_user(), coverage_args(request.args))
    headers = {"Content-Disposition": 'attachment; filename="do-phu.xlsx"'}
    return Response(data, mimetype=XLSX, headers=headers)


@bp.put("/coverage/targets")
def set_coverage_target():
    """Set a school year's target share (admins; curators for their subjects)."""
    data = schemas.TargetIn().load(json_body())
    subject = resolve("subject", data["subject"]) or ""
    row = targets.set_target(
        current_user(), data["school_year"], subject, data["percent"]
    )
    return {
        "school_year": row.school_year,
        "subject": row.subject_code,
        "percent": row.percent,
    }


@bp.post("/topics/import")
def import_topics():
    """Import the lessons of subject × grade (× series) from .xlsx or CSV."""
    result = topics.import_upload(
        current_user(), request.form, request.files.get("file")
    )
    return result, 201


@bp.get("/audit")
def audit_log():
    """The audit log, newest first, filtered (admins); it has no edit or delete."""
    args = schemas.AuditArgs().load(request.args)
    rows, more = audit.list_entries(current_user(), args)
    return {"items": [audit.dump_entry(e) for e in rows], "more": more}
