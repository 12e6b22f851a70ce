"""scorm: SCORM packages of lectures, their files, learners' attempts

Revision ID: 0005_scorm
Revises: 0004
Create Date: 2026-12-01 00:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_scorm"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "scorm_packages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("material_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=16), nullable=False),
        sa.Column("identifier", sa.String(length=255), nullable=False),
        sa.Column("toc", sa.JSON(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("file_count", sa.Integer(), nullable=False),
        sa.Column("total_size", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["material_id"],
            ["materials.id"],
            name=op.f("fk_scorm_packages_material_id_materials"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scorm_packages")),
        sa.UniqueConstraint("material_id", name=op.f("uq_scorm_packages_material_id")),
    )
    op.create_table(
        "scorm_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("package_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=1024), nullable=False),
        sa.Column("blob_sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("content_type", sa.String(length=127), nullable=False),
        sa.ForeignKeyConstraint(
            ["blob_sha256"],
            ["blobs.sha256"],
            name=op.f("fk_scorm_files_blob_sha256_blobs"),
        ),
        sa.ForeignKeyConstraint(
            ["package_id"],
            ["scorm_packages.id"],
            name=op.f("fk_scorm_files_package_id_scorm_packages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scorm_files")),
        sa.UniqueConstraint(
            "package_id", "path", name=op.f("uq_scorm_files_package_id")
        ),
    )
    op.create_index(
        op.f("ix_scorm_files_blob_sha256"), "scorm_files", ["blob_sha256"], unique=False
    )
    op.create_table(
        "scorm_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("package_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("sco", sa.String(length=255), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("cmi", sa.JSON(), nullable=False),
        sa.Column("completion_status", sa.String(length=16), nullable=False),
        sa.Column("success_status", sa.String(length=16), nullable=False),
        sa.Column("score_raw", sa.Float(), nullable=True),
        sa.Column("score_max", sa.Float(), nullable=True),
        sa.Column("score_scaled", sa.Float(), nullable=True),
        sa.Column("location", sa.Text(), nullable=False),
        sa.Column("suspend_data", sa.Text(), nullable=False),
        sa.Column("total_seconds", sa.Float(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("finished", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["package_id"],
            ["scorm_packages.id"],
            name=op.f("fk_scorm_attempts_package_id_scorm_packages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_scorm_attempts_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scorm_attempts")),
    )
    op.create_index(
        "ix_scorm_attempts_learner",
        "scorm_attempts",
        ["package_id", "user_id", "sco", "number"],
        unique=False,
    )
    op.create_index(
        op.f("ix_scorm_attempts_user_id"), "scorm_attempts", ["user_id"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_scorm_attempts_user_id"), table_name="scorm_attempts")
    op.drop_index("ix_scorm_attempts_learner", table_name="scorm_attempts")
    op.drop_table("scorm_attempts")
    op.drop_index(op.f("ix_scorm_files_blob_sha256"), table_name="scorm_files")
    op.drop_table("scorm_files")
    op.drop_table("scorm_packages")
