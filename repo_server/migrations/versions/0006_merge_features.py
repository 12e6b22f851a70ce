"""merge the feature branches of 2026-11-30 into one head

Revision ID: 0006_merge_features
Revises: the six 0005 migrations (each adds only its own tables)
Create Date: 2026-11-30 04:50:00
"""

revision = "0006_merge_features"
down_revision = (
    "0005_login_failures",
    "0005_question_media",
    "0005_curation",
    "0005_quizzes",
    "0005_scorm",
    "0005_question_imports",
)
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
