"""Participant pages reuse a consultation's questions, options and areas (app/participate/
cache.py): a phone's next page does not load them again, and what a youth leader changes
shows on the very next page."""
import time

import pytest
from sqlalchemy import select

from app.extensions import db
from app.participate import cache
from app.participate.models import Participant
from tests import factories, querycount
from tests.conftest import csrf_token
from tests.consultations.helpers import BASE, option_fields, post
from tests.participate.helpers import answer, join


@pytest.fixture
def demo(app_ctx):
    return factories.demo()


def loads_questions(statements: list[str]) -> bool:
    return any("FROM questions" in s or "FROM options" in s for s in statements)


def test_the_next_page_does_not_load_the_questions_again(app, demo):
    phone = app.test_client()
    join(phone)
    n, question = factories.questions_by_kind(demo)["choice"]
    url = f"/c/{demo.id}/q/{n}"
    cache.forget_all()

    first = querycount.statements_of(lambda: phone.get(url))
    with querycount.recorded() as sent:
        html = phone.get(url).get_data(as_text=True)
    again = [statement for statement, _parameters in sent]

    assert loads_questions(first)
    assert not loads_questions(again)
    assert len(again) < len(first)
    assert question.prompt["sv"] in html
    assert all(o.text["sv"] in html for o in question.options)
    # An answer uses the same copy: the options it checks come from it.
    chosen, consultation_id = str(question.options[0].id), demo.id
    sent = querycount.statements_of(
        lambda: answer(phone, consultation_id, n, {"option": chosen}))
    assert not loads_questions(sent)


def test_an_option_a_leader_renames_shows_on_the_next_page(app, client, login_as, demo):
    phone = app.test_client()
    join(phone)
    n, question = factories.questions_by_kind(demo)["choice"]
    url = f"/c/{demo.id}/q/{n}"
    assert "Skolbussen" not in phone.get(url).get_data(as_text=True)  # now kept

    login_as("youth_leader", organisation=demo.organisation)
    rows = [{"id": str(o.id), "text_sv": o.text["sv"], "text_en": o.text.get("en", ""),
             "text_ar": ""} for o in question.options]
    rows[0]["text_sv"] = "Skolbussen"
    edited = post(client, f"{BASE}/{demo.id}/questions/{question.id}",
                  {"prompt_sv": question.prompt["sv"], **option_fields(rows)})
    assert edited.status_code == 302

    assert "Skolbussen" in phone.get(url).get_data(as_text=True)


def test_a_consultation_a_leader_closes_takes_no_more_answers(app, client, login_as, demo):
    phone = app.test_client()
    join(phone)
    n, _question = factories.questions_by_kind(demo)["scale"]
    assert answer(phone, demo.id, n, {"value": "3"}).status_code == 302

    login_as("youth_leader", organisation=demo.organisation)
    assert post(client, f"{BASE}/{demo.id}/close").status_code == 302

    refused = answer(phone, demo.id, n, {"value": "4"}, json=True)
    assert refused.status_code == 409 and refused.json["closed"] is True


def test_areas_taken_off_a_consultation_are_not_accepted_when_joining(app, client, login_as,
                                                                       demo):
    area, kept = demo.areas[0], [a.id for a in demo.areas[1:]]
    phone = app.test_client()
    token = csrf_token(phone, f"/j/{demo.join_code}")
    assert cache.load(demo.id) is not None  # kept, with the area
    db.session.rollback()

    login_as("youth_leader", organisation=demo.organisation)
    edited = post(client, f"{BASE}/{demo.id}/edit",
                  {"title_sv": demo.title["sv"], "moderation": demo.moderation, "areas": kept})
    assert edited.status_code == 302

    joined = phone.post(f"/c/{demo.id}/join", data={"csrf_token": token, "area": str(area.id)})
    assert joined.status_code == 302
    assert db.session.scalar(select(Participant.area_id)) is None


def test_a_kept_copy_is_not_used_after_a_minute(app, demo, monkeypatch):
    """For what a version cannot tell, such as a database restored from a backup."""
    consultation_id = demo.id
    assert cache.load(consultation_id) is not None
    db.session.rollback()
    assert querycount.count(lambda: cache.load(consultation_id)) == 1  # only the version
    db.session.rollback()
    monkeypatch.setattr(cache, "_clock", lambda: time.monotonic() + cache.LONGEST + 1)
    assert loads_questions(querycount.statements_of(lambda: cache.load(consultation_id)))


def test_a_draft_or_an_unknown_consultation_is_not_found(app, demo):
    demo.status = "draft"
    db.session.commit()
    assert cache.load(demo.id) is None
    assert cache.load(demo.id + 1000) is None


def test_the_join_page_shows_what_a_leader_changes_on_the_next_visit(app, client, login_as,
                                                                     demo):
    """The join page shows the kept copy too (with its areas): looked up by code with its
    version, so an edit shows at once."""
    phone = app.test_client()
    area, kept = demo.areas[0], [a.id for a in demo.areas[1:]]
    assert f'value="{area.id}"' in phone.get("/j/DEMO01").get_data(as_text=True)
    again = querycount.statements_of(lambda: phone.get("/j/DEMO01"))
    assert not any("FROM areas" in s or "FROM questions" in s for s in again)  # kept

    login_as("youth_leader", organisation=demo.organisation)
    edited = post(client, f"{BASE}/{demo.id}/edit",
                  {"title_sv": "Skolgården först", "moderation": demo.moderation,
                   "areas": kept})
    assert edited.status_code == 302

    html = phone.get("/j/DEMO01").get_data(as_text=True)
    assert "Skolgården först" in html
    assert f'value="{area.id}"' not in html and f'value="{kept[0]}"' in html
