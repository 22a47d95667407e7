from sqlalchemy import func, select

from app.extensions import db
from app.participate.models import Contribution, Participant, Vote
from tests import factories
from tests.conftest import csrf_token
from tests.participate.helpers import answer, join
from tests.querycount import assert_flat


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def answered_phone(client):
    consultation = factories.demo()
    join(client)
    q = factories.questions_by_kind(consultation)
    answer(client, consultation.id, q["idea"][0], {"text": "Ett tak över bänkarna",
                                                   "client_key": "a"})
    answer(client, consultation.id, q["scale"][0], {"value": "4"})
    statement = q["statement"][1]
    answer(client, consultation.id, q["statement"][0],
           {f"s_o{statement.options[0].id}": "agree"})
    return consultation, q


def test_my_answers_lists_everything_with_kind_status_words(client, app_ctx):
    answered_phone(client)
    html = client.get("/me").get_data(as_text=True)
    assert "Hur blir skolan bättre för dig?" in html
    assert "Ett tak över bänkarna" in html
    assert html.count("Väntar på en ungdomsledare") == 1  # once, as the idea's next step
    assert '<li class="journey-waiting">Väntar på en ungdomsledare' in html
    assert "Bra" in html  # the scale answer in words
    assert "Håller med: " in html
    contribution = db.session.scalar(select(Contribution))
    contribution.status = "approved"
    db.session.commit()
    assert "Publicerat" in client.get("/me").get_data(as_text=True)


def test_another_phone_sees_none_of_it(client, app, app_ctx):
    answered_phone(client)
    other = app.test_client()
    html = other.get("/me").get_data(as_text=True)
    assert "Ett tak över bänkarna" not in html
    assert "Du har inte svarat på något" in html


def test_deleting_one_contribution_removes_the_row_after_confirmation(client, app, app_ctx):
    answered_phone(client)
    contribution = db.session.scalar(select(Contribution))
    url = f"/me/contributions/{contribution.id}/delete"
    confirm = client.get(url)
    assert "Är du säker?" in confirm.get_data(as_text=True)
    assert count(Contribution) == 1
    # Another phone cannot delete it.
    other = app.test_client()
    assert other.post(url, data={"csrf_token": csrf_token(other, "/me")}).status_code == 404
    response = client.post(url, data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 302
    assert count(Contribution) == 0
    assert count(Vote) == 2  # the other answers stay


def test_votes_on_a_deleted_idea_are_deleted_too(client, app, app_ctx):
    consultation, q = answered_phone(client)
    idea = db.session.scalar(select(Contribution))
    idea.status = "approved"
    db.session.commit()
    peer = app.test_client()
    join(peer)
    answer(peer, consultation.id, q["statement"][0], {f"s_c{idea.id}": "agree"})
    assert db.session.scalar(select(func.count()).where(Vote.contribution_id == idea.id)) == 1
    url = f"/me/contributions/{idea.id}/delete"
    client.post(url, data={"csrf_token": csrf_token(client, url)})
    assert db.session.scalar(select(func.count()).where(Vote.contribution_id.is_not(None))) == 0


def test_delete_everything_removes_all_rows_of_this_phone(client, app, app_ctx):
    answered_phone(client)
    other = app.test_client()
    join(other)
    assert count(Participant) == 2
    page = client.get("/me/delete").get_data(as_text=True)
    assert "Det går inte att ångra" in page
    response = client.post("/me/delete", data={"csrf_token": csrf_token(client, "/me/delete")})
    assert response.status_code == 302
    assert count(Participant) == 1  # only the other phone's
    assert count(Contribution) == 0 and count(Vote) == 0
    assert "Du har inte svarat på något" in client.get("/me").get_data(as_text=True)


def test_my_answers_page_is_not_cached_and_keeps_query_count_flat(client, app_ctx):
    answered_phone(client)
    assert client.get("/me").headers["Cache-Control"] == "no-store"

    def page():
        assert client.get("/me").status_code == 200

    def more_ideas():
        consultation = factories.demo()
        q = factories.questions_by_kind(consultation)
        for i in range(15):
            answer(client, consultation.id, q["idea"][0], {"text": f"Idé {i}",
                                                           "client_key": f"k{i}"})

    assert_flat(page, more_ideas)


def test_priorities_not_yet_in_the_phones_language_say_so(client, app_ctx):
    answered_phone(client)
    client.get("/lang/so")
    html = client.get("/me").get_data(as_text=True)
    section = html.split('class="priorities-shown"', 1)[1].split("</section>", 1)[0]
    assert 'class="fallback-note"' in section
    client.get("/lang/sv")
    html = client.get("/me").get_data(as_text=True)
    assert 'class="priorities-shown"' in html and 'class="fallback-note"' not in html


def test_change_my_answers_is_not_offered_once_the_closing_time_has_passed(client, app_ctx):
    from datetime import timedelta

    from app.core.time import utcnow

    consultation, _q = answered_phone(client)
    change = f'href="/c/{consultation.id}/q/1"'
    assert change in client.get("/me").get_data(as_text=True)
    consultation.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    # Still "open" (nobody closed it), but a question page would only say it has ended.
    assert change not in client.get("/me").get_data(as_text=True)


def test_back_to_the_delete_page_of_an_idea_just_deleted_leads_to_my_answers(client, app,
                                                                             app_ctx):
    answered_phone(client)
    contribution = db.session.scalar(select(Contribution))
    url = f"/me/contributions/{contribution.id}/delete"
    token = csrf_token(client, url)
    assert client.post(url, data={"csrf_token": token}).status_code == 302
    for again in (client.get(url), client.post(url, data={"csrf_token": token})):
        assert again.status_code == 302 and again.headers["Location"] == "/me"
    # Any other phone still finds nothing there.
    other = app.test_client()
    assert other.get(url).status_code == 404


def _redacted_idea(app, client, text):
    """An idea of this phone that a youth leader redacted: the original is in the audit log."""
    from app.audit.models import AuditEvent
    from tests.moderate_queue.test_queue import act

    consultation = factories.demo()
    join(client)
    answer(client, consultation.id, factories.questions_by_kind(consultation)["idea"][0],
           {"text": text, "client_key": "r1"})
    idea = db.session.scalar(select(Contribution).where(Contribution.text == text))
    from tests.conftest import log_in

    leader, user = app.test_client(), factories.user(organisation=consultation.organisation)
    db.session.commit()
    log_in(leader, user)
    assert act(leader, idea, "redact", text="[namn] vill ha längre raster").status_code == 302
    assert text in str(db.session.scalars(select(AuditEvent.details)).all())
    return idea


def _words_in_the_audit_log(words: str) -> bool:
    from app.audit.models import AuditEvent

    db.session.expire_all()
    return any(words in str(d) for d in db.session.scalars(select(AuditEvent.details)))


def test_deleting_a_redacted_idea_deletes_its_original_in_the_audit_log(client, app, app_ctx):
    """"Gone for good" also for the words a youth leader edited out: without the idea, the
    retention rule could no longer find its original (it looks it up by the idea), so it
    stayed in the audit log for ever."""
    idea = _redacted_idea(app, client, "Anna Berg vill ha längre raster")
    url = f"/me/contributions/{idea.id}/delete"
    assert client.post(url, data={"csrf_token": csrf_token(client, url)}).status_code == 302
    assert count(Contribution) == 0
    assert not _words_in_the_audit_log("Anna Berg")
    assert not _words_in_the_audit_log("[namn] vill ha")  # the redacted text is theirs too


def test_deleting_everything_deletes_the_redaction_originals_too(client, app, app_ctx):
    _redacted_idea(app, client, "Omar Ali vill ha längre raster")
    assert client.post("/me/delete", data={
        "csrf_token": csrf_token(client, "/me/delete")}).status_code == 302
    assert count(Contribution) == 0 and count(Participant) == 0
    assert not _words_in_the_audit_log("Omar Ali")
    assert not _words_in_the_audit_log("[namn] vill ha")


def test_two_taps_on_yes_delete_at_the_same_moment_delete_it_once_without_an_error(
        client, app, app_ctx):
    from sqlalchemy import delete

    from app.participate import services

    answered_phone(client)
    contribution = db.session.scalar(select(Contribution))
    # The other tap's request deleted it after this one found it, before this one deletes.
    with db.engine.begin() as other:
        other.execute(delete(Contribution).where(Contribution.id == contribution.id))
    services.delete_contribution(contribution)
    db.session.commit()  # was StaleDataError: "expected to delete 1 row(s); 0 were matched"
    assert count(Contribution) == 0


def test_a_peers_idea_hidden_after_my_vote_is_not_shown_on_my_answers(client, app, app_ctx):
    """A youth leader hides a published idea (it named someone): the young people who voted
    on it no longer see its text anywhere, 'My answers' included."""
    from app.moderate import services as moderation

    consultation = factories.demo()
    q = factories.questions_by_kind(consultation)
    author = app.test_client()
    join(author)
    secret = "Vi borde bygga en skatepark bakom idrottshallen"
    answer(author, consultation.id, q["idea"][0], {"text": secret, "client_key": "k"})
    idea = db.session.scalar(select(Contribution))
    leader = factories.user(organisation=consultation.organisation)
    moderation.approve(leader, idea, version=None)
    db.session.commit()
    join(client)
    answer(client, consultation.id, q["statement"][0], {f"s_c{idea.id}": "agree"})
    assert "Håller med: <bdi" in client.get("/me").get_data(as_text=True)
    assert secret in client.get("/me").get_data(as_text=True)
    moderation.hide(leader, db.session.get(Contribution, idea.id), reason="personal",
                    version=None)
    db.session.commit()
    html = client.get("/me").get_data(as_text=True)
    assert secret not in html
    assert "Håller med: en idé som inte längre visas" in html
    assert count(Vote) == 1  # the vote itself is kept (the idea may be published again)
