"""The live workshop view: ETag changes when a vote arrives and not otherwise; 304 when
unchanged; waiting phones follow the leader's question."""
import re

from sqlalchemy import select

from app.consultations.models import Consultation
from app.core.time import utcnow
from app.extensions import db
from tests import factories
from tests.conftest import csrf_token, log_in
from tests.participate.helpers import answer, join


def leader(demo, login_as):
    return login_as("youth_leader", organisation=demo.organisation)


def step(client, n):
    return client.post("/live/DEMO01/question",
                       data={"csrf_token": csrf_token(client, "/live/DEMO01"), "n": str(n)})


def test_live_view_shows_code_qr_and_participants(client, app, app_ctx, login_as):
    demo = factories.demo()
    join(app.test_client())
    leader(demo, login_as)
    html = client.get("/live/DEMO01").get_data(as_text=True)
    assert "DEMO01" in html and "<svg" in html
    assert 'data-participants>1<' in html
    assert "Skanna koden för att vara med" in html
    demo.status = "closed"
    db.session.commit()
    closed = client.get("/live/DEMO01").get_data(as_text=True)
    assert "Frågerundan är inte öppen" in closed and "Skanna koden för att vara med" not in closed


def test_etag_changes_when_a_vote_arrives_and_not_otherwise(client, app, app_ctx, login_as):
    demo = factories.demo()
    leader(demo, login_as)
    n, scale = factories.questions_by_kind(demo)["scale"]
    step(client, n)
    first = client.get("/live/DEMO01/state.json")
    assert first.status_code == 200
    tag = first.headers["ETag"]
    assert first.get_json()["question"]["kind"] == "scale"
    same = client.get("/live/DEMO01/state.json", headers={"If-None-Match": tag})
    assert same.status_code == 304 and same.get_data() == b""

    phone = app.test_client()
    join(phone)
    changed = client.get("/live/DEMO01/state.json", headers={"If-None-Match": tag})
    assert changed.status_code == 200  # a new participant joined
    tag = changed.headers["ETag"]
    answer(phone, demo.id, n, {"value": "4"})
    after_vote = client.get("/live/DEMO01/state.json", headers={"If-None-Match": tag})
    assert after_vote.status_code == 200
    bars = after_vote.get_json()["question"]["bars"]
    assert [b["count"] for b in bars] == [0, 0, 0, 1, 0]
    assert [b["value"] for b in bars] == ["0", "0", "0", "1", "0"]
    assert client.get("/live/DEMO01/state.json",
                      headers={"If-None-Match": after_vote.headers["ETag"]}).status_code == 304
    answer(phone, demo.id, n, {"value": "2"})  # a changed vote changes it too
    assert client.get("/live/DEMO01/state.json",
                      headers={"If-None-Match": after_vote.headers["ETag"]}).status_code == 200


def test_word_cloud_and_ideas_in_the_live_view(client, app, app_ctx, login_as):
    demo = factories.demo()
    q = factories.questions_by_kind(demo)
    for i, word in enumerate(["Glad", "glad", "trött"]):
        phone = app.test_client()
        join(phone)
        answer(phone, demo.id, q["word"][0], {"text": word, "client_key": f"w{i}"})
    from app.participate.models import Contribution

    for c in db.session.scalars(select(Contribution)):
        c.status = "approved"
    db.session.commit()
    leader(demo, login_as)
    step(client, q["word"][0])
    words = client.get("/live/DEMO01/state.json").get_json()["question"]["words"]
    assert words[0] == {"text": "glad", "count": 2}


def test_waiting_phones_follow_the_leader(client, app, app_ctx, login_as):
    demo = factories.demo()
    phone = app.test_client()
    join(phone)
    now = phone.get(f"/c/{demo.id}/now.json")
    assert now.get_json() == {"n": None, "id": None, "url": None}
    tag = now.headers["ETag"]
    assert phone.get(f"/c/{demo.id}/now.json",
                     headers={"If-None-Match": tag}).status_code == 304
    assert phone.get(f"/c/{demo.id}/wait").status_code == 200
    leader(demo, login_as)
    step(client, 3)
    moved = phone.get(f"/c/{demo.id}/now.json", headers={"If-None-Match": tag})
    assert moved.status_code == 200
    third = demo.active_questions()[2].id
    assert moved.get_json() == {"n": 3, "id": third, "url": f"/c/{demo.id}/q/3"}
    assert phone.get(f"/c/{demo.id}/wait").headers["Location"] == f"/c/{demo.id}/q/3"
    # Having answered it, the phone waits for the next question the leader shows, instead of
    # going on to question 4 by itself.
    scale, scale_question = factories.questions_by_kind(demo)["scale"]
    step(client, scale)
    sent = answer(phone, demo.id, scale, {"value": "4"})
    assert sent.headers["Location"] == f"/c/{demo.id}/wait?stay=1&after={scale_question.id}"
    page = phone.get(sent.headers["Location"]).get_data(as_text=True)
    assert f'data-current="{scale_question.id}"' in page
    # The leader moved on while a child was still answering: sent on to the new question,
    # not left waiting for one the projector already shows.
    choice, choice_question = factories.questions_by_kind(demo)["choice"]
    step(client, choice)
    late = answer(phone, demo.id, scale, {"value": "5"})
    assert phone.get(late.headers["Location"]).headers["Location"] == f"/c/{demo.id}/q/{choice}"
    # Paused after an answer: the page waits, and moves when a question other than the one
    # answered is shown.
    pause = client.post("/live/DEMO01/question",
                        data={"csrf_token": csrf_token(client, "/live/DEMO01")})
    assert pause.status_code == 302
    page = phone.get(f"/c/{demo.id}/wait?stay=1&after={choice_question.id}").text
    assert f'data-current="{choice_question.id}"' in page
    # A child who would rather go on alone can.
    alone = phone.get(f"/c/{demo.id}/q/{scale}?own=1").get_data(as_text=True)
    assert f'href="/c/{demo.id}/q/{scale + 1}"' in alone
    assert answer(phone, demo.id, scale, {"value": "3"}).headers["Location"] == \
        f"/c/{demo.id}/q/{scale + 1}"


def test_a_question_removed_before_the_live_one_does_not_send_the_phone_back_to_it(
        client, app, app_ctx, login_as):
    """The leader removes an earlier question while the class answers the live one: the live
    question moves up a place, and a phone that has answered it keeps waiting instead of
    being sent to the same question again (an empty idea box, asking for a second idea)."""
    demo = factories.demo()
    phone = app.test_client()
    join(phone)
    leader(demo, login_as)
    scale, scale_question = factories.questions_by_kind(demo)["scale"]
    step(client, scale)
    phone.get(f"/c/{demo.id}/wait")  # following the projector
    sent = answer(phone, demo.id, scale, {"value": "4"})
    first = demo.active_questions()[0]
    removed = client.post(f"/staff/consultations/{demo.id}/questions/{first.id}/remove",
                          data={"csrf_token": csrf_token(client, "/staff/consultations"),
                                "confirm": "1"})
    assert removed.status_code == 302
    db.session.expire_all()
    assert [q.id for q in db.session.get(Consultation, demo.id).active_questions()].index(
        scale_question.id) == scale - 2  # one place up
    waiting = phone.get(sent.headers["Location"])
    assert waiting.status_code == 200
    assert f'data-current="{scale_question.id}"' in waiting.text
    # What the page's script compares with: the question shown is the one answered.
    now = phone.get(f"/c/{demo.id}/now.json").get_json()
    assert now["id"] == scale_question.id and now["n"] == scale - 1


def test_a_step_comes_back_at_the_button_pressed(client, app, app_ctx, login_as):
    """The page came back at its top, so a keyboard user tabbed through the header again."""
    demo = factories.demo()
    leader(demo, login_as)
    response = step(client, 3)
    assert response.status_code == 302
    assert response.headers["Location"] == "/live/DEMO01#step-3"
    html = client.get("/live/DEMO01").text
    assert 'id="step-3"' in html and 'id="step-pause"' in html
    pause = client.post("/live/DEMO01/question",
                        data={"csrf_token": csrf_token(client, "/live/DEMO01")})
    assert pause.headers["Location"] == "/live/DEMO01#step-pause"


def test_only_own_leaders_step_through_questions(client, app, app_ctx, login_as):
    factories.demo()
    login_as("core_team")
    assert client.get("/live/DEMO01").status_code == 200
    assert step(client, 1).status_code == 403
    other = app.test_client()
    stranger = factories.user(role="youth_leader")
    db.session.commit()
    log_in(other, stranger)
    assert other.get("/live/DEMO01").status_code == 404
    assert other.get("/live/DEMO01/state.json").status_code == 404
    assert app.test_client().get("/live/DEMO01/state.json").status_code == 302


def test_the_projector_shows_the_best_agreed_statements_of_many(client, app, app_ctx,
                                                                login_as):
    """A city-wide consultation has thousands of ideas: the projector gets the LIVE_TOP best
    agreed, counted over every vote."""
    from app.participate.models import Contribution, Participant, Vote
    from app.results.live import LIVE_TOP

    demo = factories.demo()
    q = factories.questions_by_kind(demo)
    n, statement = q["statement"]
    source = statement.setting("source_question_id")
    author = Participant(device_hash="author", consultation_id=demo.id, language="sv",
                         consent_version="t")
    db.session.add(author)
    db.session.flush()
    ideas = [Contribution(participant_id=author.id, question_id=source, text=f"Idé {i}",
                          language="sv", client_key=f"k{i}", status="approved")
             for i in range(LIVE_TOP + 8)]
    db.session.add_all(ideas)
    db.session.flush()
    best = ideas[-1]
    for i in range(6):
        voter = Participant(device_hash=f"voter-{i}", consultation_id=demo.id, language="sv",
                            consent_version="t")
        db.session.add(voter)
        db.session.flush()
        db.session.add(Vote(participant_id=voter.id, question_id=statement.id,
                            contribution_id=best.id, value=1))
    db.session.commit()
    leader(demo, login_as)
    step(client, n)
    bars = client.get("/live/DEMO01/state.json").get_json()["question"]["bars"]
    assert len(bars) == LIVE_TOP
    assert bars[0]["label"] == best.text and bars[0]["count"] == 6
    # The number beside a statement's bar is what its length shows: the share who agree.
    assert bars[0]["value"] == "100\xa0%" and bars[0]["share"] == 1.0
    assert client.get("/live/DEMO01").get_data(as_text=True).count(
        '<span class="bar-value">100\xa0%</span>') == 1


def test_a_rankings_bars_are_labelled_with_the_points_their_length_shows(
        app, client, login_as, app_ctx):
    demo = factories.demo()
    n, rank = factories.questions_by_kind(demo)["rank"]
    first, second, third = [o.id for o in rank.options[:3]]
    for places in [(first, second, third)] * 3 + [(third, first, second)] * 2:
        phone = app.test_client()
        join(phone)
        answer(phone, demo.id, n, {f"place_{i}": str(o) for i, o in enumerate(places, 1)})
    leader(demo, login_as)
    step(client, n)
    bars = client.get("/live/DEMO01/state.json").get_json()["question"]["bars"]
    assert [b["value"] for b in bars] == [str(b["score"]) for b in bars]
    assert bars == sorted(bars, key=lambda b: -b["score"]) and bars[0]["share"] == 1.0


def test_the_projector_says_what_the_number_beside_a_bar_is(client, app_ctx, login_as):
    """"Skolan är trygg 25 %": 25 % of what? The room reads it off the wall and cannot ask."""
    demo = factories.demo()
    q = factories.questions_by_kind(demo)
    leader(demo, login_as)
    client.get("/lang/en")
    step(client, q["statement"][0])
    assert "the share who agree with it" in client.get("/live/DEMO01").get_data(as_text=True)
    step(client, q["rank"][0])
    html = client.get("/live/DEMO01").get_data(as_text=True)
    assert "Points: first place gets as many points" in html
    assert "the share who agree" not in html


def test_waiting_phones_are_sent_to_the_thank_you_page_once_the_consultation_ends(
        client, app, app_ctx, login_as):
    from datetime import timedelta

    from app.core.time import utcnow
    from app.results import live

    demo = factories.demo()
    phone = app.test_client()
    join(phone)
    waiting = phone.get(f"/c/{demo.id}/now.json")
    assert "ended" not in waiting.get_json()
    leader(demo, login_as)
    closed = client.post(f"/staff/consultations/{demo.id}/close",
                         data={"csrf_token": csrf_token(client, f"/staff/consultations/{demo.id}")})
    assert closed.status_code == 302
    live._current.clear()  # not the one-second memory of the open consultation
    ended = phone.get(f"/c/{demo.id}/now.json",
                      headers={"If-None-Match": waiting.headers["ETag"]})
    assert ended.status_code == 200
    assert ended.get_json()["ended"] == f"/c/{demo.id}/done"
    # Past its closing time, though nobody closed it, it has ended as well.
    demo.status, demo.closes_at = "open", utcnow() - timedelta(minutes=1)
    db.session.commit()
    live._current.clear()
    assert phone.get(f"/c/{demo.id}/now.json").get_json()["ended"] == f"/c/{demo.id}/done"



def _step_form(html: str, n: int) -> dict:
    form = html.split(f'id="step-{n}"', 1)[1].split("</form>", 1)[0]
    return dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form))


def test_a_step_button_in_a_stale_tab_shows_its_own_question(client, app, app_ctx, login_as):
    """The projector's tab was opened before the questions were moved and one removed: its
    buttons still show the question they name, not whichever has that number now."""
    demo = factories.demo()
    leader(demo, login_as)
    client.get("/lang/en")
    stale = client.get("/live/DEMO01").text
    first, second, third = demo.active_questions()[:3]
    first.archived_at = utcnow()  # removed in the consultation's editor
    second.position, third.position = third.position, second.position
    db.session.commit()

    moved = client.post("/live/DEMO01/question", data=_step_form(stale, 2))
    db.session.expire_all()
    assert db.session.get(Consultation, demo.id).live_question_id == second.id
    # Now the second question is number 2 of the new order (the first was removed, the
    # third moved before it): the page opens at its button.
    assert moved.headers["Location"] == "/live/DEMO01#step-2"

    gone = client.post("/live/DEMO01/question", data=_step_form(stale, 1))
    assert gone.headers["Location"] == "/live/DEMO01"
    page = client.get("/live/DEMO01").text
    assert "That question is no longer in the consultation" in page
    db.session.expire_all()
    assert db.session.get(Consultation, demo.id).live_question_id == second.id  # unchanged


def test_a_forged_step_changes_nothing(client, app, app_ctx, login_as):
    demo = factories.demo()
    leader(demo, login_as)
    step(client, 2)
    token = csrf_token(client, "/live/DEMO01")
    for value in ("", "abc", "99999", "-1", "1e9"):
        response = client.post("/live/DEMO01/question",
                               data={"csrf_token": token, "question": value})
        assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Consultation, demo.id).live_question_id == \
        demo.active_questions()[1].id
