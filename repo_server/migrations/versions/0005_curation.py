"""curation: review tasks and comments, notifications, settings, coverage counts, audit log

Revision ID: 0005_curation
Revises: 0004
Create Date: 2026-11-30 03:04:37
"""

import sqlalchemy as sa
from alembic import op


revision = "0005_curation"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('user_email', sa.String(length=254), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('object_kind', sa.String(length=32), nullable=False),
    sa.Column('object_id', sa.String(length=64), nullable=False),
    sa.Column('ip', sa.String(length=64), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_action'), ['action'], unique=False)
        batch_op.create_index('ix_audit_log_at', ['at'], unique=False)
        batch_op.create_index('ix_audit_log_object', ['object_kind', 'object_id'], unique=False)
        batch_op.create_index('ix_audit_log_user', ['user_id', 'at'], unique=False)

    op.create_table('contributor_counts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('subject_code', sa.String(length=64), nullable=False),
    sa.Column('grade_code', sa.String(length=64), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('content_kind', sa.String(length=16), nullable=False),
    sa.Column('published', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contributor_counts')),
    sa.UniqueConstraint('org_id', 'subject_code', 'grade_code', 'author_id', 'content_kind', name='uq_contributor_counts_key')
    )
    op.create_table('coverage_counts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('subject_code', sa.String(length=64), nullable=False),
    sa.Column('grade_code', sa.String(length=64), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('content_kind', sa.String(length=16), nullable=False),
    sa.Column('cognitive_level', sa.String(length=16), nullable=False),
    sa.Column('published', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coverage_counts')),
    sa.UniqueConstraint('org_id', 'subject_code', 'grade_code', 'topic_id', 'content_kind', 'cognitive_level', name='uq_coverage_counts_key')
    )
    with op.batch_alter_table('coverage_counts', schema=None) as batch_op:
        batch_op.create_index('ix_coverage_counts_sums', ['org_id', 'subject_code', 'grade_code', 'content_kind', 'cognitive_level', 'topic_id', 'published'], unique=False)

    op.create_table('coverage_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_year', sa.String(length=9), nullable=False),
    sa.Column('subject_code', sa.String(length=64), nullable=False),
    sa.Column('percent', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coverage_targets')),
    sa.UniqueConstraint('school_year', 'subject_code', name=op.f('uq_coverage_targets_school_year'))
    )
    op.create_table('review_settings',
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('levels', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_review_settings_org_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('org_id', name=op.f('pk_review_settings'))
    )
    op.create_table('curator_scopes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=8), nullable=False),
    sa.Column('value', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_curator_scopes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_curator_scopes'))
    )
    with op.batch_alter_table('curator_scopes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_curator_scopes_user_id'), ['user_id'], unique=False)

    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_user', ['user_id', 'read_at', 'id'], unique=False)

    op.create_table('review_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('content_kind', sa.String(length=16), nullable=False),
    sa.Column('content_id', sa.Integer(), nullable=False),
    sa.Column('lineage_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('action', sa.String(length=24), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_review_comments_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_comments'))
    )
    with op.batch_alter_table('review_comments', schema=None) as batch_op:
        batch_op.create_index('ix_review_comments_item', ['content_kind', 'lineage_id'], unique=False)

    op.create_table('review_tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('content_kind', sa.String(length=16), nullable=False),
    sa.Column('content_id', sa.Integer(), nullable=False),
    sa.Column('subject_code', sa.String(length=64), nullable=True),
    sa.Column('grade_code', sa.String(length=64), nullable=True),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('level1_by_id', sa.Integer(), nullable=True),
    sa.Column('level1_at', sa.DateTime(), nullable=True),
    sa.Column('reminded_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['level1_by_id'], ['users.id'], name=op.f('fk_review_tasks_level1_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_tasks')),
    sa.UniqueConstraint('content_kind', 'content_id', name=op.f('uq_review_tasks_content_kind'))
    )
    with op.batch_alter_table('review_tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_tasks_org_id'), ['org_id'], unique=False)
        batch_op.create_index('ix_review_tasks_queue', ['subject_code', 'grade_code', 'submitted_at'], unique=False)
        batch_op.create_index('ix_review_tasks_submitted', ['submitted_at'], unique=False)

    _fill_from_content()
    _make_audit_log_append_only()


#: Published counts and open review tasks of the content that exists already: the
#: coverage counters per organisation and under org 0 (every organisation together).
COUNT = """INSERT INTO coverage_counts (org_id, subject_code, grade_code, topic_id,
    content_kind, cognitive_level, published)
SELECT {org}, COALESCE(subject_code, ''), COALESCE(grade_code, ''), COALESCE(topic_id, 0),
    '{kind}', {level}, COUNT(*)
FROM {table} WHERE status = 'published'
GROUP BY {group}COALESCE(subject_code, ''), COALESCE(grade_code, ''), COALESCE(topic_id, 0){level_group}"""
AUTHORS = """INSERT INTO contributor_counts (org_id, subject_code, grade_code, author_id,
    content_kind, published)
SELECT {org}, COALESCE(subject_code, ''), COALESCE(grade_code, ''), author_id, '{kind}',
    COUNT(*)
FROM {table} WHERE status = 'published'
GROUP BY {group}COALESCE(subject_code, ''), COALESCE(grade_code, ''), author_id"""
QUEUE = """INSERT INTO review_tasks (content_kind, content_id, subject_code, grade_code,
    org_id, author_id, submitted_at)
SELECT '{kind}', id, subject_code, grade_code, org_id, author_id, updated_at
FROM {table} WHERE status = 'submitted'"""


def _fill_statements():
    for kind, table in (("question", "questions"), ("material", "materials")):
        level = "COALESCE(cognitive_level, '')" if kind == "question" else "''"
        level_group = ", " + level if kind == "question" else ""
        for org, group in (("org_id", "org_id, "), ("0", "")):
            yield COUNT.format(org=org, kind=kind, level=level, table=table,
                               group=group, level_group=level_group)
            yield AUTHORS.format(org=org, kind=kind, table=table, group=group)
        yield QUEUE.format(kind=kind, table=table)


def _fill_from_content():
    for statement in _fill_statements():
        op.execute(statement)


def _make_audit_log_append_only():
    """The database itself refuses to change or delete audit entries."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'audit_log is append-only'; END; $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )
        return
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_log_no_change ON audit_log")
        op.execute("DROP FUNCTION audit_log_append_only()")
    with op.batch_alter_table('review_tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_review_tasks_submitted')
        batch_op.drop_index('ix_review_tasks_queue')
        batch_op.drop_index(batch_op.f('ix_review_tasks_org_id'))

    op.drop_table('review_tasks')
    with op.batch_alter_table('review_comments', schema=None) as batch_op:
        batch_op.drop_index('ix_review_comments_item')

    op.drop_table('review_comments')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user')

    op.drop_table('notifications')
    with op.batch_alter_table('curator_scopes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_curator_scopes_user_id'))

    op.drop_table('curator_scopes')
    op.drop_table('review_settings')
    op.drop_table('coverage_targets')
    with op.batch_alter_table('coverage_counts', schema=None) as batch_op:
        batch_op.drop_index('ix_coverage_counts_sums')

    op.drop_table('coverage_counts')
    op.drop_table('contributor_counts')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_user')
        batch_op.drop_index('ix_audit_log_object')
        batch_op.drop_index('ix_audit_log_at')
        batch_op.drop_index(batch_op.f('ix_audit_log_action'))

    op.drop_table('audit_log')
