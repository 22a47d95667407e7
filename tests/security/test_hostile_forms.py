"""Hostile input at the forms test_hostile_input.py does not reach: every other answer form
(word, statements, ranking, dots, scale, choice, the client_key), joining (the code, consent
and profile), the rest of the moderation forms (bulk, merge, approve, the live step, `next`),
what staff write for young people to read (consultations, questions, options, feedback
updates, priorities, initiatives), and portfolio import files that are well-formed but carry
hostile texts. Never a 500 (on SQLite and PostgreSQL alike: PostgreSQL refuses NUL in text);
a refusal writes nothing; what is accepted is stored as sent (or as cleaned), never lost."""
import csv
import io
import json
import re
import urllib.parse
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.consultations.models import Consultation, Question
from app.core.spreadsheets import FORMULA_START
from app.core.text import TextError, clean_text
from app.extensions import db, limiter
from app.feedback.models import FeedbackUpdate
from app.moderate.models import Theme
from app.participate.models import Contribution, Participant, Vote
from app.portfolio.models import Initiative, PortfolioPriority
from app.results.models import Priority
from tests import factories
from tests.conftest import csrf_token
from tests.participate.helpers import answer, join
from tests.security.test_hostile_input import HOSTILE, SETTINGS, leader_with_an_idea

# Texts that are fine (RTL, emoji, combining marks, markup that must stay text) and must
# come through exactly; HOSTILE adds what must be refused or cleaned.
VALID_TEXT = st.one_of(
    st.sampled_from(["<b>fet</b> & \"citat\"", "مرحبا بالعالم", "🙂👍🏽", "e\u0301", "a'b",
                     "=SUM(A1)", "-1", "@here", "+46"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp"),
                                   blacklist_characters="\u202a\u202b\u202c\u202d\u202e"
                                   "\u2066\u2067\u2068\u2069"), min_size=1, max_size=60),
)
FIELD_VALUE = st.one_of(HOSTILE, st.sampled_from(["1", "0", "-1", "99999999999999999999",
                                                  "1e9", "o1", "c1", "agree", ""]))
SEEN_5XX = "Något gick fel hos oss"


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _phone(app):
    phone = app.test_client()
    join(phone)
    return phone


def _no_server_error(response, where):
    assert response.status_code < 500, (where, response.status_code)
    assert SEEN_5XX not in response.get_data(as_text=True), where


# --- the participant's side -------------------------------------------------------------------

@SETTINGS
@given(text=HOSTILE, as_json=st.booleans())
def test_the_word_form_stores_exactly_the_cleaned_word_or_refuses(app, app_ctx, text,
                                                                   as_json):
    demo = factories.demo()
    n = factories.questions_by_kind(demo)["word"][0]
    phone = _phone(app)
    before = _count(Contribution)
    response = answer(phone, demo.id, n, {"text": text, "client_key": "w1"}, json=as_json)
    _no_server_error(response, "word")
    try:
        expected = clean_text(text, max_length=40, multiline=False)
    except TextError:
        expected = None
    if expected is None:
        assert response.status_code == 422 and _count(Contribution) == before
    else:
        assert response.status_code == (200 if as_json else 302)
        stored = db.session.scalars(select(Contribution.text).order_by(
            Contribution.id.desc())).first()
        assert stored == expected


@SETTINGS
@given(key=HOSTILE, text=VALID_TEXT)
def test_a_hostile_client_key_never_fails_and_a_valid_text_is_kept(app, app_ctx, key, text):
    demo = factories.demo()
    n = factories.questions_by_kind(demo)["idea"][0]
    phone = _phone(app)
    before = _count(Contribution)
    response = answer(phone, demo.id, n, {"text": text, "client_key": key})
    _no_server_error(response, "client_key")
    if response.status_code == 302:
        assert _count(Contribution) == before + 1
        stored = db.session.scalars(select(Contribution).order_by(
            Contribution.id.desc())).first()
        assert stored.text == clean_text(text, max_length=500)
        assert "\x00" not in stored.client_key and len(stored.client_key) <= 64
        # Sent again with the same key (the offline queue): stored once.
        again = answer(phone, demo.id, n, {"text": text, "client_key": key})
        assert again.status_code == 302 and _count(Contribution) == before + 1
    else:
        assert response.status_code == 422 and _count(Contribution) == before


@SETTINGS
@given(name=HOSTILE, value=FIELD_VALUE, kind=st.sampled_from(
    ["statement", "rank", "scale", "choice"]), as_json=st.booleans())
def test_vote_forms_never_fail_and_a_refusal_writes_nothing(app, app_ctx, name, value, kind,
                                                            as_json):
    demo = factories.demo()
    n, question = factories.questions_by_kind(demo)[kind]
    option = question.options[0].id if question.options else 1
    field_names = {"statement": [f"s_{name}", f"s_o{option}"],
                   "rank": [f"place_{name}", "place_1", f"dots_{option}"],
                   "scale": ["value", name],
                   "choice": ["option", name]}[kind]
    phone = _phone(app)
    for field in field_names:
        votes = _count(Vote)
        response = answer(phone, demo.id, n, {field: value}, json=as_json)
        _no_server_error(response, (kind, field))
        if response.status_code == 422:
            assert _count(Vote) == votes, (kind, field)  # a refusal writes nothing
        else:
            assert response.status_code in (200, 302), (kind, field, response.status_code)


@SETTINGS
@given(code=HOSTILE, age=FIELD_VALUE, area=FIELD_VALUE, poster=FIELD_VALUE)
def test_joining_never_fails_on_hostile_codes_and_profiles(app, app_ctx, code, age, area,
                                                          poster):
    limiter.reset()  # wrong codes are slowed down; here every example starts afresh
    demo = factories.demo()
    phone = app.test_client()
    for path in (f"/?code={urllib.parse.quote(code)}",
                 f"/j/{urllib.parse.quote(code, safe='') or '-'}",
                 f"/j/DEMO01?area={urllib.parse.quote(area)}"):
        _no_server_error(phone.get(path), path)
    token = csrf_token(phone, "/j/DEMO01")
    response = phone.post(f"/c/{demo.id}/join", data={
        "csrf_token": token, "age_band": age, "area": area, "area_from_poster": poster})
    _no_server_error(response, "consent")
    if response.status_code == 302:
        participant = db.session.scalars(select(Participant).order_by(
            Participant.id.desc())).first()
        assert participant.age_band in (None, "-12", "13-15", "16-19", "20-")
        assert participant.area_id in ({None} | {a.id for a in demo.areas})


# --- the moderator's side ---------------------------------------------------------------------

@SETTINGS
@given(text=HOSTILE, number=FIELD_VALUE, next_=st.one_of(HOSTILE, st.sampled_from(
    ["//evil.example/x", "https://evil.example/", "javascript:alert(1)", "/\\evil.example"])))
def test_the_other_moderation_forms_never_fail(app, client, login_as, app_ctx, text, number,
                                               next_):
    demo, idea = leader_with_an_idea(app, client, login_as)
    token = csrf_token(client, f"/moderate/c/{demo.id}")
    posts = (
        ("/moderate/bulk", {"item": [str(idea.id), number], f"version_{idea.id}": number,
                            "action": text, "reason": text, "new_theme": text,
                            "theme_id": number, "next": next_}),
        ("/moderate/bulk", {"item": str(idea.id), "action": "theme", "new_theme": text}),
        (f"/moderate/items/{idea.id}/merge", {"into": number, "version": number}),
        (f"/moderate/items/{idea.id}/approve", {"version": number, "next": next_}),
        (f"/moderate/items/{idea.id}/theme", {"theme_id": number, "new_theme": text}),
        (f"/live/{demo.join_code}/question", {"n": number}),
    )
    for path, data in posts:
        response = client.post(path, data={"csrf_token": token, **data})
        _no_server_error(response, path)
        location = response.headers.get("Location", "")
        assert not urllib.parse.urlsplit(location).netloc.endswith("evil.example"), location
        assert not location.lower().startswith("javascript:"), location
    db.session.expire_all()
    assert db.session.get(Contribution, idea.id) is not None  # never lost
    for theme in db.session.scalars(select(Theme)):
        # A theme name is one clean line: shown in selects, exports and on the projector.
        assert clean_text(theme.name, max_length=80, multiline=False) == theme.name


# --- what staff write for young people to read ------------------------------------------------

def _staff_forms(demo, question_id):
    base = "/staff/consultations"
    return (
        (f"{base}/new", lambda t: {"title_sv": t, "intro_sv": t, "moderation": "pre"}),
        (f"{base}/{demo.id}/edit", lambda t: {"title_sv": t, "intro_en": t,
                                              "moderation": "pre"}),
        (f"{base}/{demo.id}/questions/new?kind=choice",
         lambda t: {"prompt_sv": t, "help_sv": t, "options-0-text_sv": t,
                    "options-1-text_sv": t + "2"}),
        (f"{base}/{demo.id}/questions/{question_id}", lambda t: {"prompt_sv": t}),
        ("/feedback/new", lambda t: {"title_sv": t, "body_sv": t,
                                     "consultation": str(demo.id)}),
        (f"/results/c/{demo.id}/priorities/new", lambda t: {"title_sv": t, "summary_sv": t}),
    )


def _stored_staff_texts() -> list[str]:
    texts = []
    for model, columns in ((Consultation, ("title", "intro")), (Question, ("prompt", "help")),
                           (FeedbackUpdate, ("title", "body")),
                           (Priority, ("title", "summary")), (Initiative, ("title",))):
        for row in db.session.scalars(select(model)):
            for column in columns:
                texts += [v for v in (getattr(row, column) or {}).values()
                          if isinstance(v, str)]
    return texts


@SETTINGS
@given(text=HOSTILE)
def test_staff_texts_never_fail_and_never_store_what_would_break_a_page(
        client, login_as, app_ctx, text):
    demo = factories.demo()
    if not getattr(client, "_logged_in", False):
        login_as("youth_leader", organisation=demo.organisation)
        client._logged_in = True
    question_id = factories.questions_by_kind(demo)["idea"][1].id
    token = csrf_token(client, "/staff/consultations")
    for path, data in _staff_forms(demo, question_id):
        response = client.post(path, data={"csrf_token": token, **data(text)})
        _no_server_error(response, path)
    for stored in _stored_staff_texts():
        assert "\x00" not in stored
        assert not set(stored) & set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@SETTINGS
@given(text=HOSTILE)
def test_core_team_texts_never_fail(client, login_as, app_ctx, text):
    if not getattr(client, "_logged_in", False):
        login_as("core_team")
        client._logged_in = True
    token = csrf_token(client, "/portfolio")
    response = client.post("/portfolio/initiatives/new", data={
        "csrf_token": token, "title_sv": text, "description_sv": text, "status": "idea"})
    _no_server_error(response, "initiative")
    for stored in _stored_staff_texts():
        assert "\x00" not in stored


# --- import files that are well-formed but hostile --------------------------------------------

def _record(title: str, summary: str, organisation: str) -> dict:
    return {"uuid": str(uuid.uuid4()), "revision": 1, "position": 1,
            "title": {"sv": title}, "summary": {"sv": summary},
            "published_at": "2026-05-01T10:00:00+00:00",
            "consultation": {"title": {"sv": title}, "organisation": organisation}}


def _json_file(source: str, record: dict) -> bytes:
    return json.dumps({"format": "medskapa-priorities", "version": 1,
                       "exported_at": "2026-05-02T10:00:00+00:00",
                       "source": {"name": source}, "priorities": [record]}).encode()


def _csv_file(source: str, record: dict) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["uuid", "revision", "position", "published_at", "organisation", "source",
                     "title_sv", "summary_sv", "consultation_title_sv"])
    writer.writerow([record["uuid"], 1, 1, record["published_at"],
                     record["consultation"]["organisation"], source, record["title"]["sv"],
                     record["summary"]["sv"], record["consultation"]["title"]["sv"]])
    return out.getvalue().encode("utf-8", "surrogatepass")


@SETTINGS
@given(text=st.one_of(HOSTILE, VALID_TEXT, st.sampled_from(
    ["\ud800", "a\udfffb", "\x00", "\u202eevil", "<script>alert(1)</script>", "'=1+1",
     "\x01", "a\tb"])),
    as_csv=st.booleans())
def test_a_wellformed_import_with_hostile_texts_never_fails_and_keeps_valid_texts(
        client, login_as, app_ctx, text, as_csv):
    if not getattr(client, "_logged_in", False):
        login_as("core_team")
        client._logged_in = True
    title, summary = text[:200] or "x", text[:2000]
    record = _record(title, summary, text[:200] or "org")
    try:
        body = _csv_file(text[:200] or "s", record) if as_csv \
            else _json_file(text[:200] or "s", record)
    except UnicodeEncodeError:
        body = _json_file("s", record)
    token = csrf_token(client, "/portfolio/import")
    response = client.post("/portfolio/import/file", data={
        "csrf_token": token, "file": (io.BytesIO(body), "p.csv" if as_csv else "p.json")},
        content_type="multipart/form-data")
    _no_server_error(response, "import")
    html = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    stored = db.session.scalar(select(PortfolioPriority).where(
        PortfolioPriority.uuid == record["uuid"]))
    if response.status_code != 200:
        assert response.status_code in (400, 422) and stored is None  # nothing written
        return
    assert stored is not None
    # Nothing valid is lost: what was imported is what the file said (CSV cells are trimmed,
    # and a ' in front of a formula character is the spreadsheet's way to write it as text).
    expected = title.strip() if as_csv else title
    if as_csv and expected[:1] == "'" and expected[1:].startswith(FORMULA_START):
        expected = expected[1:]
    assert stored.title["sv"] == expected
    assert "\x00" not in json.dumps(stored.title) and not re.search(
        r"[\u202a-\u202e\u2066-\u2069]", stored.title["sv"] + stored.organisation)
    page = client.get(f"/portfolio/priorities/{stored.id}")
    _no_server_error(page, "imported priority page")
    assert "<script>alert(1)</script>" not in page.get_data(as_text=True)


@pytest.mark.parametrize("text", ["Vi vill ha fler kramar 🫨🩷", "Solkraft 🪽🪿 på taket"])
def test_new_emoji_are_kept_not_refused_as_hidden_characters(app, app_ctx, text):
    """Phones have emoji newer than the server's Unicode tables: they are text, not junk."""
    demo = factories.demo()
    phone = _phone(app)
    response = answer(phone, demo.id, factories.questions_by_kind(demo)["idea"][0],
                      {"text": text, "client_key": "emoji"})
    assert response.status_code == 302
    assert db.session.scalar(select(Contribution.text)) == text


def test_our_own_csv_export_imports_back_to_the_same_texts(client, login_as, app_ctx):
    """Formula neutralising must survive the round trip, also for a text that already
    starts with ' and a formula character."""
    from app.portfolio import exchange
    from tests.portfolio.helpers import published_priorities

    titles = ("=SUMMA(A1)", "'=1+1", "-fler träd", "@alla", "+46 är ett nummer", "''+x")
    consultation, made = published_priorities(titles=titles)
    db.session.commit()
    records = exchange.published_records(consultation)
    body = exchange.to_csv(exchange.document(records, "Medskapa Malmö"))
    for p in made:  # import them as another server would: the same uuids, fresh
        db.session.delete(p)
    db.session.commit()
    login_as("core_team")
    response = client.post("/portfolio/import/file", data={
        "csrf_token": csrf_token(client, "/portfolio/import"),
        "file": (io.BytesIO(body), "prioriteringar.csv")}, content_type="multipart/form-data")
    assert response.status_code == 200, response.get_data(as_text=True)
    imported = {p.title["sv"] for p in db.session.scalars(select(PortfolioPriority))}
    assert imported == set(titles)


@pytest.mark.parametrize("number", ["99999999999999999999", "2147483648", "9223372036854775808"])
def test_ids_too_large_for_the_database_are_not_found_not_a_crash(app, client, login_as,
                                                                  app_ctx, number):
    """PostgreSQL refuses an integer parameter beyond its range; SQLite does not."""
    demo, idea = leader_with_an_idea(app, client, login_as)
    token = csrf_token(client, f"/moderate/c/{demo.id}")
    for path, data in (
            ("/moderate/bulk", {"item": number, "action": "approve"}),
            (f"/moderate/items/{idea.id}/merge", {"into": number}),
            (f"/moderate/items/{idea.id}/theme", {"theme_id": number}),
            (f"/moderate/items/{number}/approve", {}),
            ("/feedback/new", {"title_sv": "x", "body_sv": "y", "consultation": number,
                               "initiative_id": number}),
            (f"/results/c/{demo.id}/priorities/new", {"title_sv": "x", "idea": number}),
            (f"/c/{number}/q/1", {"text": "x", "client_key": "k"})):
        _no_server_error(client.post(path, data={"csrf_token": token, **data}), path)
    for path in (f"/results/c/{number}", f"/moderate/c/{number}", f"/c/{number}/done",
                 f"/c/{number}/q/{number}", f"/portfolio/priorities/{number}",
                 f"/portfolio/initiatives/{number}", f"/c/{number}/now.json"):
        _no_server_error(client.get(path), path)
