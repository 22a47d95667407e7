""""You said, we did" drafts edited in two tabs, or by a youth leader and the core team:
nothing saved by one is overwritten unseen by the other, and what was typed is never lost."""
from sqlalchemy import select

from app.extensions import db
from app.feedback.models import FeedbackUpdate
from tests import factories
from tests.conftest import csrf_token, log_in


def _draft(demo, author):
    update = FeedbackUpdate(title={"sv": "Beslut"}, body={"sv": "Vi sa ja."},
                            author_id=author.id, consultations=[demo])
    db.session.add(update)
    db.session.commit()
    return update


def _save(client, url, token, **texts):
    return client.post(url, data={"csrf_token": token, "consultation": texts.pop("c"),
                                  **texts})


def test_a_draft_saved_in_another_tab_is_not_overwritten_unseen(client, app, app_ctx):
    demo = factories.demo()
    leader = factories.user(organisation=demo.organisation)
    update = _draft(demo, leader)
    log_in(client, leader)
    url = f"/feedback/{update.id}/edit"
    stale = client.get(url + "?lang=en").get_data(as_text=True)
    token = csrf_token(client, url)
    seen = stale.split('name="seen" value="')[1].split('"')[0]

    other = app.test_client()  # a colleague, or the same leader's other tab
    log_in(other, leader)
    assert _save(other, url, csrf_token(other, url), c=str(demo.id), title_sv="Beslutet",
                 body_sv="Kommunen sa ja till fler träd.").status_code == 302

    response = _save(client, url + "?lang=en", token, c=str(demo.id), seen=seen,
                     title_sv="Beslut!", body_sv="Vi sa ja, alla tre.")
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else saved a change to this while you were editing it" in html
    assert 'value="Beslut!"' in html and ">Vi sa ja, alla tre.</textarea>" in html
    db.session.expire_all()
    assert db.session.get(FeedbackUpdate, update.id).title == {"sv": "Beslutet"}

    # Save again from that page: the leader has seen the other version and keeps theirs.
    again = html.split('name="seen" value="')[1].split('"')[0]
    assert _save(client, url, token, c=str(demo.id), seen=again, title_sv="Beslut!",
                 body_sv="Vi sa ja, alla tre.").status_code == 302
    db.session.expire_all()
    assert db.session.get(FeedbackUpdate, update.id).title == {"sv": "Beslut!"}


def test_saving_a_draft_published_meanwhile_shows_the_text_to_copy(client, app, app_ctx):
    """It was a bare 'Forbidden' page, and what the leader had typed was gone."""
    demo = factories.demo()
    leader = factories.user(organisation=demo.organisation)
    update = _draft(demo, leader)
    log_in(client, leader)
    url = f"/feedback/{update.id}/edit"
    token = csrf_token(client, url)
    other = app.test_client()
    log_in(other, leader)
    other.post(f"/feedback/{update.id}/publish",
               data={"csrf_token": csrf_token(other, "/feedback")})

    response = _save(client, url + "?lang=en", token, c=str(demo.id), title_sv="Beslut!",
                     body_sv="Vi sa ja, alla tre.", body_en="We said yes.")
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "This update has already been published" in html
    assert "Vi sa ja, alla tre.</textarea>" in html and "We said yes.</textarea>" in html
    db.session.expire_all()
    assert db.session.get(FeedbackUpdate, update.id).title == {"sv": "Beslut"}


def test_publish_confirmed_on_a_preview_of_an_older_text_asks_again(client, app, app_ctx):
    """The preview is what the leader agreed to send to every phone; a colleague's edit
    after it was shown was published unseen."""
    demo = factories.demo()
    leader = factories.user(organisation=demo.organisation)
    update = _draft(demo, leader)
    log_in(client, leader)
    publish = f"/feedback/{update.id}/publish"
    preview = client.get(publish + "?lang=en").get_data(as_text=True)
    token = csrf_token(client, "/feedback")
    seen = preview.split('name="seen" value="')[1].split('"')[0]
    other = app.test_client()
    log_in(other, leader)
    url = f"/feedback/{update.id}/edit"
    _save(other, url, csrf_token(other, url), c=str(demo.id), title_sv="Beslut om träd",
          body_sv="Vi sa nej.")

    response = client.post(publish + "?lang=en", data={"csrf_token": token, "seen": seen})
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "Vi sa nej." in html
    assert "Someone changed this update since you opened this page" in html
    db.session.expire_all()
    assert db.session.get(FeedbackUpdate, update.id).status == "draft"
    fresh = html.split('name="seen" value="')[1].split('"')[0]
    response = client.post(publish, data={"csrf_token": token, "seen": fresh})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(FeedbackUpdate.status)) == "published"
