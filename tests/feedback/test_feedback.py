""""You said, we did": staff publish updates; every participant of the consultation sees
them, newest first with an unread marker, and each idea shows how far it has come."""
import re
from datetime import timedelta

from sqlalchemy import event, select

from app.audit.models import AuditEvent
from app.consultations.models import Consultation, Status
from app.core.time import utcnow
from app.extensions import db
from app.feedback import services
from app.feedback.models import FeedbackRead, FeedbackUpdate
from app.moderate import services as moderate
from app.moderate.models import Theme
from app.participate.models import Contribution, Participant
from app.portfolio import exchange
from app.portfolio import services as portfolio
from app.portfolio.models import PortfolioPriority
from app.results import priorities
from app.results.models import Priority
from tests import factories, querycount
from tests.conftest import csrf_token, log_in
from tests.participate.helpers import answer, join
from tests.portfolio.helpers import initiative
from tests.sent_again import saved_once_then_again

NEW = '<span class="tag tag-new">Ny</span>'


def _phone(app, demo, text="Fler träd på skolgården", **profile):
    phone = app.test_client()
    join(phone, **profile)
    answer(phone, demo.id, factories.questions_by_kind(demo)["idea"][0],
           {"text": text, "client_key": text[:12]})
    return phone


def _idea_in_an_initiative(demo, text):
    """An idea sent from a phone, published in a youth priority the core team has imported
    and linked to an initiative: (the core team member, the initiative)."""
    idea = db.session.scalar(select(Contribution).where(Contribution.text == text))
    idea.status = "approved"
    leader = factories.user(organisation=demo.organisation)
    chosen = priorities.save(leader, demo, None, title={"sv": "Gröna skolgårdar"}, summary={},
                             idea_ids=[idea.id])
    priorities.publish(leader, chosen)
    core = factories.user(role="core_team")
    exchange.import_here(core, None)
    target = initiative("Pedagogiska skolgårdar")
    portfolio.link(core, db.session.scalar(select(PortfolioPriority).where(
        PortfolioPriority.priority_id == chosen.id)), target)
    return core, target


def _write(client, data: dict):
    url = "/feedback/new"
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data})


def _publish(client, update_id: int):
    return client.post(f"/feedback/{update_id}/publish",
                       data={"csrf_token": csrf_token(client, "/feedback")})


def test_publishing_asks_first_with_the_text_and_how_many_phones_are_told(
        app, client, login_as, app_ctx):
    demo = factories.demo()
    _phone(app, demo)
    login_as("youth_leader", organisation=demo.organisation)
    _write(client, {"title_sv": "Skolgården blir grön", "body_sv": "Kommunen planterar träd.",
                    "consultation": str(demo.id)})
    update = db.session.scalar(select(FeedbackUpdate))
    listing = client.get("/feedback").get_data(as_text=True)
    assert f'href="/feedback/{update.id}/publish"' in listing  # a link, not a one-click form
    page = client.get(f"/feedback/{update.id}/publish").get_data(as_text=True)
    assert "Publicera uppdateringen?" in page and "Kommunen planterar träd." in page
    assert "0 telefoner får en notis." in page
    db.session.expire_all()
    assert db.session.get(FeedbackUpdate, update.id).status == "draft"  # only asked
    client.post(f"/feedback/{update.id}/publish",
                data={"csrf_token": csrf_token(client, f"/feedback/{update.id}/publish")})
    db.session.expire_all()
    assert db.session.get(FeedbackUpdate, update.id).status == "published"
    assert client.get(f"/feedback/{update.id}/publish").status_code == 302  # nothing to ask


def test_the_preview_shows_each_language_as_its_readers_get_it(client, login_as, app_ctx):
    """An Arabic title without an Arabic text was previewed with an empty text, though
    Arabic readers get the Swedish text; an English text without a title was not shown."""
    demo = factories.demo()
    login_as("youth_leader", organisation=demo.organisation)
    _write(client, {"title_sv": "Skolgården blir grön", "body_sv": "Kommunen planterar träd.",
                    "title_ar": "ساحة المدرسة تصبح خضراء", "body_en": "The city plants trees.",
                    "consultation": str(demo.id)})
    update = db.session.scalar(select(FeedbackUpdate))
    page = client.get(f"/feedback/{update.id}/publish?lang=en").get_data(as_text=True)
    cards = page.split('<article class="card">')[1:]
    assert len(cards) == 3  # Swedish, English, Arabic
    english, arabic = cards[1], cards[2]
    assert '<h2 dir="auto" lang="sv">Skolgården blir grön</h2>' in english
    assert ('<blockquote class="typed-lines" dir="auto" lang="en">'
            'The city plants trees.</blockquote>') in english
    assert '<h2 dir="auto" lang="ar">ساحة المدرسة تصبح خضراء</h2>' in arabic
    assert ('<blockquote class="typed-lines" dir="auto" lang="sv">'
            'Kommunen planterar träd.</blockquote>') in arabic


def test_a_leader_writes_and_publishes_an_update_and_the_consultation_moves_on(
        client, login_as, app_ctx):
    demo = factories.demo()
    demo.status = Status.CLOSED
    demo.closed_at = utcnow() - timedelta(days=9)
    db.session.commit()
    leader = login_as("youth_leader", organisation=demo.organisation)
    assert "Väntar på återkoppling: 9 dagar" in client.get(
        "/staff/consultations").get_data(as_text=True)

    page = _write(client, {"title_sv": "", "body_sv": "x", "consultation": str(demo.id)})
    assert "Skriv en titel på svenska." in page.get_data(as_text=True)
    page = _write(client, {"title_sv": "Vi bygger", "body_sv": "x"})
    assert "Välj minst en frågerunda" in page.get_data(as_text=True)
    response = _write(client, {"title_sv": "Skolgården blir grön",
                               "body_sv": "Kommunen planterar träd i vår.",
                               "title_ar": "ساحة المدرسة تصبح خضراء",
                               "consultation": str(demo.id)})
    assert response.status_code == 302
    update = db.session.scalar(select(FeedbackUpdate))
    assert update.status == "draft" and update.author_id == leader.id

    _publish(client, update.id)
    db.session.expire_all()
    update = db.session.get(FeedbackUpdate, update.id)
    demo = db.session.get(type(demo), demo.id)
    assert update.status == "published" and update.published_at is not None
    assert demo.status == Status.FEEDBACK_GIVEN and demo.feedback_given_at is not None
    assert "Väntar på återkoppling" not in client.get(
        "/staff/consultations").get_data(as_text=True)
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "feedback.published")).actor_id == leader.id
    # Published updates are not edited any more.
    assert client.get(f"/feedback/{update.id}/edit").status_code == 403
    again = _publish(client, update.id)
    assert "redan publicerad" in client.get(again.location).get_data(as_text=True)


def test_leaders_only_reach_their_own_organisations_updates(client, login_as, app_ctx):
    demo = factories.demo()
    own = login_as("youth_leader")
    response = _write(client, {"title_sv": "Hej", "body_sv": "Text",
                               "consultation": str(demo.id)})
    assert "Välj minst en frågerunda" in response.get_data(as_text=True)
    other = FeedbackUpdate(title={"sv": "Annan"}, body={"sv": "x"}, consultations=[demo])
    db.session.add(other)
    db.session.commit()
    assert "Annan" not in client.get("/feedback").get_data(as_text=True)
    assert client.get(f"/feedback/{other.id}/edit").status_code == 404
    assert _publish(client, other.id).status_code == 404
    assert db.session.get(FeedbackUpdate, other.id).status == "draft"
    assert own.role == "youth_leader"


def test_participants_see_updates_newest_first_with_an_unread_marker(
        app, client, login_as, app_ctx):
    demo = factories.demo()
    phone = _phone(app, demo)
    stranger = app.test_client()  # never took part: sees the page, has no marker
    login_as("youth_leader", organisation=demo.organisation)
    for title in ("Första nyheten", "Andra nyheten"):
        _write(client, {"title_sv": title, "body_sv": f"Om {title}.",
                        "consultation": str(demo.id)})
        update = db.session.scalar(select(FeedbackUpdate).where(
            FeedbackUpdate.title["sv"].as_string() == title))
        _publish(client, update.id)
        update.published_at = utcnow() - timedelta(hours=1 if title.startswith("F") else 0)
        db.session.commit()

    me = phone.get("/me").get_data(as_text=True)
    assert "Nyheter om dina idéer" in me and "2 nya" in me
    assert me.index("Andra nyheten") < me.index("Första nyheten")
    assert me.count(NEW) == 2
    assert NEW not in phone.get("/me").get_data(as_text=True)  # seen now

    page = phone.get(f"/c/{demo.id}/feedback").get_data(as_text=True)
    assert page.index("Andra nyheten") < page.index("Första nyheten") and NEW not in page
    assert "Andra nyheten" in stranger.get(f"/c/{demo.id}/feedback").get_data(as_text=True)


def test_news_opened_twice_at_once_on_one_phone_is_no_error(app, client, login_as, app_ctx):
    """A double tap on the news, or /me in two tabs: both requests find the update unread
    and both note it as seen. The second was 'Something went wrong' (a duplicate row)."""
    demo = factories.demo()
    phone = _phone(app, demo)
    login_as("youth_leader", organisation=demo.organisation)
    _write(client, {"title_sv": "Nytt tak", "body_sv": "Vi bygger tak.",
                    "consultation": str(demo.id)})
    update = db.session.scalar(select(FeedbackUpdate))
    _publish(client, update.id)
    participant_id = db.session.scalar(select(Participant.id))
    raced = []

    def other_request_first(conn, cursor, statement, parameters, context, executemany):
        # The other request's rows land between this one's reading and its writing.
        if statement.lstrip().upper().startswith("INSERT INTO FEEDBACK_READS") and not raced:
            raced.append(True)
            other = conn.connection.dbapi_connection.cursor()
            other.execute("INSERT INTO feedback_reads (participant_id, feedback_id, read_at) "
                          f"VALUES ({participant_id}, {update.id}, CURRENT_TIMESTAMP)")
            other.close()

    for path in ("/me", f"/c/{demo.id}/feedback"):
        db.session.execute(FeedbackRead.__table__.delete())
        db.session.commit()
        raced.clear()
        event.listen(db.engine, "before_cursor_execute", other_request_first)
        try:
            response = phone.get(path)
        finally:
            event.remove(db.engine, "before_cursor_execute", other_request_first)
        assert raced and response.status_code == 200, path
        assert "Nytt tak" in response.get_data(as_text=True)
    assert NEW not in phone.get("/me").get_data(as_text=True)  # seen, once


def test_a_returning_young_person_is_pointed_to_the_news_until_they_have_seen_it(
        app, client, login_as, app_ctx):
    demo = factories.demo()
    phone = _phone(app, demo)
    other = _phone(app, demo, "Något annat")
    stranger = app.test_client()
    assert "Det finns nyheter" not in phone.get("/").get_data(as_text=True)

    login_as("youth_leader", organisation=demo.organisation)
    for title in ("Första nyheten", "Andra nyheten"):
        _write(client, {"title_sv": title, "body_sv": "Text.", "consultation": str(demo.id)})
        update = db.session.scalar(select(FeedbackUpdate).where(
            FeedbackUpdate.title["sv"].as_string() == title))
        _publish(client, update.id)

    start = phone.get("/").get_data(as_text=True)
    assert "Det finns nyheter om det du sa" in start and "2 nya" in start
    assert 'href="/me"' in start
    assert "Det finns nyheter" not in stranger.get("/").get_data(as_text=True)
    # The number of queries does not grow with the phone's consultations or the updates.
    few = querycount.count(lambda: phone.get("/"))

    phone.get("/me")  # seen now
    assert "Det finns nyheter" not in phone.get("/").get_data(as_text=True)
    assert "2 nya" in other.get("/").get_data(as_text=True)  # another phone has not seen it

    # A phone scanning the poster of an ended consultation is told there is news too.
    demo.status = Status.CLOSED
    db.session.commit()
    ended = other.get("/j/DEMO01").get_data(as_text=True)
    assert "Det här är avslutat" in ended and "Det finns nyheter om det du sa" in ended
    assert "Det finns nyheter" not in phone.get("/j/DEMO01").get_data(as_text=True)
    assert querycount.count(lambda: other.get("/")) == few


def test_the_feedback_page_marks_unread_and_speaks_the_participants_language(
        app, client, login_as, app_ctx):
    demo = factories.demo()
    phone = _phone(app, demo)
    phone.get("/lang/ar")
    login_as("youth_leader", organisation=demo.organisation)
    _write(client, {"title_sv": "Skolgården blir grön", "body_sv": "Träd i vår.",
                    "title_ar": "ساحة المدرسة تصبح خضراء", "body_ar": "أشجار في الربيع.",
                    "consultation": str(demo.id)})
    _write(client, {"title_sv": "Bara på svenska", "body_sv": "Text.",
                    "consultation": str(demo.id)})
    for update in db.session.scalars(select(FeedbackUpdate)):
        _publish(client, update.id)
    page = phone.get(f"/c/{demo.id}/feedback").get_data(as_text=True)
    assert "ساحة المدرسة تصبح خضراء" in page and "Skolgården blir grön" not in page
    assert "Bara på svenska" in page  # no Arabic: Swedish, with a note saying so
    # The Swedish title keeps its own language and direction on the Arabic page.
    assert '<bdi lang="sv" dir="auto">Bara på svenska</bdi>' in page
    assert page.count('class="fallback-note"') == 1
    assert page.count('<span class="tag tag-new">') == 2
    assert '<span class="tag tag-new">' not in phone.get(
        f"/c/{demo.id}/feedback").get_data(as_text=True)


def test_each_idea_shows_its_journey_on_me(app, client, login_as, app_ctx):
    demo = factories.demo()
    phone = _phone(app, demo, "Odla grönsaker på skolgården")
    waiting = _phone(app, demo, "Längre raster")
    idea = db.session.scalar(select(Contribution).where(
        Contribution.text == "Odla grönsaker på skolgården"))
    theme = Theme(consultation_id=demo.id, name="Skolgården")
    db.session.add(theme)
    idea.status, idea.theme = "approved", theme
    leader = factories.user(organisation=demo.organisation)
    priority = Priority(consultation_id=demo.id, position=4, title={"sv": "Gröna skolgårdar"})
    priority.contributions = [idea]
    db.session.add(priority)
    db.session.flush()
    priorities.publish(leader, priority)
    db.session.commit()

    me = phone.get("/me").get_data(as_text=True)
    for step in ("Mottagen", "Publicerat", "Del av temat Skolgården",
                 "I ungdomsprioritering nummer 4: <bdi lang=\"sv\" dir=\"auto\">Gröna skolgårdar"):
        assert step in me, step
    assert "Togs in i koalitionens portfölj" not in me
    assert "Väntar på en ungdomsledare" in waiting.get("/me").get_data(as_text=True)

    core = factories.user(role="core_team")
    exchange.import_here(core, None)
    target = initiative("Pedagogiska skolgårdar")
    portfolio.link(core, db.session.scalar(select(PortfolioPriority).where(
        PortfolioPriority.priority_id == priority.id)), target)
    round_ = portfolio.open_round(core, target, "Bygga om skolgården", None)
    portfolio.vote(core, round_, "A")
    portfolio.close_round(core, round_)
    reason = FeedbackUpdate(title={"sv": "Tre skolgårdar byggs om 2027"}, body={"sv": "x"},
                            status="published", published_at=utcnow(), initiative=target,
                            consultations=[demo])
    db.session.add(reason)
    db.session.commit()
    me = phone.get("/me").get_data(as_text=True)
    for step in ("Togs in i koalitionens portfölj",
                 "Kopplad till initiativet <bdi lang=\"sv\" dir=\"auto\">Pedagogiska skolgårdar",
                 "Beslut: ja, det blir av – <span lang=\"sv\" dir=\"auto\">"
                 "Tre skolgårdar byggs om 2027"):
        assert step in me, step


def test_the_journey_numbers_the_priority_as_the_list_beside_it_does(app, app_ctx):
    # The demo has three published priorities. A leader adds a fourth with the idea, starts
    # a draft and moves it to the top, and takes the first one back: the young person's list
    # then shows the idea's priority third, and so must its journey.
    demo = factories.demo()
    phone = _phone(app, demo, "Odla grönsaker på skolgården")
    idea = db.session.scalar(select(Contribution).where(
        Contribution.text == "Odla grönsaker på skolgården"))
    idea.status = "approved"
    leader = factories.user(organisation=demo.organisation)
    chosen = priorities.save(leader, demo, None, title={"sv": "Gröna skolgårdar"}, summary={},
                             idea_ids=[idea.id])
    priorities.publish(leader, chosen)
    draft = priorities.save(leader, demo, None, title={"sv": "Ett utkast"}, summary={},
                            idea_ids=[])
    for _ in range(4):
        priorities.move(leader, draft, -1)
    first = db.session.scalar(select(Priority).where(
        Priority.consultation_id == demo.id, Priority.status == "published")
        .order_by(Priority.position))
    priorities.unpublish(leader, first)
    db.session.commit()

    me = phone.get("/me").get_data(as_text=True)
    listed = me.split('class="priority-list"')[1].split("</ol>")[0]
    assert listed.count("<li>") == 3 and listed.rindex("Gröna skolgårdar") > listed.rindex(
        "<li>")
    assert "I ungdomsprioritering nummer 3: <bdi lang=\"sv\" dir=\"auto\">Gröna skolgårdar" in me


def test_swedish_texts_on_a_persian_my_answers_page_are_marked_swedish(app, app_ctx):
    """The demo is in Swedish, English and Arabic only. On the Persian "My answers" page the
    question, the statement voted on, the youth priority, the initiative and the decision's
    reason fall back to Swedish: they carry lang="sv", so a screen reader and "read aloud"
    say them with a Swedish voice, not a Persian one."""
    demo = factories.demo()
    phone = _phone(app, demo, "Odla grönsaker på skolgården")
    statement = factories.questions_by_kind(demo)["statement"]
    answer(phone, demo.id, statement[0], {f"s_o{statement[1].options[0].id}": "agree"})
    core, target = _idea_in_an_initiative(demo, "Odla grönsaker på skolgården")
    round_ = portfolio.open_round(core, target, "Bygga om skolgården", None)
    portfolio.vote(core, round_, "A")
    portfolio.close_round(core, round_)
    db.session.add(FeedbackUpdate(title={"sv": "Tre skolgårdar byggs om"}, body={"sv": "x"},
                                  status="published", published_at=utcnow(), initiative=target,
                                  consultations=[demo]))
    db.session.commit()

    me = phone.get("/me?lang=fa").get_data(as_text=True)
    assert '<html lang="fa" dir="rtl">' in me
    for text in ("Håller du med?", statement[1].options[0].text["sv"], "Gröna skolgårdar",
                 "Pedagogiska skolgårdar", "Tre skolgårdar byggs om"):
        assert re.search(rf'lang="sv" dir="auto">{re.escape(text)}<', me), text


def test_an_idea_merged_into_a_similar_one_says_so_and_follows_it(app, app_ctx):
    """A youth leader puts a duplicate together with a similar idea: its author is told that
    (their own words were not published), and sees the idea it counts with go on."""
    demo = factories.demo()
    _phone(app, demo, "Fler träd på skolgården")
    duplicate = _phone(app, demo, "Mer träd på skolan")
    kept, merged = (db.session.scalar(select(Contribution).where(Contribution.text == text))
                    for text in ("Fler träd på skolgården", "Mer träd på skolan"))
    kept.status = "approved"
    leader = factories.user(organisation=demo.organisation)
    moderate.merge(leader, merged, into_id=kept.id, version=None)
    chosen = priorities.save(leader, demo, None, title={"sv": "Gröna skolgårdar"}, summary={},
                             idea_ids=[kept.id])
    priorities.publish(leader, chosen)
    db.session.commit()

    me = duplicate.get("/me").get_data(as_text=True)
    journey = me.split("Mer träd på skolan")[1].split("</ol>")[0]
    assert "Ihopslagen med en liknande idé, så att de räknas tillsammans" in journey
    assert "Publicerat" not in journey
    assert "I ungdomsprioritering nummer 4" in journey


def test_the_reason_beside_a_decision_is_what_was_said_after_it(app, app_ctx):
    """"We decide in March" was published before the core team decided: it is not the
    reason for the decision. The update written after deciding is."""
    demo = factories.demo()
    phone = _phone(app, demo, "Odla grönsaker på skolgården")
    core, target = _idea_in_an_initiative(demo, "Odla grönsaker på skolgården")

    def update(title, published_at):
        db.session.add(FeedbackUpdate(title={"sv": title}, body={"sv": "x"},
                                      status="published", published_at=published_at,
                                      initiative=target, consultations=[demo]))

    update("Vi bestämmer i mars", utcnow() - timedelta(days=30))
    round_ = portfolio.open_round(core, target, "Bygga om skolgården", None)
    portfolio.vote(core, round_, "B")
    portfolio.close_round(core, round_)
    db.session.commit()
    journey = phone.get("/me").get_data(as_text=True).split('class="journey"')[1]
    journey = journey.split("</ol>")[0]
    assert "Beslut: nej, inte den här gången" in journey
    assert "Vi bestämmer i mars" not in journey

    update("Det blev inte av i år, för pengarna räckte inte", utcnow() + timedelta(seconds=1))
    db.session.commit()
    journey = phone.get("/me").get_data(as_text=True).split('class="journey"')[1]
    assert "Det blev inte av i år, för pengarna räckte inte" in journey.split("</ol>")[0]


def test_the_me_page_needs_the_same_queries_with_many_ideas(app, app_ctx):
    demo = factories.demo()
    phone = _phone(app, demo, "Idé 0")

    def page():
        assert phone.get("/me").status_code == 200

    def count():
        return querycount.count(page)

    few = count()
    for n in range(1, 8):
        answer(phone, demo.id, factories.questions_by_kind(demo)["idea"][0],
               {"text": f"Idé {n}", "client_key": f"key-{n}"})
    for c in db.session.scalars(select(Contribution)):
        c.status = "approved"
    db.session.commit()
    assert count() == few


def test_core_team_links_an_update_to_an_initiative_leaders_cannot(
        client, login_as, app_ctx):
    demo = factories.demo()
    target = initiative("Sparks Generation")
    db.session.commit()
    login_as("core_team")
    _write(client, {"title_sv": "Beslut om Sparks", "body_sv": "Vi sa ja.",
                    "consultation": str(demo.id), "initiative_id": str(target.id)})
    assert db.session.scalar(select(FeedbackUpdate.initiative_id)) == target.id
    assert services.may_use_initiatives(factories.user(role="youth_leader")) is False


def test_a_leader_fixing_a_typo_keeps_the_core_teams_initiative(app, client, login_as,
                                                                  app_ctx):
    demo = factories.demo()
    target = initiative("Pedagogiska skolgårdar")
    db.session.commit()
    login_as("core_team")
    unknown = _write(client, {"title_sv": "Beslut", "body_sv": "Vi sa ja.",
                              "consultation": str(demo.id), "initiative_id": "999"})
    assert "Välj initiativet i listan." in unknown.get_data(as_text=True)  # not a 500
    _write(client, {"title_sv": "Beslut", "body_sv": "Vi sa ja.",
                    "consultation": str(demo.id), "initiative_id": str(target.id)})
    update = db.session.scalar(select(FeedbackUpdate))

    leader_user = factories.user(role="youth_leader", organisation=demo.organisation)
    db.session.commit()
    leader = app.test_client()
    log_in(leader, leader_user)
    url = f"/feedback/{update.id}/edit"
    response = leader.post(url, data={"csrf_token": csrf_token(leader, url),
                                      "title_sv": "Beslutet", "body_sv": "Vi sa ja.",
                                      "consultation": str(demo.id)})
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(FeedbackUpdate, update.id)
    assert saved.title["sv"] == "Beslutet" and saved.initiative_id == target.id


def test_a_body_at_the_limit_with_line_breaks_is_kept_whole(client, login_as, app_ctx):
    """The box's maxlength counts a line break once; the browser sends CR LF. Counted twice,
    the end of the text was cut off without a word."""
    demo = factories.demo()
    login_as("youth_leader", organisation=demo.organisation)
    body = "\r\n".join(["y" * 99] * 20) + "z"  # 2000 as the page counts it
    _write(client, {"title_sv": "Vi har bestämt", "body_sv": body,
                    "consultation": str(demo.id)})
    update = db.session.scalar(select(FeedbackUpdate))
    assert update.body["sv"] == body.replace("\r\n", "\n")
    assert update.body["sv"].endswith("z")


def test_the_update_form_marks_only_the_language_names_as_such(client, login_as, app_ctx):
    demo = factories.demo()
    login_as("youth_leader", organisation=demo.organisation)
    html = client.get("/feedback/new?lang=ar").get_data(as_text=True)
    assert '<legend><span lang="sv">Svenska</span> (' in html
    assert '<legend lang="' not in html


def test_a_leaders_edit_keeps_the_core_teams_link_to_another_organisations_consultation(
        app, client, login_as, app_ctx):
    """The leader's form offers only their own organisation's consultations; saving it
    removed the consultation of another organisation that the core team had added."""
    demo = factories.demo()
    other_org = factories.organisation("Grannföreningen")
    theirs = Consultation(organisation=other_org, join_code="GRAN01", status=Status.CLOSED,
                          title={"sv": "Grannarnas samråd", "en": "The neighbours' survey"})
    untitled = Consultation(organisation=other_org, join_code="GRAN02", status=Status.CLOSED,
                            title={})
    db.session.add_all([theirs, untitled])
    leader_user = factories.user(role="youth_leader", organisation=demo.organisation)
    update = FeedbackUpdate(title={"sv": "Beslut"}, body={"sv": "Vi sa ja."},
                            author_id=leader_user.id, consultations=[demo, theirs, untitled])
    db.session.add(update)
    db.session.commit()
    log_in(client, leader_user)
    url = f"/feedback/{update.id}/edit"
    page = client.get(url + "?lang=en").get_data(as_text=True)
    assert "Also about: The neighbours&#39; survey (another organisation)" in page
    assert "1 consultation of another organisation" in page
    assert f'value="{theirs.id}"' not in page and "GRAN0" not in page  # read-only, no more
    response = client.post(url, data={"csrf_token": csrf_token(client, url),
                                      "title_sv": "Beslutet", "body_sv": "Vi sa ja.",
                                      "consultation": str(demo.id)})
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(FeedbackUpdate, update.id)
    assert saved.title["sv"] == "Beslutet"
    assert {c.id for c in saved.consultations} == {demo.id, theirs.id, untitled.id}

    # Their own consultation they may remove; the others stay.
    response = client.post(url, data={"csrf_token": csrf_token(client, url),
                                      "title_sv": "Beslutet", "body_sv": "Vi sa ja."})
    assert response.status_code == 302
    db.session.expire_all()
    assert {c.id for c in db.session.get(FeedbackUpdate, update.id).consultations} == \
        {theirs.id, untitled.id}


def test_a_too_long_title_or_text_is_refused_not_cut(client, login_as, app_ctx):
    """A title over 120 or a text over 2000 characters lost its end without a word."""
    demo = factories.demo()
    login_as("youth_leader", organisation=demo.organisation)
    form = client.get("/feedback/new").get_data(as_text=True)
    assert f'name="title_sv" value="" maxlength="{services.TITLE_MAX}"' in form
    assert f'name="body_ar" rows="4" maxlength="{services.BODY_MAX}"' in form
    title = "Skolgården blir grön " * 6 + "slut"  # 130
    response = client.post("/feedback/new?lang=en", data={
        "csrf_token": csrf_token(client, "/feedback/new"), "title_sv": title,
        "body_sv": "Kommunen planterar träd.", "consultation": str(demo.id)})
    html = response.get_data(as_text=True)
    assert "The title is too long (at most 120 characters)." in html
    assert f'value="{title}"' in html
    body = "Kommunen planterar träd. " * 80 + "slut"  # 2004
    response = client.post("/feedback/new?lang=en", data={
        "csrf_token": csrf_token(client, "/feedback/new"), "title_sv": "Skolgården",
        "body_sv": "Kommunen planterar träd.", "body_en": body,
        "consultation": str(demo.id)})
    html = response.get_data(as_text=True)
    assert "The text under “What happened” is too long (at most 2000 characters)." in html
    assert f"{body}</textarea>" in html
    assert db.session.scalar(select(FeedbackUpdate)) is None


def test_back_and_save_again_makes_no_second_draft(client, login_as, app_ctx):
    demo = factories.demo()
    login_as("youth_leader", organisation=demo.organisation)
    saved_once_then_again(
        client, "/feedback/new?lang=en",
        {"title_sv": "Skolgården blir grön", "body_sv": "Kommunen planterar träd.",
         "consultation": str(demo.id)},
        lambda: len(db.session.scalars(select(FeedbackUpdate.id)).all()),
        typed=['value="Skolgården blir grön"', ">Kommunen planterar träd.</textarea>",
               f'value="{demo.id}" checked'],
        link=lambda: f"/feedback/{db.session.scalar(select(FeedbackUpdate.id))}/edit",
        button="Save draft")


def test_a_leaders_list_of_updates_does_not_grow_with_drafts(client, login_as, app_ctx):
    """Whether each draft may be edited is worked out once for the list, not once per draft."""
    demo = factories.demo()
    login_as("youth_leader", organisation=demo.organisation)

    def add(n, start):
        for i in range(start, start + n):
            db.session.add(FeedbackUpdate(title={"sv": f"Utkast {i}"}, body={"sv": "x"},
                                          consultations=[demo]))
        db.session.commit()

    def page():
        assert "Utkast 1" in client.get("/feedback").get_data(as_text=True)

    add(1, 1)
    page()
    querycount.assert_flat(page, lambda: add(15, 2))
    html = client.get("/feedback").get_data(as_text=True)
    assert html.count("/publish") == 16  # every draft of the own organisation can be edited


def test_opening_one_update_loads_that_one_not_every_update_the_leader_may_see(
        client, login_as, app_ctx):
    """The edit page of one update reads that row, however many updates the organisation
    has written."""
    demo = factories.demo()
    login_as("youth_leader", organisation=demo.organisation)
    updates = [FeedbackUpdate(title={"sv": f"Utkast {i}"}, body={"sv": "x"}, consultations=[demo])
               for i in range(12)]
    db.session.add_all(updates)
    db.session.commit()
    loaded = []

    def on_load(target, _context):
        loaded.append(target.id)

    event.listen(FeedbackUpdate, "load", on_load)
    try:
        page = client.get(f"/feedback/{updates[5].id}/edit")
    finally:
        event.remove(FeedbackUpdate, "load", on_load)
    assert page.status_code == 200 and "Utkast 5" in page.get_data(as_text=True)
    assert loaded == [updates[5].id]
