"""The places test_xss.py does not reach. XSS payloads written by staff for young people to
read (consultation, questions, options, areas, feedback updates) must come out escaped on
every participant page and staff page; payloads in young people's ideas and words must stay
plain data in the live view's JSON and the projector page; every export (results CSV and
XLSX, every sheet; the portfolio CSV and XLSX; the priorities exchange CSV; the follow-up
CSV) must neutralise a cell that a spreadsheet would run as a formula (= + - @); the push
message is JSON whose title is the text as written (the service worker shows it as text) and
whose link is ours, whatever the text."""
import csv
import io
import json
from pathlib import Path

import pytest
from markupsafe import escape
from openpyxl import load_workbook
from sqlalchemy import select

from app.coalition.models import Area
from app.extensions import db
from app.feedback import services as feedback
from app.feedback.models import FeedbackUpdate
from app.moderate import services as moderation
from app.participate.models import Contribution
from app.portfolio import exchange
from app.push import services as push
from app.results import live, priorities
from app.results.models import Priority
from tests import factories
from tests.participate.helpers import answer, join
from tests.portfolio.helpers import initiative
from tests.security.test_xss import PAYLOADS, _no_raw_payload

FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"klick\")", "+1+cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "=1+1"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _staff_write(demo, payload: str) -> None:
    """What a youth leader writes, straight into the database (the forms accept markup as
    text, so this is what they could store)."""
    demo.title = {"sv": f"Samråd {payload}", "en": payload}
    demo.intro = {"sv": f"Intro {payload}"}
    for question in demo.questions:
        question.prompt = {"sv": f"Fråga {payload}"}
        question.help = {"sv": f"Hjälp {payload}"}
        for option in question.options:
            option.text = {"sv": f"Val {option.id} {payload}"}
    for area in demo.areas:
        area.name = f"{area.name} {payload}"
    demo.organisation.name = f"Org {payload}"


def _published_update(demo, payload: str) -> FeedbackUpdate:
    leader = factories.user(organisation=demo.organisation)
    update = feedback.save(leader, None, title={"sv": f"Nytt {payload}"},
                           body={"sv": f"Vi gjorde {payload}"}, consultation_ids=[demo.id],
                           initiative_id=None)
    feedback.publish(leader, update)
    return update


@pytest.mark.parametrize("payload", PAYLOADS)
def test_what_staff_write_is_escaped_on_every_page_young_people_and_staff_see(
        app, client, login_as, app_ctx, payload):
    demo = factories.demo()
    _staff_write(demo, payload)
    db.session.commit()
    phone = app.test_client()
    join_page = phone.get("/j/DEMO01")
    _no_raw_payload(join_page.get_data(as_text=True), "join page")
    join(phone)
    kinds = factories.questions_by_kind(demo)
    answer(phone, demo.id, kinds["idea"][0], {"text": "En idé", "client_key": "k1"})
    _published_update(demo, payload)
    db.session.commit()

    pages = {f"question {n}": phone.get(f"/c/{demo.id}/q/{n}")
             for n in range(1, len(kinds) + 1)}
    pages.update({
        "done": phone.get(f"/c/{demo.id}/done"),
        "feedback page": phone.get(f"/c/{demo.id}/feedback"),
        "/me": phone.get("/me"),
        "wait": phone.get(f"/c/{demo.id}/wait?stay=1"),
    })
    login_as("youth_leader", organisation=demo.organisation)
    for path in (f"/staff/consultations/{demo.id}", f"/staff/consultations/{demo.id}/share",
                 f"/staff/consultations/{demo.id}/poster", f"/staff/consultations/{demo.id}/edit",
                 f"/staff/consultations/{demo.id}/preview/1", "/staff/consultations",
                 f"/moderate/c/{demo.id}", f"/results/c/{demo.id}", f"/live/{demo.join_code}",
                 "/feedback"):
        pages[path] = client.get(path)
    for where, response in pages.items():
        assert response.status_code == 200, (where, response.status_code)
        _no_raw_payload(response.get_data(as_text=True), where)
    # The payload is there, escaped: the page did show it.
    assert str(escape("Fråga " + payload)) in pages["question 1"].get_data(as_text=True)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_live_view_keeps_young_peoples_text_as_data(app, client, login_as, app_ctx,
                                                       payload):
    demo = factories.demo()
    kinds = factories.questions_by_kind(demo)
    word = payload.replace(" ", "")[:40]
    for i in range(2):
        phone = app.test_client()
        join(phone)
        answer(phone, demo.id, kinds["idea"][0], {"text": payload, "client_key": f"i{i}"})
        answer(phone, demo.id, kinds["word"][0], {"text": word, "client_key": f"w{i}"})
    leader = login_as("youth_leader", organisation=demo.organisation)
    for idea in db.session.scalars(select(Contribution)):
        moderation.approve(leader, idea, version=None)
    db.session.commit()
    for kind, key in (("word", "words"), ("idea", "ideas")):
        live.set_live_question(demo, kinds[kind][1])
        db.session.commit()
        state = client.get(f"/live/{demo.join_code}/state.json")
        assert state.mimetype == "application/json"
        assert state.headers["X-Content-Type-Options"] == "nosniff"
        shown = state.get_json()["question"][key]
        texts = [w["text"] for w in shown] if key == "words" else shown
        assert texts and all(isinstance(t, str) for t in texts)
        if kind == "idea":
            assert payload in texts  # exactly as written: data, not HTML
        else:  # the word cloud folds words (case, punctuation at the ends), never escapes
            assert all(t in word.lower() for t in texts), texts
        assert not any("&lt;" in t or "&amp;" in t for t in texts)
        page = client.get(f"/live/{demo.join_code}")
        _no_raw_payload(page.get_data(as_text=True), f"live page ({kind})")
    # The projector's script puts it in with textContent only.
    script = (Path(__file__).resolve().parents[2] / "static/js/live.js").read_text()
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script


def _csv_cells(body: str) -> list[str]:
    assert body.startswith("\ufeff")
    return [cell for row in csv.reader(io.StringIO(body[1:]), delimiter=";") for cell in row]


def _assert_no_formula(cells, where: str) -> None:
    for cell in cells:
        if not isinstance(cell, str) or not cell.startswith(FORMULA_START):
            continue
        try:
            float(cell)  # a negative number is a number, not a formula
        except ValueError:
            raise AssertionError(f"{where}: a cell a spreadsheet would run: {cell!r}") from None


def _xlsx_cells(data: bytes, where: str) -> list:
    book = load_workbook(io.BytesIO(data))
    cells = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (where, sheet.title, cell.value)
                cells.append(cell.value)
    return cells


@pytest.mark.parametrize("formula", FORMULAS)
def test_every_export_neutralises_formulas(app, client, login_as, app_ctx, formula):
    demo = factories.demo()
    kinds = factories.questions_by_kind(demo)
    for area in demo.areas:
        area.name = f"{formula} {area.id}"
    db.session.commit()
    area_id = demo.areas[0].id
    for i in range(6):  # enough people in one area that the equity row is shown
        phone = app.test_client()
        join(phone, area=str(area_id))
        answer(phone, demo.id, kinds["idea"][0], {"text": f"{formula} {i}", "client_key": "i"})
        answer(phone, demo.id, kinds["word"][0], {"text": formula[:40].replace(" ", ""),
                                                   "client_key": "w"})
        answer(phone, demo.id, kinds["scale"][0], {"value": "2"})
    leader = login_as("youth_leader", organisation=demo.organisation)
    ideas = list(db.session.scalars(select(Contribution).where(
        Contribution.question_id == kinds["idea"][1].id)))
    for idea in ideas:
        moderation.approve(leader, idea, version=None)
    moderation.set_theme(leader, ideas[0], theme_id=None, new_theme=formula[:80],
                         version=None)
    priority = Priority(consultation_id=demo.id, position=9, title={"sv": formula},
                        summary={"sv": formula})
    priority.contributions = ideas[:1]
    db.session.add(priority)
    db.session.flush()
    priorities.publish(leader, priority)
    db.session.commit()

    for what in ("results", "equity", "priorities"):
        body = client.get(f"/results/c/{demo.id}/export.csv?what={what}")
        assert body.status_code == 200, what
        cells = _csv_cells(body.get_data(as_text=True))
        assert any(formula in str(c) for c in cells) or what == "equity", what  # it is there
        _assert_no_formula(cells, f"results {what}.csv")
    # XLSX: text cells are text (_xlsx_cells checks that none is a formula), exactly as written.
    results_xlsx = _xlsx_cells(client.get(f"/results/c/{demo.id}/export.xlsx").data,
                               "results.xlsx")
    assert formula in results_xlsx and f"'{formula}" not in results_xlsx
    exchange_csv = client.get(f"/results/c/{demo.id}/priorities.csv")
    assert exchange_csv.status_code == 200
    _assert_no_formula(_csv_cells(exchange_csv.get_data(as_text=True)), "priorities.csv")

    core = factories.user(role="core_team")
    exchange.import_here(core, None)
    initiative(title=formula, description={"sv": formula})
    db.session.commit()
    client.post("/logout", data={"csrf_token": _token(client)})
    login_as("core_team")
    for path in ("/portfolio/export.csv", "/portfolio/follow-up.csv"):
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_no_formula(_csv_cells(response.get_data(as_text=True)), path)
    portfolio_xlsx = client.get("/portfolio/export.xlsx")
    assert portfolio_xlsx.status_code == 200
    cells = _xlsx_cells(portfolio_xlsx.data, "portfolio.xlsx")
    assert formula in cells and f"'{formula}" not in cells


def _token(client) -> str:
    from tests.conftest import csrf_token

    return csrf_token(client, "/staff")


@pytest.mark.parametrize("payload", PAYLOADS + ["\"}, \"url\": \"https://evil.example\"",
                                                "https://evil.example/"])
def test_the_push_message_is_json_with_the_title_as_text_and_our_own_link(app_ctx, payload):
    demo = factories.demo()
    update = _published_update(demo, payload)
    db.session.commit()
    for locale in ("sv", "ar", "en"):
        message = push.payload(update, demo.id, locale)
        sent = json.loads(json.dumps(message, ensure_ascii=False))  # as the worker sends it
        assert sent == message
        assert sent["title"] == f"Nytt {payload}"  # as written: a notification is text
        assert sent["url"] == f"/c/{demo.id}/feedback"  # never from what staff wrote
        assert payload not in sent["tag"] and payload not in sent["body"]
    # The service worker shows it with showNotification (text) and only opens our origin.
    worker = (Path(__file__).resolve().parents[2] / "static/js/sw.js").read_text()
    assert "innerHTML" not in worker
    assert "target.origin !== self.location.origin" in worker


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_portfolio_pages_escape_imported_and_written_texts(client, login_as, app_ctx,
                                                              payload):
    demo = factories.demo()
    leader = factories.user(organisation=demo.organisation)
    priority = Priority(consultation_id=demo.id, position=9, title={"sv": f"Prio {payload}"},
                        summary={"sv": payload})
    db.session.add(priority)
    db.session.flush()
    priorities.publish(leader, priority)
    demo.organisation.name = f"Org {payload}"
    found = initiative(title=f"Initiativ {payload}", description={"sv": payload})
    db.session.add(Area(name=f"Plats {payload}", kind="school"))
    db.session.commit()
    login_as("core_team")
    exchange.import_here(factories.user(role="core_team"), None)
    db.session.commit()
    imported = db.session.scalars(select(exchange.PortfolioPriority)).all()
    pages = ["/portfolio", "/portfolio/import", "/portfolio/follow-up",
             f"/portfolio/initiatives/{found.id}", f"/portfolio/initiatives/{found.id}/edit"]
    pages += [f"/portfolio/priorities/{p.id}" for p in imported]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        _no_raw_payload(response.get_data(as_text=True), path)
    exported = json.loads(client.get("/portfolio/export.json").data)
    assert f"Prio {payload}" in _strings(exported)  # JSON carries the text as written


def _strings(value) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return set().union(*map(_strings, value)) if value else set()
    return set()
