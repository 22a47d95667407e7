"""Issue 6 in a real browser: a core team member imports the demo's published youth
priorities, links one to "Pedagogiska skolgårdar", and it leaves the unanswered list."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.portfolio import exchange, services
from app.portfolio.models import Initiative, PortfolioPriority
from app.results.models import Priority
from tests.browser.conftest import log_in, serious_violations


def test_core_team_imports_and_links_a_youth_priority(page, live_server, demo):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server + "/login")
    page.get_by_label("E-post").fill("core@example.org")
    page.get_by_label("Lösenord").fill("demo password 1")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**/staff")

    page.get_by_role("navigation", name="Personalmeny").get_by_role(
        "link", name="Portfölj").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Portfölj")
    expect(page.locator("#unanswered")).to_contain_text("Inga ungdomsprioriteringar")
    assert serious_violations(page) == []

    page.get_by_role("link", name="Importera ungdomsprioriteringar").click()
    expect(page.get_by_text("Gröna och trygga skolgårdar")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Importera alla").click()
    expect(page.locator("#outcome")).to_contain_text("3 nya ungdomsprioriteringar")

    page.get_by_role("link", name="Koppla dem till initiativ").click()
    unanswered = page.locator("#unanswered")
    card = unanswered.locator("li", has_text="Gröna och trygga skolgårdar")
    expect(card).to_contain_text("Har väntat 0 dagar")
    card.get_by_label("Koppla till ett initiativ").select_option(label="Pedagogiska skolgårdar")
    card.get_by_role("button", name="Koppla").click()

    expect(page.locator(".flash-success")).to_contain_text("Pedagogiska skolgårdar")
    expect(unanswered).not_to_contain_text("Gröna och trygga skolgårdar")
    expect(unanswered).to_contain_text("Läxhjälp nära där vi bor")
    initiative = page.locator("#initiatives-heading + ul li", has_text="Pedagogiska skolgårdar")
    expect(initiative).to_contain_text("1 ungdomsprioritering bakom")
    expect(initiative).to_contain_text("Gröna och trygga skolgårdar")
    assert serious_violations(page) == []


def test_a_long_initiative_title_keeps_the_overview_on_a_320_px_phone(
        browser, live_server, demo, app_ctx):
    """The select next to each unanswered priority is as wide as its longest option: a long
    initiative title made it 2000 px wide and the whole page scrolled sideways."""
    from app.extensions import db
    from app.portfolio import exchange
    from tests.portfolio.helpers import initiative

    initiative("Pedagogiska skolgårdar i Rosengård, Fosie och Holma – ett samarbete mellan "
               "skolor, fritidsgårdar, stadsbyggnadskontoret och Sveriges lantbruksuniversitet")
    exchange.import_here(None, None)
    db.session.commit()
    context = browser.new_context(viewport={"width": 320, "height": 640}, is_mobile=True,
                                  has_touch=True, locale="sv-SE")
    page = context.new_page()
    try:
        for lang in ("sv", "ar"):
            page.goto(f"{live_server}/login?lang={lang}")
            if "/login" in page.url:
                page.locator("#email").fill("core@example.org")
                page.locator("#password").fill("demo password 1")
                page.locator("form button[type=submit]").tap()
                page.wait_for_url("**/staff")
            page.goto(f"{live_server}/portfolio")
            expect(page.locator("#unanswered select").first).to_be_visible()
            assert page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]") \
                == [320, 320], lang
            box = page.locator("#unanswered select").first.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 320, lang
    finally:
        context.close()


def test_a_second_click_on_save_while_the_first_is_on_its_way_stores_once(page, live_server,
                                                                          demo):
    from sqlalchemy import func, select

    from app.extensions import db
    from app.portfolio.models import Initiative

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "core@example.org", lang="en")
    before = db.session.scalar(select(func.count(Initiative.id)))
    page.goto(live_server + "/portfolio/initiatives/new")
    page.get_by_label("Title").first.fill("Läxhjälp i biblioteket")
    # What leaves the page is recorded instead of sent: a second click while the first save
    # is on its way (on a slow network that can be seconds) must not send it again.
    page.evaluate("""() => { window.sent = [];
        document.addEventListener("submit", e => {
          window.sent.push(e.defaultPrevented ? "ignored" : "sent"); e.preventDefault(); }); }""")
    save = page.get_by_role("button", name="Save")
    save.click()
    save.click()
    save.press("Enter")
    assert page.evaluate("window.sent") == ["sent", "ignored", "ignored"]
    assert page.locator("form[aria-busy=true]").count() == 1

    page.reload()  # a page that came back works as before, and saves once
    page.get_by_label("Title").first.fill("Läxhjälp i biblioteket")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash-success")).to_be_visible()
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Initiative.id))) == before + 1


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_back_and_save_again_says_it_is_saved_and_makes_no_second_initiative(
        page, live_server, demo, lang):
    """The staff pages are never stored, so Back fetches the form again while the browser
    puts back what was typed; app.js puts back the page's first once-only token, and the
    server answers Save with the form as it was and a link to what was saved."""
    from sqlalchemy import func, select

    from app.extensions import db
    from app.portfolio.models import Initiative

    def initiatives() -> int:
        db.session.expire_all()
        return db.session.scalar(select(func.count(Initiative.id)))

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "core@example.org", lang=lang)
    before = initiatives()
    page.goto(live_server + "/portfolio/initiatives/new")
    page.locator("#title_sv").fill("Läxhjälp i biblioteket")
    page.locator("#description_sv").fill("Varje tisdag efter skolan.")
    save = page.locator("form.card button[type=submit]")
    save.click()
    expect(page.locator(".flash-success")).to_be_visible()
    saved_at = page.url.removeprefix(live_server)
    assert initiatives() == before + 1

    page.go_back()
    expect(page.locator("#title_sv")).to_have_value("Läxhjälp i biblioteket")
    save.click()
    notice = page.locator(".once-notice[role=alert]")
    expect(notice).to_be_visible()
    expect(notice.locator("a")).to_have_attribute("href", saved_at)
    if lang == "en":
        expect(notice).to_contain_text("You already saved this.")
        expect(notice.get_by_role("link", name="Open what you saved")).to_be_visible()
        expect(notice).to_contain_text(
            "Press “Save” again if you want to make another one.")
    else:  # right to left: the notice's bar is at the start of the line, on the right
        assert page.evaluate("document.documentElement.dir") == "rtl"
        box = notice.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 1280
        assert notice.evaluate("e => getComputedStyle(e).borderRightWidth") == "6px"
    expect(page.locator("#title_sv")).to_have_value("Läxhjälp i biblioteket")
    expect(page.locator("#description_sv")).to_have_value("Varje tisdag efter skolan.")
    assert initiatives() == before + 1
    assert serious_violations(page) == []

    page.locator("form.card button[type=submit]").click()  # another one, on purpose
    expect(page.locator(".flash-success")).to_be_visible()
    assert initiatives() == before + 2


def test_from_a_youth_priority_to_its_initiative_and_back_on_a_phone(page, live_server, demo):
    """The core team on a phone: from the consultation's youth priorities to the initiative
    that answers one, on to the priority in the portfolio, and back to the youth priorities."""
    core = db.session.scalar(select(User).where(User.email == "core@example.org"))
    exchange.import_here(core, None)
    green = db.session.scalar(select(Priority).where(Priority.position == 1))
    imported = db.session.scalar(select(PortfolioPriority).where(
        PortfolioPriority.priority_id == green.id))
    schoolyards = next(i for i in db.session.scalars(select(Initiative))
                       if i.title["sv"] == "Pedagogiska skolgårdar")
    services.link(core, imported, schoolyards)
    db.session.commit()

    log_in(page, live_server, "core@example.org")
    page.goto(f"{live_server}/results/c/{green.consultation_id}/priorities")
    card = page.locator(f"#priority-{green.id}")
    card.get_by_role("link", name="Pedagogiska skolgårdar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pedagogiska skolgårdar")
    page.get_by_role("link", name="Gröna och trygga skolgårdar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gröna och trygga skolgårdar")
    assert serious_violations(page) == []
    page.get_by_role("link", name="Hur blir skolan bättre för dig?").click()
    expect(page).to_have_url(f"{live_server}/results/c/{green.consultation_id}/priorities"
                             f"#priority-{green.id}")
    expect(card).to_contain_text("Pedagogiska skolgårdar")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_violations(page) == []


def test_the_chair_is_asked_before_a_round_closes_on_a_320_px_phone(page, live_server, demo):
    """"Close the round now" sits just below "Save my vote": a slip of the thumb fixed the
    outcome for good. The chair now sees the tally and the outcome first, and can go back."""
    page.set_viewport_size({"width": 320, "height": 700})
    log_in(page, live_server, "core@example.org", lang="en")
    schoolyards = next(i for i in db.session.scalars(select(Initiative))
                       if i.title["sv"] == "Pedagogiska skolgårdar")
    page.goto(f"{live_server}/portfolio/initiatives/{schoolyards.id}")
    page.get_by_label("What is decided").fill("Start in Rosengård in the autumn")
    page.get_by_role("button", name="Start the round").click()
    page.get_by_label("A – I approve the proposal").check()
    page.get_by_role("button", name="Save my vote").click()

    page.get_by_role("button", name="Close the round now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Close the decision round?")
    expect(page.locator("main")).to_contain_text("Outcome: A – approved")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert serious_violations(page) == []
    page.get_by_role("link", name="No, keep it open").click()
    expect(page.get_by_role("heading", name="Open decision round")).to_be_visible()

    page.get_by_role("button", name="Close the round now").click()
    page.get_by_role("button", name="Yes, close the round").click()
    expect(page.locator(".flash-success")).to_contain_text("The round is closed.")
    expect(page.locator("#decision")).to_contain_text("Outcome: A – approved")
    expect(page.get_by_role("heading", name="Open decision round")).to_have_count(0)


def test_link_without_a_chosen_initiative_links_nothing_on_a_phone(page, live_server, demo):
    """The first initiative was chosen in advance: "Koppla" pressed at once linked the
    priority to it. Now the select starts at "– välj –" and the browser asks for a choice."""
    core = db.session.scalar(select(User).where(User.email == "core@example.org"))
    exchange.import_here(core, None)
    db.session.commit()
    page.set_viewport_size({"width": 320, "height": 700})
    log_in(page, live_server, "core@example.org")
    page.goto(f"{live_server}/portfolio")
    card = page.locator("#unanswered li", has_text="Gröna och trygga skolgårdar")
    choice = card.get_by_label("Koppla till ett initiativ")
    expect(choice).to_have_value("")
    card.get_by_role("button", name="Koppla").click()
    assert choice.evaluate("el => el.matches(':invalid')")
    db.session.expire_all()
    assert all(not p.links for p in db.session.scalars(select(PortfolioPriority)))
    expect(page.locator(".flash-success")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
