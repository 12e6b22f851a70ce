"""Search over questions and materials: documents, the index outbox, API, page and CLI."""
