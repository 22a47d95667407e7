"""indexes for a statements screen and for the moderation queue across consultations

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 21:45:00

A statements screen orders a question's visible ideas by a per-participant permutation of
their ids and takes 20. With ix_contributions_question_id (status, participant_id and
safeguarding included on PostgreSQL, where an index can carry columns it is not ordered by)
the database orders the ids from the index alone and reads only the 20 rows it shows, instead
of every idea's row; the moderation queue counts texts per status from it too. It is led by
question_id alone, so the moderation queue of a consultation (a status of its questions) keeps
using ix_contributions_question_status_created.

The moderation queue of all a leader's consultations reads what waits in the order of
ix_contributions_status_safeguarding_created (safeguarding concerns, then the rest, oldest
first) and stops at a page, instead of sorting everything that waits.

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

NEW = [
    ('ix_contributions_question_id', ['question_id', 'id'],
     {'postgresql_include': ['status', 'participant_id', 'safeguarding']}),
    ('ix_contributions_status_safeguarding_created',
     ['status', 'safeguarding', 'created_at', 'id'], {}),
]


def _postgresql() -> bool:
    return op.get_context().dialect.name == 'postgresql'


def _valid(name: str) -> bool | None:
    """True: usable; False: a failed concurrent build left it invalid; None: not there."""
    return op.get_bind().execute(sa.text(
        "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass(:name)"),
        {'name': name}).scalar()


def upgrade():
    if not _postgresql():
        for name, columns, _options in NEW:
            op.create_index(name, 'contributions', columns, unique=False)
        return
    with op.get_context().autocommit_block():
        for name, columns, options in NEW:
            state = None if op.get_context().as_sql else _valid(name)
            if state:
                continue
            if state is False:
                op.drop_index(name, table_name='contributions', postgresql_concurrently=True)
            op.create_index(name, 'contributions', columns, unique=False,
                            postgresql_concurrently=True, **options)


def downgrade():
    if not _postgresql():
        for name, _columns, _options in NEW:
            op.drop_index(name, table_name='contributions')
        return
    with op.get_context().autocommit_block():
        for name, _columns, _options in NEW:
            op.drop_index(name, table_name='contributions', postgresql_concurrently=True,
                          if_exists=True)
