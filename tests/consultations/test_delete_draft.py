"""Deleting a draft consultation (a double submit or Back-then-Save made a second one):
drafts only, by those who may edit it, after a confirmation, recorded in the audit log."""
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.consultations.models import Consultation, Question
from app.extensions import db
from tests import factories
from tests.conftest import csrf_token, log_in
from tests.consultations.helpers import BASE, add_question, create, in_english, post


def _exists(consultation_id: int) -> bool:
    db.session.expire_all()
    return db.session.get(Consultation, consultation_id) is not None


def test_a_draft_is_deleted_after_its_confirmation_page(client, login_as):
    leader = login_as("youth_leader")
    in_english(client)
    keep = create(client, title_sv="Behåll mig", title_en="Keep me")
    consultation_id = create(client, title_sv="Dubblett", title_en="Double")
    add_question(client, consultation_id, "word", "Ett ord")

    show = client.get(f"{BASE}/{consultation_id}").text
    assert f'href="{BASE}/{consultation_id}/delete"' in show and "Delete draft" in show
    confirm = client.get(f"{BASE}/{consultation_id}/delete")
    assert confirm.status_code == 200
    assert "Delete the draft Double?" in confirm.text
    assert f'action="{BASE}/{consultation_id}/delete"' in confirm.text
    assert f'href="{BASE}/{consultation_id}">Cancel</a>' in confirm.text
    assert _exists(consultation_id)  # asking deletes nothing

    response = post(client, f"{BASE}/{consultation_id}/delete")
    assert response.status_code == 302 and response.headers["Location"] == BASE
    assert not _exists(consultation_id) and _exists(keep)
    assert db.session.scalar(select(func.count(Question.id)).where(
        Question.consultation_id == consultation_id)) == 0
    listing = client.get(BASE).text
    assert "The draft Double is deleted." in listing and "Keep me" in listing
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "consultation.deleted"))
    assert event.actor_id == leader.id and event.object_id == str(consultation_id)
    assert event.details["title"]["sv"] == "Dubblett"


def test_without_a_csrf_token_nothing_is_deleted(client, login_as):
    login_as("youth_leader")
    consultation_id = create(client)
    client.post(f"{BASE}/{consultation_id}/delete")
    assert _exists(consultation_id)


def test_an_open_or_closed_consultation_is_never_deleted(client, login_as):
    demo = factories.demo()  # open, with answers to come
    login_as("youth_leader", organisation=demo.organisation)
    in_english(client)
    assert "Delete draft" not in client.get(f"{BASE}/{demo.id}").text
    for method in ("GET", "POST"):
        response = client.get(f"{BASE}/{demo.id}/delete") if method == "GET" \
            else post(client, f"{BASE}/{demo.id}/delete")
        assert response.status_code == 302
        assert response.headers["Location"] == f"{BASE}/{demo.id}"
    assert "Only a draft can be deleted." in client.get(f"{BASE}/{demo.id}").text
    post(client, f"{BASE}/{demo.id}/close")
    post(client, f"{BASE}/{demo.id}/delete")
    assert _exists(demo.id)
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "consultation.deleted")) == 0


def test_only_staff_who_may_edit_it_delete_a_draft(app, client, login_as):
    login_as("youth_leader")
    consultation_id = create(client)
    draft = db.session.get(Consultation, consultation_id)
    for role, organisation, status in (("youth_leader", None, 404),
                                       ("core_team", None, 403),
                                       ("youth_leader", draft.organisation, 302)):
        other = app.test_client()
        user = factories.user(role=role, organisation=organisation)
        db.session.commit()
        log_in(other, user)
        if status != 302:
            assert other.get(f"{BASE}/{consultation_id}/delete").status_code == status
            response = other.post(f"{BASE}/{consultation_id}/delete",
                                  data={"csrf_token": csrf_token(other, BASE)})
            assert response.status_code == status, role
            assert _exists(consultation_id)
        else:  # a colleague in the same organisation may
            response = other.post(f"{BASE}/{consultation_id}/delete",
                                  data={"csrf_token": csrf_token(other, BASE)})
            assert response.status_code == status
            assert not _exists(consultation_id)


def test_a_title_with_markup_is_shown_as_text(client, login_as):
    login_as("youth_leader")
    in_english(client)
    consultation_id = create(client, title_en="<b>Bold</b>")
    page = client.get(f"{BASE}/{consultation_id}/delete").text
    assert "<b>Bold</b>" not in page and "&lt;b&gt;Bold&lt;/b&gt;" in page


def test_saving_details_of_a_draft_deleted_in_another_tab_shows_what_was_typed(app, client,
                                                                                login_as):
    """One tab deletes the draft, an older tab still has Edit details open and presses Save:
    the typed title and introduction come back to copy, with the reason, not a 404. Someone
    of another organisation naming that draft still gets a plain 404."""
    leader = login_as("youth_leader")
    in_english(client)
    consultation_id = create(client, title_sv="Dubblett")
    assert post(client, f"{BASE}/{consultation_id}/delete").status_code == 302
    typed = {"title_sv": "Fritid, skriven om med omsorg", "intro_en": "Tell us <b>why</b>",
             "moderation": "pre"}
    saved = post(client, f"{BASE}/{consultation_id}/edit", typed)
    assert saved.status_code == 409
    assert "What you wrote was not saved" in saved.text
    assert "This consultation has already been deleted." in saved.text
    assert "Fritid, skriven om med omsorg" in saved.text
    assert "Tell us &lt;b&gt;why&lt;/b&gt;" in saved.text and "<b>why</b>" not in saved.text
    assert f'href="{BASE}"' in saved.text
    assert not _exists(consultation_id)

    stranger, outsider = app.test_client(), factories.user(role="youth_leader")
    colleague, fellow = app.test_client(), factories.user(role="youth_leader",
                                                         organisation=leader.organisation)
    db.session.commit()
    log_in(stranger, outsider)
    response = stranger.post(f"{BASE}/{consultation_id}/edit", data={
        "csrf_token": csrf_token(stranger, BASE), **typed})
    assert response.status_code == 404
    assert "Fritid, skriven om med omsorg" not in response.text
    log_in(colleague, fellow)
    response = colleague.post(f"{BASE}/{consultation_id}/edit", data={
        "csrf_token": csrf_token(colleague, BASE), **typed})
    assert response.status_code == 409


def test_a_question_written_for_a_draft_deleted_in_another_tab_comes_back_to_copy(
        app, client, login_as):
    """A new question or a question's edit, saved in an older tab after the draft was
    deleted: the typed texts with the reason, as for the details, not a bare 404. Another
    organisation still gets the 404."""
    login_as("youth_leader")
    in_english(client)
    consultation_id = create(client, title_sv="Dubblett")
    add_question(client, consultation_id, "idea", "Vad vill du ändra?")
    question_id = db.session.scalar(select(Question.id))
    assert post(client, f"{BASE}/{consultation_id}/delete").status_code == 302
    typed = {"prompt_sv": "Vad saknar du på fritidsgården?", "help_en": "Think <i>big</i>"}
    for path in (f"{BASE}/{consultation_id}/questions/new?kind=idea",
                 f"{BASE}/{consultation_id}/questions/{question_id}"):
        saved = post(client, path, typed)
        assert saved.status_code == 409, path
        assert "This consultation has already been deleted." in saved.text
        assert "Vad saknar du på fritidsgården?" in saved.text
        assert "Think &lt;i&gt;big&lt;/i&gt;" in saved.text
    stranger, outsider = app.test_client(), factories.user(role="youth_leader")
    db.session.commit()
    log_in(stranger, outsider)
    response = stranger.post(f"{BASE}/{consultation_id}/questions/new?kind=idea", data={
        "csrf_token": csrf_token(stranger, BASE), **typed})
    assert response.status_code == 404 and "fritidsgården" not in response.text
