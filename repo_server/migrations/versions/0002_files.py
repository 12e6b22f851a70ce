"""files of materials: blobs, material_files, uploads

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 00:13:44.678649
"""

import sqlalchemy as sa
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'blobs',
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size', sa.BigInteger(), nullable=False),
        sa.Column('content_type', sa.String(length=127), nullable=False),
        sa.Column('storage_key', sa.String(length=255), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('sha256', name=op.f('pk_blobs')),
    )
    op.create_table(
        'material_files',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('material_id', sa.Integer(), nullable=False),
        sa.Column('blob_sha256', sa.String(length=64), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('content_type', sa.String(length=127), nullable=False),
        sa.Column('size', sa.BigInteger(), nullable=False),
        sa.Column('extracted_text', sa.Text(), nullable=True),
        sa.Column('extract_error', sa.String(length=500), nullable=True),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['blob_sha256'], ['blobs.sha256'],
            name=op.f('fk_material_files_blob_sha256_blobs'),
        ),
        sa.ForeignKeyConstraint(
            ['material_id'], ['materials.id'],
            name=op.f('fk_material_files_material_id_materials'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_material_files')),
    )
    op.create_index(
        op.f('ix_material_files_blob_sha256'), 'material_files', ['blob_sha256']
    )
    op.create_index(
        'ix_material_files_material', 'material_files', ['material_id', 'position']
    )
    op.create_table(
        'uploads',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('material_id', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('size', sa.BigInteger(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['material_id'], ['materials.id'],
            name=op.f('fk_uploads_material_id_materials'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'],
            name=op.f('fk_uploads_user_id_users'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_uploads')),
    )
    op.create_index(op.f('ix_uploads_expires_at'), 'uploads', ['expires_at'])
    op.create_index(op.f('ix_uploads_material_id'), 'uploads', ['material_id'])
    op.create_index(op.f('ix_uploads_user_id'), 'uploads', ['user_id'])


def downgrade():
    op.drop_table('uploads')
    op.drop_table('material_files')
    op.drop_table('blobs')
