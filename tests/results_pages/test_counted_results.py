"""The results page reuses a count for a while (app/results/cache.py): new answers show up
when the reuse ends, what a youth leader changes shows at once, and a reused page sends no
counting queries."""
import threading
import time
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.consultations.models import Consultation
from app.extensions import db
from app.moderate.models import Theme
from app.participate.models import Contribution, Participant, Vote
from app.results import cache
from tests import factories, querycount
from tests.conftest import csrf_token
from tests.moderate_queue.test_queue import act, idea_from_new_phone
from tests.participate.helpers import answer, join


@pytest.fixture
def reusing(app, monkeypatch):
    """As in production, but every count is reused for the full 30 seconds (counts of test
    data are too fast for the 20 × counting time to matter)."""
    monkeypatch.setitem(app.config, "RESULTS_CACHE_SECONDS", 30)
    monkeypatch.setitem(app.config, "RESULTS_REUSE_FACTOR", 1_000_000)
    cache.forget_all()
    yield
    cache.forget_all()


@pytest.fixture
def demo(app_ctx):
    return factories.demo()


def later(monkeypatch, seconds: float):
    monkeypatch.setattr(cache, "_clock", lambda: time.monotonic() + seconds)


def results(client, demo, lang=None) -> str:
    response = client.get(f"/results/c/{demo.id}" + (f"?lang={lang}" if lang else ""))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_data(as_text=True)


def phone_answers(app, demo, value: str):
    phone = app.test_client()
    join(phone)
    answer(phone, demo.id, factories.questions_by_kind(demo)["scale"][0], {"value": value})


def test_new_answers_appear_when_the_reuse_ends(client, app, demo, login_as, reusing,
                                                monkeypatch):
    phone_answers(app, demo, "5")
    login_as("youth_leader", organisation=demo.organisation)
    first = results(client, demo)
    assert "1 deltagare" in first
    assert "Räknat kl." in first and "högst 30 sekunder senare" in first

    phone_answers(app, demo, "1")
    assert "1 deltagare" in results(client, demo)  # the same count, reused

    later(monkeypatch, 31)
    assert "2 deltagare" in results(client, demo)


def test_what_a_leader_moderates_shows_at_once(client, app, demo, login_as, reusing):
    _, idea = idea_from_new_phone(app, demo, "Fler bänkar på skolgården")
    login_as("youth_leader", organisation=demo.organisation)
    assert "Fler bänkar på skolgården" not in results(client, demo)  # waiting: not shown

    act(client, idea, "approve")
    assert "Fler bänkar på skolgården" in results(client, demo)

    act(client, idea, "hide", reason="unkind")
    assert "Fler bänkar på skolgården" not in results(client, demo)


def test_a_phone_that_deletes_everything_leaves_the_results_at_once(client, app, demo,
                                                                     login_as, reusing):
    author, idea = idea_from_new_phone(app, demo, "Mitt eget förslag")
    login_as("youth_leader", organisation=demo.organisation)
    act(client, idea, "approve")
    assert "Mitt eget förslag" in results(client, demo)
    response = author.post("/me/delete", data={"csrf_token": csrf_token(author, "/me/delete")})
    assert response.status_code == 302
    assert "Mitt eget förslag" not in results(client, demo)  # not 30 seconds later


def test_an_idea_its_author_deletes_leaves_the_results_at_once(client, app, demo, login_as,
                                                               reusing):
    author, idea = idea_from_new_phone(app, demo, "Ta bort mig")
    login_as("youth_leader", organisation=demo.organisation)
    act(client, idea, "approve")
    assert "Ta bort mig" in results(client, demo)
    url = f"/me/contributions/{idea.id}/delete"
    response = author.post(url, data={"csrf_token": csrf_token(author, url)})
    assert response.status_code == 302
    assert db.session.scalar(select(Contribution.id).where(Contribution.id == idea.id)) is None
    assert "Ta bort mig" not in results(client, demo)  # not 30 seconds later


def test_each_language_gets_its_own_count(client, app, demo, login_as, reusing):
    phone_answers(app, demo, "4")
    login_as("youth_leader", organisation=demo.organisation)
    assert "Vem var med" in results(client, demo)
    english = results(client, demo, lang="en")
    assert "Who took part" in english and "Vem var med" not in english


def test_a_reused_page_sends_no_counting_queries(client, app, demo, login_as, reusing):
    phone_answers(app, demo, "3")
    login_as("youth_leader", organisation=demo.organisation)
    counting = querycount.statements_of(lambda: results(client, demo))
    reused = querycount.statements_of(lambda: results(client, demo))
    assert any("votes" in s for s in counting)
    assert not any("votes" in s for s in reused)
    assert len(reused) < len(counting)


def test_without_reuse_every_view_counts(client, app, demo, login_as):
    assert app.config["RESULTS_CACHE_SECONDS"] == 0  # the tests' setting
    login_as("youth_leader", organisation=demo.organisation)
    assert "0 deltagare" in results(client, demo)
    phone_answers(app, demo, "2")
    html = results(client, demo)
    assert "1 deltagare" in html and "Räknat kl." in html and "sekunder senare" not in html


def version(consultation) -> int:
    return db.session.scalar(select(Consultation.results_version)
                             .where(Consultation.id == consultation.id))


def test_staff_changes_raise_the_results_version_and_answers_do_not(app, demo):
    questions = factories.questions_by_kind(demo)
    start = version(demo)

    participant = Participant(device_hash="v-1", consultation_id=demo.id, language="sv",
                              consent_version="t")
    db.session.add(participant)
    db.session.flush()
    idea = Contribution(participant_id=participant.id, question_id=questions["idea"][1].id,
                        text="Ett tak", language="sv", client_key="k-1")
    vote = Vote(participant_id=participant.id, question_id=questions["scale"][1].id, value=4)
    db.session.add_all([idea, vote])
    db.session.commit()
    vote.value = 2  # a young person changes their mind
    db.session.commit()
    assert version(demo) == start  # answers: the reuse ends by time

    idea.status = "approved"
    db.session.commit()
    assert version(demo) == start + 1  # moderated
    db.session.add(Theme(consultation_id=demo.id, name="Skolgården"))
    db.session.commit()
    assert version(demo) == start + 2
    questions["choice"][1].options[0].text = {"sv": "Något annat"}
    db.session.commit()
    assert version(demo) == start + 3
    db.session.delete(vote)
    db.session.commit()
    assert version(demo) == start + 4
    db.session.delete(participant)
    db.session.commit()
    assert version(demo) == start + 5

    other = Consultation(organisation_id=demo.organisation_id, join_code="OTHER1",
                         title={"sv": "En annan"})
    db.session.add(other)
    db.session.commit()
    other_start = version(other)
    questions["scale"][1].prompt = {"sv": "Hur mycket?"}
    db.session.commit()
    assert version(demo) == start + 6 and version(other) == other_start


def test_threads_wanting_the_same_count_wait_for_one(monkeypatch):
    cache.forget_all()
    consultation = SimpleNamespace(id=10_001, results_version=0)
    calls = []

    def count():
        calls.append(1)
        time.sleep(0.2)
        return "counted"

    got = []
    threads = [threading.Thread(target=lambda: got.append(
        cache.counted(consultation, "sv", count, 30, 20))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1 and [c.value for c in got] == ["counted"] * 4
    # 0.2 s of counting is reused for 20 × 0.2 = 4 s (at most the 30 s asked for).
    assert 4 <= got[0].reused_for < 30
    cache.forget_all()


def test_a_quick_count_is_reused_only_briefly_and_a_new_version_counts_again(monkeypatch):
    cache.forget_all()
    consultation = SimpleNamespace(id=10_002, results_version=0)
    quick = cache.counted(consultation, "sv", lambda: "first", 30, 20)
    assert quick.reused_for < 0.5  # a fast count stays live
    slow = SimpleNamespace(id=10_003, results_version=0)
    assert cache.counted(slow, "sv", lambda: time.sleep(0.1) or "a", 30, 20).value == "a"
    assert cache.counted(slow, "sv", lambda: "b", 30, 20).value == "a"  # reused
    slow.results_version = 1
    assert cache.counted(slow, "sv", lambda: "c", 30, 20).value == "c"  # changed by staff
    cache.forget_all()


@pytest.mark.parametrize(("name", "value"), [("RESULTS_CACHE_SECONDS", "half a minute"),
                                             ("RESULTS_REUSE_FACTOR", "-1"),
                                             ("RESULTS_CACHE_SECONDS", "inf")])
def test_a_wrong_results_setting_stops_start_up_with_one_sentence(monkeypatch, name, value):
    from app import create_app
    from app.config import ConfigError

    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=f"{name} must be a number of 0 or more"):
        create_app("development")


def test_the_results_settings_are_read_from_the_environment(monkeypatch):
    from app import create_app

    monkeypatch.setenv("RESULTS_CACHE_SECONDS", "12.5")
    monkeypatch.setenv("RESULTS_REUSE_FACTOR", "5")
    made = create_app("development")
    assert (made.config["RESULTS_CACHE_SECONDS"], made.config["RESULTS_REUSE_FACTOR"]) == (12.5, 5)
