"""Remove on an option that the other tab (or another youth leader) removed already."""
import re

from app.consultations.models import Question
from app.extensions import db
from tests.consultations.helpers import BASE, in_english, option_fields, post
from tests.consultations.test_authoring import _open_with_choice, _vote_for


def test_removing_an_option_removed_meanwhile_keeps_what_was_typed(app, client, login_as):
    """The second Remove ended on 'page not found', and what was typed in the rest of the
    editor was gone."""
    login_as("youth_leader")
    in_english(client)
    consultation, question = _open_with_choice(client)
    bus, bike, walk = question.options
    _vote_for(app, consultation, bus)
    editor = f"{BASE}/{consultation.id}/questions/{question.id}"
    seen = re.search(r'id="seen" name="seen" type="hidden" value="([^"]+)"',
                     client.get(editor).get_data(as_text=True)).group(1)
    typed = {"prompt_sv": "Hur kommer du till skolan, oftast?", "seen": seen,
             **option_fields([{"id": str(bus.id), "text_sv": "Skolbussen"},
                              {"id": str(bike.id), "text_sv": "Cykeln"},
                              {"id": str(walk.id), "text_sv": "Promenad"}])}
    for option in (bike, bus):  # deleted (no votes) and archived (votes) in the other tab
        assert post(client, f"{editor}/options/{option.id}/remove",
                    {"confirm": "1"}).status_code == 302
        page = post(client, f"{editor}/options/{option.id}/remove", typed)
        html = page.get_data(as_text=True)
        assert page.status_code == 200, option
        assert "This option has already been removed." in html
        assert 'value="Hur kommer du till skolan, oftast?"' in html
    db.session.expire_all()
    assert db.session.get(Question, question.id).prompt["sv"] == "Hur tar du dig till skolan?"
    # The other tab's change is not on this page: Save says so first, without losing anything.
    saved = post(client, editor, {"prompt_sv": typed["prompt_sv"], "seen": seen,
                                  **option_fields([{"id": str(walk.id), "text_sv": "Promenad"},
                                                   {"text_sv": "Moped"}])})
    assert "Someone else saved a change" in saved.get_data(as_text=True)
