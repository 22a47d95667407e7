from sqlalchemy import func, select

from app.accounts.models import User
from app.coalition.models import Area, ChallengeArea, Organisation
from app.consultations.models import Consultation
from app.extensions import db
from tests.conftest import csrf_token


def counts():
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Organisation, Area, ChallengeArea, User, Consultation)}


def test_demo_fills_a_believable_coalition_and_is_idempotent(app, app_ctx):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "--password", "demo password 1"])
    assert result.exit_code == 0, result.output
    assert "/j/DEMO01" in result.output and "leader@example.org" in result.output
    first = counts()
    sectors = set(db.session.scalars(select(Organisation.sector)))
    assert sectors == {"public", "civil_society", "business", "academia"}
    municipalities = db.session.scalars(select(Area.name).where(Area.parent_id.is_(None))).all()
    assert len(municipalities) == 2
    assert first["ChallengeArea"] == 4 and first["User"] == 3
    demo = db.session.scalar(select(Consultation).where(Consultation.join_code == "DEMO01"))
    assert demo.status == "open" and demo.areas

    runner.invoke(args=["demo", "--password", "demo password 1"])
    assert counts() == first


def test_demo_if_empty_leaves_existing_data(app, app_ctx):
    runner = app.test_cli_runner()
    runner.invoke(args=["demo", "--password", "demo password 1"])
    result = runner.invoke(args=["demo", "--if-empty"])
    assert "not loaded" in result.output


def test_demo_staff_can_log_in(app, client):
    app.test_cli_runner().invoke(args=["demo", "--password", "demo password 1"])
    client.post("/login", data={"csrf_token": csrf_token(client, "/login"),
                                "email": "leader@example.org", "password": "demo password 1"})
    assert client.get("/staff").status_code == 200


def test_demo_without_password_prints_a_generated_one(app, app_ctx):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert "password:" in result.output


def test_demo_with_answers_gives_a_leader_something_to_moderate_and_read(app, client):
    """`make run` loads it: a class of phones has answered, through the app's own rules, so
    the moderation queue, the results and the opinion groups are not empty."""
    from app.participate.models import Contribution, Participant, Vote

    result = app.test_cli_runner().invoke(args=["demo", "--password", "demo password 1",
                                                "--with-answers"])
    assert result.exit_code == 0, result.output
    assert "36 demo phones answered" in result.output
    client.post("/login", data={"csrf_token": csrf_token(client, "/login"),
                                "email": "leader@example.org", "password": "demo password 1"})
    queue = client.get("/moderate/?lang=en").get_data(as_text=True)
    assert "Waiting (3)" in queue and "Ring mig på 070-123 45 67" in queue
    assert "Looks like a phone number" in queue
    demo = db.session.scalar(select(Consultation).where(Consultation.join_code == "DEMO01"))
    results = client.get(f"/results/c/{demo.id}?lang=en").get_data(as_text=True)
    assert "36 participants" in results
    assert "Träd och buskar, det är bara asfalt nu" in results  # a published idea
    assert "Ring mig" not in results  # the one waiting for a moderator is not counted
    groups = client.get(f"/results/c/{demo.id}/opinion-groups?lang=en")
    assert "An opinion map with 3 groups." in groups.get_data(as_text=True)

    votes = db.session.scalar(select(func.count(Vote.id)))
    again = app.test_cli_runner().invoke(args=["demo", "--password", "demo password 1",
                                               "--with-answers"])
    assert again.exit_code == 0 and "demo phones answered" not in again.output
    assert db.session.scalar(select(func.count(Participant.id))) == 36
    assert db.session.scalar(select(func.count(Vote.id))) == votes
    assert db.session.scalar(select(func.count(Contribution.id))) == 48
