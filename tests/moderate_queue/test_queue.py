"""The moderation queue through the test client: every action, bulk, merge, permissions,
and two leaders acting on the same text at once."""
import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.extensions import db
from app.participate.models import Contribution, Vote
from tests import factories
from tests.conftest import csrf_token, log_in
from tests.participate.helpers import answer, join


@pytest.fixture
def demo(app_ctx):
    return factories.demo()


def idea_from_new_phone(app, consultation, text, key=None):
    phone = app.test_client()
    join(phone)
    n = factories.questions_by_kind(consultation)["idea"][0]
    answer(phone, consultation.id, n, {"text": text, "client_key": key or text[:20]})
    contribution = db.session.scalar(select(Contribution).where(Contribution.text == text))
    return phone, contribution


def leader_of(demo, login_as):
    return login_as("youth_leader", organisation=demo.organisation)


def act(client, contribution, action, follow_redirects=False, **data):
    token = csrf_token(client, "/moderate/")
    db.session.refresh(contribution)
    return client.post(f"/moderate/items/{contribution.id}/{action}",
                       data={"csrf_token": token, "version": contribution.version, **data},
                       follow_redirects=follow_redirects)


def reload(contribution):
    db.session.expire_all()
    return db.session.get(Contribution, contribution.id)


def events(action):
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_queue_shows_pending_oldest_first_with_question_language_and_time(
        client, app, demo, login_as):
    _, first = idea_from_new_phone(app, demo, "Fler bänkar")
    _, second = idea_from_new_phone(app, demo, "Ett tak vid cykelstället")
    leader_of(demo, login_as)
    html = client.get(f"/moderate/c/{demo.id}").get_data(as_text=True)
    assert html.index("Fler bänkar") < html.index("Ett tak vid cykelstället")
    assert "Vad skulle göra din skolgård bättre?" in html
    assert "Väntar (2)" in html
    assert '<time datetime="' in html


def test_approve_publishes_to_peers_and_is_audited(client, app, demo, login_as):
    _, idea = idea_from_new_phone(app, demo, "Odla på skolgården")
    leader = leader_of(demo, login_as)
    response = act(client, idea, "approve")
    assert response.status_code == 302
    assert reload(idea).status == "approved"
    [event] = events("contribution.approved")
    assert event.actor_id == leader.id and event.object_id == str(idea.id)
    peer = app.test_client()
    join(peer)
    n = factories.questions_by_kind(demo)["statement"][0]
    assert "Odla på skolgården" in peer.get(f"/c/{demo.id}/q/{n}").get_data(as_text=True)


def test_hide_needs_a_reason_and_the_author_sees_it_kindly(client, app, demo, login_as):
    author, idea = idea_from_new_phone(app, demo, "Något dumt")
    leader_of(demo, login_as)
    act(client, idea, "hide", reason="")
    assert reload(idea).status == "pending"
    act(client, idea, "hide", reason="unkind")
    assert reload(idea).status == "hidden" and reload(idea).hidden_reason == "unkind"
    mine = author.get("/me").get_data(as_text=True)
    assert "Inte publicerat" in mine and "Det kunde göra någon ledsen" in mine


def test_redact_keeps_the_original_only_in_the_audit_log(client, app, demo, login_as):
    author, idea = idea_from_new_phone(app, demo, "Anna i 7B borde få bestämma om rasterna")
    leader_of(demo, login_as)
    response = act(client, idea, "redact", text="[namn] borde få bestämma om rasterna")
    assert response.status_code == 302
    assert reload(idea).text == "[namn] borde få bestämma om rasterna" and reload(idea).redacted
    [event] = events("contribution.redacted")
    assert event.details["before"] == "Anna i 7B borde få bestämma om rasterna"
    assert event.details["holds_original_text"] is True
    mine = author.get("/me").get_data(as_text=True)
    assert "[namn] borde få" in mine and "Anna i 7B" not in mine


def test_redact_with_the_same_text_says_nothing_was_edited(client, app, demo, login_as):
    _, idea = idea_from_new_phone(app, demo, "Längre raster")
    leader_of(demo, login_as)
    page = act(client, idea, "redact", text="  Längre raster ", follow_redirects=True)
    html = page.get_data(as_text=True)
    assert "Texten är som den var: ingenting redigerades." in html
    assert "Den unga personen ser den redigerade texten" not in html
    assert not reload(idea).redacted and events("contribution.redacted") == []


def test_redact_with_a_hidden_character_says_so_and_keeps_what_was_typed(
        client, app, demo, login_as):
    _, idea = idea_from_new_phone(app, demo, "Anna vill ha längre raster")
    leader_of(demo, login_as)
    typed = "[namn] vill ha l\u202eängre raster"  # a direction override, pasted along
    page = act(client, idea, "redact", text=typed)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "dolt tecken" in html and "tom eller för lång" not in html
    assert "[namn] vill ha" in html  # what was typed is still in the form
    assert reload(idea).text == "Anna vill ha längre raster"


def test_theme_created_on_the_fly_and_reused(client, app, demo, login_as):
    _, a = idea_from_new_phone(app, demo, "Fler träd")
    _, b = idea_from_new_phone(app, demo, "Mer grönt")
    leader_of(demo, login_as)
    act(client, a, "theme", new_theme="  Grönare   skolgård ")
    theme_id = reload(a).theme_id
    assert reload(a).theme.name == "Grönare skolgård"
    act(client, b, "theme", theme_id=str(theme_id))
    assert reload(b).theme_id == theme_id
    act(client, b, "theme", new_theme="Grönare skolgård")  # same name: same theme
    from app.moderate.models import Theme

    assert db.session.scalar(select(func.count()).select_from(Theme)) == 1


def test_a_theme_name_too_long_is_refused_with_a_message_not_cut(client, app, demo, login_as):
    """The field stops typing at 80 characters; a longer name (a tampered or old page) is
    refused and said so, not saved cut off in the middle of a word."""
    from app.moderate.models import Theme

    _, idea = idea_from_new_phone(app, demo, "Fler träd")
    leader_of(demo, login_as)
    page = client.get(f"/moderate/c/{demo.id}").get_data(as_text=True)
    assert page.count('name="new_theme" maxlength="80"') == 2  # one per idea, and the bulk one
    long_name = "Grönare skolgård med fler träd, bänkar i skuggan och odlingslådor " * 2
    refused = act(client, idea, "theme", new_theme=long_name, follow_redirects=True)
    assert "Ett temanamn får vara högst 80 tecken." in refused.get_data(as_text=True)
    assert reload(idea).theme_id is None
    assert db.session.scalar(select(func.count()).select_from(Theme)) == 0
    act(client, idea, "theme", new_theme="x" * 80)  # exactly 80 is fine
    assert reload(idea).theme.name == "x" * 80


def test_merge_adds_up_votes_and_supporters(client, app, demo, login_as):
    _, kept = idea_from_new_phone(app, demo, "Läxhjälp på biblioteket")
    _, dupe = idea_from_new_phone(app, demo, "Läxhjälp i biblioteket!")
    leader_of(demo, login_as)
    act(client, kept, "approve")
    act(client, dupe, "approve")
    n = factories.questions_by_kind(demo)["statement"][0]
    voters = []
    for choice in (("agree", "agree"), ("agree", None), (None, "agree")):
        phone = app.test_client()
        join(phone)
        data = {}
        if choice[0]:
            data[f"s_c{kept.id}"] = choice[0]
        if choice[1]:
            data[f"s_c{dupe.id}"] = choice[1]
        answer(phone, demo.id, n, data)
        voters.append(phone)
    assert db.session.scalar(select(func.count()).where(Vote.contribution_id.is_not(None))) == 4
    response = act(client, dupe, "merge", into=str(kept.id))
    assert response.status_code == 302
    merged = reload(dupe)
    assert merged.status == "merged" and merged.merged_into_id == kept.id
    # One vote per participant on the kept idea: 3 participants voted, 3 votes remain.
    on_kept = db.session.scalars(select(Vote).where(Vote.contribution_id == kept.id)).all()
    assert len(on_kept) == 3 and {v.value for v in on_kept} == {1}
    assert db.session.scalar(select(func.count()).where(Vote.contribution_id == dupe.id)) == 0
    html = client.get(f"/moderate/c/{demo.id}?status=approved").get_data(as_text=True)
    assert "2 stödjare" in html
    assert "Läxhjälp i biblioteket!" not in html  # the merged one leaves the queue


def test_a_merged_text_says_where_it_went_instead_of_a_bare_404(client, app, demo, login_as):
    """Back to /moderate/items/<id>/merge after merging (or any page of that text) was a
    404 'We could not find that page'."""
    _, kept = idea_from_new_phone(app, demo, "Läxhjälp på biblioteket")
    _, dupe = idea_from_new_phone(app, demo, "Läxhjälp i biblioteket!")
    leader_of(demo, login_as)
    act(client, kept, "approve")
    version = reload(dupe).version
    act(client, dupe, "merge", into=str(kept.id))

    said = "This text has already been handled: merged into “Läxhjälp på biblioteket”."
    queue = f"/moderate/c/{demo.id}?status=approved#item-{kept.id}"
    for page in ("merge", "redact"):
        response = client.get(f"/moderate/items/{dupe.id}/{page}?lang=en")
        assert response.status_code == 302 and response.headers["Location"] == queue
        assert said in client.get(response.headers["Location"]).text
    # The form of an old tab: back where it was sent from, nothing changed.
    response = client.post(f"/moderate/items/{dupe.id}/approve", data={
        "csrf_token": csrf_token(client, "/moderate/"), "version": version,
        "next": f"/moderate/c/{demo.id}"})
    assert response.headers["Location"] == f"/moderate/c/{demo.id}"
    assert said in client.get(response.headers["Location"]).text
    assert reload(dupe).status == "merged"


def test_a_merged_text_of_another_organisation_reveals_nothing(client, app, demo,
                                                                 login_as):
    _, kept = idea_from_new_phone(app, demo, "Läxhjälp på biblioteket")
    _, dupe = idea_from_new_phone(app, demo, "Läxhjälp i biblioteket!")
    leader_of(demo, login_as)
    act(client, dupe, "merge", into=str(kept.id))
    stranger = factories.user(organisation=factories.organisation("Annan förening"))
    db.session.commit()
    other = app.test_client()
    log_in(other, stranger)
    for page in ("merge", "redact"):
        response = other.get(f"/moderate/items/{dupe.id}/{page}?lang=en")
        assert response.status_code == 302 and response.headers["Location"] == "/moderate/"
        assert "Läxhjälp" not in other.get("/moderate/?lang=en").text
    response = other.post(f"/moderate/items/{dupe.id}/approve",
                          data={"csrf_token": csrf_token(other, "/moderate/")})
    assert response.status_code == 302 and response.headers["Location"] == "/moderate/"
    assert "Läxhjälp" not in other.get("/moderate/?lang=en").text


def test_merge_refuses_a_target_from_another_question(client, app, demo, login_as):
    _, idea = idea_from_new_phone(app, demo, "En idé")
    phone = app.test_client()
    join(phone)
    n = factories.questions_by_kind(demo)["word"][0]
    answer(phone, demo.id, n, {"text": "glad", "client_key": "w"})
    word = db.session.scalar(select(Contribution).where(Contribution.text == "glad"))
    leader_of(demo, login_as)
    act(client, idea, "merge", into=str(word.id))
    assert reload(idea).merged_into_id is None


def test_bulk_approve_hide_and_theme(client, app, demo, login_as):
    ideas = [idea_from_new_phone(app, demo, f"Idé nummer {i}")[1] for i in range(4)]
    leader_of(demo, login_as)

    def bulk(action, chosen, **extra):
        data = {"csrf_token": csrf_token(client, "/moderate/"), "action": action,
                "item": [str(c.id) for c in chosen], **extra}
        for c in chosen:
            data[f"version_{c.id}"] = str(reload(c).version)
        return client.post("/moderate/bulk", data=data, follow_redirects=True)

    page = bulk("approve", ideas[:2])
    assert "2 texter klara." in page.get_data(as_text=True)
    bulk("hide", ideas[2:], reason="off_topic")
    bulk("theme", ideas, new_theme="Skolgården")
    statuses = [reload(c).status for c in ideas]
    assert statuses == ["approved", "approved", "hidden", "hidden"]
    assert len({reload(c).theme_id for c in ideas}) == 1
    assert len(events("contribution.themed")) == 4


def test_set_theme_with_no_theme_typed_does_not_empty_the_selected_themes(
        client, app, demo, login_as):
    """Bulk Set theme with the name left empty took every selected text out of its theme
    and said "2 texts done."; now it asks for a theme and changes nothing. One text with no
    theme and nothing chosen is not "Theme saved." either; "No theme" still takes one out."""
    ideas = [idea_from_new_phone(app, demo, f"Idé nummer {i}")[1] for i in range(2)]
    leader_of(demo, login_as)
    for idea in ideas:
        act(client, idea, "theme", new_theme="Skolgården")
    themed = reload(ideas[0]).theme_id
    data = {"csrf_token": csrf_token(client, "/moderate/"), "action": "theme",
            "item": [str(c.id) for c in ideas], "new_theme": "  "}
    for c in ideas:
        data[f"version_{c.id}"] = str(reload(c).version)
    page = client.post("/moderate/bulk", data=data, follow_redirects=True)
    html = page.get_data(as_text=True)
    assert "Välj ett tema eller skriv ett nytt." in html and "texter klara" not in html
    assert [reload(c).theme_id for c in ideas] == [themed, themed]

    _, plain = idea_from_new_phone(app, demo, "Utan tema")
    nothing = act(client, plain, "theme", theme_id="", new_theme="", follow_redirects=True)
    assert "Välj ett tema eller skriv ett nytt." in nothing.get_data(as_text=True)
    act(client, ideas[0], "theme", theme_id="", new_theme="")  # "No theme": out of it
    assert reload(ideas[0]).theme_id is None


def test_second_leader_gets_already_handled_not_a_crash(client, app, demo, login_as):
    _, idea = idea_from_new_phone(app, demo, "Samma idé")
    leader = leader_of(demo, login_as)
    other = app.test_client()
    colleague = factories.user(role="youth_leader", organisation=leader.organisation)
    db.session.commit()
    log_in(other, colleague)
    seen_version = reload(idea).version
    # Both have the queue open; the first hides it...
    client.post(f"/moderate/items/{idea.id}/hide", data={
        "csrf_token": csrf_token(client, "/moderate/"), "version": seen_version,
        "reason": "duplicate"})
    # ...then the second, on the page they loaded before, approves it.
    response = other.post(f"/moderate/items/{idea.id}/approve", data={
        "csrf_token": csrf_token(other, "/moderate/"), "version": seen_version},
        follow_redirects=True)
    assert response.status_code == 200
    assert "Någon annan har redan hanterat" in response.get_data(as_text=True)
    assert reload(idea).status == "hidden"
    assert len(events("contribution.approved")) == 0


def test_stale_bulk_items_are_skipped_and_counted(client, app, demo, login_as):
    _, idea = idea_from_new_phone(app, demo, "En till idé")
    leader_of(demo, login_as)
    stale = reload(idea).version
    act(client, idea, "hide", reason="other")
    page = client.post("/moderate/bulk", data={
        "csrf_token": csrf_token(client, "/moderate/"), "action": "approve",
        "item": [str(idea.id)], f"version_{idea.id}": str(stale)}, follow_redirects=True)
    assert "redan hanterats av någon annan" in page.get_data(as_text=True)
    assert reload(idea).status == "hidden"


def test_queue_across_all_my_consultations(client, app, demo, login_as):
    idea_from_new_phone(app, demo, "Från demo")
    leader_of(demo, login_as)
    html = client.get("/moderate/").get_data(as_text=True)
    assert "Från demo" in html and "Hur blir skolan bättre för dig?" in html


def test_translation_lets_peers_read_an_arabic_idea_and_keeps_the_original(
        client, app, demo, login_as):
    author = app.test_client()
    author.get("/lang/ar")
    join(author)
    n = factories.questions_by_kind(demo)["idea"][0]
    answer(author, demo.id, n, {"text": "مقاعد في الظل", "client_key": "ar1"})
    idea = db.session.scalar(select(Contribution).where(Contribution.language == "ar"))
    leader_of(demo, login_as)
    act(client, idea, "approve")
    act(client, idea, "translate", language="sv", text="Bänkar i skuggan")
    assert reload(idea).translations == {"sv": "Bänkar i skuggan"}
    assert reload(idea).text == "مقاعد في الظل"
    peer = app.test_client()
    join(peer)
    statement_n = factories.questions_by_kind(demo)["statement"][0]
    html = peer.get(f"/c/{demo.id}/q/{statement_n}").get_data(as_text=True)
    assert "Bänkar i skuggan" in html and "مقاعد في الظل" in html  # original on request
    refused = act(client, idea, "translate", language="ar", text="x", follow_redirects=True)
    assert reload(idea).translations == {"sv": "Bänkar i skuggan"}
    assert refused.status_code in (200, 302)
    too_long = act(client, idea, "translate", language="sv", text="lång " * 130,
                   follow_redirects=True)
    assert "Översättningen får vara högst 600 tecken" in too_long.get_data(as_text=True)
    assert reload(idea).translations == {"sv": "Bänkar i skuggan"}
    removed = act(client, idea, "translate", language="sv", text=" ", follow_redirects=True)
    assert "Översättningen är borttagen." in removed.get_data(as_text=True)
    assert reload(idea).translations == {}


def test_a_leader_corrects_the_language_an_idea_was_written_in(client, app, demo, login_as):
    """Arabic written on Swedish pages is recorded as Swedish; once corrected, a Swedish
    translation can be added and peers vote on it in Swedish."""
    _, idea = idea_from_new_phone(app, demo, "مقاعد في الظل")
    assert idea.language == "sv"
    leader_of(demo, login_as)
    page = client.get(f"/moderate/c/{demo.id}").get_data(as_text=True)
    assert f'action="/moderate/items/{idea.id}/language"' in page
    done = act(client, idea, "language", language="ar", follow_redirects=True)
    assert "Sparat: den är skriven på العربية." in done.get_data(as_text=True)
    assert reload(idea).language == "ar"
    act(client, idea, "translate", language="sv", text="Bänkar i skuggan")
    assert reload(idea).translations == {"sv": "Bänkar i skuggan"}
    refused = act(client, idea, "language", language="xx", follow_redirects=True)
    assert "Välj ett språk i listan." in refused.get_data(as_text=True)
    assert reload(idea).language == "ar"
    events = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.action == "contribution.language_set")).all()
    assert events == ["contribution.language_set"]


def test_an_edit_that_is_refused_keeps_what_the_leader_typed(client, app, demo, login_as):
    _, idea = idea_from_new_phone(app, demo, "Kalle Anka vill ha bänkar")
    leader_of(demo, login_as)
    typed = "[namn] vill ha bänkar och " + "mycket mer " * 9
    page = act(client, idea, "redact", text=typed)
    assert page.status_code == 200  # the form again, not the queue
    html = page.get_data(as_text=True)
    assert "Den ändrade texten får inte vara tom eller för lång." in html
    assert typed.strip() in html and reload(idea).text == "Kalle Anka vill ha bänkar"


def test_redaction_original_is_visible_to_admins_only(client, app, demo, login_as):
    _, idea = idea_from_new_phone(app, demo, "Kalle Anka i 8C vill ha fler bänkar")
    leader_of(demo, login_as)
    act(client, idea, "redact", text="[namn] vill ha fler bänkar")
    assert client.get("/admin/audit").status_code == 403
    admin_client = app.test_client()
    admin = factories.user(role="admin")
    db.session.commit()
    log_in(admin_client, admin)
    page = admin_client.get("/admin/audit?action=contribution.redacted")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Kalle Anka i 8C" in html


def test_the_queue_shows_a_page_of_the_oldest_and_says_how_many_wait(client, app, demo,
                                                                        login_as):
    from app.moderate.services import QUEUE_LIMIT
    from app.participate.models import Participant

    author = Participant(device_hash="many", consultation_id=demo.id, language="sv",
                         consent_version="t")
    db.session.add(author)
    db.session.flush()
    idea_question = factories.questions_by_kind(demo)["idea"][1]
    db.session.add_all([Contribution(participant_id=author.id, question_id=idea_question.id,
                                     text=f"Idé nummer {i:03}", language="sv",
                                     client_key=f"k{i}") for i in range(QUEUE_LIMIT + 5)])
    db.session.commit()
    leader_of(demo, login_as)
    html = client.get(f"/moderate/c/{demo.id}").get_data(as_text=True)
    assert f"Väntar ({QUEUE_LIMIT + 5})" in html
    assert html.count("<article class=\"mod-item") == QUEUE_LIMIT
    assert "Idé nummer 000" in html and f"Idé nummer {QUEUE_LIMIT + 4:03}" not in html
    assert f"De första {QUEUE_LIMIT} av {QUEUE_LIMIT + 5} visas" in html


def test_cancel_on_the_edit_and_merge_pages_stays_on_this_site(client, app, demo, login_as):
    _, idea = idea_from_new_phone(app, demo, "En idé att avbryta")
    idea_from_new_phone(app, demo, "En idé att slå ihop med")
    leader_of(demo, login_as)
    for page in ("redact", "merge"):
        html = client.get(f"/moderate/items/{idea.id}/{page}?next=https://evil.example/x"
                          ).get_data(as_text=True)
        # (The language menu links back to this very page, ?next= included.)
        assert 'value="https://evil.example' not in html, page
        assert 'href="https://evil.example' not in html, page
        html = client.get(f"/moderate/items/{idea.id}/{page}?next=/moderate/c/{demo.id}"
                          ).get_data(as_text=True)
        assert f'href="/moderate/c/{demo.id}"' in html, page


def test_bulk_theme_across_consultations_gives_each_its_own_theme(client, app, demo, login_as):
    """In the queue of all my consultations, a new theme for texts of two consultations is
    made in each (a theme belongs to one consultation), instead of refusing them all."""
    from app.consultations import services as consultations

    leader = leader_of(demo, login_as)
    second = consultations.duplicate(leader, demo)
    consultations.open_consultation(leader, second)
    db.session.commit()
    _, first_idea = idea_from_new_phone(app, demo, "Idé i den första")
    phone = app.test_client()
    join(phone, second.join_code)
    answer(phone, second.id, factories.questions_by_kind(second)["idea"][0],
           {"text": "Idé i den andra", "client_key": "andra"})
    second_idea = db.session.scalar(select(Contribution).where(
        Contribution.text == "Idé i den andra"))
    chosen = [first_idea, second_idea]
    data = {"csrf_token": csrf_token(client, "/moderate/"), "action": "theme",
            "new_theme": "Trygghet", "item": [str(c.id) for c in chosen]}
    for c in chosen:
        data[f"version_{c.id}"] = str(reload(c).version)
    page = client.post("/moderate/bulk?lang=en", data=data, follow_redirects=True)
    assert "2 texts done." in page.get_data(as_text=True)
    themes = [reload(c).theme for c in chosen]
    assert [t.name for t in themes] == ["Trygghet", "Trygghet"]
    assert {t.consultation_id for t in themes} == {demo.id, second.id}


def test_the_translation_box_stops_at_the_length_the_server_takes(client, app, demo,
                                                                   login_as):
    """Typed past the limit, the translation was refused after the page had gone, and lost."""
    from app.moderate.services import TRANSLATION_MAX

    _, idea = idea_from_new_phone(app, demo, "En idé att översätta")
    leader_of(demo, login_as)
    html = client.get(f"/moderate/c/{demo.id}").get_data(as_text=True)
    assert (f'<textarea id="tr-text-{idea.id}" name="text" rows="3" dir="auto" '
            f'maxlength="{TRANSLATION_MAX}">') in html


def test_a_translation_not_saved_comes_back_to_save_again(client, app, demo, login_as):
    """Another leader published the idea while this one typed its translation: the queue
    said so, and the translation typed was gone. Now it is there to save again."""
    _, idea = idea_from_new_phone(app, demo, "En idé att översätta")
    leader_of(demo, login_as)
    stale = reload(idea).version
    act(client, idea, "approve")  # the other leader, in effect
    token = csrf_token(client, "/moderate/")
    page = client.post(f"/moderate/items/{idea.id}/translate", data={
        "csrf_token": token, "version": str(stale), "language": "en",
        "text": "An idea to translate, typed with care", "next": f"/moderate/c/{demo.id}"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "An idea to translate, typed with care</textarea>" in html
    assert '<option value="en" selected>' in html
    assert f'name="version" value="{reload(idea).version}"' in html
    assert reload(idea).translations in (None, {})
    saved = client.post(f"/moderate/items/{idea.id}/translate", data={
        "csrf_token": token, "version": str(reload(idea).version), "language": "en",
        "text": "An idea to translate, typed with care"})
    assert saved.status_code == 302
    assert reload(idea).translations == {"en": "An idea to translate, typed with care"}
