"""priorities follow merged ideas: a youth priority that stood on an idea merged before the
fix of 2026-12-04 stands on the idea it was merged into

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 12:00:00

Data only, no schema change. Merging now moves a priority's link from the duplicate to the
idea kept (app/moderate/services.merge); links made before that still point at the merged
duplicate, which the priority's form no longer offers, so the next save would drop it
unseen. This moves those links the same way. Online-safe: it touches only the link rows of
merged ideas, a handful, in one short transaction. Downgrading leaves the links where they
are (the old place was the bug).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

# tests/core/test_migrations.py: downgrading this revision changes no schema.
changes_schema = False

links = sa.table("priority_contributions", sa.column("priority_id", sa.Integer),
                 sa.column("contribution_id", sa.Integer))


def upgrade():
    conn = op.get_bind()
    stale = conn.execute(sa.text(
        "SELECT pc.priority_id, pc.contribution_id FROM priority_contributions pc"
        " JOIN contributions c ON c.id = pc.contribution_id"
        " WHERE c.status = 'merged' AND c.merged_into_id IS NOT NULL")).all()
    if not stale:
        return
    merged = dict(conn.execute(sa.text(
        "SELECT id, merged_into_id FROM contributions"
        " WHERE status = 'merged' AND merged_into_id IS NOT NULL")).all())
    have = set(conn.execute(sa.select(links.c.priority_id, links.c.contribution_id).where(
        links.c.priority_id.in_(sorted({priority for priority, _ in stale})))).all())
    for priority, idea in stale:
        kept, steps = idea, 0
        while kept in merged and steps < 100:  # an idea merged into one merged later
            kept, steps = merged[kept], steps + 1
        conn.execute(links.delete().where(links.c.priority_id == priority,
                                          links.c.contribution_id == idea))
        if kept not in merged and (priority, kept) not in have:
            conn.execute(links.insert().values(priority_id=priority, contribution_id=kept))
            have.add((priority, kept))


def downgrade():
    pass
