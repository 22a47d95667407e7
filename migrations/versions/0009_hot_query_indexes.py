"""indexes for the hot queries

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 10:00:00

- contributions (question_id, status, created_at) for the moderation queue and the results;
  it replaces ix_contributions_question_status, which is its prefix.
- priority_contributions (contribution_id) for the journey of an idea on /me and for
  deleting ideas (the cascade from contributions looks rows up by it).
- ix_participants_device_hash goes: uq_participants_device (device_hash, consultation_id)
  already serves every lookup by device_hash, and each index slows every join.

Online-safe on PostgreSQL: CREATE/DROP INDEX CONCURRENTLY, outside a transaction, so reads
and writes go on while the indexes build (see docs/database.md). A build that failed half way
leaves an invalid index behind; running the upgrade again rebuilds it.
"""
from contextlib import nullcontext

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

NEW = [
    ('ix_contributions_question_status_created', 'contributions',
     ['question_id', 'status', 'created_at']),
    ('ix_priority_contributions_contribution_id', 'priority_contributions',
     ['contribution_id']),
]
GONE = [
    ('ix_contributions_question_status', 'contributions', ['question_id', 'status']),
    ('ix_participants_device_hash', 'participants', ['device_hash']),
]


def _postgresql() -> bool:
    return op.get_context().dialect.name == 'postgresql'


def _valid(name: str) -> bool | None:
    """True: the index exists and is usable; False: a failed concurrent build left it
    invalid; None: there is no such index."""
    return op.get_bind().execute(sa.text(
        "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass(:name)"),
        {'name': name}).scalar()


def _create(name: str, table: str, columns: list[str]) -> None:
    if not _postgresql():
        op.create_index(name, table, columns, unique=False)
        return
    state = None if op.get_context().as_sql else _valid(name)  # --sql: nothing to ask
    if state:
        return
    if state is False:
        op.drop_index(name, table_name=table, postgresql_concurrently=True)
    op.create_index(name, table, columns, unique=False, postgresql_concurrently=True)


def _drop(name: str, table: str) -> None:
    if not _postgresql():
        op.drop_index(name, table_name=table)
        return
    op.drop_index(name, table_name=table, postgresql_concurrently=True, if_exists=True)


def _run(create: list, drop: list) -> None:
    # On PostgreSQL, CONCURRENTLY cannot run inside a transaction block.
    outside = op.get_context().autocommit_block() if _postgresql() else nullcontext()
    with outside:
        for name, table, columns in create:
            _create(name, table, columns)
        for name, table, _columns in drop:
            _drop(name, table)


def upgrade():
    # The new index is built before its prefix goes, so the queue never lacks one.
    _run(create=NEW, drop=GONE)


def downgrade():
    _run(create=GONE, drop=NEW)
