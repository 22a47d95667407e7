"""A consultation that ended by its closing time (nobody pressed Close) waits for feedback
just like one that was closed."""
from datetime import timedelta

from app.consultations.models import Consultation, Status
from app.core.time import utcnow
from app.extensions import db
from app.feedback import services
from app.feedback.models import FeedbackUpdate
from tests import factories


def test_the_list_counts_the_days_since_the_closing_time_passed(client, login_as, app_ctx):
    """The follow-up page counted it as waiting; the consultations list, the leader's
    reminder, said nothing, however long it waited."""
    demo = factories.demo()
    demo.closes_at = utcnow() - timedelta(days=5, hours=1)
    db.session.commit()
    assert demo.status == Status.OPEN
    login_as("youth_leader", organisation=demo.organisation)
    html = client.get("/staff/consultations?lang=en").get_data(as_text=True)
    assert "Waiting for feedback: 5 days" in html


def test_the_first_update_moves_it_to_feedback_given(app_ctx):
    demo = factories.demo()
    demo.closes_at = utcnow() - timedelta(days=1)
    leader = factories.user(organisation=demo.organisation)
    update = FeedbackUpdate(title={"sv": "Tack"}, body={"sv": "Vi bygger."},
                            author_id=leader.id, consultations=[demo])
    db.session.add(update)
    db.session.flush()
    services.publish(leader, update)
    db.session.commit()
    db.session.expire_all()
    found = db.session.get(Consultation, demo.id)
    assert found.status == Status.FEEDBACK_GIVEN and services.waiting_days(found) is None


def test_an_open_consultation_before_its_closing_time_is_not_waiting(app_ctx):
    demo = factories.demo()
    demo.closes_at = utcnow() + timedelta(days=1)
    db.session.commit()
    assert services.waiting_days(demo) is None
