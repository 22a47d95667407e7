"""A consultation the first "you said, we did" update was published for stays closed."""
from app.consultations.models import Status
from app.extensions import db
from tests import factories


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
