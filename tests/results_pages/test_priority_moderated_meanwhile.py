"""A youth priority's form left open while its ideas are moderated: a merge, a hidden idea
or one its author deleted is not "someone else saved a change", and saving keeps what the
merge did. Another leader's save is still caught."""
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.results.models import Priority
from tests import factories
from tests.conftest import csrf_token
from tests.moderate_queue.test_queue import act, idea_from_new_phone, leader_of

CHANGED = "Someone else saved a change to this"


@pytest.fixture
def demo(app_ctx):
    return factories.demo()


@pytest.fixture
def setup(client, app, demo, login_as):
    """Three published ideas (two say the same thing); a priority on `first` and `dupe`; its
    form opened in a tab, as the leader saw it."""
    phones, ideas = {}, {}
    for name, text in (("first", "Fler bänkar på skolgården"), ("kept", "Läxhjälp på biblioteket"),
                       ("dupe", "Läxhjälp i biblioteket!")):
        phones[name], ideas[name] = idea_from_new_phone(app, demo, text)
    leader_of(demo, login_as)
    client.get("/lang/en")
    for idea in ideas.values():
        act(client, idea, "approve")
    new = f"/results/c/{demo.id}/priorities/new"
    client.post(new, data={"csrf_token": csrf_token(client, new), "title_sv": "Skolan",
                           "idea": [str(ideas["first"].id), str(ideas["dupe"].id)]})
    priority = db.session.scalar(select(Priority).order_by(Priority.id.desc()).limit(1))
    editor = f"/results/c/{demo.id}/priorities/{priority.id}"
    html = client.get(editor).get_data(as_text=True)
    form = {name: re.search(rf'name="{name}" value="([^"]*)"', html).group(1)
            for name in ("csrf_token", "seen", "stood_on")}
    return phones, ideas, priority, editor, form


def save_stale(client, editor, form, ideas, *names, **fields):
    return client.post(editor, data={**form, "title_sv": "Skolan", **fields,
                                     "idea": [str(ideas[n].id) for n in names]})


def stands_on(priority):
    db.session.expire_all()
    return {c.id for c in db.session.get(Priority, priority.id).contributions}


def test_a_merge_meanwhile_saves_and_keeps_the_idea_it_was_merged_into(client, setup):
    _, ideas, priority, editor, form = setup
    assert act(client, ideas["dupe"], "merge", into=str(ideas["kept"].id)).status_code == 302
    saved = save_stale(client, editor, form, ideas, "first", "dupe", summary_sv="Om skolan")
    assert saved.status_code == 302
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "The priority is saved." in page and "hidden or deleted" not in page
    assert stands_on(priority) == {ideas["first"].id, ideas["kept"].id}
    assert db.session.get(Priority, priority.id).summary == {"sv": "Om skolan"}


def test_an_idea_its_author_deleted_meanwhile_is_left_out_and_said_so(client, setup):
    phones, ideas, priority, editor, form = setup
    author = phones["dupe"]
    assert author.post("/me/delete", data={
        "csrf_token": csrf_token(author, "/me/delete")}).status_code == 302
    saved = save_stale(client, editor, form, ideas, "first", "dupe")
    assert saved.status_code == 302
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "1 idea you ticked was hidden or deleted while you were editing" in page
    assert stands_on(priority) == {ideas["first"].id}


def test_an_idea_hidden_meanwhile_is_left_out_and_said_so(client, setup):
    _, ideas, priority, editor, form = setup
    act(client, ideas["dupe"], "hide", reason="off_topic")
    saved = save_stale(client, editor, form, ideas, "first", "dupe")
    assert saved.status_code == 302
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "1 idea you ticked was hidden or deleted while you were editing" in page
    assert stands_on(priority) == {ideas["first"].id}


def test_another_leaders_change_of_ideas_is_still_caught(client, setup):
    """The other tab took `first` out; this one, unaware, would put it back."""
    _, ideas, priority, editor, form = setup
    other = client.get(editor).get_data(as_text=True)
    fresh = {name: re.search(rf'name="{name}" value="([^"]*)"', other).group(1)
             for name in ("seen", "stood_on")}
    assert save_stale(client, editor, {**form, **fresh}, ideas, "dupe").status_code == 302
    stale = save_stale(client, editor, form, ideas, "first", "dupe")
    assert stale.status_code == 200 and CHANGED in stale.get_data(as_text=True)
    assert stands_on(priority) == {ideas["dupe"].id}


def test_a_merge_does_not_hide_another_leaders_save(client, setup):
    """Moderation explains the ideas; the title another tab saved is still caught."""
    _, ideas, priority, editor, form = setup
    other = client.get(editor).get_data(as_text=True)
    fresh = {name: re.search(rf'name="{name}" value="([^"]*)"', other).group(1)
             for name in ("seen", "stood_on")}
    assert save_stale(client, editor, {**form, **fresh}, ideas, "first", "dupe",
                      title_sv="Skolan vi vill ha").status_code == 302
    act(client, ideas["dupe"], "merge", into=str(ideas["kept"].id))
    stale = save_stale(client, editor, form, ideas, "first", "dupe")
    assert stale.status_code == 200 and CHANGED in stale.get_data(as_text=True)


def test_a_forged_list_of_ideas_stood_on_does_not_skip_the_check(client, setup):
    _, ideas, priority, editor, form = setup
    other = client.get(editor).get_data(as_text=True)
    fresh = {"seen": re.search(r'name="seen" value="([^"]*)"', other).group(1)}
    save_stale(client, editor, {**form, **fresh}, ideas, "dupe")
    forged = {**form, "stood_on": str(ideas["dupe"].id)}
    stale = save_stale(client, editor, forged, ideas, "first", "dupe")
    assert stale.status_code == 200 and CHANGED in stale.get_data(as_text=True)
