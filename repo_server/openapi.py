"""The OpenAPI 3 document of /api/v1, built from the routes and their schemas."""

import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import current_app

from repo_server.accounts.schemas import LoginIn, TokenIn, UserIn, UserListArgs
from repo_server.api import bp
from repo_server.catalog.schemas import SearchArgs
from repo_server.curation import schemas as curation
from repo_server.exchange.schemas import ExportIn
from repo_server.materials.schemas import MaterialIn, MaterialListArgs
from repo_server.orgs.schemas import OrganisationIn
from repo_server.questions.schemas import QuestionIn, QuestionListArgs, TransitionIn
from repo_server.quizzes.schemas import (
    AvailabilityArgs,
    CheckIn,
    ClassIn,
    OverrideIn,
    QuizIn,
    RegradeIn,
    SaveIn,
)

#: endpoint → (request body schema, query-string schema).
SCHEMAS = {
    "api.login": (LoginIn, None),
    "api.create_token": (TokenIn, None),
    "api.list_users": (None, UserListArgs),
    "api.create_user": (UserIn, None),
    "api.update_user": (UserIn, None),
    "api.create_organisation": (OrganisationIn, None),
    "api.update_organisation": (OrganisationIn, None),
    "api.list_questions": (None, QuestionListArgs),
    "api.create_question": (QuestionIn, None),
    "api.update_question": (QuestionIn, None),
    "api.transition_question": (TransitionIn, None),
    "api.list_materials": (None, MaterialListArgs),
    "api.create_material": (MaterialIn, None),
    "api.update_material": (MaterialIn, None),
    "api.transition_material": (TransitionIn, None),
    "api.search": (None, SearchArgs),
    "api.start_export": (ExportIn, None),
    "api.review_queue": (None, curation.QueueArgs),
    "api.review_approve": (curation.ApproveIn, None),
    "api.review_return": (curation.ReturnIn, None),
    "api.review_bulk_approve": (curation.BulkApproveIn, None),
    "api.add_review_comment": (curation.CommentIn, None),
    "api.set_review_levels": (curation.ReviewLevelsIn, None),
    "api.set_review_scope": (curation.ScopeIn, None),
    "api.coverage_report": (None, curation.CoverageArgs),
    "api.coverage_lessons": (None, curation.CoverageArgs),
    "api.coverage_export": (None, curation.CoverageArgs),
    "api.set_coverage_target": (curation.TargetIn, None),
    "api.audit_log": (None, curation.AuditArgs),
    "api.create_class": (ClassIn, None),
    "api.update_class": (ClassIn, None),
    "api.blueprint_availability": (None, AvailabilityArgs),
    "api.blueprint_check": (CheckIn, None),
    "api.create_quiz": (QuizIn, None),
    "api.update_quiz": (QuizIn, None),
    "api.save_answer": (SaveIn, None),
    "api.override_answer": (OverrideIn, None),
    "api.regrade_quiz": (RegradeIn, None),
}
PUBLIC = {"api.login", "api.health", "api.openapi_document"}
ERROR = {
    "description": "Lỗi (phong bì lỗi JSON)",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


def build_spec() -> dict:
    """Describe every route of the API blueprint."""
    spec = APISpec(
        "Kho học liệu số API",
        "1.0.0",
        "3.0.3",
        plugins=[MarshmallowPlugin()],
        servers=[{"url": "/"}],
    )
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.components.security_scheme(
        "session", {"type": "apiKey", "in": "cookie", "name": "session"}
    )
    spec.components.schema(
        "Error",
        {
            "type": "object",
            "properties": {
                "error": {
                    "type": "object",
                    "properties": {
                        "code": {"type": "string"},
                        "message": {"type": "string"},
                        "fields": {"type": "object"},
                    },
                }
            },
        },
    )
    for rule in current_app.url_map.iter_rules():
        if rule.endpoint.startswith(bp.name + "."):
            _add_rule(spec, rule)
    return spec.to_dict()


def _add_rule(spec: APISpec, rule) -> None:
    path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
    view = current_app.view_functions[rule.endpoint]
    body, query = SCHEMAS.get(rule.endpoint, (None, None))
    operations = {}
    for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
        operation = {
            "summary": (view.__doc__ or "").strip(),
            "tags": [rule.rule.split("/")[3]],
            "responses": {"200": {"description": "OK"}, "default": ERROR},
        }
        if body is not None:
            operation["requestBody"] = {
                "content": {"application/json": {"schema": body}}
            }
        if query is not None:
            operation["parameters"] = [{"in": "query", "schema": query}]
        if rule.endpoint not in PUBLIC:
            operation["security"] = [{"bearer": []}, {"session": []}]
        operations[method.lower()] = operation
    parameters = [
        {"in": "path", "name": name, "required": True, "schema": {"type": "string"}}
        for name in sorted(rule.arguments)
    ]
    spec.path(path=path, operations=operations, parameters=parameters)


@bp.get("/openapi.json")
def openapi_document():
    """This document."""
    return build_spec()
