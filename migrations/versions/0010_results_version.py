"""consultations.results_version: counted results are reused until staff change something

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 21:20:00

Adds one column with a constant default: online-safe on PostgreSQL 11 and newer (the default
is kept in the catalogue, no table rewrite) and a quick table copy on SQLite.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('results_version', sa.Integer(), server_default='0',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_column('results_version')
