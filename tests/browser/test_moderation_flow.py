"""Issue 4's whole loop on phones: a leader writes a consultation in Swedish and English and
opens it, a young person sends an idea, the leader publishes and themes it, and a second
young person then votes on it."""
from playwright.sync_api import expect
from sqlalchemy import select

from app.consultations.models import Consultation
from app.extensions import db
from app.participate.models import Contribution
from tests.browser.conftest import PHONE, log_in, serious_violations

IDEA = "Ett växthus på skolgården där vi kan odla"


def _texts(page, legend, sv, en):
    group = page.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Svenska").fill(sv)
    group.get_by_label("English").fill(en)


def _join(browser, live_server, code):
    context = browser.new_context(**PHONE, locale="sv-SE")
    phone = context.new_page()
    phone.goto(f"{live_server}/j/{code}")
    phone.get_by_role("button", name="Jag förstår – börja").tap()
    return context, phone


def test_idea_is_moderated_and_becomes_a_statement_for_peers(page, browser, live_server, demo):
    page.goto(live_server + "/login?lang=en")
    page.get_by_label("E-mail").fill("leader@example.org")
    page.get_by_label("Password").fill("demo password 1")
    page.get_by_role("button", name="Log in").tap()
    page.wait_for_url("**/staff")
    page.goto(live_server + "/staff/consultations/new")
    _texts(page, "Title", "Skolgården i Sofielund", "The schoolyard in Sofielund")
    page.get_by_role("button", name="Save").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("The schoolyard in Sofielund")

    page.get_by_label("Kind of question").select_option(label="Ideas (free text)")
    page.get_by_role("button", name="Add question").tap()
    _texts(page, "The question", "Vad vill du ha på skolgården?",
           "What do you want in the schoolyard?")
    page.get_by_role("button", name="Save question").tap()

    page.get_by_label("Kind of question").select_option(
        label="Statements (agree / disagree / pass)")
    page.get_by_role("button", name="Add question").tap()
    _texts(page, "The question", "Håller du med?", "Do you agree?")
    page.get_by_label("Also show approved ideas from").select_option(index=1)
    page.get_by_role("button", name="Save question").tap()
    page.get_by_role("button", name="Open it").tap()
    expect(page.locator(".flash-success")).to_contain_text("The consultation is open")
    db.session.expire_all()
    consultation = db.session.scalar(select(Consultation).where(
        Consultation.title["sv"].as_string() == "Skolgården i Sofielund"))

    # A young person sends an idea.
    first_context, first = _join(browser, live_server, consultation.join_code)
    try:
        first.locator("#text").fill(IDEA)
        first.locator(".q-nav button[type=submit]").tap()
        expect(first.locator(".progress-text span")).to_have_text("Fråga 2 av 2")
        expect(first.get_by_text("Det finns inget att rösta på än")).to_be_visible()
    finally:
        first_context.close()

    # The leader publishes and themes it from the queue, on the phone.
    page.goto(f"{live_server}/moderate/c/{consultation.id}")
    item = page.locator("article.mod-item").filter(has_text=IDEA)
    expect(item).to_be_visible()
    assert serious_violations(page) == []
    item.get_by_role("button", name="Publish").tap()
    expect(page.locator(".flash-success")).to_be_visible()
    page.goto(f"{live_server}/moderate/c/{consultation.id}?status=approved")
    item = page.locator("article.mod-item").filter(has_text=IDEA)
    item.get_by_label("New theme").fill("Grönare skolgård")
    item.get_by_role("button", name="Set theme").tap()
    expect(page.locator(".flash-success")).to_be_visible()
    stored = db.session.scalar(select(Contribution).where(Contribution.text == IDEA))
    db.session.refresh(stored)
    assert stored.status == "approved" and stored.theme.name == "Grönare skolgård"

    # A second young person now votes on it.
    second_context, second = _join(browser, live_server, consultation.join_code)
    try:
        second.locator(".q-nav .skip").tap()
        statement = second.locator("fieldset.statement").filter(has_text=IDEA)
        expect(statement).to_be_visible()
        statement.locator("label.vote-agree").tap()
        second.locator(".q-nav button[type=submit]").tap()
        expect(second.get_by_role("heading", name="Tack!")).to_be_visible()
    finally:
        second_context.close()
    db.session.expire_all()
    from app.participate.models import Vote

    vote = db.session.scalar(select(Vote).where(Vote.contribution_id == stored.id))
    assert vote is not None and vote.value == 1


def test_keyboard_shortcuts_in_the_queue(page, app, app_ctx, live_server):
    from tests import factories
    from tests.participate.helpers import answer, join

    consultation = factories.demo()
    n = factories.questions_by_kind(consultation)["idea"][0]
    for i, text in enumerate(["Första idén", "Andra idén"]):
        phone = app.test_client()
        join(phone)
        answer(phone, consultation.id, n, {"text": text, "client_key": f"kb{i}"})
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server, "leader@example.org")
    page.goto(f"{live_server}/moderate/c/{consultation.id}")
    page.keyboard.press("j")
    page.keyboard.press("j")  # the second text
    expect(page.locator("article.mod-item.is-current")).to_contain_text("Andra idén")
    page.keyboard.press("x")
    expect(page.locator("article.mod-item.is-current [data-select]")).to_be_checked()
    page.keyboard.press("a")
    expect(page.locator(".flash-success")).to_be_visible()
    # Back at the same place in the list, ready for the next key.
    expect(page.locator("article.mod-item.is-current")).to_be_focused()
    db.session.expire_all()
    statuses = dict(db.session.execute(select(Contribution.text, Contribution.status)).all())
    assert statuses == {"Första idén": "pending", "Andra idén": "approved"}
    page.keyboard.press("j")
    page.keyboard.press("h")
    expect(page.locator("article.mod-item.is-current [data-action=hide-reason]")).to_be_focused()
