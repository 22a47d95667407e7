"""A youth leader writes a consultation, its questions and options, in several languages;
answers already given are never lost when the questions change."""
import re

from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.consultations.models import Consultation, Option, Question
from app.extensions import db
from app.participate.models import Contribution, Vote
from tests import factories, querycount
from tests.consultations.helpers import (
    BASE,
    add_question,
    create,
    in_english,
    missing_marker,
    option_fields,
    post,
)
from tests.participate.helpers import answer, join
from tests.sent_again import saved_once_then_again


def _open_with_choice(client, *, multiple=False) -> tuple[Consultation, Question]:
    """An open consultation with one choice question: Bussen / Cykeln / Promenad."""
    consultation_id = create(client)
    add_question(client, consultation_id, "choice", "Hur tar du dig till skolan?",
                 prompt_en="How do you get to school?", **({"multiple": "y"} if multiple else {}),
                 **option_fields([{"text_sv": "Bussen", "text_en": "The bus"},
                                  {"text_sv": "Cykeln", "text_en": "The bike"},
                                  {"text_sv": "Promenad"}]))
    assert post(client, f"{BASE}/{consultation_id}/open").status_code == 302
    consultation = db.session.get(Consultation, consultation_id)
    return consultation, consultation.questions[0]


def _vote_for(app, consultation, option: Option):
    phone = app.test_client()
    join(phone, consultation.join_code)
    response = answer(phone, consultation.id, 1, {"option": str(option.id)})
    assert response.status_code == 302
    return phone


def test_leader_creates_opens_and_a_participant_answers_by_code(app, client, login_as):
    leader = login_as("youth_leader")
    in_english(client)
    consultation_id = create(client)
    add_question(client, consultation_id, "idea", "Vad vill du göra efter skolan?",
                 prompt_en="What do you want to do after school?")
    add_question(client, consultation_id, "choice", "Vilken dag passar?",
                 prompt_en="Which day suits you?",
                 **option_fields([{"text_sv": "Måndag", "text_en": "Monday"},
                                  {"text_sv": "Fredag", "text_en": "Friday"}, {}, {}]))
    response = post(client, f"{BASE}/{consultation_id}/open")
    assert response.status_code == 302

    consultation = db.session.get(Consultation, consultation_id)
    assert consultation.status == "open" and consultation.organisation_id == leader.organisation_id
    assert consultation.title == {"sv": "Fritid efter skolan", "en": "Free time after school"}
    idea, choice = consultation.active_questions()
    assert idea.prompt == {"sv": "Vad vill du göra efter skolan?",
                           "en": "What do you want to do after school?"}
    assert idea.help == {}  # empty languages are dropped
    assert [o.text for o in choice.options] == [{"sv": "Måndag", "en": "Monday"},
                                                {"sv": "Fredag", "en": "Friday"}]
    assert choice.settings == {"multiple": False}

    phone = app.test_client()
    first = join(phone, consultation.join_code)
    assert first == f"/c/{consultation_id}/q/1"
    assert "Vad vill du göra efter skolan?" in phone.get(first).get_data(as_text=True)
    english = phone.get(f"/c/{consultation_id}/q/2?lang=en").get_data(as_text=True)
    assert "Which day suits you?" in english and "Friday" in english

    listing = client.get(BASE).get_data(as_text=True)
    assert consultation.join_code in listing and "Free time after school" in listing


def test_list_counts_participants_of_each_consultation(app, client, login_as):
    login_as("youth_leader")
    consultation, _question = _open_with_choice(client)
    create(client, title_sv="Tom")
    for _ in range(2):
        join(app.test_client(), consultation.join_code)
    html = client.get(BASE).get_data(as_text=True)
    row = html[html.index(consultation.join_code):]
    assert "<td>2</td>" in row[:200]


def test_list_takes_the_same_number_of_queries_however_many_consultations(
        app, client, login_as):
    login_as("youth_leader")
    consultation, _question = _open_with_choice(client)
    join(app.test_client(), consultation.join_code)

    def list_page():
        assert client.get(BASE).status_code == 200

    def queries_for_list() -> int:
        return querycount.count(list_page)

    few = queries_for_list()
    for n in range(4):
        create(client, title_sv=f"Fler {n}")
    assert queries_for_list() == few


def test_new_consultation_needs_a_swedish_title(client, login_as):
    login_as("youth_leader")
    in_english(client)
    response = post(client, f"{BASE}/new", {"title_en": "Only English", "moderation": "pre"})
    assert response.status_code == 200
    assert "Write the title in Swedish." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Consultation.id))) == 0


def test_new_consultation_is_a_draft_with_a_fresh_code_and_its_choices(client, login_as):
    login_as("youth_leader")
    factories.demo()  # areas and challenge areas
    form = client.get(f"{BASE}/new").get_data(as_text=True)
    assert 'type="datetime-local"' in form and "Rosengård" in form
    demo = db.session.scalar(select(Consultation))
    school, club = demo.areas[0], demo.areas[1]
    challenge = demo.challenge_areas[0]
    consultation_id = create(client, areas=[str(school.id), str(club.id)],
                             challenge_areas=str(challenge.id), moderation="post",
                             opens_at="2026-03-01T08:00", closes_at="2026-03-31T16:30")
    consultation = db.session.get(Consultation, consultation_id)
    assert consultation.status == "draft" and len(consultation.join_code) == 6
    assert consultation.join_code != demo.join_code
    assert {a.id for a in consultation.areas} == {school.id, club.id}
    assert [c.id for c in consultation.challenge_areas] == [challenge.id]
    assert consultation.moderation == "post"
    # Typed in Swedish time (winter, UTC+1), stored in UTC.
    assert consultation.opens_at.isoformat() == "2026-03-01T07:00:00+00:00"
    assert consultation.closes_at.isoformat() == "2026-03-31T14:30:00+00:00"  # summer time
    edit = client.get(f"{BASE}/{consultation_id}/edit").get_data(as_text=True)
    assert 'value="2026-03-01T08:00"' in edit
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "consultation.created" in actions


def test_a_place_that_has_since_had_places_added_inside_it_is_kept_on_saving(
        client, login_as):
    """A consultation for a municipality, then an administrator adds its districts: the
    municipality was no longer offered on the form, so the next save of the details (a typo
    in the title) dropped it without a word."""
    from app.coalition.models import Area

    login_as("youth_leader")
    city = Area(name="Malmö", kind="municipality")
    db.session.add(city)
    db.session.commit()
    consultation_id = create(client, areas=str(city.id))
    db.session.add(Area(name="Rosengård", kind="district", parent_id=city.id))
    db.session.commit()
    page = client.get(f"{BASE}/{consultation_id}/edit").get_data(as_text=True)
    assert re.search(rf'<input[^>]*name="areas"[^>]*value="{city.id}"[^>]*checked', page)
    # Sent as the page has it (the ticked boxes), with only the title changed.
    assert post(client, f"{BASE}/{consultation_id}/edit", {
        "title_sv": "Fritid efter skolan (rättad)", "moderation": "pre",
        "areas": re.findall(r'<input[^>]*name="areas"[^>]*value="(\d+)"[^>]*checked', page),
    }).status_code == 302
    db.session.expire_all()
    assert [a.name for a in db.session.get(Consultation, consultation_id).areas] == ["Malmö"]
    # A new consultation is offered only the places young people go to, as before.
    assert not re.search(rf'<input[^>]*name="areas"[^>]*value="{city.id}"',
                         client.get(f"{BASE}/new").get_data(as_text=True))


def test_closing_time_must_follow_the_opening_time(client, login_as):
    login_as("youth_leader")
    in_english(client)
    response = post(client, f"{BASE}/new", {"title_sv": "X", "moderation": "pre",
                                            "opens_at": "2026-03-02T08:00",
                                            "closes_at": "2026-03-01T08:00"})
    assert "The closing time must be after the opening time." in response.get_data(as_text=True)


def test_missing_language_marker_names_the_missing_languages(client, login_as):
    login_as("youth_leader")
    in_english(client)
    consultation_id = create(client)  # title in sv and en, not ar
    page = client.get(f"{BASE}/{consultation_id}").get_data(as_text=True)
    marker = missing_marker(page)
    assert "Not translated yet" in marker
    assert 'lang="ar"' in marker and "العربية" in marker
    assert 'lang="en"' not in marker and 'lang="sv"' not in marker

    add_question(client, consultation_id, "choice", "Bara svenska",
                 **option_fields([{"text_sv": "Ja", "text_en": "Yes", "text_ar": "نعم"},
                                  {"text_sv": "Nej"}]))
    question = db.session.scalar(select(Question))
    edit = client.get(f"{BASE}/{consultation_id}/questions/{question.id}").get_data(as_text=True)
    prompt_marker = missing_marker(edit)
    assert 'lang="en"' in prompt_marker and 'lang="ar"' in prompt_marker
    rows = edit.split('class="option-row"')
    ja = missing_marker(rows[1])  # Ja: written in sv, en and ar
    assert not any(f'lang="{code}"' in ja for code in ("sv", "en", "ar"))
    assert 'lang="so"' in ja and "Soomaali" in ja
    assert 'lang="en"' in missing_marker(rows[2])  # Nej: Swedish only


def test_settings_are_stored_as_the_participant_side_reads_them(client, login_as):
    login_as("youth_leader")
    consultation_id = create(client)
    add_question(client, consultation_id, "idea", "Idéer?")
    add_question(client, consultation_id, "rank", "Rangordna", mode="dots", top_n="2",
                 dots="7", **option_fields([{"text_sv": "A"}, {"text_sv": "B"}]))
    add_question(client, consultation_id, "choice", "Välj", multiple="y",
                 **option_fields([{"text_sv": "A"}, {"text_sv": "B"}]))
    idea = db.session.scalar(select(Question).where(Question.kind == "idea"))
    add_question(client, consultation_id, "statement", "Håller du med?",
                 source_question_id=str(idea.id), **option_fields([{"text_sv": "Påstående"}]))
    add_question(client, consultation_id, "scale", "Hur mår du?")
    add_question(client, consultation_id, "word", "Ett ord")
    settings = {q.kind: q.settings for q in db.session.scalars(select(Question))}
    assert settings == {"idea": {}, "rank": {"mode": "dots", "top_n": 2, "dots": 7},
                        "choice": {"multiple": True},
                        "statement": {"source_question_id": idea.id},
                        "scale": {}, "word": {}}


def test_statements_may_come_only_from_idea_questions_of_the_same_consultation(
        client, login_as):
    login_as("youth_leader")
    in_english(client)
    consultation_id = create(client)
    add_question(client, consultation_id, "word", "Ett ord")
    word = db.session.scalar(select(Question))
    response = post(client, f"{BASE}/{consultation_id}/questions/new?kind=statement",
                    {"prompt_sv": "P", "source_question_id": str(word.id),
                     **option_fields([{"text_sv": "S"}])})
    assert response.status_code == 200  # not a choice on the form
    assert db.session.scalar(select(func.count(Question.id))) == 1


def test_choice_question_needs_two_options_in_swedish(client, login_as):
    login_as("youth_leader")
    in_english(client)
    consultation_id = create(client)
    response = post(client, f"{BASE}/{consultation_id}/questions/new?kind=choice",
                    {"prompt_sv": "Välj", **option_fields([{"text_sv": "A"},
                                                           {"text_en": "Only English"}])})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Write it in Swedish too." in html and "Write at least 2 options." in html
    # The summary at the top says which row and language, and jumps to it.
    assert summary_links(html) == [("options-1-text_sv",
                                     "Option 2 – Svenska: Write it in Swedish too.")]
    one = post(client, f"{BASE}/{consultation_id}/questions/new?kind=choice",
               {"prompt_sv": "Välj", **option_fields([{"text_sv": "A"}])})
    html = one.get_data(as_text=True)
    assert "Write at least 2 options." in html
    assert summary_links(html) == [] and "<ul>\n" not in html.split("error-summary")[1][:300]


def test_a_ranking_asks_for_no_more_places_than_options_and_no_option_twice(
        client, login_as):
    login_as("youth_leader")
    in_english(client)
    consultation_id = create(client)
    url = f"{BASE}/{consultation_id}/questions/new?kind=rank"
    two = option_fields([{"text_sv": "Läxhjälp"}, {"text_sv": "Idrott"}])
    too_many = post(client, url, {"prompt_sv": "Rangordna", "mode": "order", "top_n": "5",
                                  "dots": "5", **two}).get_data(as_text=True)
    assert "There are 2 options: ask for at most that many places." in too_many
    twice = post(client, url, {"prompt_sv": "Rangordna", "mode": "order", "top_n": "2",
                               **option_fields([{"text_sv": "Läxhjälp"},
                                                {"text_sv": " läxhjälp "},
                                                {"text_sv": "Idrott"}])})
    assert "Another option says the same." in twice.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Question.id))) == 0
    # The dots of the other mode may be left empty.
    add_question(client, consultation_id, "rank", "Rangordna", mode="order", top_n="2",
                 dots="", **two)
    assert db.session.scalar(select(Question)).settings == {"mode": "order", "top_n": 2,
                                                           "dots": 5}


def test_editing_an_option_text_keeps_its_votes(app, client, login_as):
    login_as("youth_leader")
    consultation, question = _open_with_choice(client)
    bus = question.options[0]
    _vote_for(app, consultation, bus)
    rows = [{"id": str(o.id), "text_sv": sv, "text_en": en, "text_ar": ""} for o, sv, en in
            zip(question.options, ["Skolbussen", "Cykeln", "Promenad"],
                ["The school bus", "The bike", ""], strict=True)]
    response = post(client, f"{BASE}/{consultation.id}/questions/{question.id}",
                    {"prompt_sv": "Hur tar du dig till skolan?", **option_fields(rows)})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Option, bus.id).text == {"sv": "Skolbussen", "en": "The school bus"}
    assert db.session.scalars(select(Vote.option_id)).all() == [bus.id]
    assert db.session.scalar(select(func.count(Option.id))) == 3  # changed in place
    events = db.session.scalars(select(AuditEvent.action)).all()
    assert "question.edited" in events


def test_removing_an_answered_option_asks_first_then_archives_it(app, client, login_as):
    login_as("youth_leader")
    in_english(client)
    consultation, question = _open_with_choice(client)
    bus = question.options[0]
    phone = _vote_for(app, consultation, bus)
    url = f"{BASE}/{consultation.id}/questions/{question.id}/options/{bus.id}/remove"

    asked = post(client, url)
    assert asked.status_code == 200
    assert "1 young person has already answered it." in asked.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Option, bus.id).archived_at is None

    assert post(client, url, {"confirm": "1"}).status_code == 302
    db.session.expire_all()
    archived = db.session.get(Option, bus.id)
    assert archived is not None and archived.archived_at is not None
    assert db.session.scalars(select(Vote.option_id)).all() == [bus.id]  # the vote is kept
    assert "Bussen" not in phone.get(f"/c/{consultation.id}/q/1").get_data(as_text=True)
    staff = client.get(f"{BASE}/{consultation.id}/questions/{question.id}").get_data(as_text=True)
    assert "The bus" in staff.split("Archived (")[1]  # shown greyed to staff
    assert "option.archived" in db.session.scalars(select(AuditEvent.action)).all()
    # The results still count the vote it got, marked as removed.
    results = client.get(f"/results/c/{consultation.id}").get_data(as_text=True)
    bar = results.split("The bus", 1)[1].split("</li>", 1)[0]
    assert "removed" in bar and "1 (100%)" in bar


def test_how_an_answered_question_is_answered_cannot_change(app, client, login_as):
    login_as("youth_leader")
    in_english(client)
    consultation, question = _open_with_choice(client, multiple=True)
    url = f"{BASE}/{consultation.id}/questions/{question.id}"
    rows = option_fields([{"id": str(o.id), "text_sv": o.text["sv"]} for o in question.options])
    # Before anyone answered, the setting may change.
    assert post(client, url, {"prompt_sv": "Hur tar du dig till skolan?", **rows}).status_code \
        == 302
    assert post(client, url, {"prompt_sv": "Hur tar du dig till skolan?", "multiple": "y",
                              **rows}).status_code == 302
    _vote_for(app, consultation, question.options[0])
    refused = post(client, url, {"prompt_sv": "Hur tar du dig till skolan?", **rows})
    assert refused.status_code == 200
    assert "the way they answer cannot change" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Question, question.id).settings == {"multiple": True}
    # Other edits still save.
    assert post(client, url, {"prompt_sv": "Hur kommer du till skolan?", "multiple": "y",
                              **rows}).status_code == 302


def test_removing_an_unanswered_option_deletes_it(app, client, login_as):
    login_as("youth_leader")
    consultation, question = _open_with_choice(client)
    bus, bike_id = question.options[0], question.options[1].id
    _vote_for(app, consultation, bus)
    url = f"{BASE}/{consultation.id}/questions/{question.id}/options/{bike_id}/remove"
    assert post(client, url).status_code == 302  # no confirmation needed
    db.session.expire_all()
    assert db.session.get(Option, bike_id) is None
    assert db.session.scalar(select(func.count(Vote.id))) == 1


def test_removing_an_option_keeps_what_was_typed_in_the_rest_of_the_editor(
        app, client, login_as):
    login_as("youth_leader")
    in_english(client)
    consultation, question = _open_with_choice(client)
    bus, bike, walk = question.options
    bike_id = bike.id
    _vote_for(app, consultation, bus)
    editor = f"{BASE}/{consultation.id}/questions/{question.id}"
    seen = re.search(r'id="seen" name="seen" type="hidden" value="([^"]+)"',
                     client.get(editor).get_data(as_text=True)).group(1)
    typed = {"prompt_sv": "Hur kommer du till skolan, oftast?", "seen": seen,
             **option_fields([{"id": str(bus.id), "text_sv": "Skolbussen"},
                              {"id": str(bike.id), "text_sv": "Cykeln"},
                              {"id": str(walk.id), "text_sv": "Promenad"},
                              {"text_sv": "Moped"}])}

    # Unanswered: removed at once; the editor comes back with the typing, less that row.
    page = post(client, f"{editor}/options/{bike.id}/remove", typed)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "The option is deleted." in html
    assert 'value="Hur kommer du till skolan, oftast?"' in html
    assert 'value="Skolbussen"' in html and 'value="Moped"' in html
    assert "Cykeln" not in html and "save the question to keep it" in html
    db.session.expire_all()
    assert db.session.get(Option, bike_id) is None
    assert db.session.get(Question, question.id).prompt["sv"] == "Hur tar du dig till skolan?"

    # Answered: the confirmation carries the typing both ways.
    remove_bus = f"{editor}/options/{bus.id}/remove"
    asked = post(client, remove_bus, typed).get_data(as_text=True)
    assert 'name="prompt_sv" value="Hur kommer du till skolan, oftast?"' in asked
    kept = post(client, remove_bus, {**typed, "cancel": "1"}).get_data(as_text=True)
    assert 'value="Hur kommer du till skolan, oftast?"' in kept and 'value="Skolbussen"' in kept
    db.session.expire_all()
    assert db.session.get(Option, bus.id).archived_at is None
    archived = post(client, remove_bus, {**typed, "confirm": "1"}).get_data(as_text=True)
    assert "The option is archived." in archived and 'value="Moped"' in archived
    assert 'value="Skolbussen"' not in archived
    db.session.expire_all()
    assert db.session.get(Option, bus.id).archived_at is not None

    # Saving then keeps the typing for good: the removals were made on this page, so the
    # editor they came back with is not out of date.
    rows = option_fields([{"id": str(walk.id), "text_sv": "Promenad"}, {"text_sv": "Moped"}])
    fresh = re.search(r'id="seen" name="seen" type="hidden" value="([^"]+)"', archived).group(1)
    assert post(client, editor, {"prompt_sv": "Hur kommer du till skolan, oftast?",
                                 "seen": fresh, **rows}).status_code == 302
    db.session.expire_all()
    saved = db.session.get(Question, question.id)
    assert saved.prompt["sv"] == "Hur kommer du till skolan, oftast?"
    assert sorted(o.text["sv"] for o in saved.options if o.archived_at is None) == [
        "Moped", "Promenad"]


def test_removing_an_answered_question_asks_first_then_archives_it(app, client, login_as):
    login_as("youth_leader")
    in_english(client)
    consultation_id = create(client)
    add_question(client, consultation_id, "idea", "Idéer?")
    add_question(client, consultation_id, "word", "Ett ord")
    post(client, f"{BASE}/{consultation_id}/open")
    consultation = db.session.get(Consultation, consultation_id)
    idea, word_id = consultation.questions[0], consultation.questions[1].id
    phone = app.test_client()
    join(phone, consultation.join_code)
    answer(phone, consultation_id, 1, {"text": "Mer fotboll", "client_key": "k1"})

    url = f"{BASE}/{consultation_id}/questions/{idea.id}/remove"
    asked = post(client, url)
    assert asked.status_code == 200 and "Remove this question?" in asked.get_data(as_text=True)
    assert post(client, url, {"confirm": "1"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Question, idea.id).archived_at is not None
    assert db.session.scalar(select(func.count(Contribution.id))) == 1
    results = client.get(f"/results/c/{consultation_id}").get_data(as_text=True)
    assert "Removed from the questions; the answers it got are kept" in results
    # The participant side now has one question: the word question.
    assert "Ett ord" in phone.get(f"/c/{consultation_id}/q/1").get_data(as_text=True)
    # A phone that was on question 2 and goes on finds the end, not "page not found".
    gone = phone.get(f"/c/{consultation_id}/q/2")
    assert gone.status_code == 302 and gone.headers["Location"] == f"/c/{consultation_id}/done"
    staff = client.get(f"{BASE}/{consultation_id}").get_data(as_text=True)
    assert "is-archived" in staff and "Archived:" in staff

    # While it is open, its last question stays: phones would find nothing to answer.
    refused = post(client, f"{BASE}/{consultation_id}/questions/{word_id}/remove")
    assert refused.status_code == 302
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "An open consultation needs at least one question" in page
    db.session.expire_all()
    assert db.session.get(Question, word_id).archived_at is None
    assert "Ett ord" in phone.get(f"/c/{consultation_id}/q/1").get_data(as_text=True)

    assert post(client, f"{BASE}/{consultation_id}/close").status_code == 302
    assert post(client, f"{BASE}/{consultation_id}/questions/{word_id}/remove").status_code \
        == 302
    db.session.expire_all()
    assert db.session.get(Question, word_id) is None  # no answers: deleted
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "question.archived" in actions and "question.deleted" in actions


def test_questions_move_up_and_down(client, login_as):
    login_as("youth_leader")
    consultation_id = create(client)
    for prompt in ("Ett", "Två", "Tre"):
        add_question(client, consultation_id, "word", prompt)
    ids = db.session.scalars(select(Question.id).order_by(Question.position)).all()
    post(client, f"{BASE}/{consultation_id}/questions/{ids[2]}/move", {"direction": "up"})
    post(client, f"{BASE}/{consultation_id}/questions/{ids[0]}/move", {"direction": "up"})
    post(client, f"{BASE}/{consultation_id}/questions/{ids[0]}/move", {"direction": "down"})
    db.session.expire_all()
    prompts = db.session.scalars(select(Question.prompt).order_by(Question.position)).all()
    assert [p["sv"] for p in prompts] == ["Tre", "Ett", "Två"]


def test_leader_edits_the_details(client, login_as):
    login_as("youth_leader")
    in_english(client)
    consultation_id = create(client)
    response = post(client, f"{BASE}/{consultation_id}/edit",
                    {"title_sv": "Ny titel", "title_en": "", "title_ar": "عنوان", "intro_sv": "Hej",
                     "moderation": "post"})
    assert response.status_code == 302
    consultation = db.session.get(Consultation, consultation_id)
    assert consultation.title == {"sv": "Ny titel", "ar": "عنوان"}
    assert consultation.intro == {"sv": "Hej"} and consultation.moderation == "post"
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "consultation.edited"))
    assert set(event.details["changed"]) == {"title", "intro", "moderation"}


def test_a_title_or_option_of_only_invisible_characters_counts_as_empty(client, login_as):
    """A zero-width space (pasted from a chat, say) is not a title young people can read."""
    login_as("youth_leader")
    in_english(client)
    refused = post(client, f"{BASE}/new", {"title_sv": "\u200b \u2060", "moderation": "pre"})
    assert refused.status_code == 200
    assert "Write the title in Swedish." in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Consultation)) == 0

    consultation_id = create(client, title_en="\ufeff")
    assert db.session.get(Consultation, consultation_id).title == {"sv": "Fritid efter skolan"}
    response = post(client, f"{BASE}/{consultation_id}/questions/new?kind=choice", {
        "prompt_sv": "Vilken dag?",
        **option_fields([{"text_sv": "Måndag"}, {"text_sv": "\u200b"}])})
    assert "Write at least 2 options." in response.get_data(as_text=True)


def test_a_question_has_at_most_fifty_options(client, login_as):
    login_as("youth_leader")
    in_english(client)
    consultation_id = create(client)
    many = option_fields([{"text_sv": f"Alternativ {n}"} for n in range(51)])
    response = post(client, f"{BASE}/{consultation_id}/questions/new?kind=choice",
                    {"prompt_sv": "Vilken?", **many})
    assert response.status_code == 200
    assert "Write at most 50 options." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Option)) == 0
    add_question(client, consultation_id, "choice", "Vilken?",
                 **option_fields([{"text_sv": f"Alternativ {n}"} for n in range(50)]))
    assert db.session.scalar(select(func.count()).select_from(Option)) == 50


def test_line_breaks_count_once_as_the_page_counts_them(client, login_as):
    """The intro box allows 2000 characters, counting a line break as one; the browser sends
    each as CR LF, which counted twice refused a text the page had allowed."""
    login_as("youth_leader")
    in_english(client)
    intro = "\r\n".join(["x" * 99] * 20)  # 1980 + 19 breaks: 1999 as the page counts
    consultation_id = create(client, intro_sv=intro)
    assert db.session.get(Consultation, consultation_id).intro["sv"] == intro.replace("\r\n",
                                                                                      "\n")


def test_a_choice_the_list_does_not_hold_gets_a_plain_message_and_keeps_the_title(
        client, login_as):
    """Only a tampered or outdated page sends one; WTForms' own words ("Invalid Choice: could
    not coerce.", in Swedish "Ogiltigt val: kunde inte tvinga") are not for people."""
    login_as("youth_leader")
    factories.demo()
    for lang, plain in [("en", "Choose one of the choices in the list."),
                        ("sv", "Välj ett av alternativen i listan.")]:
        client.get(f"/?lang={lang}")
        for tampered in [{"areas": "skolan"}, {"areas": "999999"}, {"moderation": "sometimes"}]:
            response = post(client, f"{BASE}/new", {"title_sv": "Skolgården",
                                                    "moderation": "pre", **tampered})
            html = response.get_data(as_text=True)
            assert response.status_code == 200 and plain in html, (lang, tampered)
            assert "coerce" not in html and "tvinga" not in html and "valid choice" not in html
            assert 'value="Skolgården"' in html
    assert db.session.scalar(select(func.count(Consultation.id))) == 1  # the demo's


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_back_and_save_again_makes_no_second_consultation(client, login_as):
    login_as("youth_leader")
    in_english(client)
    saved_once_then_again(
        client, f"{BASE}/new", {"title_sv": "Fritid efter skolan", "moderation": "pre",
                                "intro_en": "What do you do after school?"},
        lambda: _count(Consultation),
        typed=['value="Fritid efter skolan"', "What do you do after school?</textarea>"],
        link=lambda: f"{BASE}/{db.session.scalar(select(func.min(Consultation.id)))}")


def test_back_and_save_again_adds_the_question_once(client, login_as):
    login_as("youth_leader")
    in_english(client)
    consultation_id = create(client)

    def newest() -> str:
        question = db.session.scalar(select(func.max(Question.id)))
        return f"{BASE}/{consultation_id}#question-{question}"

    saved_once_then_again(
        client, f"{BASE}/{consultation_id}/questions/new?kind=choice",
        {"prompt_sv": "Vilken dag passar?", **option_fields([{"text_sv": "Måndag"},
                                                             {"text_sv": "Fredag"}])},
        lambda: _count(Question, Question.consultation_id == consultation_id),
        typed=['value="Vilken dag passar?"', 'value="Måndag"', 'value="Fredag"'],
        link=newest, button="Save question")
    assert _count(Option) == 4  # two questions of two options


def summary_links(html: str) -> list[tuple[str, str]]:
    summary = re.search(r'<div class="flash flash-error error-summary" role="alert">(.*?)</div>',
                        html, re.S)
    assert summary, "no error summary"
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary.group(1))
    for target, _ in links:  # each one jumps to something on the page
        assert html.count(f'id="{target}"') == 1, target
    return links


def test_a_refused_consultation_lists_what_to_fix_with_links_to_the_fields(client, login_as):
    """On a phone the form is long: the summary at its top names each field to fix (which
    title, which language) and jumps to it."""
    login_as("youth_leader")
    in_english(client)
    response = post(client, f"{BASE}/new", {
        "title_en": "Only English", "intro_sv": "x" * 5000, "moderation": "sometimes",
        "areas": "999999", "opens_at": "2026-03-02T08:00", "closes_at": "2026-03-01T08:00"})
    links = summary_links(response.get_data(as_text=True))
    assert [target for target, _ in links] == [
        "title_sv", "intro_sv", "areas-error", "closes_at", "moderation-0"]
    labels = dict(links)
    assert labels["title_sv"] == "Title – Svenska: Write the title in Swedish."
    assert labels["intro_sv"].startswith("Introduction (optional) – Svenska: ")
    assert labels["closes_at"] == "Closes: The closing time must be after the opening time."
    assert db.session.scalar(select(func.count(Consultation.id))) == 0


def test_details_saved_in_another_tab_are_not_overwritten_unseen(client, login_as):
    """Two tabs on Edit details: the second Save would put back the title the first one
    changed. It comes back with what was typed and a message; Save again saves it."""
    login_as("youth_leader")
    in_english(client)
    consultation_id = create(client)
    old_tab = client.get(f"{BASE}/{consultation_id}/edit").get_data(as_text=True)
    seen = re.search(r'id="seen" name="seen" type="hidden" value="([^"]+)"', old_tab).group(1)
    assert post(client, f"{BASE}/{consultation_id}/edit",
                {"title_sv": "Titel från den andra fliken", "moderation": "pre",
                 "seen": seen}).status_code == 302
    typed = {"title_sv": "Fritid efter skolan", "intro_sv": "En lång text jag skrev",
             "moderation": "pre", "seen": seen}
    stale = post(client, f"{BASE}/{consultation_id}/edit", typed)
    html = stale.get_data(as_text=True)
    assert stale.status_code == 200 and "Someone else saved a change to this" in html
    assert "En lång text jag skrev" in html
    db.session.expire_all()
    consultation = db.session.get(Consultation, consultation_id)
    assert consultation.title["sv"] == "Titel från den andra fliken" and not consultation.intro
    fresh = re.search(r'id="seen" name="seen" type="hidden" value="([^"]+)"', html).group(1)
    assert post(client, f"{BASE}/{consultation_id}/edit",
                {**typed, "seen": fresh}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Consultation, consultation_id).intro == {"sv": "En lång text jag skrev"}


def test_a_question_saved_in_another_tab_is_not_overwritten_unseen(client, login_as):
    login_as("youth_leader")
    in_english(client)
    consultation_id = create(client)
    add_question(client, consultation_id, "idea", "Vad vill du ändra?")
    question = db.session.scalar(select(Question).where(
        Question.consultation_id == consultation_id))
    editor = f"{BASE}/{consultation_id}/questions/{question.id}"
    seen = re.search(r'id="seen" name="seen" type="hidden" value="([^"]+)"',
                     client.get(editor).get_data(as_text=True)).group(1)
    assert post(client, editor, {"prompt_sv": "Vad vill du ändra på fritids?",
                                 "seen": seen}).status_code == 302
    stale = post(client, editor, {"prompt_sv": "Vad vill du ändra?", "help_sv": "Skriv fritt",
                                  "seen": seen})
    html = stale.get_data(as_text=True)
    assert stale.status_code == 200 and "Someone else saved a change to this" in html
    assert "Skriv fritt" in html
    db.session.expire_all()
    assert db.session.get(Question, question.id).prompt == {"sv": "Vad vill du ändra på fritids?"}


def test_buttons_and_editor_of_a_question_removed_in_another_tab(client, login_as):
    """An older tab still shows a question the other tab removed: Move and Remove say it
    is gone (no "page not found"), and Save shows what was typed, to copy."""
    login_as("youth_leader")
    in_english(client)
    consultation_id = create(client)
    add_question(client, consultation_id, "idea", "Ett")
    add_question(client, consultation_id, "idea", "Två")
    first = db.session.scalars(select(Question).where(
        Question.consultation_id == consultation_id).order_by(Question.position)).first()
    first_id = first.id
    question = f"{BASE}/{consultation_id}/questions/{first_id}"
    assert post(client, f"{question}/remove").status_code == 302
    for action, data in (("move", {"direction": "down"}), ("remove", {})):
        gone = post(client, f"{question}/{action}", data)
        assert gone.status_code == 302
        assert gone.headers["Location"].endswith(f"{BASE}/{consultation_id}")
        assert "This question has already been removed." in client.get(
            gone.headers["Location"]).get_data(as_text=True)
    saved = post(client, question, {"prompt_sv": "Ett, omskriven med omsorg",
                                    "help_en": "Write freely"})
    html = saved.get_data(as_text=True)
    assert saved.status_code == 409 and "What you wrote was not saved" in html
    assert "Ett, omskriven med omsorg" in html and "Write freely" in html
