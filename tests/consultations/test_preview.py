"""The preview shows a question exactly as a young person sees it, and stores nothing."""
from sqlalchemy import func, select

from app.extensions import db
from app.participate.models import Contribution, Participant, Vote
from tests import factories
from tests.consultations.helpers import BASE, add_question, create, in_english


def _nothing_stored():
    return all(db.session.scalar(select(func.count(model.id))) == 0
               for model in (Participant, Contribution, Vote))


def test_preview_renders_the_participant_template_and_stores_nothing(client, login_as):
    demo = factories.demo()
    login_as("youth_leader", organisation=demo.organisation)
    in_english(client)
    for kind, (n, question) in factories.questions_by_kind(demo).items():
        response = client.get(f"{BASE}/{demo.id}/preview/{n}")
        html = response.get_data(as_text=True)
        assert response.status_code == 200, kind
        assert f'data-question-kind="{kind}"' in html  # the participant's own template
        assert question.prompt["en"] in html
        assert "Preview – answers are not saved." in html
        assert '<fieldset class="preview-frame" disabled>' in html
        assert "js/answer.js" not in html
    assert client.get_cookie("device") is None
    assert _nothing_stored()


def test_preview_of_a_draft_and_its_limits(client, login_as):
    login_as("youth_leader")
    consultation_id = create(client)
    assert client.get(f"{BASE}/{consultation_id}/preview/1").status_code == 404
    add_question(client, consultation_id, "scale", "Hur mår du?")
    html = client.get(f"{BASE}/{consultation_id}/preview/1").get_data(as_text=True)
    assert "Hur mår du?" in html
    # The last question leads back to the consultation, not to the participant side.
    assert f'href="{BASE}/{consultation_id}"' in html
    assert client.get(f"{BASE}/{consultation_id}/preview/2").status_code == 404
    assert _nothing_stored()
