"""The create forms' once-only tokens (app/core/once.py): what counts as a token, when one is
used up, and two sends of one form at the same moment. Each create form's own test of
Back-and-Save-again lives with its feature (tests.sent_again.saved_once_then_again)."""
import threading

from sqlalchemy import func, select

from app.core import once
from app.extensions import db
from app.portfolio.models import Initiative
from tests.conftest import csrf_token
from tests.sent_again import notice, once_token

NEW = "/portfolio/initiatives/new?lang=en"


def _initiatives() -> int:
    return db.session.scalar(select(func.count(Initiative.id)))


def _send(client, **data):
    return client.post(NEW, data={"csrf_token": csrf_token(client, NEW), "status": "idea",
                                  **data})


def test_a_form_sent_without_a_token_is_saved_each_time_as_before(client, login_as):
    """An older page, a script, a test that posts directly."""
    login_as("core_team")
    for _ in range(2):
        assert _send(client, title_sv="Läxhjälp").status_code == 302
    assert _initiatives() == 2
    assert db.session.scalar(select(func.count()).select_from(once.UsedFormToken)) == 0


def test_a_token_that_is_not_the_pages_counts_as_none(client, login_as):
    login_as("core_team")
    for token in ["x" * 65, "ab\x00cd", "ab\ncd", ""]:  # a NUL would make PostgreSQL refuse
        for _ in range(2):
            response = _send(client, title_sv="Läxhjälp", once_token=token)
            assert response.status_code == 302, repr(token)
    assert _initiatives() == 8


def test_a_refused_save_does_not_use_up_its_token(client, login_as):
    login_as("core_team")
    token = once_token(client.get(NEW).get_data(as_text=True))
    refused = _send(client, title_sv="", description_sv="Varje tisdag.", once_token=token)
    assert "Write a title in Swedish." in refused.get_data(as_text=True)
    assert notice(refused.get_data(as_text=True)) == ""
    # The title added on the page that came back, with its token or (an old tab) the first.
    assert _send(client, title_sv="Läxhjälp", once_token=token).status_code == 302
    assert _initiatives() == 1
    assert db.session.scalar(select(once.UsedFormToken.location)) == \
        f"/portfolio/initiatives/{db.session.scalar(select(Initiative.id))}"


def test_the_same_form_sent_twice_at_once_is_saved_once(app):
    """Two app servers (here two threads, each with its own database connection) get the
    same form at the same moment: the database makes the second wait for the first, which
    saves; the second is told so."""
    claimed, outcome = threading.Event(), {}

    def send(name: str, then=None):
        with app.test_request_context("/", method="POST", data={"once_token": "twin"}):
            try:
                outcome[name] = once.already_saved("Save")
                if then:
                    then()
                if not outcome[name]:
                    once.saved("/portfolio/initiatives/7")
                    db.session.commit()
                outcome[name + "_repeat"] = once.repeat()
            finally:
                db.session.remove()

    def hold():
        claimed.set()
        threading.Event().wait(0.5)  # the second send arrives while this one saves

    first = threading.Thread(target=send, args=("first", hold))
    first.start()
    assert claimed.wait(5)
    second = threading.Thread(target=send, args=("second",))
    second.start()
    first.join(10)
    second.join(10)
    assert outcome["first"] is False and outcome["first_repeat"] is None
    assert outcome["second"] is True
    assert outcome["second_repeat"] == once.Repeat("/portfolio/initiatives/7", "Save")
    with app.app_context():
        assert db.session.scalars(select(once.UsedFormToken.token)).all() == ["twin"]
