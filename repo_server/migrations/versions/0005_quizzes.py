"""quizzes: classes, quizzes, attempts, answers

Revision ID: 0005_quizzes
Revises: 0004
Create Date: 2026-11-30 03:05:45.324278
"""

import sqlalchemy as sa
from alembic import op


revision = "0005_quizzes"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "quizzes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("subject_code", sa.String(length=64), nullable=True),
        sa.Column("grade_code", sa.String(length=64), nullable=True),
        sa.Column("parts", sa.JSON(), nullable=False),
        sa.Column("time_limit_minutes", sa.Integer(), nullable=True),
        sa.Column("opens_at", sa.DateTime(), nullable=True),
        sa.Column("closes_at", sa.DateTime(), nullable=True),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("shuffle_questions", sa.Boolean(), nullable=False),
        sa.Column("shuffle_options", sa.Boolean(), nullable=False),
        sa.Column("review", sa.String(length=16), nullable=False),
        sa.Column("show_explanations", sa.Boolean(), nullable=False),
        sa.Column("class_ids", sa.JSON(), nullable=False),
        sa.Column("school_ids", sa.JSON(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["grade_code"], ["grades.code"], name=op.f("fk_quizzes_grade_code_grades")
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisations.id"],
            name=op.f("fk_quizzes_org_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_quizzes_owner_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["subject_code"],
            ["subjects.code"],
            name=op.f("fk_quizzes_subject_code_subjects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quizzes")),
    )
    with op.batch_alter_table("quizzes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quizzes_org_id"), ["org_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_quizzes_owner_id"), ["owner_id"], unique=False
        )

    op.create_table(
        "school_classes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_school_classes_created_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["organisations.id"],
            name=op.f("fk_school_classes_school_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_school_classes")),
        sa.UniqueConstraint(
            "school_id", "name", name=op.f("uq_school_classes_school_id")
        ),
    )
    with op.batch_alter_table("school_classes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_school_classes_school_id"), ["school_id"], unique=False
        )

    op.create_table(
        "class_members",
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["class_id"],
            ["school_classes.id"],
            name=op.f("fk_class_members_class_id_school_classes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_class_members_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("class_id", "user_id", name=op.f("pk_class_members")),
    )
    with op.batch_alter_table("class_members", schema=None) as batch_op:
        batch_op.create_index("ix_class_members_user_id", ["user_id"], unique=False)

    op.create_table(
        "quiz_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quiz_id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("order", sa.JSON(), nullable=False),
        sa.Column("option_order", sa.JSON(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("deadline_at", sa.DateTime(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("submitted_by", sa.String(length=16), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("max_score", sa.Float(), nullable=False),
        sa.Column("refused_saves", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["quiz_id"],
            ["quizzes.id"],
            name=op.f("fk_quiz_attempts_quiz_id_quizzes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["student_id"], ["users.id"], name=op.f("fk_quiz_attempts_student_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_attempts")),
        sa.UniqueConstraint(
            "quiz_id", "student_id", "number", name=op.f("uq_quiz_attempts_quiz_id")
        ),
    )
    with op.batch_alter_table("quiz_attempts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_quiz_attempts_open", ["state", "deadline_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_quiz_attempts_quiz_id"), ["quiz_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_quiz_attempts_student_id"), ["student_id"], unique=False
        )

    op.create_table(
        "quiz_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quiz_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("part", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("points", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["questions.id"],
            name=op.f("fk_quiz_questions_question_id_questions"),
        ),
        sa.ForeignKeyConstraint(
            ["quiz_id"],
            ["quizzes.id"],
            name=op.f("fk_quiz_questions_quiz_id_quizzes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_questions")),
        sa.UniqueConstraint(
            "quiz_id", "position", name=op.f("uq_quiz_questions_quiz_id")
        ),
    )
    with op.batch_alter_table("quiz_questions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_quiz_questions_question_id"), ["question_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_quiz_questions_quiz_id"), ["quiz_id"], unique=False
        )

    op.create_table(
        "quiz_answers",
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("quiz_question_id", sa.Integer(), nullable=False),
        sa.Column("response", sa.JSON(), nullable=True),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("saved_at", sa.DateTime(), nullable=False),
        sa.Column("points", sa.Float(), nullable=True),
        sa.Column("override_points", sa.Float(), nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("override_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["attempt_id"],
            ["quiz_attempts.id"],
            name=op.f("fk_quiz_answers_attempt_id_quiz_attempts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["override_by_id"],
            ["users.id"],
            name=op.f("fk_quiz_answers_override_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["quiz_question_id"],
            ["quiz_questions.id"],
            name=op.f("fk_quiz_answers_quiz_question_id_quiz_questions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "attempt_id", "quiz_question_id", name=op.f("pk_quiz_answers")
        ),
    )


def downgrade():
    op.drop_table("quiz_answers")
    with op.batch_alter_table("quiz_questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quiz_questions_quiz_id"))
        batch_op.drop_index(batch_op.f("ix_quiz_questions_question_id"))

    op.drop_table("quiz_questions")
    with op.batch_alter_table("quiz_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quiz_attempts_student_id"))
        batch_op.drop_index(batch_op.f("ix_quiz_attempts_quiz_id"))
        batch_op.drop_index("ix_quiz_attempts_open")

    op.drop_table("quiz_attempts")
    with op.batch_alter_table("class_members", schema=None) as batch_op:
        batch_op.drop_index("ix_class_members_user_id")

    op.drop_table("class_members")
    with op.batch_alter_table("school_classes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_school_classes_school_id"))

    op.drop_table("school_classes")
    with op.batch_alter_table("quizzes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quizzes_owner_id"))
        batch_op.drop_index(batch_op.f("ix_quizzes_org_id"))

    op.drop_table("quizzes")
