"""Requests shaped differently from what the pages send: a JSON body where a form is
expected, and numbers written with other digits than 0–9 or longer than any id. Never a 500;
nothing is written; the answer is a form's own message or a "not found"."""
import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.api.models import ApiToken
from app.consultations.models import Consultation
from app.extensions import db
from tests import factories
from tests.conftest import csrf_token

SEEN_5XX = "Något gick fel hos oss"
JSON_BODIES = ([1, 2, 3], "text", 7, None, {"email": ["a", "b"], "password": {"x": 1}},
               {"title_sv": 5, "csrf_token": 1})


def _no_server_error(response, where):
    assert response.status_code < 500, (where, response.status_code)
    assert SEEN_5XX not in response.get_data(as_text=True), where


@pytest.mark.parametrize("body", JSON_BODIES)
def test_a_json_body_at_a_form_is_read_as_an_empty_form(app, client, app_ctx, body):
    admin = factories.user(role="admin")
    leader = factories.user()
    db.session.commit()
    from tests.conftest import log_in

    log_in(client, admin)
    token = csrf_token(client, "/admin/users")
    role_before = leader.role
    for path in ("/admin/users", f"/admin/users/{leader.id}/role",
                 "/admin/api-tokens", "/staff/two-factor"):
        response = client.post(path, json=body, headers={"X-CSRFToken": token})
        _no_server_error(response, path)
    db.session.expire_all()
    assert db.session.get(User, leader.id).role == role_before
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0
    assert db.session.scalar(select(func.count()).select_from(User)) == 2

    stranger = app.test_client()
    response = stranger.post("/login", json=body, headers={
        "X-CSRFToken": csrf_token(stranger, "/login")})
    _no_server_error(response, "/login")
    assert stranger.get("/staff").status_code == 302  # not logged in


@pytest.mark.parametrize("body", JSON_BODIES)
def test_a_json_body_creates_no_consultation(client, login_as, app_ctx, body):
    login_as("youth_leader")
    token = csrf_token(client, "/staff/consultations/new")
    response = client.post("/staff/consultations/new", json=body,
                           headers={"X-CSRFToken": token})
    _no_server_error(response, "new consultation")
    assert db.session.scalar(select(func.count()).select_from(Consultation)) == 0


# "²" and "١" are digits to str.isdigit(); int() refuses the first and reads the second.
# 5000 nines are beyond what int() reads from text; 2**63 beyond what the database holds.
NOT_IDS = ["\u00b2", "1\u00b2", "\u0661", "9" * 5000, str(2**63), "2147483648"]


@pytest.mark.parametrize("number", NOT_IDS)
def test_ids_in_other_digits_or_too_long_are_no_ids(app, client, login_as, app_ctx, number):
    from tests.security.test_hostile_input import leader_with_an_idea

    demo, idea = leader_with_an_idea(app, client, login_as)
    token = csrf_token(client, f"/moderate/c/{demo.id}")
    for path, data in (
            ("/moderate/bulk", {"item": number, "action": "approve"}),
            ("/moderate/bulk", {"item": str(idea.id), f"version_{idea.id}": number,
                                "action": "theme", "theme_id": number}),
            (f"/moderate/items/{idea.id}/merge", {"into": number}),
            (f"/moderate/items/{idea.id}/theme", {"theme_id": number, "version": number}),
            ("/feedback/new", {"title_sv": "x", "body_sv": "y", "consultation": number,
                               "initiative_id": number}),
            (f"/results/c/{demo.id}/priorities/new", {"title_sv": "x", "idea": number})):
        _no_server_error(client.post(path, data={"csrf_token": token, **data}), (path, data))
    for path in (f"/feedback/new?consultation={number}",):
        _no_server_error(client.get(path), path)
    db.session.expire_all()
    assert db.session.get(type(idea), idea.id).status == "pending"  # nothing approved


@pytest.mark.parametrize("number", NOT_IDS)
def test_the_core_teams_ids_in_other_digits_are_no_ids(client, login_as, app_ctx, number):
    from app.portfolio.models import PortfolioPriority, PriorityLink

    factories.demo()
    login_as("core_team")
    token = csrf_token(client, "/portfolio/import")
    client.post("/portfolio/import/here", data={"csrf_token": token, "all": "1"})
    priority = db.session.scalar(select(PortfolioPriority))
    links = db.session.scalar(select(func.count()).select_from(PriorityLink))
    for path, data in (
            ("/portfolio/initiatives/new", {"title_sv": "Ny", "status": "idea", "term": number,
                                            "challenge_area": number, "partner": number,
                                            "owner_id": number}),
            (f"/portfolio/priorities/{priority.id}/links", {"initiative_id": number})):
        _no_server_error(client.post(path, data={"csrf_token": token, **data}), (path, data))
    for path in (f"/portfolio/follow-up?area={number}", f"/portfolio/follow-up.csv?area={number}"):
        response = client.get(path)
        _no_server_error(response, path)
        assert response.status_code == 404, path
    assert db.session.scalar(select(func.count()).select_from(PriorityLink)) == links


@pytest.mark.parametrize("code", ["12345\u00b2", "\u0661\u0662\u0663\u0664\u0665\u0666",
                                  "123 45\u00b9"])
def test_an_authenticator_code_in_other_digits_is_wrong_not_a_crash(app, app_ctx, code):
    leader = factories.user(two_factor=True)
    db.session.commit()
    client = app.test_client()
    client.post("/login", data={"csrf_token": csrf_token(client, "/login"),
                                "email": leader.email, "password": factories.PASSWORD})
    response = client.post("/login/code", data={
        "csrf_token": csrf_token(client, "/login/code"), "code": code})
    _no_server_error(response, "code")
    assert "Koden stämmer inte" in response.get_data(as_text=True)
    assert client.get("/staff").status_code == 302


def test_a_huge_retry_after_from_a_push_service_waits_the_longest():
    from app.push import services

    for header in ("9" * 20, "99999999999", "\u00b2", "9" * 5000):
        assert services._retry_delay(1, header) <= services.LONGEST_RETRY


@pytest.mark.parametrize("path", ["/portfolio/initiatives/new", "/portfolio/lists"])
def test_a_portfolio_form_over_the_request_limit_gets_our_page_in_the_users_language(
        client, login_as, app, path):
    login_as("admin")
    client.set_cookie("lang", "en")
    token = csrf_token(client, "/portfolio")
    response = client.post(path, data={
        "csrf_token": token, "title_sv": "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)})
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert '<html lang="en"' in page and "That was too much at once" in page


NESTED = [b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 50_000 + b"1" + b"}" * 50_000]


@pytest.mark.parametrize("body", NESTED)
def test_json_nested_too_deeply_is_malformed_json_not_a_crash(app, app_ctx, body):
    from tests.participate.helpers import join

    demo = factories.demo()
    phone = app.test_client()
    join(phone)
    token = csrf_token(phone, f"/c/{demo.id}/q/1")
    for path in ("/push/subscribe", "/push/confirm", "/push/off"):
        response = phone.post(path, data=body, content_type="application/json",
                              headers={"X-CSRFToken": token, "Accept": "application/json"})
        _no_server_error(response, path)


@pytest.mark.parametrize("consultation_id", [True, 2**63, -1, 0, 1.0])
def test_a_subscription_names_its_consultation_by_a_real_id(app, app_ctx, consultation_id):
    """JSON true is an int to Python: SQLite read it as 1, PostgreSQL refused it (a 500)."""
    from app.push.models import PushSubscription
    from tests.participate.helpers import answer, join
    from tests.push.test_push import Device

    demo = factories.demo()  # its id is 1
    phone = app.test_client()
    join(phone)
    answer(phone, demo.id, factories.questions_by_kind(demo)["idea"][0],
           {"text": "Fler träd", "client_key": "k1"})
    token = csrf_token(phone, f"/c/{demo.id}/done")
    response = phone.post("/push/subscribe", json={
        "consultation_id": consultation_id,
        "subscription": Device("https://fcm.googleapis.com/fcm/send/x").subscription()},
        headers={"X-CSRFToken": token, "Accept": "application/json"})
    _no_server_error(response, "subscribe")
    assert response.status_code == 403 and response.get_json()["ok"] is False
    assert db.session.scalar(select(func.count()).select_from(PushSubscription)) == 0


@pytest.mark.parametrize("field", ["opens_at", "closes_at"])
@pytest.mark.parametrize("moment", ["0001-01-01T00:30", "0202-03-01T08:00", "9999-12-31T23:59"])
def test_a_year_beyond_the_calendar_is_refused_in_the_form_which_keeps_the_text(
        client, login_as, field, moment):
    """Before year 1 in UTC was a bare 400 page; year 1 or 9999 stored broke the follow-up."""
    login_as("youth_leader")
    client.set_cookie("lang", "en")
    token = csrf_token(client, "/staff/consultations/new")
    response = client.post("/staff/consultations/new", data={
        "csrf_token": token, "title_sv": "Min titel", "moderation": "pre",
        field: moment})
    assert response.status_code == 200, response.status_code
    page = response.get_data(as_text=True)
    assert "Not a valid datetime value." in page and 'value="Min titel"' in page
    assert db.session.scalar(select(func.count()).select_from(Consultation)) == 0


@pytest.mark.parametrize("where", ["published_at", "closed_at"])
@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
def test_an_imported_date_outside_utc_is_named_not_a_crash(client, login_as, where, moment):
    import io
    import json
    import uuid

    from app.portfolio.models import PortfolioPriority

    login_as("core_team")
    record = {"uuid": str(uuid.uuid4()), "revision": 1, "position": 1,
              "title": {"sv": "Titel"}, "summary": {"sv": "Text"},
              "published_at": "2026-05-01T10:00:00+00:00",
              "consultation": {"title": {"sv": "Samråd"}, "organisation": "Org"}}
    if where == "published_at":
        record["published_at"] = moment
    else:
        record["consultation"]["closed_at"] = moment
    body = json.dumps({"format": "medskapa-priorities", "version": 1,
                       "exported_at": "2026-05-02T10:00:00+00:00",
                       "source": {"name": "Annan server"}, "priorities": [record]}).encode()
    response = client.post("/portfolio/import/file", data={
        "csrf_token": csrf_token(client, "/portfolio/import"),
        "file": (io.BytesIO(body), "prioriteringar.json")}, content_type="multipart/form-data")
    _no_server_error(response, where)
    assert response.status_code == 422, response.status_code
    assert db.session.scalar(select(func.count()).select_from(PortfolioPriority)) == 0


def test_portfolio_texts_at_their_limit_keep_their_end_when_the_browser_sends_cr_lf(
        client, login_as):
    """A textarea's maxlength counts a line break once; the browser sends it as CR LF. A
    text the page allowed lost as many characters at its end as it had line breaks."""
    from app.portfolio.models import DecisionRound, DecisionVote, Initiative
    from tests.portfolio.helpers import initiative

    login_as("core_team")
    text = "\n".join(["a" * 399] * 10) + "z"  # 4000 characters, as the page counts them
    assert len(text) == 4000
    sent = text.replace("\n", "\r\n")
    target = initiative()
    db.session.commit()
    base = f"/portfolio/initiatives/{target.id}"
    token = csrf_token(client, base)
    client.post(f"{base}/edit", data={"csrf_token": token, "title_sv": "Titel",
                                      "description_sv": sent, "status": "idea"})
    client.post(f"{base}/rounds", data={"csrf_token": token, "proposal": sent})
    round_ = db.session.scalar(select(DecisionRound))
    client.post(f"{base}/rounds/{round_.id}/vote", data={
        "csrf_token": token, "choice": "C", "changes": sent, "comment": sent})
    db.session.expire_all()
    assert db.session.get(Initiative, target.id).description["sv"] == text
    assert db.session.get(DecisionRound, round_.id).proposal == text
    vote = db.session.scalar(select(DecisionVote))
    assert (vote.changes, vote.comment) == (text, text)


@pytest.mark.parametrize("number", ["2147483648", str(2**63), "9" * 30])
def test_an_id_in_a_url_beyond_any_id_is_not_found_in_the_users_language(
        client, login_as, number):
    """It was a 400 from the database's refusal (from 2**31 on PostgreSQL, 2**63 on
    SQLite)."""
    login_as("admin")
    client.set_cookie("lang", "en")
    for path in (f"/c/{number}/done", f"/results/c/{number}", f"/moderate/items/{number}/merge",
                 f"/portfolio/initiatives/{number}", f"/me/contributions/{number}/delete"):
        response = client.get(path)
        assert response.status_code == 404, (path, response.status_code)
        assert "We could not find that page" in response.get_data(as_text=True)


def test_an_audit_filter_with_a_nul_finds_nothing(client, login_as):
    login_as("admin")
    client.set_cookie("lang", "en")
    assert "<code>login.succeeded</code>" in client.get("/admin/audit").get_data(as_text=True)
    response = client.get("/admin/audit?action=login.succeeded%00")
    assert response.status_code == 200, response.status_code  # PostgreSQL: it was a 400
    assert "<code>login.succeeded</code>" not in response.get_data(as_text=True)


def test_a_file_sent_in_a_text_fields_name_is_no_text(app, client, login_as, app_ctx):
    """Flask-WTF handed an uploaded file to WTForms as the field's text: a 500 at every
    form (the login, a new consultation). No form takes a file: the texts alone fill it."""
    import io

    login_as("youth_leader")
    token = csrf_token(client, "/staff/consultations/new")
    response = client.post("/staff/consultations/new", content_type="multipart/form-data",
                           data={"csrf_token": token, "title_sv": (io.BytesIO(b"x"), "t.txt")})
    _no_server_error(response, "new consultation")
    assert response.status_code == 200  # the form again, with its messages
    assert db.session.scalar(select(func.count()).select_from(Consultation)) == 0

    stranger = app.test_client()
    response = stranger.post("/login", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(stranger, "/login"), "email": (io.BytesIO(b"a@b.se"), "e"),
        "password": factories.PASSWORD})
    _no_server_error(response, "/login")
    assert stranger.get("/staff").status_code == 302  # not logged in


def test_a_bulk_action_with_thousands_of_ids_is_quick_and_changes_only_a_pages_worth(
        app, client, login_as, app_ctx):
    """Each id cost its own queries: 70 000 ids (or one id 70 000 times) in a tampered form
    held a worker for about a minute. A page holds QUEUE_LIMIT texts; each id counts once,
    those beyond BULK_MAX are refused, untouched."""
    from werkzeug.datastructures import MultiDict

    from app.participate.models import Contribution
    from tests.querycount import count
    from tests.security.test_hostile_input import leader_with_an_idea

    demo, idea = leader_with_an_idea(app, client, login_as)
    token = csrf_token(client, f"/moderate/c/{demo.id}")
    many = [("item", str(idea.id))] * 5000 + [("item", str(n)) for n in range(10**6, 10**6 + 5000)]

    def send():
        response = client.post("/moderate/bulk", data=MultiDict(
            [("csrf_token", token), ("action", "approve"), *many]))
        assert response.status_code == 302

    assert count(send) < 1500  # (BULK_MAX ids, a few queries each; it was 10 000 and more)
    db.session.expire_all()
    assert db.session.get(Contribution, idea.id).status == "approved"  # the first, once
