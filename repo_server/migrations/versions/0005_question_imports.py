"""question_imports: previewed imports of question files and their originals

Revision ID: 0005_question_imports
Revises: 0004
Create Date: 2026-12-02 00:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_question_imports"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "question_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("subject_code", sa.String(length=64), nullable=True),
        sa.Column("grade_code", sa.String(length=64), nullable=True),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("entries", sa.JSON(), nullable=False),
        sa.Column("skipped", sa.JSON(), nullable=False),
        sa.Column("question_ids", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("committed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_question_imports_owner_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question_imports")),
    )
    op.create_index(
        op.f("ix_question_imports_owner_id"), "question_imports", ["owner_id"]
    )
    op.create_index(op.f("ix_question_imports_status"), "question_imports", ["status"])


def downgrade():
    op.drop_index(op.f("ix_question_imports_status"), table_name="question_imports")
    op.drop_index(op.f("ix_question_imports_owner_id"), table_name="question_imports")
    op.drop_table("question_imports")
