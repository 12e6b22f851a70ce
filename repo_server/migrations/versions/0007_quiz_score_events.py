"""quiz score events (overrides and regrades, kept as a history); per-student draws

Revision ID: 0007_quiz_score_events
Revises: 0006_merge_features
Create Date: 2026-11-30 06:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_quiz_score_events"
down_revision = "0006_merge_features"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("quizzes") as batch_op:
        batch_op.add_column(
            sa.Column(
                "draw_per_student",
                sa.Boolean(),
                nullable=False,
                server_default=sa.false(),
            )
        )
    with op.batch_alter_table("quiz_questions") as batch_op:
        batch_op.add_column(sa.Column("cell", sa.Integer(), nullable=True))
    op.create_table(
        "quiz_score_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quiz_id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("quiz_question_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("points_before", sa.Float(), nullable=True),
        sa.Column("points_after", sa.Float(), nullable=True),
        sa.Column("score_before", sa.Float(), nullable=True),
        sa.Column("score_after", sa.Float(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("question_before", sa.Integer(), nullable=True),
        sa.Column("question_after", sa.Integer(), nullable=True),
        sa.Column("by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["quiz_attempts.id"],
            name=op.f("fk_quiz_score_events_attempt_id_quiz_attempts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["by_id"], ["users.id"], name=op.f("fk_quiz_score_events_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["quiz_id"],
            ["quizzes.id"],
            name=op.f("fk_quiz_score_events_quiz_id_quizzes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["quiz_question_id"],
            ["quiz_questions.id"],
            name=op.f("fk_quiz_score_events_quiz_question_id_quiz_questions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_score_events")),
    )
    op.create_index(
        op.f("ix_quiz_score_events_attempt_id"),
        "quiz_score_events",
        ["attempt_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_quiz_score_events_quiz_id"),
        "quiz_score_events",
        ["quiz_id"],
        unique=False,
    )


def downgrade():
    op.drop_index(op.f("ix_quiz_score_events_quiz_id"), table_name="quiz_score_events")
    op.drop_index(
        op.f("ix_quiz_score_events_attempt_id"), table_name="quiz_score_events"
    )
    op.drop_table("quiz_score_events")
    with op.batch_alter_table("quiz_questions") as batch_op:
        batch_op.drop_column("cell")
    with op.batch_alter_table("quizzes") as batch_op:
        batch_op.drop_column("draw_per_student")
