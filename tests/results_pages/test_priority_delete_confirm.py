"""Deleting a draft priority asks first: its texts in every language and its chosen ideas
go for good, and the button sits between Move down and Publish."""
from sqlalchemy import select

from app.consultations.models import Consultation
from app.extensions import db
from app.results.models import Priority
from tests import factories
from tests.conftest import csrf_token


def _draft(client, demo, title):
    new = f"/results/c/{demo.id}/priorities/new"
    client.post(new, data={"csrf_token": csrf_token(client, new), "title_sv": title,
                           "summary_sv": "Läxhjälp på biblioteket varje dag."})
    return db.session.scalar(select(Priority).order_by(Priority.id.desc()).limit(1))


def test_delete_draft_asks_first_and_cancel_keeps_it(client, app_ctx, login_as):
    demo = factories.demo()
    login_as("youth_leader", organisation=demo.organisation)
    priority = _draft(client, demo, "Läxhjälp nära hemmet")
    priority_id = priority.id
    page = f"/results/c/{demo.id}/priorities"
    token = csrf_token(client, page)

    asked = client.post(f"{page}/{priority.id}/delete", data={"csrf_token": token})
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200
    assert "Ta bort utkastet Läxhjälp nära hemmet?" in html
    assert 'name="confirm" value="1"' in html
    assert f'href="{page}#priority-{priority.id}"' in html  # Cancel: back to it
    db.session.expire_all()
    assert db.session.get(Priority, priority.id) is not None  # nothing deleted yet

    done = client.post(f"{page}/{priority_id}/delete",
                       data={"csrf_token": token, "confirm": "1"}, follow_redirects=True)
    assert "Utkastet är borttaget." in done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Priority, priority_id) is None


def test_a_published_priority_is_still_refused_without_a_question(client, app_ctx, login_as):
    demo = factories.demo()
    login_as("youth_leader", organisation=demo.organisation)
    priority = _draft(client, demo, "Trygga vägar")
    page = f"/results/c/{demo.id}/priorities"
    token = csrf_token(client, page)
    client.post(f"{page}/{priority.id}/publish", data={"csrf_token": token})
    client.post(f"{page}/{priority.id}/unpublish", data={"csrf_token": token})

    refused = client.post(f"{page}/{priority.id}/delete", data={"csrf_token": token},
                          follow_redirects=True)
    assert "stannar kvar" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Priority, priority.id) is not None


def test_no_priorities_yet_is_not_numbered_as_one(client, app_ctx, login_as):
    demo = factories.demo()
    fresh = Consultation(organisation=demo.organisation, join_code="NYTT22",
                         title={"sv": "Fritidsgården"}, status="open")
    db.session.add(fresh)
    db.session.commit()
    login_as("youth_leader", organisation=demo.organisation)
    html = client.get(f"/results/c/{fresh.id}/priorities").get_data(as_text=True)
    assert "Inga prioriteringar än." in html
    assert '<ol class="priority-list">' not in html
