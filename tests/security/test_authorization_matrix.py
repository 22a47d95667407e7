"""The authorisation matrix: every route of the app (from app.url_map), with every role, gets
the status its rule allows. A new route without a rule here fails the suite.

Object-level checks are included: every id in a URL belongs to organisation A, so a youth
leader of organisation B must be refused (404: another organisation's things are not even
confirmed to exist). A refused request and a GET write nothing to the database; a request
that changes something without its CSRF token is refused before it does."""
import hashlib
import re

import pytest
from sqlalchemy import select

from app.api import services as api_services
from app.coalition.models import ChallengeArea
from app.consultations.models import Option, Question
from app.extensions import db
from app.feedback.models import FeedbackUpdate
from app.participate.models import Contribution
from app.portfolio import exchange
from app.portfolio import services as portfolio
from app.portfolio.models import PortfolioPriority
from app.results.models import Priority
from tests import factories
from tests.conftest import log_in
from tests.participate.helpers import answer, join

# "deactivated": a youth leader of A who was logged in when an admin deactivated the account
# (the old session cookie is still sent); treated exactly like an anonymous visitor.
ROLES = ("anonymous", "participant", "leader_a", "leader_b", "core", "admin", "token",
         "deactivated")
STAFF = {"leader_a", "leader_b", "core", "admin"}

# Who may use each route. Classes:
#   public     everyone
#   staff      any staff member; others are sent to log in
#   org        staff who see organisation A's consultation: leader A, core team, admin;
#              leader B gets 404
#   org_edit   leader A and admin change it; leader B 404; the core team 403
#   core       core team and admin; leaders 403
#   core_read  any staff member reads (leaders too); changes are "core"
#   admin      admin only; other staff 403
#   api        a bearer token; everyone else 401
RULES = {
    "about.accessibility": "public", "about.privacy": "public",
    "accounts.access": "public", "accounts.home": "staff", "accounts.login": "public",
    "accounts.logout": "logout",
    # The code step of a login: without a password just given, back to the login page.
    "accounts.second_factor": "staff", "accounts.two_factor_settings": "staff",
    "admin.user_two_factor_off": "admin",
    "admin.api_token_revoke": "admin", "admin.api_tokens": "admin", "admin.audit": "admin",
    "admin.user_active": "admin", "admin.user_link": "admin", "admin.user_role": "admin",
    "admin.users": "admin", "admin.organisations": "admin", "admin.organisation_edit": "admin",
    "admin.places": "admin", "admin.place_edit": "admin", "admin.place_delete": "admin",
    "api.decisions": "api", "api.feedback": "api", "api.initiatives": "api", "api.links": "api",
    "api.priorities": "api", "api.openapi_document": "public", "api.unknown": "api_unknown",
    "consultations.close": "org_edit", "consultations.create": "leader_create",
    "consultations.delete": "org_edit", "consultations.duplicate": "org_edit",
    "consultations.edit": "org_edit",
    "consultations.index": "staff", "consultations.open": "org_edit",
    "consultations.option_remove": "org_edit", "consultations.poster": "org",
    "consultations.preview": "org", "consultations.question_create": "org_edit",
    "consultations.question_edit": "org_edit", "consultations.question_move": "org_edit",
    "consultations.question_remove": "org_edit", "consultations.share": "org",
    "consultations.show": "org",
    "feedback.consultation": "public", "feedback.delete": "org_feedback",
    "feedback.edit": "org_feedback",
    "feedback.index": "staff", "feedback.publish": "org_feedback",
    "followup.export_csv": "staff", "followup.index": "staff",
    "health.healthz": "public", "i18n.choose": "public",
    # Bulk actions check each item in the service (another organisation's ids are skipped;
    # tests/moderate_queue covers it): the route itself is open to staff.
    "moderate.approve": "moderate", "moderate.bulk": "staff",
    "moderate.consultation_queue": "org", "moderate.hide": "moderate",
    "moderate.index": "staff", "moderate.merge": "moderate", "moderate.redact": "moderate",
    "moderate.theme": "moderate", "moderate.translate": "moderate",
    "moderate.set_language": "moderate",
    "participate.consent": "public", "participate.delete_contribution": "own_device",
    "participate.delete_everything": "public", "participate.done": "public",
    "participate.help_now": "public", "participate.index": "public",
    "participate.join": "public", "participate.me": "public", "participate.question": "public",
    "portfolio.close_round": "core", "portfolio.export": "core_read",
    "portfolio.export_priorities": "org", "portfolio.import_file": "core",
    "portfolio.import_here": "core", "portfolio.import_page": "core",
    "portfolio.initiative": "core_read", "portfolio.initiative_edit": "core",
    "portfolio.link": "core", "portfolio.lists": "admin", "portfolio.edit_term": "admin",
    "portfolio.open_round": "core",
    "portfolio.overview": "core_read", "portfolio.priority": "core_read",
    "portfolio.unlink": "core", "portfolio.vote": "core",
    # A device acts only on its own subscriptions (the device cookie picks them).
    "push.confirm": "public", "push.subscribe": "public", "push.turn_off": "public",
    "pwa.manifest": "public", "pwa.offline": "public", "pwa.service_worker": "public",
    "results.consultation_results": "org", "results.export": "org",
    "results.live_state": "org", "results.live_step": "org_edit", "results.live_view": "org",
    "results.now": "public", "results.opinion_groups": "org",
    "results.priorities_page": "org", "results.priority_action": "org_edit",
    "results.priority_edit": "org_edit", "results.waiting": "public", "static": "public",
}

ALLOWED, LOGIN, FORBIDDEN, HIDDEN, UNAUTHORIZED = "allowed", "login", 403, 404, 401
# Another organisation's text in moderation: "deleted meanwhile", back to the queue, as for
# a text that is not there (a 404 would tell the two apart), and nothing done.
GONE = "back to the queue"


def expected(rule: str, role: str) -> str | int:
    staff = role in STAFF
    if rule in ("public",):
        return ALLOWED
    if rule == "api":
        return ALLOWED if role == "token" else UNAUTHORIZED
    if rule == "api_unknown":  # the API's JSON 404, whoever asks
        return HIDDEN
    if rule == "logout":  # logged out (or never in): back to the login page
        return LOGIN
    if rule == "own_device":  # a participant's own idea; anyone else's device: 404
        return ALLOWED if role == "participant" else HIDDEN
    if not staff:
        return LOGIN
    if rule in ("staff", "core_read"):
        return ALLOWED
    if rule == "org":
        return HIDDEN if role == "leader_b" else ALLOWED
    if rule == "org_edit":
        return {"leader_b": HIDDEN, "core": FORBIDDEN}.get(role, ALLOWED)
    if rule == "org_feedback":  # leader A and the core team write feedback for A
        return HIDDEN if role == "leader_b" else ALLOWED
    if rule == "leader_create":
        return FORBIDDEN if role == "core" else ALLOWED
    if rule == "moderate":
        return {"leader_b": GONE, "core": FORBIDDEN}.get(role, ALLOWED)
    if rule == "core":
        return ALLOWED if role in ("core", "admin") else FORBIDDEN
    if rule == "admin":
        return ALLOWED if role == "admin" else FORBIDDEN
    raise AssertionError(f"unknown rule class {rule}")


def test_every_route_has_a_rule(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    assert sorted(endpoints - set(RULES)) == [], "add the new routes to RULES"
    assert sorted(set(RULES) - endpoints) == [], "remove rules of routes that are gone"


@pytest.fixture
def world(app, app_ctx):
    """Organisation A's consultation with everything that hangs off it."""
    demo = factories.demo()  # organisation "Rädda Barnen" is A
    org_b = factories.organisation("Organisation B")
    users = {
        "leader_a": factories.user(organisation=demo.organisation),
        "leader_b": factories.user(organisation=org_b),
        "core": factories.user(role="core_team"),
        "admin": factories.user(role="admin"),
        "deactivated": factories.user(organisation=demo.organisation),
    }
    db.session.commit()
    phone = app.test_client()
    join(phone)
    kinds = factories.questions_by_kind(demo)
    answer(phone, demo.id, kinds["idea"][0], {"text": "En idé från A", "client_key": "m1"})
    contribution = db.session.scalar(select(Contribution))
    question = db.session.scalar(select(Question).where(Question.consultation_id == demo.id,
                                                        Question.kind == "choice"))
    option = db.session.scalar(select(Option).where(Option.question_id == question.id))
    exchange.import_here(users["core"], None)
    imported = db.session.scalar(select(PortfolioPriority))
    initiative = portfolio.initiative_or_404(db.session.scalar(
        select(portfolio.Initiative.id).limit(1)))
    round_ = portfolio.open_round(users["core"], initiative, "Starta", None)
    update = FeedbackUpdate(title={"sv": "Nyhet"}, body={"sv": "Text"}, consultations=[demo],
                            author_id=users["leader_a"].id)
    db.session.add(update)
    from app.api.models import SCOPES

    token, secret = api_services.create_token(users["admin"], "matrix", list(SCOPES))
    db.session.commit()
    return {
        "app": app, "phone": phone, "users": users, "secret": secret,
        "values": {
            "consultation_id": demo.id, "question_id": question.id, "option_id": option.id,
            "contribution_id": contribution.id, "n": 1, "code": demo.join_code,
            "token_id": token.id, "user_id": users["leader_a"].id,
            "update_id": update.id, "initiative_id": initiative.id, "round_id": round_.id,
            "results_priority_id": db.session.scalar(select(Priority.id).where(
                Priority.consultation_id == demo.id).limit(1)),
            "portfolio_priority_id": imported.id, "fmt": "csv", "action": "up",
            "vocabulary": "challenge_area", "organisation_id": demo.organisation_id,
            "area_id": demo.areas[0].id,
            "term_id": db.session.scalar(select(ChallengeArea.id).limit(1)),
            "_unknown": "nothing-here", "filename": "css/app.css", "token": "not-a-link",
        },
    }


def _client_for(world, role: str):
    app = world["app"]
    if role == "participant":
        return world["phone"]
    client = app.test_client()
    if role in STAFF or role == "deactivated":
        log_in(client, world["users"][role])
    if role == "deactivated":
        from app.accounts import services as accounts

        user = world["users"][role]
        version = user.session_version
        accounts.set_active(user, False, actor=world["users"]["admin"])
        # Deactivating also ends the sessions (a new session version); undo that part, so
        # that being inactive must be enough on its own to let the old cookie in nowhere.
        user.session_version = version
        db.session.commit()
        assert client.get("/staff").status_code == 302  # the session has ended
    return client


def _url(rule, values: dict) -> str:
    args = {}
    for name in rule.arguments:
        if name == "priority_id":
            key = "portfolio_priority_id" if rule.endpoint.startswith("portfolio.") \
                else "results_priority_id"
            args[name] = values[key]
        else:
            args[name] = values[name]
    return rule.build(args, append_unknown=False)[1]


# Routes that end the session or the data they are tested with run last.
LAST = ("consultations.close", "participate.delete_everything", "accounts.logout")
# Creating something new is open more widely than changing an existing one.
NEW_PAGES = {"/feedback/new": "staff"}
QUERY = {"consultations.question_create": "?kind=idea"}


# GETs that write, by design: reading news marks it read; an API request notes when its token
# was last used.
GET_WRITES = {"participate.me": {"feedback_reads"}, "feedback.consultation": {"feedback_reads"},
              **{e: {"api_tokens"} for e in ("api.decisions", "api.feedback", "api.initiatives",
                                              "api.links", "api.priorities")}}


def _database() -> dict[str, str]:
    """A fingerprint of every table's rows, to tell whether a request wrote anything."""
    with db.engine.connect() as conn:
        return {table.name: hashlib.sha256(repr(sorted(
                    map(repr, conn.execute(table.select())))).encode()).hexdigest()
                for table in db.metadata.sorted_tables}


def _written(before: dict[str, str]) -> set[str]:
    after = _database()
    return {name for name, rows in before.items() if after[name] != rows}


def _status(response) -> str | int:
    if response.status_code == 302 and "/login" in response.headers.get("Location", ""):
        return LOGIN
    if response.status_code in (401, 403, 404):
        return response.status_code
    if response.status_code >= 500:
        return response.status_code  # never what any rule wants
    return ALLOWED


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_its_rule_says(world, role):
    app = world["app"]
    client = _client_for(world, role)
    headers = {"Authorization": f"Bearer {world['secret']}"} if role == "token" else {}
    rules = sorted(app.url_map.iter_rules(),
                   key=lambda r: (r.endpoint in LAST, LAST.index(r.endpoint)
                                  if r.endpoint in LAST else 0, r.rule))
    mismatches = []
    for rule in rules:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if rule.endpoint == "api.unknown" and method != "GET":
                continue
            url = _url(rule, world["values"]) + QUERY.get(rule.endpoint, "")
            if method == "GET":
                before = _database()
                response = client.get(url, headers=headers)
            else:
                token = _csrf(client)
                before = _database()
                response = client.open(url, method=method, headers={**headers,
                                       "X-CSRFToken": token}, data={"csrf_token": token})
            got = _status(response)
            want = expected(NEW_PAGES.get(rule.rule, RULES[rule.endpoint]), role)
            if want == GONE and response.status_code == 302 \
                    and response.headers["Location"] == "/moderate/":
                got = GONE  # (and it must have written nothing, below)
            if got != want:
                mismatches.append(f"{method} {url} ({rule.endpoint}): got {got}, want {want}")
            refused = got != ALLOWED and RULES[rule.endpoint] != "logout"  # (it ends there)
            if refused or method == "GET":
                written = _written(before) - GET_WRITES.get(rule.endpoint, set())
                if written:
                    mismatches.append(f"{method} {url} ({rule.endpoint}) answered {got} and "
                                      f"wrote {sorted(written)}")
    assert not mismatches, "\n".join(mismatches)


def _csrf(client) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"',
                     client.get("/privacy").get_data(as_text=True)).group(1)


@pytest.mark.parametrize("role", ROLES)
def test_every_change_without_its_csrf_token_is_refused_and_writes_nothing(world, role):
    """Whoever sends it (logged in, a phone, an API token): a form or a JSON request
    without the token is a 400 before any view runs. The API only reads (405)."""
    app = world["app"]
    client = _client_for(world, role)
    headers = {"Authorization": f"Bearer {world['secret']}"} if role == "token" else {}
    mismatches = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        for method in sorted(rule.methods - {"GET", "HEAD", "OPTIONS"}):
            url = _url(rule, world["values"]) + QUERY.get(rule.endpoint, "")
            want = 405 if rule.endpoint == "api.unknown" else 400
            for body in ({"data": {"confirm": "1"}}, {"json": {"confirm": "1"}}):
                before = _database()
                response = client.open(url, method=method, headers=headers, **body)
                written = _written(before)
                if response.status_code != want or written:
                    mismatches.append(f"{method} {url} {list(body)[0]}: got "
                                      f"{response.status_code}, want {want}; wrote "
                                      f"{sorted(written)}")
    assert not mismatches, "\n".join(mismatches)


def _nested_under_b(v: dict, b: int, b_question: int) -> list[tuple[str, str, dict]]:
    """Organisation A's question, option and priority, reached through B's own consultation."""
    q, o, p = v["question_id"], v["option_id"], v["results_priority_id"]
    base = f"/staff/consultations/{b}"
    return [
        ("GET", f"{base}/questions/{q}", {}),
        ("POST", f"{base}/questions/{q}", {"prompt_sv": "Ändrad"}),
        ("POST", f"{base}/questions/{q}/move", {"direction": "up"}),
        ("POST", f"{base}/questions/{q}/remove", {"confirm": "1"}),
        ("POST", f"{base}/questions/{q}/options/{o}/remove", {"confirm": "1"}),
        ("POST", f"{base}/questions/{b_question}/options/{o}/remove", {"confirm": "1"}),
        ("GET", f"/results/c/{b}/priorities/{p}", {}),
        ("POST", f"/results/c/{b}/priorities/{p}", {"title_sv": "Ändrad"}),
        *(("POST", f"/results/c/{b}/priorities/{p}/{action}", {})
          for action in ("publish", "unpublish", "up", "down", "delete")),
    ]


def test_ids_of_another_organisation_under_ones_own_consultation_are_not_found(world):
    """A youth leader of B names their own consultation in the address and A's question,
    option or priority after it: 404, and nothing is written."""
    from app.consultations import services as consultations
    from app.consultations.models import Consultation

    leader_b = world["users"]["leader_b"]
    own = consultations.duplicate(leader_b, db.session.get(
        Consultation, world["values"]["consultation_id"]))
    own.organisation_id = leader_b.organisation_id
    db.session.commit()
    b_question = next(q.id for q in own.questions if q.options)
    client = _client_for(world, "leader_b")
    token = _csrf(client)
    mismatches = []
    for method, url, data in _nested_under_b(world["values"], own.id, b_question):
        before = _database()
        response = client.open(url, method=method, data={"csrf_token": token, **data})
        written = _written(before)
        if response.status_code != 404 or written:
            mismatches.append(f"{method} {url}: got {response.status_code}; wrote "
                              f"{sorted(written)}")
    assert not mismatches, "\n".join(mismatches)


def test_another_phone_cannot_see_or_delete_a_phones_idea(world):
    app = world["app"]
    other = app.test_client()
    join(other)
    contribution_id = world["values"]["contribution_id"]
    token = _csrf(other)
    before = _database()
    for method in ("GET", "POST"):
        response = other.open(f"/me/contributions/{contribution_id}/delete", method=method,
                              data={"csrf_token": token})
        assert response.status_code == 404, method
    assert "En idé från A" not in other.get("/me").get_data(as_text=True)
    assert _written(before) <= {"feedback_reads"}
    assert "En idé från A" in world["phone"].get("/me").get_data(as_text=True)
