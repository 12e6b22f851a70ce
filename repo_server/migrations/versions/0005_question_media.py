"""question_media: pictures shown in question text

Revision ID: 0005_question_media
Revises: 0004
Create Date: 2026-11-30 03:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_question_media"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "question_media",
        sa.Column("blob_sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["blob_sha256"],
            ["blobs.sha256"],
            name=op.f("fk_question_media_blob_sha256_blobs"),
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["users.id"],
            name=op.f("fk_question_media_uploaded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("blob_sha256", name=op.f("pk_question_media")),
    )
    op.create_index(
        op.f("ix_question_media_uploaded_by_id"),
        "question_media",
        ["uploaded_by_id"],
        unique=False,
    )


def downgrade():
    op.drop_index(op.f("ix_question_media_uploaded_by_id"), table_name="question_media")
    op.drop_table("question_media")
