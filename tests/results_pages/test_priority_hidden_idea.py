"""A youth priority whose idea a youth leader hid afterwards."""
from sqlalchemy import select

from app.extensions import db
from app.results.models import Priority
from tests import factories
from tests.conftest import csrf_token
from tests.results_pages.test_priorities_and_exports import approved_idea


def test_the_form_says_that_saving_takes_out_an_idea_hidden_since(client, app, app_ctx,
                                                                   login_as):
    """The form offers only published ideas: a hidden one was not on it, so saving a typo
    took it out of the priority (and republished it) without a word."""
    demo = factories.demo()
    _, kept = approved_idea(app, demo, "Läxhjälp varje dag på biblioteket")
    _, hidden = approved_idea(app, demo, "Läxhjälp hos Kalle på Storgatan 5")
    login_as("youth_leader", organisation=demo.organisation)
    url = f"/results/c/{demo.id}/priorities/new"
    client.post(url, data={"csrf_token": csrf_token(client, url), "title_sv": "Läxhjälp",
                           "idea": [str(kept.id), str(hidden.id)]})
    priority = db.session.scalar(select(Priority).order_by(Priority.id.desc()).limit(1))
    hidden.status = "hidden"
    db.session.commit()
    form = client.get(f"/results/c/{demo.id}/priorities/{priority.id}?lang=en")
    html = form.get_data(as_text=True)
    assert ("1 idea of this priority is no longer published (hidden by a moderator): "
            "saving takes it out.") in html
    assert "Storgatan" not in html
