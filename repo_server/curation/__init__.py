"""Curation: review queues, comments, notifications, coverage, topics and the audit log."""


def install(app) -> None:
    """Register the lifecycle hooks and the audit of write requests."""
    from repo_server.curation import hooks
    from repo_server.curation.audit import audit_request

    hooks.install()
    app.after_request(audit_request)
