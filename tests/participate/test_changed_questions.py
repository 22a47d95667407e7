"""A youth leader may move or remove questions of an open consultation while a child's
question page stands open (or an answer waits on the phone). The answer goes to the question
the child saw, wherever it is now, and never to whichever question took its place."""
import re

from sqlalchemy import select

from app.consultations import services as consultations
from app.extensions import db
from app.participate.models import Contribution, Vote
from tests import factories
from tests.conftest import csrf_token
from tests.participate.helpers import join


def open_page(client, consultation, n):
    """The question page as the phone has it: its form fields, to send later."""
    url = f"/c/{consultation.id}/q/{n}"
    html = client.get(url).get_data(as_text=True)
    fields = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', html))
    fields["csrf_token"] = csrf_token(client, url)
    return url, fields


def setup(client):
    consultation = factories.demo()
    join(client)
    leader = factories.user()
    db.session.commit()
    return consultation, factories.questions_by_kind(consultation), leader


def test_a_word_sent_after_its_question_moved_up_is_stored_for_that_question(client, app_ctx):
    consultation, q, leader = setup(client)
    n, word = q["word"]
    url, fields = open_page(client, consultation, n)
    consultations.move_question(leader, word, "up")  # the ranking is at n now
    db.session.commit()
    response = client.post(url, data={**fields, "text": "Trött"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/c/{consultation.id}/q/{n}"  # after the word
    stored = db.session.scalar(select(Contribution))
    assert (stored.question_id, stored.text) == (word.id, "Trött")


def test_the_last_answer_sent_after_a_question_above_it_was_removed_is_stored(client, app_ctx):
    consultation, q, leader = setup(client)
    n, choice = q["choice"]
    url, fields = open_page(client, consultation, n)
    consultations.remove_question(leader, q["rank"][1])  # no answers: deleted
    db.session.commit()
    option = choice.options[0]
    response = client.post(url, data={**fields, "option": str(option.id)},
                           headers={"Accept": "application/json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["next"] == f"/c/{consultation.id}/done"
    assert db.session.scalar(select(Vote.option_id).where(Vote.question_id == choice.id)) \
        == option.id


def test_an_idea_sent_after_its_question_was_removed_is_shown_to_copy_not_stored_elsewhere(
        client, app_ctx):
    consultation, q, leader = setup(client)
    n, idea = q["idea"]
    url, fields = open_page(client, consultation, n)
    consultations.remove_question(leader, idea)  # a statement question is at n now
    db.session.commit()
    data = {**fields, "text": "Fler bänkar på skolgården", "client_key": "k1"}

    response = client.post(url, data=data, headers={"Accept": "application/json"})
    assert response.status_code == 409  # the phone keeps it; sending again will not help
    assert response.get_json()["ok"] is False

    response = client.post(url, data=data)  # as answer.js sends it then, or without JavaScript
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Här är det du skrev, så att du kan kopiera det:" in html
    assert "Fler bänkar på skolgården" in html
    assert db.session.scalar(select(Contribution)) is None
    assert db.session.scalar(select(Vote)) is None
