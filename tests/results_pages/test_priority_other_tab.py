"""Two tabs on the same youth priority: what one saved or deleted is not undone unseen by
the other, and what was typed in the other is not lost."""
import re

from sqlalchemy import select

from app.extensions import db
from app.results.models import Priority
from tests import factories
from tests.conftest import csrf_token


def _draft(client, demo, title):
    new = f"/results/c/{demo.id}/priorities/new"
    client.post(new, data={"csrf_token": csrf_token(client, new), "title_sv": title})
    return db.session.scalar(select(Priority).order_by(Priority.id.desc()).limit(1))


def _seen(html: str) -> str:
    return re.search(r'name="seen" value="([^"]+)"', html).group(1)


def test_a_priority_saved_in_another_tab_is_not_overwritten_unseen(client, app_ctx, login_as):
    demo = factories.demo()
    login_as("youth_leader", organisation=demo.organisation)
    client.get("/lang/en")
    priority = _draft(client, demo, "Läxhjälp")
    editor = f"/results/c/{demo.id}/priorities/{priority.id}"
    seen = _seen(client.get(editor).get_data(as_text=True))
    token = csrf_token(client, editor)
    assert client.post(editor, data={"csrf_token": token, "title_sv": "Läxhjälp på helger",
                                     "seen": seen}).status_code == 302
    typed = {"csrf_token": token, "title_sv": "Läxhjälp", "summary_sv": "Det jag skrev länge"}
    stale = client.post(editor, data={**typed, "seen": seen})
    html = stale.get_data(as_text=True)
    assert stale.status_code == 200 and "Someone else saved a change to this" in html
    assert "Det jag skrev länge" in html
    db.session.expire_all()
    assert db.session.get(Priority, priority.id).title == {"sv": "Läxhjälp på helger"}
    assert client.post(editor, data={**typed, "seen": _seen(html)}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Priority, priority.id).summary == {"sv": "Det jag skrev länge"}


def test_a_priority_deleted_in_another_tab(client, app_ctx, login_as):
    """Save shows what was typed, to copy; Publish says it is gone: no "page not found"."""
    demo = factories.demo()
    login_as("youth_leader", organisation=demo.organisation)
    client.get("/lang/en")
    priority = _draft(client, demo, "Läxhjälp")
    priority_id = priority.id
    page = f"/results/c/{demo.id}/priorities"
    token = csrf_token(client, page)
    client.post(f"{page}/{priority_id}/delete", data={"csrf_token": token, "confirm": "1"})
    db.session.expire_all()
    assert db.session.get(Priority, priority_id) is None

    saved = client.post(f"{page}/{priority_id}", data={
        "csrf_token": token, "title_sv": "Läxhjälp", "summary_sv": "Det jag skrev länge"})
    html = saved.get_data(as_text=True)
    assert saved.status_code == 409 and "What you wrote was not saved" in html
    assert "Det jag skrev länge" in html
    published = client.post(f"{page}/{priority_id}/publish", data={"csrf_token": token})
    assert published.status_code == 302 and published.headers["Location"].endswith(page)
    assert "This youth priority has already been deleted." in client.get(page).get_data(
        as_text=True)


def test_the_first_priority_has_no_move_up_and_the_last_no_move_down(client, app_ctx, login_as):
    """The buttons did nothing there, without a word; the questions' list has none either."""
    demo = factories.demo()
    login_as("youth_leader", organisation=demo.organisation)
    for title in ("Ett", "Två", "Tre"):
        _draft(client, demo, title)
    html = client.get(f"/results/c/{demo.id}/priorities").get_data(as_text=True)
    ids = [p.id for p in db.session.scalars(select(Priority).where(
        Priority.consultation_id == demo.id).order_by(Priority.position))]

    def buttons(priority_id):
        card = html.split(f'id="priority-{priority_id}"', 1)[1].split("</li>", 1)[0]
        return [a for a in ("up", "down") if f"/priorities/{priority_id}/{a}\"" in card]

    assert buttons(ids[0]) == ["down"] and buttons(ids[-1]) == ["up"]
    assert buttons(ids[len(ids) // 2]) == ["up", "down"]


def test_publish_from_a_page_that_still_shows_a_draft_does_not_make_a_new_version(
        client, app_ctx, login_as):
    """Publish, Back, Publish again: it was published a second time as version 2, a new
    version for the portfolio. Publish again from the page that says so still does that."""
    demo = factories.demo()
    login_as("youth_leader", organisation=demo.organisation)
    client.get("/lang/en")
    priority = _draft(client, demo, "Läxhjälp")
    page = f"/results/c/{demo.id}/priorities"
    html = client.get(page).get_data(as_text=True)
    assert 'name="shown" value="draft"' in html
    token = csrf_token(client, page)
    publish = f"{page}/{priority.id}/publish"
    client.post(publish, data={"csrf_token": token, "shown": "draft"})
    client.post(publish, data={"csrf_token": token, "shown": "draft"})
    assert "already published" in client.get(page).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Priority, priority.id).revision == 1
    client.post(publish, data={"csrf_token": token, "shown": "published"})
    db.session.expire_all()
    assert db.session.get(Priority, priority.id).revision == 2
