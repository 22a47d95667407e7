"""forget orphaned redaction originals: blank the audit log's copy of the words of ideas
deleted before deleting an idea began to blank it (2026-12)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 12:30:00

Data only, no schema change. When a youth leader redacts personal data from an idea, the
original is kept in the audit event for the administrators. Deleting the idea (from the
phone, or by the retention rule) now blanks it (app/audit/services.forget_original_texts);
ideas deleted before that left their original behind with nothing to find it by. The daily
retention run used to look for those; this does it once. Online-safe: it reads the audit
events of ideas, and rewrites only those few, in one short transaction. Downgrading leaves
them blank (the words are gone).
"""
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

# tests/core/test_migrations.py: downgrading this revision changes no schema.
changes_schema = False

events = sa.table("audit_events", sa.column("id", sa.Integer),
                  sa.column("details", sa.JSON))


def upgrade():
    conn = op.get_bind()
    orphans = conn.execute(sa.text(
        "SELECT e.id, e.details FROM audit_events e"
        " WHERE e.object_type = 'contributions'"
        " AND CAST(e.details AS TEXT) LIKE '%holds_original_text%'"
        " AND NOT EXISTS (SELECT 1 FROM contributions c"
        "                 WHERE CAST(c.id AS TEXT) = e.object_id)")).all()
    for event_id, details in orphans:
        if isinstance(details, str):  # SQLite hands JSON back as text
            details = json.loads(details)
        if details.get("holds_original_text"):
            conn.execute(events.update().where(events.c.id == event_id)
                         .values(details={"idea_deleted": True}))


def downgrade():
    pass
