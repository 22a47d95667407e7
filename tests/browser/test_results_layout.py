"""The results page on a laptop: a young person's long unbroken text does not push the
figures beside it out of sight (nor make a box that scrolls without a keyboard)."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.consultations.models import Consultation
from app.extensions import db
from app.participate import services as participate
from app.participate.models import Contribution
from tests import factories
from tests.browser.conftest import log_in, serious_violations

LAPTOP = {"width": 1280, "height": 800}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_long_word_in_an_idea_breaks_inside_the_statements_table(
        browser, live_server, demo, lang):
    consultation = db.session.scalar(select(Consultation).where(
        Consultation.join_code == "DEMO01"))
    questions = factories.questions_by_kind(consultation)
    phone = participate.join(consultation, "a-device-token-for-this-test", language="sv",
                             age_band=None, area_id=None)
    participate.submit_answer(phone, questions["idea"][1],
                              {"text": ["a" * 300], "client_key": ["long"]})
    db.session.scalar(select(Contribution).where(
        Contribution.participant_id == phone.id)).status = "approved"
    db.session.commit()

    context = browser.new_context(viewport=LAPTOP, locale="sv-SE")
    page = context.new_page()
    page.goto(f"{live_server}/login?lang={lang}")
    page.locator("input[name=email]").fill("leader@example.org")
    page.locator("input[name=password]").fill("demo password 1")
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url("**/staff")
    page.goto(f"{live_server}/results/c/{consultation.id}")
    table = page.locator(f'section[aria-labelledby="result-{questions["statement"][1].id}"]'
                         " .table-wrap")
    expect(table).to_be_visible()
    assert table.evaluate("box => box.scrollWidth <= box.clientWidth"), "scrolls sideways"
    assert serious_violations(page) == []
    context.close()


@pytest.mark.parametrize("width", [320, 390])
def test_ranking_bars_fit_a_phone_and_stay_visible(browser, live_server, demo, width):
    """A youth leader reads the results on a phone: the ranking's figures ("9 points, first
    for 3") do not push the page sideways, and every bar keeps a readable length."""
    consultation = db.session.scalar(select(Consultation).where(
        Consultation.join_code == "DEMO01"))
    rank = factories.questions_by_kind(consultation)["rank"][1]
    options = [o.id for o in rank.options]
    for n in range(3):
        phone = participate.join(consultation, f"a-device-token-for-bars-{n}", language="sv",
                                 age_band=None, area_id=None)
        participate.submit_answer(phone, rank, {f"place_{i + 1}": [str(options[i])]
                                                for i in range(3)})
    db.session.commit()

    context = browser.new_context(viewport={"width": width, "height": 800}, is_mobile=True,
                                  has_touch=True, locale="sv-SE")
    page = context.new_page()
    log_in(page, live_server, "leader@example.org", lang="en")
    page.goto(f"{live_server}/results/c/{consultation.id}")
    bars = page.locator(f'section[aria-labelledby="result-{rank.id}"] .bars')
    expect(bars.locator(".bar-value").first).to_contain_text("points, first for 3")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "scrolls sideways"
    list_width = bars.evaluate("list => list.getBoundingClientRect().width")
    for box in bars.locator(".bar").all():
        assert box.bounding_box()["width"] >= list_width / 3, "a bar too short to read"
    assert serious_violations(page) == []
    context.close()


@pytest.mark.parametrize("width", [320, 360])
def test_statement_figures_and_headings_stay_whole_on_a_phone(
        browser, live_server, demo, width):
    """"2 (33 %)" and "Håller inte med" were cut between their letters ("Hå/lle/r") to fit a
    phone; now they stay whole and the table scrolls in its box, which a keyboard can reach."""
    consultation = db.session.scalar(select(Consultation).where(
        Consultation.join_code == "DEMO01"))
    n, statement = factories.questions_by_kind(consultation)["statement"]
    for i in range(3):
        phone = participate.join(consultation, f"a-device-token-for-phone-table-{i}",
                                 language="sv", age_band=None, area_id=None)
        participate.submit_answer(phone, statement, {
            f"s_o{o.id}": ["agree" if i else "disagree"] for o in statement.options})
    db.session.commit()

    context = browser.new_context(viewport={"width": width, "height": 800}, is_mobile=True,
                                  has_touch=True, locale="sv-SE")
    page = context.new_page()
    log_in(page, live_server, "leader@example.org", lang="sv")
    page.goto(f"{live_server}/results/c/{consultation.id}")
    box = page.locator(f'section[aria-labelledby="result-{statement.id}"] .table-wrap')
    expect(box).to_contain_text("67")
    cut = box.evaluate("""box => [...box.querySelectorAll('thead th, td')].filter(cell => {
        const probe = document.createElement('span');
        probe.style.whiteSpace = 'nowrap';
        cell.appendChild(probe);
        const widest = Math.max(...cell.firstChild.textContent.split(/\\s+/).map(word => {
            probe.textContent = word; return probe.getBoundingClientRect().width; }));
        probe.remove();
        const style = getComputedStyle(cell);
        const inner = cell.clientWidth - parseFloat(style.paddingLeft)
            - parseFloat(style.paddingRight);
        return widest > inner + 0.5;
    }).map(cell => cell.textContent)""")
    assert cut == [], f"cut inside a word: {cut}"
    # The statements themselves keep room for a few words a line (they were squeezed to a
    # letter or two a line beside four columns of figures).
    widths = box.evaluate("box => [...box.querySelectorAll('tbody th[scope=row]')]"
                          ".map(th => th.getBoundingClientRect().width)")
    assert widths and min(widths) >= 120, f"statements squeezed: {widths}"
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "page scrolls sideways"
    assert serious_violations(page) == []
    context.close()
