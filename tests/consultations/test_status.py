"""Opening, closing and reopening a consultation, and copying one as a template."""
import re
from datetime import UTC, datetime

from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.consultations.models import Consultation, Option, Question
from app.extensions import db
from app.participate.models import Participant, Vote
from tests import factories
from tests.consultations.helpers import BASE, add_question, create, in_english, post
from tests.participate.helpers import answer, join
from tests.sent_again import saved_once_then_again


def _actions(consultation_id: int) -> list[str]:
    return db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_type == "consultations",
                                        AuditEvent.object_id == str(consultation_id))
        .order_by(AuditEvent.id)).all()


def _status(consultation_id: int) -> str:
    db.session.expire_all()
    return db.session.get(Consultation, consultation_id).status


def test_open_close_and_reopen_are_recorded_in_the_audit_log(app, client, login_as):
    leader = login_as("youth_leader")
    in_english(client)
    consultation_id = create(client)
    add_question(client, consultation_id, "word", "Ett ord")
    code = db.session.get(Consultation, consultation_id).join_code

    assert post(client, f"{BASE}/{consultation_id}/open").status_code == 302
    assert _status(consultation_id) == "open"
    join(app.test_client(), code)  # young people can join now
    post(client, f"{BASE}/{consultation_id}/close")
    assert _status(consultation_id) == "closed"
    closed_page = app.test_client().get(f"/j/{code}")
    assert closed_page.status_code == 200 and 'action="/c/' not in closed_page.text
    post(client, f"{BASE}/{consultation_id}/open")
    assert _status(consultation_id) == "open"
    assert db.session.get(Consultation, consultation_id).join_code == code  # still free

    assert _actions(consultation_id) == ["consultation.created", "consultation.opened",
                                         "consultation.closed", "consultation.reopened"]
    actors = set(db.session.scalars(select(AuditEvent.actor_id).where(
        AuditEvent.object_type == "consultations")))
    assert actors == {leader.id}


def test_a_draft_opens_only_with_a_question(client, login_as):
    login_as("youth_leader")
    in_english(client)
    consultation_id = create(client)
    response = post(client, f"{BASE}/{consultation_id}/open")
    assert response.status_code == 302
    assert _status(consultation_id) == "draft"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Add at least one question before you open it." in page


def test_it_does_not_open_once_its_closing_time_has_passed(client, login_as):
    """Open with a closing time gone by, it said "Young people can join" while every phone
    was told it had ended."""
    login_as("youth_leader")
    in_english(client)
    consultation_id = create(client, closes_at="2020-01-01T10:00")
    add_question(client, consultation_id, "word", "Ett ord")
    response = post(client, f"{BASE}/{consultation_id}/open")
    assert _status(consultation_id) == "draft"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Its closing time has passed" in page
    post(client, f"{BASE}/{consultation_id}/edit", {
        "title_sv": "Fritid efter skolan", "moderation": "pre", "closes_at": ""})
    post(client, f"{BASE}/{consultation_id}/open")
    assert _status(consultation_id) == "open"


def test_closing_a_draft_changes_nothing(client, login_as):
    login_as("youth_leader")
    consultation_id = create(client)
    post(client, f"{BASE}/{consultation_id}/close")
    assert _status(consultation_id) == "draft"
    assert _actions(consultation_id) == ["consultation.created"]


def test_reopening_with_a_code_now_used_by_another_open_consultation_gets_a_new_code(
        client, login_as):
    login_as("youth_leader")
    in_english(client)
    consultation_id = create(client)
    add_question(client, consultation_id, "word", "Ett ord")
    post(client, f"{BASE}/{consultation_id}/open")
    post(client, f"{BASE}/{consultation_id}/close")
    old_code = db.session.get(Consultation, consultation_id).join_code
    # Meanwhile another organisation's consultation was opened with the same code.
    other = Consultation(organisation=factories.organisation(), join_code=old_code,
                         status="open", title={"sv": "Annan"})
    db.session.add(other)
    db.session.commit()

    response = post(client, f"{BASE}/{consultation_id}/open")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    reopened = db.session.get(Consultation, consultation_id)
    assert reopened.status == "open" and reopened.join_code != old_code
    assert len(reopened.join_code) == 6
    assert f"Its old code {old_code} is used by another open consultation now" in page
    assert reopened.join_code in page
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "consultation.reopened"))
    assert event.details == {"code": reopened.join_code, "old_code": old_code}


def test_duplicate_copies_questions_and_options_but_no_answers(app, client, login_as):
    demo = factories.demo()
    login_as("youth_leader", organisation=demo.organisation)
    phone = app.test_client()
    join(phone)
    positions = factories.questions_by_kind(demo)
    choice = positions["choice"][1]
    answer(phone, demo.id, positions["choice"][0], {"option": str(choice.options[0].id)})
    answer(phone, demo.id, positions["idea"][0], {"text": "Gungor", "client_key": "k"})
    archived = Option(text={"sv": "Gammalt"}, position=9, archived_at=demo.created_at)
    choice.options.append(archived)
    db.session.commit()

    response = post(client, f"{BASE}/{demo.id}/duplicate")
    assert response.status_code == 302
    copy = db.session.scalars(select(Consultation).where(Consultation.id != demo.id)).one()
    assert response.headers["Location"] == f"{BASE}/{copy.id}"
    assert copy.status == "draft" and copy.join_code != demo.join_code
    assert copy.title == demo.title and copy.intro == demo.intro
    assert copy.moderation == demo.moderation
    assert [a.id for a in copy.areas] == [a.id for a in demo.areas]
    assert [c.id for c in copy.challenge_areas] == [c.id for c in demo.challenge_areas]
    assert [(q.kind, q.prompt) for q in copy.questions] == \
        [(q.kind, q.prompt) for q in demo.active_questions()]
    by_kind = {q.kind: q for q in copy.questions}
    assert [o.text for o in by_kind["choice"].options] == \
        [o.text for o in choice.options if o.archived_at is None]
    assert by_kind["statement"].settings == {"source_question_id": by_kind["idea"].id}
    assert by_kind["rank"].settings == positions["rank"][1].settings
    copied_questions = [q.id for q in copy.questions]
    assert db.session.scalar(select(func.count(Participant.id))
                             .where(Participant.consultation_id == copy.id)) == 0
    assert db.session.scalar(select(func.count(Vote.id))
                             .where(Vote.question_id.in_(copied_questions))) == 0
    assert db.session.scalar(select(func.count(Question.id))) == 2 * len(copy.questions)
    assert _actions(copy.id) == ["consultation.duplicated"]


def test_an_open_consultation_leads_to_its_moderation_results_and_live_view(client, login_as):
    login_as("youth_leader")
    in_english(client)
    consultation_id = create(client)
    add_question(client, consultation_id, "word", "Ett ord")
    draft = client.get(f"{BASE}/{consultation_id}").get_data(as_text=True)
    assert f'href="/results/c/{consultation_id}"' not in draft  # nothing to see yet
    assert 'href="/moderate/">Moderation</a>' in draft  # the staff menu, on every page
    post(client, f"{BASE}/{consultation_id}/open")
    code = db.session.get(Consultation, consultation_id).join_code
    page = client.get(f"{BASE}/{consultation_id}").get_data(as_text=True)
    links = [f"/moderate/c/{consultation_id}", f"/results/c/{consultation_id}",
             f"/live/{code}", f"/results/c/{consultation_id}/priorities"]
    for link in links:
        assert f'href="{link}"' in page, link
        assert client.get(link).status_code == 200, link


def _open_with(client, **times) -> int:
    """An open consultation, then its times set as if time had passed since."""
    consultation_id = create(client)
    add_question(client, consultation_id, "word", "Ett ord")
    post(client, f"{BASE}/{consultation_id}/open")
    consultation = db.session.get(Consultation, consultation_id)
    for name, value in times.items():
        setattr(consultation, name, value)
    db.session.commit()
    return consultation_id


def _tag(html: str) -> str:
    return re.search(r'<span class="tag status-[^"]*">([^<]*)</span>', html).group(1)


def test_staff_pages_say_ended_once_the_closing_time_has_passed(app, client, login_as):
    """It still said "Open" on the list and the details while phones said it had ended."""
    login_as("youth_leader")
    in_english(client)
    consultation_id = _open_with(client, closes_at=datetime(2020, 1, 1, 9, tzinfo=UTC))
    code = db.session.get(Consultation, consultation_id).join_code
    assert _status(consultation_id) == "open"
    assert "This has ended" in app.test_client().get(f"/j/{code}?lang=en").text

    listing = client.get(BASE).text
    details = client.get(f"{BASE}/{consultation_id}").text
    for page in (listing, details):
        assert _tag(page) == "Ended"
        assert "Closed at 01/01/2020, 10:00" in page  # Stockholm time
    assert "Its closing time has passed, so phones say it has ended." in details


def test_staff_pages_say_not_open_yet_before_the_opening_time(client, login_as):
    login_as("youth_leader")
    in_english(client)
    consultation_id = _open_with(client, opens_at=datetime(2099, 1, 10, 9, tzinfo=UTC))
    for page in (client.get(BASE).text, client.get(f"{BASE}/{consultation_id}").text):
        assert _tag(page) == "Not open yet"
        assert "Opens at 10/01/2099, 10:00" in page


def test_an_open_consultation_within_its_times_says_open(client, login_as):
    login_as("youth_leader")
    in_english(client)
    consultation_id = _open_with(client, opens_at=datetime(2020, 1, 1, tzinfo=UTC),
                                 closes_at=datetime(2099, 1, 1, tzinfo=UTC))
    assert _tag(client.get(f"{BASE}/{consultation_id}").text) == "Open"


def test_back_and_duplicate_again_makes_one_copy(client, login_as):
    demo = factories.demo()
    login_as("youth_leader", organisation=demo.organisation)
    in_english(client)

    def copies() -> int:
        return db.session.scalar(select(func.count(Consultation.id)).where(
            Consultation.id != demo.id))

    again = saved_once_then_again(
        client, f"{BASE}/{demo.id}", {}, copies, typed=[],
        link=lambda: f"{BASE}/{db.session.scalar(select(func.max(Consultation.id)))}",
        post_url=f"{BASE}/{demo.id}/duplicate", button="Duplicate as a template")
    assert "Duplicate as a template" in again.get_data(as_text=True)  # the original's page
