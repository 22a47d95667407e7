"""index for choosing a participant's statements: (question_id, id) with status and author

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 21:45:00

A statements screen orders a question's visible ideas by a per-participant permutation of
their ids and takes 20. With this index (status and participant_id included on PostgreSQL,
where an index can carry columns it is not ordered by) the database orders the ids from the
index alone and reads only the 20 rows it shows, instead of every idea's row. It is led by
question_id alone, so the moderation queue (a status of a question) keeps using
ix_contributions_question_status_created.

Online-safe on PostgreSQL: CREATE INDEX CONCURRENTLY, outside a transaction (see
docs/database.md); a build that failed half way leaves an invalid index, which the next
upgrade rebuilds.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

NAME = 'ix_contributions_question_id'
COLUMNS = ['question_id', 'id']


def _postgresql() -> bool:
    return op.get_context().dialect.name == 'postgresql'


def upgrade():
    if not _postgresql():
        op.create_index(NAME, 'contributions', COLUMNS, unique=False)
        return
    with op.get_context().autocommit_block():
        if not op.get_context().as_sql:
            valid = op.get_bind().execute(sa.text(
                "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass(:name)"),
                {'name': NAME}).scalar()
            if valid:
                return
            if valid is False:
                op.drop_index(NAME, table_name='contributions', postgresql_concurrently=True)
        op.create_index(NAME, 'contributions', COLUMNS, unique=False,
                        postgresql_include=['status', 'participant_id'], postgresql_concurrently=True)


def downgrade():
    if not _postgresql():
        op.drop_index(NAME, table_name='contributions')
        return
    with op.get_context().autocommit_block():
        op.drop_index(NAME, table_name='contributions', postgresql_concurrently=True,
                      if_exists=True)
