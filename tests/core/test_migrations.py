"""The migrations, run from an empty database by the session fixture, must produce exactly
the schema the models describe, on SQLite and on PostgreSQL."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app

from app.extensions import db


def test_migrations_match_the_models(app_ctx):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_database_is_at_the_single_head(app_ctx):
    config = current_app.extensions["migrate"].migrate.get_config()
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, "migrations have branched; merge them"
    with db.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_heads() == tuple(heads)


def test_the_newest_revision_goes_down_and_up_again(app_ctx):
    """A release can be rolled back: the head revision's downgrade runs, and upgrading
    again gives the schema the models describe."""
    from flask_migrate import downgrade, upgrade

    config = current_app.extensions["migrate"].migrate.get_config()
    script = ScriptDirectory.from_config(config)
    head = script.get_current_head()
    downgrade(revision="-1")
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert context.get_current_heads() != (head,)
        if getattr(script.get_revision(head).module, "changes_schema", True):
            assert compare_metadata(context, db.metadata) != []  # it took something away
    upgrade()
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert context.get_current_heads() == (head,)
        assert compare_metadata(context, db.metadata) == []


def test_priorities_on_ideas_merged_before_the_fix_move_to_the_kept_idea(app_ctx):
    """Revision 0013: before merging moved a youth priority's links, a priority kept standing
    on the merged duplicate, which its form no longer offered. Upgrading moves the link to
    the idea kept, through a chain of merges, once per priority."""
    from flask_migrate import downgrade, upgrade

    from app.participate.models import Contribution, ContributionStatus, Participant
    from app.results.models import Priority
    from tests import factories

    consultation = factories.demo()
    question = factories.questions_by_kind(consultation)["idea"][1]
    author = Participant(device_hash="author", consultation_id=consultation.id, language="sv",
                         consent_version="1")
    db.session.add(author)
    db.session.flush()
    kept, dupe, dupe_of_dupe, other = ideas = [
        Contribution(participant_id=author.id, question_id=question.id, text=text,
                     language="sv", status=ContributionStatus.APPROVED, client_key=text)
        for text in ("Bänkar", "Bänkar!", "Fler bänkar", "Längre raster")]
    db.session.add_all(ideas)
    both = Priority(consultation_id=consultation.id, title={"sv": "Båda"},
                    contributions=[kept, dupe, dupe_of_dupe])
    chained = Priority(consultation_id=consultation.id, title={"sv": "Kedjan"},
                       contributions=[dupe_of_dupe, other])
    untouched = Priority(consultation_id=consultation.id, title={"sv": "Orörd"},
                         contributions=[other])
    db.session.add_all([both, chained, untouched])
    db.session.flush()
    # Merged the old way: the duplicate's status changed, the priorities' links did not.
    dupe.status, dupe.merged_into_id = ContributionStatus.MERGED, kept.id
    dupe_of_dupe.status, dupe_of_dupe.merged_into_id = ContributionStatus.MERGED, dupe.id
    db.session.commit()
    ids = {p.id: p for p in (both, chained, untouched)}

    downgrade(revision="0012")
    upgrade()

    db.session.expire_all()
    standing = {pid: sorted(c.id for c in db.session.get(Priority, pid).contributions)
                for pid in ids}
    assert standing == {both.id: [kept.id], chained.id: sorted([kept.id, other.id]),
                        untouched.id: [other.id]}


def test_redaction_originals_of_ideas_deleted_before_the_fix_are_blanked(app_ctx):
    """Revision 0014: before deleting an idea blanked its redaction original (2026-12), the
    original stayed in the audit log with nothing left to find it by. Upgrading blanks it;
    the redaction of an idea that is still there keeps its original for the moderators."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import delete, select

    from app.audit.models import AuditEvent
    from app.participate.models import Contribution, ContributionStatus, Participant
    from tests import factories

    consultation = factories.demo()
    question = factories.questions_by_kind(consultation)["idea"][1]
    author = Participant(device_hash="author", consultation_id=consultation.id, language="sv",
                         consent_version="1")
    db.session.add(author)
    db.session.flush()
    gone, kept = ideas = [
        Contribution(participant_id=author.id, question_id=question.id, text=text,
                     language="sv", status=ContributionStatus.APPROVED, client_key=text)
        for text in ("Ring", "Idé av [namn]")]
    db.session.add_all(ideas)
    db.session.flush()
    for idea, before in ((gone, "Ring Lisa på 070-123 45 67"), (kept, "Idé av Kalle")):
        db.session.add(AuditEvent(
            action="contribution.redacted", object_type="contributions",
            object_id=str(idea.id),
            details={"before": before, "after": idea.text, "holds_original_text": True}))
    db.session.add(AuditEvent(action="contribution.approved", object_type="contributions",
                              object_id=str(gone.id), details={"before": "pending"}))
    gone_id = gone.id
    db.session.execute(delete(Contribution).where(Contribution.id == gone_id))
    db.session.commit()

    downgrade(revision="0013")
    upgrade()

    db.session.expire_all()
    details = {(e.action, e.object_id): e.details for e in db.session.scalars(select(AuditEvent))}
    assert details[("contribution.redacted", str(gone_id))] == {"idea_deleted": True}
    assert details[("contribution.approved", str(gone_id))] == {"before": "pending"}
    assert details[("contribution.redacted", str(kept.id))]["before"] == "Idé av Kalle"
