"""A consultation the first "you said, we did" update was published for stays closed."""
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.consultations.models import Consultation, Status
from app.core.time import utcnow
from app.extensions import db
from app.feedback.models import FeedbackUpdate
from app.followup import services as followup
from app.participate.services import accepts_answers
from tests import factories
from tests.conftest import csrf_token
from tests.consultations.helpers import BASE, in_english, post


def test_a_consultation_with_feedback_given_says_why_it_has_no_open_button(client, login_as):
    """The page offered neither Open it again nor a word why: a leader who had published an
    update between two workshops was stuck."""
    demo = factories.demo()
    demo.status = Status.FEEDBACK_GIVEN
    db.session.commit()
    login_as("youth_leader", organisation=demo.organisation)
    html = client.get(f"/staff/consultations/{demo.id}?lang=en").get_data(as_text=True)
    assert "Open it again" not in html
    assert ("An update has been published for it, so it stays closed. For a new round, "
            "duplicate it as a template.") in html


def _publish_while_open(client, demo) -> None:
    """A leader publishes an update between two workshops, with the consultation still open."""
    url = "/feedback/new"
    assert client.post(url, data={"csrf_token": csrf_token(client, url), "title_sv": "Tack",
                                  "body_sv": "Vi berättar i mars vad som händer.",
                                  "consultation": str(demo.id)}).status_code == 302
    update = db.session.scalar(select(FeedbackUpdate))
    assert client.post(f"/feedback/{update.id}/publish",
                       data={"csrf_token": csrf_token(client, "/feedback")}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Consultation, demo.id).status == Status.OPEN  # it still takes answers


def test_an_update_published_while_open_keeps_it_closed_once_it_closes(client, login_as):
    """It was reopenable after closing, while one whose update came after its close was not;
    now either way it is feedback given once it closes, and the follow-up counts no wait."""
    demo = factories.demo()
    login_as("youth_leader", organisation=demo.organisation)
    in_english(client)
    _publish_while_open(client, demo)
    page = client.get(f"{BASE}/{demo.id}").text
    assert "Close it" in page
    assert "An update has been published for it, so once it is closed it cannot be opened " \
           "again." in page

    assert post(client, f"{BASE}/{demo.id}/close").status_code == 302
    db.session.expire_all()
    closed = db.session.get(Consultation, demo.id)
    assert closed.status == Status.FEEDBACK_GIVEN and closed.closed_at is not None
    page = client.get(f"{BASE}/{demo.id}").text
    assert "Open it again" not in page
    assert "An update has been published for it, so it stays closed." in page
    post(client, f"{BASE}/{demo.id}/open")
    db.session.expire_all()
    assert db.session.get(Consultation, demo.id).status == Status.FEEDBACK_GIVEN

    [row] = followup.follow_up(ZoneInfo("Europe/Stockholm")).rows
    assert (row.median_days, row.measured, row.waiting) == (0, 1, 0)


def test_one_closed_before_this_rule_with_an_earlier_update_is_not_opened_again(
        client, login_as):
    """Closed (not feedback given) with an update published before its close, as such ones
    were left before: no Open it again, and the open button of an older page does nothing."""
    demo = factories.demo()
    demo.status = Status.CLOSED
    demo.feedback_given_at = utcnow() - timedelta(days=3)
    demo.closed_at = utcnow() - timedelta(days=1)
    db.session.commit()
    login_as("youth_leader", organisation=demo.organisation)
    in_english(client)
    page = client.get(f"{BASE}/{demo.id}").text
    assert "Open it again" not in page
    assert "An update has been published for it, so it stays closed." in page
    post(client, f"{BASE}/{demo.id}/open")
    assert "This consultation cannot be opened again." in client.get(f"{BASE}/{demo.id}").text
    db.session.expire_all()
    assert db.session.get(Consultation, demo.id).status == Status.CLOSED
    assert db.session.scalar(select(AuditEvent.id).where(
        AuditEvent.action == "consultation.reopened")) is None


def test_moving_the_closing_time_of_one_ended_with_an_update_does_not_open_it(
        client, login_as):
    """Ended by its closing time (nobody pressed Close) after an update published while it
    was open: a later closing time under Edit details does not make it take answers again."""
    demo = factories.demo()
    demo.feedback_given_at = utcnow() - timedelta(days=3)
    demo.closes_at = utcnow() - timedelta(days=1)
    db.session.commit()
    ended_at = demo.closes_at
    login_as("youth_leader", organisation=demo.organisation)
    in_english(client)
    response = post(client, f"{BASE}/{demo.id}/edit", {
        "title_sv": "Fritid", "moderation": "pre", "closes_at": "2099-01-01T10:00"})
    assert response.status_code == 302
    db.session.expire_all()
    settled = db.session.get(Consultation, demo.id)
    assert settled.status == Status.FEEDBACK_GIVEN and settled.closed_at == ended_at
    assert not accepts_answers(settled)
