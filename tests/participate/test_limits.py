"""Abuse limits sized for a school: 300 phones behind one school address are never limited,
one phone sending more than 30 answers a second is, with a kind answer and Retry-After."""
import pytest
from sqlalchemy import func, select

from app.extensions import db, limiter
from app.participate.models import Contribution
from tests import factories
from tests.participate.helpers import join

SCHOOL = {"REMOTE_ADDR": "198.51.100.7"}


@pytest.fixture
def frozen_limits(monkeypatch):
    """The rate limiter's clock stands still, so "in one second" holds on a slow machine."""
    import time
    import types

    import flask_limiter._extension
    import limits.storage.memory
    import limits.strategies

    now = time.time()
    frozen = types.SimpleNamespace(time=lambda: now, sleep=time.sleep,
                                   monotonic=time.monotonic, mktime=time.mktime)
    monkeypatch.setattr(limits.storage.memory, "time", frozen)
    monkeypatch.setattr(limits.strategies, "time", frozen)
    # Retry-After is worked out from the same clock (else a slow run makes it negative).
    monkeypatch.setattr(flask_limiter._extension, "time", frozen)


def _post_idea(phone, consultation_id, n, text, json=False):
    # The CSRF token is read once per phone; answers are then posted back to back.
    headers = {"Accept": "application/json"} if json else {}
    return phone.post(f"/c/{consultation_id}/q/{n}", data={
        "csrf_token": phone._csrf, "text": text, "client_key": text},
        headers=headers, environ_overrides=SCHOOL)


def _phone(app, consultation_id, n):
    import re

    phone = app.test_client()
    join(phone)
    html = phone.get(f"/c/{consultation_id}/q/{n}").get_data(as_text=True)
    phone._csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    return phone


def test_the_31st_answer_in_a_second_from_one_phone_is_limited(app, app_ctx, frozen_limits):
    demo = factories.demo()
    n = factories.questions_by_kind(demo)["idea"][0]
    phone = _phone(app, demo.id, n)
    statuses = [_post_idea(phone, demo.id, n, f"idé {i}").status_code for i in range(30)]
    assert statuses == [302] * 30
    limited = _post_idea(phone, demo.id, n, "idé 31", json=True)
    assert limited.status_code == 429
    assert limited.headers["Retry-After"].isdigit()
    assert limited.get_json()["error"] == 429
    page = _post_idea(phone, demo.id, n, "idé 32")
    assert page.status_code == 429 and "Ta det lite lugnt" in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Contribution.id))) == 30


def test_thirty_phones_behind_one_school_address_are_not_limited(app, app_ctx, frozen_limits):
    demo = factories.demo()
    n = factories.questions_by_kind(demo)["idea"][0]
    phones = [_phone(app, demo.id, n) for _ in range(30)]
    for round_ in range(3):  # each phone sends three ideas within the same second
        for i, phone in enumerate(phones):
            response = _post_idea(phone, demo.id, n, f"idé {i}-{round_}")
            assert response.status_code == 302, (i, round_, response.status_code)
    assert db.session.scalar(select(func.count(Contribution.id))) == 90


def test_a_whole_school_answering_on_the_projectors_cue_is_not_limited(app, app_ctx,
                                                                      frozen_limits):
    """300 answers within the same second from one school address: the projector moves on and
    the whole school taps (bench/school_morning.py runs the full morning)."""
    demo = factories.demo()
    n = factories.questions_by_kind(demo)["idea"][0]
    phones = []
    for _ in range(3):  # joining takes the children a while: not all in the same second
        phones += [_phone(app, demo.id, n) for _ in range(50)]
        limiter.reset()
    for round_ in range(2):
        for i, phone in enumerate(phones):
            response = _post_idea(phone, demo.id, n, f"idé {i}-{round_}")
            assert response.status_code == 302, (i, round_, response.status_code)
    assert db.session.scalar(select(func.count(Contribution.id))) == 300
