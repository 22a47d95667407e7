"""Nothing lost, nothing doubled: an offline replay, a double tap or a retry never creates a
second row, and the same phone voting from several requests at once ends with one vote per
item (unique index + upsert, on SQLite and on PostgreSQL)."""
import re
import threading

from sqlalchemy import func, select

from app.extensions import db
from app.participate.models import Contribution, Vote
from tests import factories
from tests.participate.helpers import join


def _ready_phone(app, consultation_id, n):
    phone = app.test_client()
    join(phone)
    html = phone.get(f"/c/{consultation_id}/q/{n}").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    return phone, token


def test_a_replayed_idea_and_a_replayed_vote_are_stored_once(app, app_ctx):
    demo = factories.demo()
    kinds = factories.questions_by_kind(demo)
    n_idea, n_statement = kinds["idea"][0], kinds["statement"][0]
    option = kinds["statement"][1].options[0]
    phone, token = _ready_phone(app, demo.id, n_idea)
    for _ in range(3):  # the offline queue sends it again after a lost answer
        response = phone.post(f"/c/{demo.id}/q/{n_idea}", headers={"Accept": "application/json"},
                              data={"csrf_token": token, "text": "Cyklar till alla",
                                    "client_key": "offline-7f3a"})
        assert response.status_code == 200 and response.get_json()["ok"] is True
    assert db.session.scalar(select(func.count(Contribution.id))) == 1
    for value in ("agree", "agree", "disagree"):
        phone.post(f"/c/{demo.id}/q/{n_statement}",
                   data={"csrf_token": token, f"s_o{option.id}": value})
    votes = db.session.scalars(select(Vote).where(Vote.option_id == option.id)).all()
    assert [(v.value) for v in votes] == [-1]  # one row, the last answer


def test_concurrent_votes_of_one_phone_make_one_row_per_item(app, app_ctx):
    demo = factories.demo()
    n, question = factories.questions_by_kind(demo)["statement"]
    options = [o.id for o in question.options[:3]]
    question_id, demo_id = question.id, demo.id
    phone, token = _ready_phone(app, demo.id, n)
    cookie = phone.get_cookie("device").value
    db.session.commit()
    barrier = threading.Barrier(8)
    statuses = []

    def vote(i):
        try:
            statuses.append(_vote(i))
        except Exception as exc:  # noqa: BLE001  (reported by the assertion below)
            statuses.append(repr(exc))

    def _vote(i):
        client = app.test_client()
        client.set_cookie("device", cookie)
        session = phone.get_cookie(app.config["SESSION_COOKIE_NAME"])
        client.set_cookie(session.key, session.value)  # the same CSRF token
        barrier.wait()
        response = client.post(f"/c/{demo_id}/q/{n}", headers={"Accept": "application/json"},
                               data={"csrf_token": token, **{
                                   f"s_o{o}": ("agree", "disagree")[i % 2]
                                   for o in options}})
        return response.status_code

    threads = [threading.Thread(target=vote, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert statuses == [200] * 8
    db.session.expire_all()
    rows = db.session.execute(select(Vote.option_id, func.count()).where(
        Vote.question_id == question_id).group_by(Vote.option_id)).all()
    assert sorted(rows) == sorted((o, 1) for o in options)
