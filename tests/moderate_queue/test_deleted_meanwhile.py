"""A young person deletes a text while a youth leader has it open in the queue."""
import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.participate.models import Contribution
from tests import factories
from tests.conftest import csrf_token
from tests.moderate_queue.test_queue import idea_from_new_phone, leader_of

DELETED = "This text has been deleted meanwhile: a young person can delete what they wrote."


@pytest.fixture
def demo(app_ctx):
    return factories.demo()


@pytest.mark.parametrize("action, data", [
    ("approve", {}), ("hide", {"reason": "off_topic"}), ("theme", {"new_theme": "Bänkar"}),
    ("redact", {"text": "Jag vill ha fler bänkar"}), ("language", {"language": "ar"}),
    ("translate", {"language": "en", "text": "More benches"}), ("merge", {"into": "1"}),
])
def test_acting_on_a_text_its_author_deleted_says_so_instead_of_page_not_found(
        client, app, demo, login_as, action, data):
    phone, idea = idea_from_new_phone(app, demo, "Jag heter Kalle, fler bänkar")
    leader_of(demo, login_as)
    queue = f"/moderate/c/{demo.id}"
    token = csrf_token(client, queue)
    version, idea_id = idea.version, idea.id
    page = f"/me/contributions/{idea_id}/delete"
    phone.post(page, data={"csrf_token": csrf_token(phone, page)})
    assert db.session.scalar(select(Contribution.id).where(Contribution.id == idea_id)) is None

    response = client.post(f"/moderate/items/{idea_id}/{action}?lang=en", data={
        "csrf_token": token, "version": version, "next": queue, **data})
    assert response.status_code == 302 and response.headers["Location"] == queue
    assert DELETED in client.get(queue).get_data(as_text=True)


def test_the_edit_page_of_a_deleted_text_leads_back_to_the_queue(client, app, demo, login_as):
    phone, idea = idea_from_new_phone(app, demo, "Fler bänkar")
    leader_of(demo, login_as)
    page = f"/me/contributions/{idea.id}/delete"
    phone.post(page, data={"csrf_token": csrf_token(phone, page)})
    response = client.get(f"/moderate/items/{idea.id}/redact?lang=en")
    assert response.status_code == 302
    assert DELETED in client.get(response.headers["Location"]).get_data(as_text=True)


def test_another_organisations_text_looks_the_same_as_one_that_is_not_there(
        client, app, demo, login_as):
    """Otherwise a leader could tell, number by number, which are other organisations'
    texts."""
    _, idea = idea_from_new_phone(app, demo, "Fler bänkar")
    login_as("youth_leader")
    token = csrf_token(client, "/moderate/")
    missing = db.session.scalar(select(func.max(Contribution.id))) + 1
    answers = [client.post(f"/moderate/items/{n}/approve?lang=en", data={
        "csrf_token": token, "version": idea.version}) for n in (idea.id, missing)]
    assert [(r.status_code, r.headers["Location"]) for r in answers] == [(302, "/moderate/")] * 2
    page = client.get("/moderate/?lang=en").get_data(as_text=True)
    assert DELETED in page and "Fler bänkar" not in page
    db.session.expire_all()
    assert db.session.get(Contribution, idea.id).status == "pending"
