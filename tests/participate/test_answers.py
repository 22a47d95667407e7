"""Every question type through the test client: stored, refused with a message, replaced
when changed, counted per phone, refused when closed, and deleted for real."""
import re
from datetime import UTC, datetime

from sqlalchemy import func, select

from app.extensions import db
from app.participate.models import Contribution, Vote
from tests import factories
from tests.participate.helpers import answer, join


def setup_demo(client):
    consultation = factories.demo()
    join(client)
    return consultation, factories.questions_by_kind(consultation)


def votes(question_id=None):
    query = select(Vote)
    if question_id:
        query = query.where(Vote.question_id == question_id)
    return list(db.session.scalars(query.order_by(Vote.id)))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- idea ------------------------------------------------------------------------------------

def test_idea_is_stored_pending_and_page_moves_on(client, app_ctx):
    consultation, q = setup_demo(client)
    n, idea = q["idea"]
    response = answer(client, consultation.id, n, {"text": "  Fler bänkar och ett tak  ",
                                                   "client_key": "k1"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/c/{consultation.id}/q/{n + 1}"
    stored = db.session.scalar(select(Contribution))
    assert stored.text == "Fler bänkar och ett tak"
    assert stored.status == "pending" and stored.language == "sv"


def test_idea_under_post_moderation_is_published_at_once(client, app_ctx):
    consultation, q = setup_demo(client)
    consultation.moderation = "post"
    db.session.commit()
    answer(client, consultation.id, q["idea"][0], {"text": "Odla grönsaker", "client_key": "k"})
    assert db.session.scalar(select(Contribution.status)) == "approved"


def test_invalid_idea_is_refused_with_a_message_and_the_text_is_kept(client, app_ctx):
    consultation, q = setup_demo(client)
    n = q["idea"][0]
    too_long = "Skolgården " * 60
    response = answer(client, consultation.id, n, {"text": too_long, "client_key": "k1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Det är lite för långt. Du kan skriva högst 500 tecken." in html
    assert too_long.strip()[:100] in html
    for bad, message in [("   ", "Skriv något först."),
                         ("hej\u202edå", "ändrar skrivriktningen"),
                         ("null\x00byte", "dolt tecken")]:
        response = answer(client, consultation.id, n, {"text": bad, "client_key": "k2"})
        assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert count(Contribution) == 0


def test_html_in_an_idea_is_stored_as_text_and_shown_escaped(client, app_ctx):
    consultation, q = setup_demo(client)
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    answer(client, consultation.id, q["idea"][0], {"text": payload, "client_key": "k1"})
    assert db.session.scalar(select(Contribution.text)) == payload
    page = client.get("/me").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_the_same_idea_sent_twice_is_stored_once(client, app_ctx):
    consultation, q = setup_demo(client)
    n = q["idea"][0]
    for _ in range(3):
        response = answer(client, consultation.id, n,
                          {"text": "Ett tak", "client_key": "same-key"}, json=True)
        assert response.status_code == 200 and response.get_json()["ok"]
    assert count(Contribution) == 1
    again = answer(client, consultation.id, n, {"text": "Ett tak", "client_key": "same-key"},
                   json=True)
    assert again.get_json()["status"] == "duplicate"


def test_the_same_idea_sent_again_from_a_page_fetched_anew_is_stored_once(app, client,
                                                                        app_ctx):
    """Without JavaScript, Back fetches the question page again (it is never stored), with a
    new key, and the browser puts the text back: Next sent it a second time. The same text
    from the same phone to the same question is kept once; another text, or the same text
    from another phone or to another question, is a new one."""
    consultation, q = setup_demo(client)
    n = q["idea"][0]
    first = answer(client, consultation.id, n, {"text": "Ett tak", "client_key": "page-1"})
    again = answer(client, consultation.id, n, {"text": "Ett tak", "client_key": "page-2"})
    assert first.status_code == again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]  # on, as after a save
    assert count(Contribution) == 1
    answer(client, consultation.id, n, {"text": "Två tak", "client_key": "page-3"})
    word = q["word"][0]
    answer(client, consultation.id, word, {"text": "Tak", "client_key": "page-4"})
    answer(client, consultation.id, word, {"text": "Tak", "client_key": "page-5"})
    other_phone = app.test_client()
    join(other_phone)
    answer(other_phone, consultation.id, n, {"text": "Ett tak", "client_key": "page-1"})
    assert count(Contribution) == 4
    assert answer(client, consultation.id, n, {"text": "Ett tak", "client_key": "page-6"},
                  json=True).get_json()["status"] == "duplicate"


def test_send_and_write_another_stays_on_the_idea_question(client, app_ctx):
    consultation, q = setup_demo(client)
    n = q["idea"][0]
    response = answer(client, consultation.id, n, {"text": "A", "client_key": "1", "more": "1"})
    assert response.headers["Location"] == f"/c/{consultation.id}/q/{n}"
    page = client.get(f"/c/{consultation.id}/q/{n}").get_data(as_text=True)
    assert "Tack! Din idé är sparad." in page and "Dina idéer hittills" in page


def test_next_with_an_empty_box_moves_on_once_ideas_are_sent(client, app_ctx):
    consultation, q = setup_demo(client)
    n = q["idea"][0]
    nothing_yet = answer(client, consultation.id, n, {"text": " ", "client_key": "1"})
    assert nothing_yet.status_code == 422  # nothing written here yet: "Write something first"
    answer(client, consultation.id, n, {"text": "A", "client_key": "1", "more": "1"})
    response = answer(client, consultation.id, n, {"text": "  ", "client_key": "2"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/c/{consultation.id}/q/{n + 1}"
    by_script = answer(client, consultation.id, n, {"text": "", "client_key": "3"}, json=True)
    assert by_script.get_json() == {"ok": True, "status": "unchanged",
                                    "next": f"/c/{consultation.id}/q/{n + 1}"}
    another = answer(client, consultation.id, n, {"text": "", "client_key": "4", "more": "1"})
    assert another.status_code == 422  # "Send and write another" still needs a text
    assert count(Contribution) == 1


def test_the_end_page_says_saved_only_when_something_was(client, app_ctx):
    consultation, q = setup_demo(client)
    skipped = client.get(f"/c/{consultation.id}/done").get_data(as_text=True)
    assert "Du har inte svarat på någon av frågorna." in skipped
    assert "Dina svar är sparade" not in skipped
    answer(client, consultation.id, q["scale"][0], {"value": "4"})
    answered = client.get(f"/c/{consultation.id}/done").get_data(as_text=True)
    assert "Dina svar är sparade" in answered
    assert "Gå tillbaka till frågorna" in answered
    consultation.status = "closed"
    db.session.commit()
    ended = client.get(f"/c/{consultation.id}/done").get_data(as_text=True)
    assert "Frågorna är avslutade" in ended and "Gå tillbaka till frågorna" not in ended
    # A question page of the ended consultation leads out, not only on to more closed pages.
    page = client.get(f"/c/{consultation.id}/q/2").get_data(as_text=True)
    alert = page.split('class="flash flash-error" role="alert">', 1)[1].split("</div>", 1)[0]
    assert "Frågorna är avslutade" in alert and 'href="/me"' in alert
    waiting = client.get(f"/c/{consultation.id}/wait?stay=1")
    assert waiting.headers["Location"] == f"/c/{consultation.id}/done"  # nothing to wait for


# --- word ------------------------------------------------------------------------------------

def test_word_is_stored_and_must_be_one_line(client, app_ctx):
    consultation, q = setup_demo(client)
    n = q["word"][0]
    bad = answer(client, consultation.id, n, {"text": "två\nrader", "client_key": "w1"})
    assert bad.status_code == 422 and "på en rad" in bad.get_data(as_text=True)
    long = answer(client, consultation.id, n, {"text": "x" * 41, "client_key": "w1"})
    assert long.status_code == 422 and "högst 40 tecken" in long.get_data(as_text=True)
    ok = answer(client, consultation.id, n, {"text": "Pirrigt", "client_key": "w1"})
    assert ok.status_code == 302
    assert db.session.scalar(select(Contribution.text)) == "Pirrigt"


# --- statement ---------------------------------------------------------------------------------

def test_statement_votes_are_stored_and_changed(client, app_ctx):
    consultation, q = setup_demo(client)
    n, question = q["statement"]
    first, second = question.options[0], question.options[1]
    answer(client, consultation.id, n, {f"s_o{first.id}": "agree", f"s_o{second.id}": "pass"})
    assert {(v.option_id, v.value) for v in votes(question.id)} == {(first.id, 1), (second.id, 0)}
    answer(client, consultation.id, n, {f"s_o{first.id}": "disagree"})
    assert {(v.option_id, v.value) for v in votes(question.id)} == {(first.id, -1),
                                                                    (second.id, 0)}
    page = client.get(f"/c/{consultation.id}/q/{n}").get_data(as_text=True)
    assert f'name="s_o{first.id}" value="disagree" checked' in page


def test_statement_vote_must_be_a_known_value_and_item(client, app_ctx):
    consultation, q = setup_demo(client)
    n, question = q["statement"]
    option = question.options[0]
    bad = answer(client, consultation.id, n, {f"s_o{option.id}": "maybe"})
    assert bad.status_code == 422 and "Välj ett av svaren." in bad.get_data(as_text=True)
    none = answer(client, consultation.id, n, {})
    assert none.status_code == 422 and "Välj minst ett svar." in none.get_data(as_text=True)
    other = answer(client, consultation.id, n, {"s_o999999": "agree"})
    assert other.status_code == 422
    assert votes() == []


def test_approved_ideas_of_others_become_statements(client, app, app_ctx):
    consultation, q = setup_demo(client)
    answer(client, consultation.id, q["idea"][0], {"text": "Mer grönska", "client_key": "x"})
    idea = db.session.scalar(select(Contribution))
    n, question = q["statement"]
    own_page = client.get(f"/c/{consultation.id}/q/{n}").get_data(as_text=True)
    assert "Mer grönska" not in own_page

    peer = app.test_client()
    join(peer)
    assert "Mer grönska" not in peer.get(f"/c/{consultation.id}/q/{n}").get_data(as_text=True)
    refused = answer(peer, consultation.id, n, {f"s_c{idea.id}": "agree"})
    assert refused.status_code == 422  # not approved yet: nobody may vote on it

    idea.status = "approved"
    db.session.commit()
    assert "Mer grönska" in peer.get(f"/c/{consultation.id}/q/{n}").get_data(as_text=True)
    assert answer(peer, consultation.id, n, {f"s_c{idea.id}": "agree"}).status_code == 302
    assert [(v.contribution_id, v.value) for v in votes(question.id)] == [(idea.id, 1)]



def test_votes_next_to_a_peers_idea_hidden_meanwhile_are_saved_and_its_vote_is_not(
        client, app, app_ctx):
    """The page was refused over the hidden idea, came back without it (so without any
    message), and the other votes were lost."""
    consultation, q = setup_demo(client)
    answer(client, consultation.id, q["idea"][0], {"text": "Mer grönska", "client_key": "x"})
    idea = db.session.scalar(select(Contribution))
    idea.status = "approved"
    db.session.commit()
    n, question = q["statement"]
    peer = app.test_client()
    join(peer)
    idea.status = "hidden"  # a youth leader hides it while the peer's page stands open
    db.session.commit()
    statement = question.options[0]
    sent = answer(peer, consultation.id, n, {f"s_c{idea.id}": "agree",
                                             f"s_o{statement.id}": "disagree"})
    assert sent.status_code == 302
    assert [(v.option_id, v.contribution_id, v.value) for v in votes(question.id)] == [
        (statement.id, None, -1)]
    # Only a vote on what is gone: said above the form, not next to a field no longer shown.
    alone = answer(peer, consultation.id, n, {f"s_c{idea.id}": "agree"})
    assert alone.status_code == 422
    assert 'id="form-error"' in alone.get_data(as_text=True)
    assert "Det svaret finns inte längre" in alone.get_data(as_text=True)

def test_with_nothing_to_vote_on_yet_next_moves_on_instead_of_asking_for_a_vote(
        client, app_ctx):
    """Statements made only of peers' ideas, before a youth leader has approved any (the
    start of a workshop): the page says so, and Next leads on to the next question."""
    consultation, q = setup_demo(client)
    n, question = q["statement"]
    for option in question.options:
        option.archived_at = datetime.now(UTC)
    db.session.commit()
    html = client.get(f"/c/{consultation.id}/q/{n}").get_data(as_text=True)
    assert "Det finns inget att rösta på än." in html
    nav = re.search(r'<div class="q-nav">(.*?)</div>', html, re.S).group(1)
    assert f'<a class="button" href="/c/{consultation.id}/q/{n + 1}">Nästa' in nav
    assert 'type="submit"' not in nav


def test_statements_come_in_a_fair_order(app, app_ctx):
    """Not every phone sees the same statement first."""
    consultation = factories.demo()
    n, _question = factories.questions_by_kind(consultation)["statement"]
    firsts = set()
    for _ in range(12):
        phone = app.test_client()
        join(phone)
        html = phone.get(f"/c/{consultation.id}/q/{n}").get_data(as_text=True)
        firsts.add(html.split('name="s_', 1)[1].split('"', 1)[0])
    assert len(firsts) > 1


# --- rank --------------------------------------------------------------------------------------

def test_ranking_is_stored_in_order_and_replaced(client, app_ctx):
    consultation, q = setup_demo(client)
    n, question = q["rank"]
    a, b, c = (o.id for o in question.options[:3])
    answer(client, consultation.id, n, {"place_1": str(b), "place_2": str(a), "place_3": str(c)})
    assert {(v.option_id, v.value) for v in votes(question.id)} == {(b, 1), (a, 2), (c, 3)}
    answer(client, consultation.id, n, {"place_1": str(c)})
    assert {(v.option_id, v.value) for v in votes(question.id)} == {(c, 1)}


def test_ranking_refuses_duplicates_and_gaps(client, app_ctx):
    consultation, q = setup_demo(client)
    n, question = q["rank"]
    a, b = question.options[0].id, question.options[1].id
    twice = answer(client, consultation.id, n, {"place_1": str(a), "place_2": str(a)})
    assert twice.status_code == 422 and "samma sak två gånger" in twice.get_data(as_text=True)
    gap = answer(client, consultation.id, n, {"place_2": str(b)})
    assert gap.status_code == 422 and "i ordning" in gap.get_data(as_text=True)
    foreign = answer(client, consultation.id, n, {"place_1": "999999"})
    assert foreign.status_code == 422
    assert votes() == []


def test_a_refused_ranking_comes_back_as_sent_not_filled_in_from_the_stored_one(
        client, app_ctx):
    """A child who ranked three things, then cleared place 3 and chose the same thing twice,
    sees the form as they sent it: place 3 stays empty, so fixing the mistake and sending
    again does not bring back the choice they took out."""
    consultation, q = setup_demo(client)
    n, question = q["rank"]
    a, b, c = (o.id for o in question.options[:3])
    answer(client, consultation.id, n, {"place_1": str(a), "place_2": str(b), "place_3": str(c)})
    refused = answer(client, consultation.id, n,
                     {"place_1": str(b), "place_2": str(b), "place_3": ""})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    selected = {}
    for name, options in re.findall(r'<select id="(place_\d)".*?>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="(\d+)"[^>]*selected', options)
        selected[name] = chosen.group(1) if chosen else ""
    assert selected == {"place_1": str(b), "place_2": str(b), "place_3": ""}


def test_a_refused_dot_spread_comes_back_as_sent(client, app_ctx):
    consultation, q = setup_demo(client)
    n, question = q["rank"]
    question.settings = {"mode": "dots", "dots": 5}
    db.session.commit()
    a, b = question.options[0].id, question.options[1].id
    answer(client, consultation.id, n, {f"dots_{a}": "3", f"dots_{b}": "2"})
    refused = answer(client, consultation.id, n, {f"dots_{a}": "6", f"dots_{b}": ""})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert re.search(rf'name="dots_{a}"[^>]*value="6"', html)
    assert re.search(rf'name="dots_{b}"[^>]*value=""', html)  # emptied, not the stored 2


def test_dots_are_spread_within_the_budget(client, app_ctx):
    consultation, q = setup_demo(client)
    n, question = q["rank"]
    question.settings = {"mode": "dots", "dots": 5}
    db.session.commit()
    a, b = question.options[0].id, question.options[1].id
    over = answer(client, consultation.id, n, {f"dots_{a}": "4", f"dots_{b}": "3"})
    assert over.status_code == 422 and "använde 7 prickar men har 5" in over.get_data(as_text=True)
    none = answer(client, consultation.id, n, {f"dots_{a}": "0"})
    assert none.status_code == 422
    nan = answer(client, consultation.id, n, {f"dots_{a}": "två"})
    assert nan.status_code == 422 and "Skriv en siffra." in nan.get_data(as_text=True)
    ok = answer(client, consultation.id, n, {f"dots_{a}": "3", f"dots_{b}": "2"})
    assert ok.status_code == 302
    assert {(v.option_id, v.value) for v in votes(question.id)} == {(a, 3), (b, 2)}


def test_dots_on_an_option_removed_meanwhile_are_refused_not_dropped(client, app_ctx):
    """The leader removed an option while the page stood open: three of five dots vanished
    and the rest was saved as the whole answer."""
    from app.consultations.services import remove_option

    consultation, q = setup_demo(client)
    n, question = q["rank"]
    question.settings = {"mode": "dots", "dots": 5}
    db.session.commit()
    a, b = question.options[0].id, question.options[1].id
    remove_option(factories.user(organisation=consultation.organisation), question.options[0])
    db.session.commit()
    refused = answer(client, consultation.id, n, {f"dots_{a}": "3", f"dots_{b}": "2"})
    assert refused.status_code == 422
    assert "Det svaret finns inte längre" in refused.get_data(as_text=True)
    assert votes(question.id) == []
    # An empty or zero field of the removed option is no reason to refuse the rest.
    ok = answer(client, consultation.id, n, {f"dots_{a}": "0", f"dots_{b}": "2"})
    assert ok.status_code == 302
    assert {(v.option_id, v.value) for v in votes(question.id)} == {(b, 2)}


# --- scale -------------------------------------------------------------------------------------

def test_scale_answer_is_stored_and_replaced(client, app_ctx):
    consultation, q = setup_demo(client)
    n, question = q["scale"]
    answer(client, consultation.id, n, {"value": "4"})
    answer(client, consultation.id, n, {"value": "2"})
    assert [(v.value, v.option_id) for v in votes(question.id)] == [(2, None)]
    for bad in ["0", "6", "", "tre"]:
        response = answer(client, consultation.id, n, {"value": bad})
        assert response.status_code == 422
    page = client.get(f"/c/{consultation.id}/q/{n}").get_data(as_text=True)
    assert 'value="2" checked' in page
    assert "Mycket dåligt" in page and "Mycket bra" in page  # each face has words


# --- choice ------------------------------------------------------------------------------------

def test_multiple_choice_is_stored_and_replaced(client, app_ctx):
    consultation, q = setup_demo(client)
    n, question = q["choice"]
    a, b, c = (o.id for o in question.options[:3])
    answer(client, consultation.id, n, {"option": [str(a), str(b)]})
    assert {v.option_id for v in votes(question.id)} == {a, b}
    answer(client, consultation.id, n, {"option": [str(c)]})
    assert {v.option_id for v in votes(question.id)} == {c}


def test_single_choice_refuses_two_answers(client, app_ctx):
    consultation, q = setup_demo(client)
    n, question = q["choice"]
    question.settings = {"multiple": False}
    db.session.commit()
    a, b = question.options[0].id, question.options[1].id
    response = answer(client, consultation.id, n, {"option": [str(a), str(b)]})
    assert response.status_code == 422 and "Välj bara ett svar." in response.get_data(as_text=True)
    assert answer(client, consultation.id, n, {}).status_code == 422
    assert votes() == []


# --- across types -----------------------------------------------------------------------------

def test_a_second_phone_counts_separately(client, app, app_ctx):
    consultation, q = setup_demo(client)
    n, question = q["scale"]
    answer(client, consultation.id, n, {"value": "5"})
    other = app.test_client()
    join(other)
    answer(other, consultation.id, n, {"value": "1"})
    assert sorted(v.value for v in votes(question.id)) == [1, 5]


def test_closed_consultation_refuses_answers_and_shows_the_text_back(client, app_ctx):
    consultation, q = setup_demo(client)
    consultation.status = "closed"
    db.session.commit()
    response = answer(client, consultation.id, q["idea"][0],
                      {"text": "Min viktiga idé", "client_key": "k"})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Frågorna är avslutade" in html and "Min viktiga idé" in html
    for kind, data in [("scale", {"value": "3"}), ("choice", {"option": "1"})]:
        assert answer(client, consultation.id, q[kind][0], data).status_code == 409
    assert count(Contribution) == 0 and votes() == []


def test_consultation_past_its_closing_time_refuses_answers(client, app_ctx):
    from datetime import timedelta

    from app.core.time import utcnow

    consultation, q = setup_demo(client)
    consultation.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = answer(client, consultation.id, q["scale"][0], {"value": "3"}, json=True)
    assert response.status_code == 409 and response.get_json()["closed"] is True


def test_json_answers_for_the_page_script(client, app_ctx):
    consultation, q = setup_demo(client)
    n = q["scale"][0]
    ok = answer(client, consultation.id, n, {"value": "3"}, json=True)
    assert ok.get_json() == {"ok": True, "status": "saved",
                             "next": f"/c/{consultation.id}/q/{n + 1}"}
    bad = answer(client, consultation.id, n, {"value": "9"}, json=True)
    assert bad.status_code == 422
    assert bad.get_json()["errors"] == {"value": "Välj ett av svaren."}


def test_answer_pages_are_not_cached(client, app_ctx):
    consultation, _q = setup_demo(client)
    response = client.get(f"/c/{consultation.id}/q/1")
    assert response.headers["Cache-Control"] == "no-store"


def test_progress_and_navigation(client, app_ctx):
    consultation, _q = setup_demo(client)
    html = client.get(f"/c/{consultation.id}/q/2").get_data(as_text=True)
    assert "Fråga 2 av 6" in html
    assert f'href="/c/{consultation.id}/q/1" rel="prev"' in html
    last = client.get(f"/c/{consultation.id}/q/6").get_data(as_text=True)
    assert f'href="/c/{consultation.id}/done"' in last
    # Past the last question (one removed while the phone was on the way) is the end.
    past = client.get(f"/c/{consultation.id}/q/7")
    assert past.status_code == 302 and past.headers["Location"] == f"/c/{consultation.id}/done"
    assert client.get(f"/c/{consultation.id}/q/0").status_code == 404


def test_answer_without_csrf_token_is_refused(client, app_ctx):
    consultation, q = setup_demo(client)
    response = client.post(f"/c/{consultation.id}/q/{q['scale'][0]}", data={"value": "3"})
    assert response.status_code == 400
    assert votes() == []


def test_a_text_records_the_language_it_was_written_in(client, app_ctx):
    consultation, q = setup_demo(client)
    client.get("/lang/ar")
    answer(client, consultation.id, q["idea"][0], {"text": "مقاعد في الظل", "client_key": "a"})
    assert db.session.scalar(select(Contribution.language)) == "ar"


def test_many_ideas_a_screen_of_twenty_unanswered_first_and_any_visible_one_may_be_voted(
        app, app_ctx):
    """With hundreds of approved ideas a phone gets one screen of statements (the database
    picks them), those it has not answered first; a vote on one beyond that screen counts,
    one on an idea that is not visible does not."""
    from app.participate.models import Participant
    from app.participate.services import STATEMENTS_PER_SCREEN

    consultation = factories.demo()
    kinds = factories.questions_by_kind(consultation)
    n, question = kinds["statement"]
    idea_question = kinds["idea"][1]
    author = Participant(device_hash="x" * 64, consultation_id=consultation.id, language="sv",
                         consent_version="1")
    db.session.add(author)
    db.session.flush()
    ideas = [Contribution(participant_id=author.id, question_id=idea_question.id,
                          text=f"Idé nummer {i}", language="sv", status="approved",
                          client_key=f"k{i}") for i in range(120)]
    hidden = Contribution(participant_id=author.id, question_id=idea_question.id,
                          text="Dold idé", language="sv", status="hidden", client_key="hid")
    db.session.add_all([*ideas, hidden])
    db.session.commit()

    phone = app.test_client()
    join(phone)
    first = phone.get(f"/c/{consultation.id}/q/{n}").get_data(as_text=True)
    shown = re.findall(r'name="s_(c\d+)"', first)
    staff = re.findall(r'name="s_(o\d+)"', first)
    assert len(set(shown)) + len(set(staff)) == STATEMENTS_PER_SCREEN
    off_screen = next(i for i in ideas if f"c{i.id}" not in shown)
    assert answer(phone, consultation.id, n, {f"s_c{off_screen.id}": "agree"}
                  ).status_code == 302
    assert answer(phone, consultation.id, n, {f"s_c{hidden.id}": "agree"}).status_code == 422
    # Answer the whole first screen: the next visit shows other, unanswered ones first.
    answer(phone, consultation.id, n, {f"s_{key}": "pass" for key in set(shown) | set(staff)})
    second = phone.get(f"/c/{consultation.id}/q/{n}").get_data(as_text=True)
    again = re.findall(r'name="s_(c\d+)"', second)
    assert again and not (set(again) & set(shown))
    assert f"c{off_screen.id}" not in again


def test_an_answer_with_a_token_of_an_ended_session_says_so_in_json(client, app_ctx):
    """The session cookie went (the browser was closed with the page open): the page's token
    is refused with `csrf: true`, which tells answer.js to fetch a fresh one; nothing is
    stored, and the plain form still gets the page in the child's language."""
    consultation, _ = setup_demo(client)
    url = f"/c/{consultation.id}/q/1"
    token = re.search(r'name="csrf-token" content="([^"]+)"',
                      client.get(url).get_data(as_text=True)).group(1)
    client.delete_cookie("session")
    form = {"csrf_token": token, "text": "Mer frukt i matsalen", "client_key": "k" * 22}
    refused = client.post(url, data=form, headers={"Accept": "application/json"})
    assert refused.status_code == 400
    assert refused.get_json() == {"error": 400, "message": "Formuläret hade gått ut",
                                  "csrf": True}
    assert count(Contribution) == 0
    plain = client.post(url, data=form)
    assert plain.status_code == 400 and "Formuläret hade gått ut" in plain.get_data(as_text=True)
    fresh = re.search(r'name="csrf-token" content="([^"]+)"',
                      client.get(url).get_data(as_text=True)).group(1)
    stored = client.post(url, data={**form, "csrf_token": fresh},
                         headers={"Accept": "application/json"})
    assert stored.get_json()["ok"] is True and count(Contribution) == 1
