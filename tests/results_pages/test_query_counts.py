"""Results and the live workshop view send as many queries with 3 participants as with 40
more (votes on every question, themed ideas, words)."""
import pytest

from app.extensions import db
from app.results import live
from tests import factories
from tests.conftest import csrf_token
from tests.querycount import assert_flat, crowd

KINDS = ("idea", "statement", "rank", "word", "scale", "choice")


@pytest.fixture
def demo(app_ctx):
    consultation = factories.demo()
    crowd(consultation, 3, tag="few")
    return consultation


@pytest.fixture
def leader(demo, login_as):
    return login_as("youth_leader", organisation=demo.organisation)


@pytest.mark.parametrize("path", ["/results/c/{id}", "/results/c/{id}/opinion-groups",
                                  "/results/c/{id}/priorities", "/live/DEMO01"])
def test_results_pages_do_not_grow_with_participants(client, demo, leader, path):
    url = path.format(id=demo.id)

    def page():
        assert client.get(url).status_code == 200

    page()
    assert_flat(page, lambda: crowd(demo, 40))


@pytest.mark.parametrize("kind", KINDS)
def test_live_state_does_not_grow_with_participants(client, demo, leader, kind):
    n = factories.questions_by_kind(demo)[kind][0]
    client.post("/live/DEMO01/question",
                data={"csrf_token": csrf_token(client, "/live/DEMO01"), "n": str(n)})
    db.session.expire_all()
    assert demo.live_question_id is not None

    def state():
        response = client.get("/live/DEMO01/state.json")
        assert response.status_code == 200 and response.get_json()["question"]["kind"] == kind

    def waiting_phone():
        live._current.clear()  # measure the query, not the one-second memory
        assert client.get(f"/c/{demo.id}/now.json").status_code == 200

    state()
    assert_flat(state, lambda: crowd(demo, 40))
    assert_flat(waiting_phone, lambda: crowd(demo, 40, tag="more"))


def test_the_priorities_page_does_not_grow_with_priorities(client, demo, leader):
    """Each priority says how many ideas support it: counted with the page, not one query
    per priority."""
    from sqlalchemy import select

    from app.participate.models import Contribution
    from app.results.models import Priority

    ideas = list(db.session.scalars(select(Contribution).where(
        Contribution.question_id == factories.questions_by_kind(demo)["idea"][0],
        Contribution.status == "approved")))
    assert ideas

    def add(n, start):
        for i in range(start, start + n):
            db.session.add(Priority(consultation_id=demo.id, position=i,
                                    title={"sv": f"Prioritet {i}"}, contributions=ideas[:2]))
        db.session.commit()

    add(1, 1)
    url = f"/results/c/{demo.id}/priorities"

    def page():
        response = client.get(url)
        assert response.status_code == 200
        assert "Prioritet 1" in response.get_data(as_text=True)

    page()
    assert_flat(page, lambda: add(20, 2))


def test_the_priorities_page_does_not_grow_with_what_the_portfolio_made_of_them(
        client, demo, leader):
    """Each imported priority links to its initiatives: loaded with the page, not one query
    per priority or initiative."""
    from sqlalchemy import select

    from app.portfolio import exchange
    from app.portfolio import services as portfolio
    from app.portfolio.models import Initiative, PortfolioPriority
    from app.results import priorities
    from app.results.models import Priority

    core = factories.user(role="core_team")

    def more(n: int) -> None:
        made = []
        for i in range(n):
            priority = Priority(consultation_id=demo.id, position=100 + i,
                                title={"sv": f"Importerad {i}"})
            db.session.add(priority)
            db.session.flush()
            priorities.publish(leader, priority)
            made.append(priority.id)
        exchange.import_here(core, None)
        for priority_id in made:
            target = Initiative(title={"sv": f"Initiativ {priority_id}"})
            db.session.add(target)
            db.session.flush()
            portfolio.link(core, db.session.scalar(select(PortfolioPriority).where(
                PortfolioPriority.priority_id == priority_id)), target)
        db.session.commit()

    more(1)
    url = f"/results/c/{demo.id}/priorities"

    def page():
        assert client.get(url).status_code == 200

    page()
    assert_flat(page, lambda: more(15))


def test_the_priority_form_does_not_grow_with_themes(client, demo, leader):
    """The ideas to choose from show their theme: loaded with the ideas, not one query per
    theme."""
    url = f"/results/c/{demo.id}/priorities/new"

    def page():
        response = client.get(url)
        assert response.status_code == 200
        assert 'name="idea"' in response.get_data(as_text=True)

    page()
    assert_flat(page, lambda: crowd(demo, 40, tag="themed"))  # 10 more themes
