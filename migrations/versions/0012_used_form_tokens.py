"""used_form_tokens: a create form sent again (Back, then Save) makes nothing the second time

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 18:45:00

One new, empty table (the token is its primary key, so a token is used once), with an index
on created_at for the retention job, which forgets tokens after two days. Online-safe: no
existing table is touched.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('used_form_tokens',
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('location', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('token', name=op.f('pk_used_form_tokens'))
    )
    with op.batch_alter_table('used_form_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_used_form_tokens_created_at'), ['created_at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('used_form_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_used_form_tokens_created_at'))
    op.drop_table('used_form_tokens')
