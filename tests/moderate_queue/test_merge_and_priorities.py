"""Merging a text that a youth priority stands on: the priority keeps standing on it,
through the idea it was put together with."""
import pytest
from sqlalchemy import select

from app.extensions import db
from app.results.models import Priority
from tests import factories
from tests.conftest import csrf_token
from tests.moderate_queue.test_queue import act, idea_from_new_phone, leader_of


@pytest.fixture
def demo(app_ctx):
    return factories.demo()


def test_a_priority_follows_its_idea_into_the_one_it_was_merged_with(
        client, app, demo, login_as):
    """The priority stood on the duplicate; merged, the duplicate was no longer offered on
    the priority's form, so the next save of a typo took it out unseen (and republished the
    priority with fewer supporters), and its author's journey lost the priority."""
    _, kept = idea_from_new_phone(app, demo, "Läxhjälp på biblioteket")
    author, dupe = idea_from_new_phone(app, demo, "Läxhjälp i biblioteket!")
    leader_of(demo, login_as)
    act(client, kept, "approve")
    act(client, dupe, "approve")
    url = f"/results/c/{demo.id}/priorities/new"
    client.post(url, data={"csrf_token": csrf_token(client, url),
                           "title_sv": "Läxhjälp nära hemmet", "idea": str(dupe.id)})
    priority = db.session.scalar(select(Priority).order_by(Priority.id.desc()).limit(1))
    page = f"/results/c/{demo.id}/priorities"
    client.post(f"{page}/{priority.id}/publish", data={"csrf_token": csrf_token(client, page)})
    assert "Läxhjälp nära hemmet" in author.get("/me").get_data(as_text=True)

    assert act(client, dupe, "merge", into=str(kept.id)).status_code == 302
    db.session.expire_all()
    priority = db.session.get(Priority, priority.id)
    assert [c.id for c in priority.contributions] == [kept.id]
    assert priority.revision == 1  # nothing the young people read changed
    assert "Läxhjälp nära hemmet" in author.get("/me").get_data(as_text=True)
    form = client.get(f"{page}/{priority.id}").get_data(as_text=True)
    assert f'value="{kept.id}" checked' in form


def test_merging_into_an_idea_the_priority_already_has_keeps_it_once(
        client, app, demo, login_as):
    _, kept = idea_from_new_phone(app, demo, "Läxhjälp på biblioteket")
    _, dupe = idea_from_new_phone(app, demo, "Läxhjälp i biblioteket!")
    leader_of(demo, login_as)
    act(client, kept, "approve")
    act(client, dupe, "approve")
    url = f"/results/c/{demo.id}/priorities/new"
    client.post(url, data={"csrf_token": csrf_token(client, url), "title_sv": "Läxhjälp",
                           "idea": [str(kept.id), str(dupe.id)]})
    priority = db.session.scalar(select(Priority).order_by(Priority.id.desc()).limit(1))
    assert act(client, dupe, "merge", into=str(kept.id)).status_code == 302
    db.session.expire_all()
    assert [c.id for c in db.session.get(Priority, priority.id).contributions] == [kept.id]
