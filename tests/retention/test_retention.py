"""Retention on a frozen clock: raw answers go a set time after closing; results and
published priorities stay; redaction originals leave the audit log."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.consultations.models import Consultation, Status
from app.core import once
from app.extensions import db
from app.participate.models import Contribution, Participant, Vote
from app.results import priorities
from app.results.models import Priority
from app.retention import services
from tests import factories
from tests.participate.helpers import answer, join

CLOSED = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def closed_demo(app, app_ctx):
    demo = factories.demo()
    kinds = factories.questions_by_kind(demo)
    for n in range(3):
        phone = app.test_client()
        join(phone)
        answer(phone, demo.id, kinds["idea"][0], {"text": f"Idé nummer {n}",
                                                   "client_key": f"k{n}"})
        answer(phone, demo.id, kinds["scale"][0], {"value": "4"})
    idea = db.session.scalar(select(Contribution).where(Contribution.text == "Idé nummer 0"))
    idea.status = "approved"
    leader = factories.user(organisation=demo.organisation)
    db.session.add(AuditEvent(action="contribution.redacted", actor_id=leader.id,
                              object_type="contributions", object_id=str(idea.id),
                              details={"before": "Idé av Kalle Andersson", "after": "Idé",
                                       "holds_original_text": True}))
    priority = db.session.scalar(select(Priority).where(Priority.consultation_id == demo.id))
    priority.contributions = [idea]
    priorities.publish(leader, priority)
    demo.status, demo.closed_at, demo.retention_months = Status.CLOSED, CLOSED, 12
    db.session.commit()
    return demo


def test_nothing_is_deleted_before_the_time_is_up(closed_demo):
    assert services.apply(datetime(2026, 3, 14, 11, 59, tzinfo=UTC)) == []
    assert _count(Participant) == 3 and _count(Contribution) == 3


def test_raw_answers_go_after_the_retention_time_and_results_stay(closed_demo, app):
    figures = dict(db.session.scalar(select(Priority.figures).where(
        Priority.consultation_id == closed_demo.id, Priority.position == 1)))
    done = services.apply(datetime(2026, 3, 14, 12, 0, tzinfo=UTC))
    db.session.commit()
    assert [(c.id, n) for c, n in done] == [(closed_demo.id, 3)]
    assert _count(Participant) == 0 and _count(Contribution) == 0 and _count(Vote) == 0
    consultation = db.session.get(Consultation, closed_demo.id)
    assert consultation.raw_data_deleted_at is not None
    archive = consultation.results_archive
    scale_rows = [row for row in archive["results"] if row[1] == "scale"]
    assert sum(row[3] for row in scale_rows) == 3  # the three answers, counted before deletion
    assert not any("Idé nummer" in str(cell) for row in archive["results"] for cell in row)
    # Published priorities and their frozen figures are kept.
    kept = db.session.scalar(select(Priority).where(
        Priority.consultation_id == closed_demo.id, Priority.position == 1))
    assert kept.status == "published" and kept.figures == figures
    # Redaction originals are gone from the audit log; the event itself stays.
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "contribution.redacted"))
    assert event.details == {"removed_by_retention": True}
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "retention.applied")).details["participants"] == 3
    # Running again (cron, the next day) changes nothing.
    assert services.apply(datetime(2026, 3, 15, tzinfo=UTC)) == []


def test_the_cli_applies_it_and_a_shorter_setting_is_respected(closed_demo, app, monkeypatch):
    closed_demo.retention_months = 1
    db.session.commit()
    monkeypatch.setattr(services, "utcnow", lambda: datetime(2025, 4, 14, 12, 0, tzinfo=UTC))
    result = app.test_cli_runner().invoke(args=["retention", "run", "--dry-run"])
    assert f"due: consultation {closed_demo.id}" in result.output and _count(Participant) == 3
    result = app.test_cli_runner().invoke(args=["retention", "run"])
    assert result.exit_code == 0 and "1 consultations handled" in result.output
    db.session.remove()
    assert _count(Participant) == 0


def test_open_consultations_are_never_touched(closed_demo):
    closed_demo.status = Status.OPEN
    db.session.commit()
    assert services.apply(datetime(2030, 1, 1, tzinfo=UTC)) == []
    assert _count(Participant) == 3


def test_one_that_ended_by_its_closing_time_but_was_never_closed_is_handled_too(closed_demo):
    """Nobody pressed Close: it ended by the time set on it (phones said 'ended'), and its
    raw answers are not kept any longer for that. It is closed then, so moving its closing
    time later does not open it again without its answers."""
    closed_demo.status, closed_demo.closed_at, closed_demo.closes_at = Status.OPEN, None, CLOSED
    db.session.commit()
    assert services.apply(datetime(2026, 3, 14, 11, 59, tzinfo=UTC)) == []
    assert [(c.id, n) for c, n in services.apply(datetime(2026, 3, 14, 12, 0, tzinfo=UTC))] \
        == [(closed_demo.id, 3)]
    db.session.commit()
    assert _count(Participant) == 0 and _count(Contribution) == 0
    assert closed_demo.status == Status.CLOSED and closed_demo.closed_at == CLOSED
    assert closed_demo.results_archive["results"]


def test_one_still_open_past_its_retention_with_a_later_closing_time_is_not(closed_demo):
    closed_demo.status, closed_demo.closed_at = Status.OPEN, None
    closed_demo.closes_at = datetime(2030, 6, 1, tzinfo=UTC)
    db.session.commit()
    assert services.apply(datetime(2030, 1, 1, tzinfo=UTC)) == []
    assert _count(Participant) == 3 and closed_demo.status == Status.OPEN


def test_the_results_page_shows_the_archive_after_deletion(closed_demo, client, login_as):
    services.apply(datetime(2026, 4, 1, tzinfo=UTC))
    db.session.commit()
    login_as("youth_leader", organisation=closed_demo.organisation)
    page = client.get(f"/results/c/{closed_demo.id}").get_data(as_text=True)
    assert "Arkiverade resultat" in page


def test_months_are_added_by_the_calendar():
    assert services.add_months(datetime(2025, 1, 31, tzinfo=UTC), 1) == datetime(
        2025, 2, 28, tzinfo=UTC)
    assert services.add_months(datetime(2025, 11, 30, tzinfo=UTC), 12) == datetime(
        2026, 11, 30, tzinfo=UTC)


def test_the_job_forgets_the_create_forms_used_tokens_after_two_days(app, app_ctx,
                                                                     monkeypatch):
    """A used token only guards against Back and Save again (app/core/once.py)."""
    now = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    db.session.add_all([
        once.UsedFormToken(token="old", location="/portfolio/initiatives/1",
                           created_at=now - timedelta(days=2, seconds=1)),
        once.UsedFormToken(token="recent", location="/portfolio/initiatives/2",
                           created_at=now - timedelta(days=1, hours=23))])
    db.session.commit()
    monkeypatch.setattr(once, "utcnow", lambda: now)
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["retention", "run", "--dry-run"])
    assert dry.exit_code == 0 and "due: 1 used form tokens" in dry.output
    assert _count(once.UsedFormToken) == 2
    result = runner.invoke(args=["retention", "run"])
    assert result.exit_code == 0 and "1 used form tokens forgotten." in result.output
    db.session.remove()
    assert db.session.scalars(select(once.UsedFormToken.token)).all() == ["recent"]
    assert once.forget(now + timedelta(days=1)) == 1

