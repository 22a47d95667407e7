"""A young person's pages send as many queries with 3 participants as with 40 more: joining,
every kind of question page, every kind of answer, and "my answers"."""
import itertools

import pytest
from sqlalchemy import select

from app.extensions import db
from app.feedback.models import FeedbackUpdate
from app.moderate.models import Theme
from app.participate.models import Contribution
from app.results import priorities
from app.results.models import Priority
from tests import factories, querycount
from tests.conftest import csrf_token
from tests.participate.helpers import answer, join
from tests.querycount import assert_flat, crowd

KINDS = ("idea", "statement", "rank", "word", "scale", "choice")
_keys = itertools.count()


@pytest.fixture
def demo(app_ctx):
    consultation = factories.demo()
    crowd(consultation, 3, tag="few")
    return consultation


def _answer_data(demo, kind: str) -> dict:
    _n, question = factories.questions_by_kind(demo)[kind]
    options = [o.id for o in question.options]
    if kind in ("idea", "word"):
        return {"text": f"Mitt svar {next(_keys)}", "client_key": f"qc-{next(_keys)}"}
    if kind == "statement":
        # A staff statement and the first participants' ideas: always visible, but once
        # there are many ideas they are no longer all on the first screen.
        ideas = db.session.scalars(select(Contribution.id).where(
            Contribution.question_id == question.setting("source_question_id"),
            Contribution.status == "approved").order_by(Contribution.id).limit(2)).all()
        return {f"s_o{options[0]}": "agree", **{f"s_c{i}": "disagree" for i in ideas}}
    if kind == "rank":
        return {f"place_{p}": str(o) for p, o in enumerate(options[:3], start=1)}
    if kind == "scale":
        return {"value": "4"}
    return {"option": [str(options[0]), str(options[1])]}


def test_joining_does_not_grow_with_participants(app, demo):
    def a_new_phone_joins():
        join(app.test_client())

    a_new_phone_joins()  # the first request of a session warms the caches
    assert_flat(a_new_phone_joins, lambda: crowd(demo, 40))


@pytest.mark.parametrize("kind", KINDS)
def test_question_page_does_not_grow_with_participants(app, demo, kind):
    phone = app.test_client()
    join(phone)
    n, _question = factories.questions_by_kind(demo)[kind]
    assert answer(phone, demo.id, n, _answer_data(demo, kind)).status_code == 302
    url = f"/c/{demo.id}/q/{n}"

    def page():
        assert phone.get(url).status_code == 200

    page()
    assert_flat(page, lambda: crowd(demo, 40))


@pytest.mark.parametrize("kind", KINDS)
def test_answer_does_not_grow_with_participants_or_ideas(app, demo, kind):
    phone = app.test_client()
    join(phone)
    n, _question = factories.questions_by_kind(demo)[kind]
    url = f"/c/{demo.id}/q/{n}"
    token = csrf_token(phone, url)
    data = _answer_data(demo, kind)  # the same items both times

    def post():
        fresh = {**data, "client_key": f"qc-{next(_keys)}"} if "client_key" in data else data
        response = phone.post(url, data={"csrf_token": token, **fresh})
        assert response.status_code == 302, response.get_data(as_text=True)

    post()  # the first answer also sets the language; measure the ones after it
    assert_flat(post, lambda: crowd(demo, 40))


def test_my_answers_do_not_grow_with_ideas_themes_priorities_or_news(app, demo):
    phone = app.test_client()
    join(phone)
    for kind in KINDS:
        answer(phone, demo.id, factories.questions_by_kind(demo)[kind][0],
               _answer_data(demo, kind))
    n_idea = factories.questions_by_kind(demo)["idea"][0]
    leader = factories.user(organisation=demo.organisation)
    db.session.commit()
    made = itertools.count()

    def more_ideas_on_their_way(count: int):
        """The phone's ideas, each published, themed, in a youth priority, with news."""
        for _ in range(count):
            i = next(made)
            answer(phone, demo.id, n_idea, {"text": f"Fler idéer {i}", "client_key": f"m{i}"})
            contribution = db.session.scalar(select(Contribution).where(
                Contribution.text == f"Fler idéer {i}"))
            contribution.status = "approved"
            contribution.theme = Theme(consultation_id=demo.id, name=f"Mitt tema {i}")
            priority = Priority(consultation_id=demo.id, position=10 + i,
                                title={"sv": f"Prioritering {i}"}, contributions=[contribution])
            db.session.add(priority)
            db.session.flush()
            priorities.publish(leader, priority)
            db.session.add(FeedbackUpdate(title={"sv": f"Nyhet {i}"}, body={"sv": "."},
                                          status="published", consultations=[demo],
                                          published_at=priority.published_at))
            db.session.commit()  # SQLite: the phone's next answer must not wait for us
        page()  # the first visit marks the news as read (a write that is not repeated)

    def page():
        assert phone.get("/me").status_code == 200

    more_ideas_on_their_way(1)
    assert_flat(page, lambda: (crowd(demo, 40), more_ideas_on_their_way(8)))


def test_the_join_page_looks_its_code_up_once(app, demo):
    """The wrong-code limit asks whether a code is right; the page reuses that answer."""
    phone = app.test_client()
    phone.get("/j/DEMO01")  # warm-up: the device cookie
    lookups = [s for s in querycount.statements_of(lambda: phone.get("/j/DEMO01"))
               if "join_code" in s and "FROM consultations" in s]
    assert len(lookups) == 1, lookups
