"""Deleting a "you said, we did" draft: drafts only, by those who may edit it, after a
confirmation, recorded in the audit log. A published update stays."""
import pytest
from sqlalchemy import func, select, text

from app.audit.models import AuditEvent
from app.consultations.models import Consultation, Status
from app.core.errors import Conflict
from app.extensions import db
from app.feedback.models import FeedbackStatus, FeedbackUpdate
from app.feedback.services import delete_draft, publish, save
from tests import factories
from tests.conftest import csrf_token, log_in


def _draft(demo, author, title="Beslut"):
    update = FeedbackUpdate(title={"sv": title, "en": title + " (en)"},
                            body={"sv": "Vi sa ja."}, author_id=author.id,
                            consultations=[demo])
    db.session.add(update)
    db.session.commit()
    return update.id


def _exists(update_id: int) -> bool:
    db.session.expire_all()
    return db.session.get(FeedbackUpdate, update_id) is not None


def _delete(client, update_id: int, **data):
    return client.post(f"/feedback/{update_id}/delete",
                       data={"csrf_token": csrf_token(client, "/feedback"), "confirm": "1",
                             **data})


def test_a_draft_is_deleted_after_its_confirmation_page(client, login_as):
    demo = factories.demo()
    leader = login_as("youth_leader", organisation=demo.organisation)
    keep = _draft(demo, leader, "Behåll")
    update_id = _draft(demo, leader, "Dubblett")

    listing = client.get("/feedback?lang=en").text
    assert f'href="/feedback/{update_id}/delete"' in listing and "Delete draft" in listing
    confirm = client.get(f"/feedback/{update_id}/delete?lang=en")
    assert confirm.status_code == 200
    assert "Delete the draft Dubblett (en)?" in confirm.text
    assert f'action="/feedback/{update_id}/delete"' in confirm.text
    assert 'href="/feedback">Cancel</a>' in confirm.text
    assert _exists(update_id)  # asking deletes nothing

    response = _delete(client, update_id)
    assert response.status_code == 302 and response.headers["Location"] == "/feedback"
    assert not _exists(update_id) and _exists(keep)
    listing = client.get("/feedback?lang=en").text
    assert "The draft Dubblett (en) is deleted." in listing and "Behåll (en)" in listing
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "feedback.deleted"))
    assert event.actor_id == leader.id and event.object_id == str(update_id)
    assert event.details["title"]["sv"] == "Dubblett"
    assert event.details["consultations"] == [demo.id]


def test_without_a_csrf_token_or_the_confirmation_nothing_is_deleted(client, login_as):
    demo = factories.demo()
    leader = login_as("youth_leader", organisation=demo.organisation)
    update_id = _draft(demo, leader)
    assert client.post(f"/feedback/{update_id}/delete", data={"confirm": "1"}).status_code \
        == 400
    unconfirmed = client.post(f"/feedback/{update_id}/delete",
                              data={"csrf_token": csrf_token(client, "/feedback")})
    assert unconfirmed.status_code == 200  # the question again
    assert _exists(update_id)


def test_a_published_update_is_never_deleted(client, login_as):
    demo = factories.demo()
    leader = login_as("youth_leader", organisation=demo.organisation)
    update_id = _draft(demo, leader)
    publish(leader, db.session.get(FeedbackUpdate, update_id))
    db.session.commit()
    assert f"/feedback/{update_id}/delete" not in client.get("/feedback").text
    for response in (client.get(f"/feedback/{update_id}/delete"), _delete(client, update_id)):
        assert response.status_code == 302 and response.headers["Location"] == "/feedback"
    # (The message is put in the language of the request that refused: Swedish here.)
    assert "En publicerad uppdatering tas inte bort" in client.get("/feedback").text
    assert _exists(update_id)
    assert db.session.get(FeedbackUpdate, update_id).status == FeedbackStatus.PUBLISHED
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "feedback.deleted")) == 0


def test_only_staff_who_may_edit_it_delete_a_draft(app, client, app_ctx):
    demo = factories.demo()
    author = factories.user(organisation=demo.organisation)
    db.session.commit()
    update_id = _draft(demo, author)
    for role, organisation, status in (("youth_leader", None, 404),
                                       ("youth_leader", demo.organisation, 302),
                                       ("core_team", None, 302)):
        update_id = update_id if _exists(update_id) else _draft(demo, author)
        other = app.test_client()
        user = factories.user(role=role, organisation=organisation)
        db.session.commit()
        log_in(other, user)
        assert other.get(f"/feedback/{update_id}/delete").status_code in (status, 200)
        assert _delete(other, update_id).status_code == status, role
        assert _exists(update_id) == (status != 302)
    anonymous = app.test_client()
    update_id = _draft(demo, author)
    assert anonymous.post(f"/feedback/{update_id}/delete").status_code in (302, 400)
    assert _exists(update_id)


def test_a_leader_cannot_delete_a_draft_that_is_also_about_another_organisations(
        app, client, login_as):
    """They see it (one of its consultations is theirs) but may not edit it: 403."""
    demo = factories.demo()
    theirs = Consultation(organisation=factories.organisation(), status=Status.CLOSED,
                          join_code="OTHER1", title={"sv": "Deras"})
    db.session.add(theirs)
    core = factories.user(role="core_team")
    db.session.commit()
    update = FeedbackUpdate(title={"sv": "Båda"}, body={"sv": "Text"}, author_id=core.id,
                            consultations=[demo, theirs])
    db.session.add(update)
    db.session.commit()
    login_as("youth_leader", organisation=demo.organisation)
    assert client.get(f"/feedback/{update.id}/delete").status_code == 403
    assert _delete(client, update.id).status_code == 403
    assert _exists(update.id)


def test_a_draft_deleted_in_another_tab(app, client, login_as):
    """Saving, publishing or deleting it again from an older tab says it is gone (saving
    shows what was typed); someone of another organisation still gets a plain 404."""
    demo = factories.demo()
    leader = login_as("youth_leader", organisation=demo.organisation)
    update_id = _draft(demo, leader)
    edit_token = csrf_token(client, f"/feedback/{update_id}/edit")
    assert _delete(client, update_id).status_code == 302

    saved = client.post(f"/feedback/{update_id}/edit?lang=en", data={
        "csrf_token": edit_token, "title_sv": "Skrivet i fliken", "body_sv": "Text",
        "consultation": str(demo.id)})
    assert saved.status_code == 409
    assert "This draft has already been deleted." in saved.text
    assert "Skrivet i fliken" in saved.text
    published = client.post(f"/feedback/{update_id}/publish?lang=en",
                            data={"csrf_token": edit_token})
    assert published.status_code == 302
    again = _delete(client, update_id)
    assert again.status_code == 302
    assert "This draft has already been deleted." in client.get("/feedback?lang=en").text
    assert db.session.scalar(select(func.count(FeedbackUpdate.id))) == 0

    stranger = app.test_client()
    outsider = factories.user(role="youth_leader")
    db.session.commit()
    log_in(stranger, outsider)
    assert _delete(stranger, update_id).status_code == 404
    response = stranger.post(f"/feedback/{update_id}/edit", data={
        "csrf_token": csrf_token(stranger, "/feedback"), "title_sv": "Skrivet i fliken"})
    assert response.status_code == 404 and "Skrivet i fliken" not in response.text


def _published_meanwhile(update_id: int) -> FeedbackUpdate:
    """The draft as this request read it, while a colleague's Publish has committed since
    (the statement stands for that other request: the loaded object still says draft)."""
    update = db.session.get(FeedbackUpdate, update_id)
    assert update.status == FeedbackStatus.DRAFT
    db.session.execute(text("UPDATE feedback_updates SET status = 'published', "
                            "published_at = CURRENT_TIMESTAMP WHERE id = :id"),
                       {"id": update_id})
    return update


def test_a_draft_published_meanwhile_is_not_deleted(app_ctx):
    demo = factories.demo()
    leader = factories.user(organisation=demo.organisation)
    db.session.commit()
    update = _published_meanwhile(_draft(demo, leader))
    with pytest.raises(Conflict):
        delete_draft(leader, update)
    db.session.commit()
    assert _exists(update.id)
    assert db.session.get(FeedbackUpdate, update.id).consultations == [demo]


def test_a_draft_published_meanwhile_is_not_published_again(app_ctx):
    """Two Publish presses at once: the second publishes (and notifies) nothing."""
    demo = factories.demo()
    leader = factories.user(organisation=demo.organisation)
    db.session.commit()
    update = _published_meanwhile(_draft(demo, leader))
    with pytest.raises(Conflict):
        publish(leader, update)
    db.session.commit()
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "feedback.published")) == 0


def test_a_draft_published_meanwhile_is_not_changed_by_a_save(app_ctx):
    demo = factories.demo()
    leader = factories.user(organisation=demo.organisation)
    db.session.commit()
    update = _published_meanwhile(_draft(demo, leader))
    with pytest.raises(Conflict):
        save(leader, update, title={"sv": "Ändrad"}, body={"sv": "Efteråt"},
             consultation_ids=[demo.id], initiative_id=None)
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(FeedbackUpdate, update.id).title["sv"] == "Beslut"
