"""Alembic environment: the app's engine and our models' metadata."""

from alembic import context

import repo_server.models  # noqa: F401  (every model registers on the metadata)
from repo_server.extensions import db

target_metadata = db.metadata


def run_migrations() -> None:
    """Run the migrations online against the app's engine."""
    with db.engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations()
