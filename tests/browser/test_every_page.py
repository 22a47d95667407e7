"""Every page of the app, as the person it is for sees it on a 320 px phone, in Swedish and in
Arabic (right to left): it opens (200), nothing scrolls sideways, it has one main heading and a
title, and axe-core finds no serious or critical problem. The list of pages is the app's own
URL map, so a new page that is neither visited here nor set aside with a reason fails this
test."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.accounts.models import User
from app.coalition.models import ChallengeArea
from app.consultations import services as consultations
from app.consultations.models import Consultation
from app.extensions import db
from app.feedback import services as feedback
from app.participate.models import Contribution
from app.portfolio import exchange
from app.portfolio import services as portfolio
from app.portfolio.models import Initiative, PortfolioPriority
from app.results.models import Priority
from tests import factories
from tests.browser.conftest import PHONE, log_in, serious_violations

FITS = "document.documentElement.scrollWidth <= window.innerWidth"

# Not pages a person reads: data, files, redirects, or a step only reached on the way.
NOT_PAGES = {
    "static": "files", "pwa.manifest": "JSON", "pwa.service_worker": "script",
    "health.healthz": "JSON for the load balancer", "i18n.choose": "sets the language, redirects",
    "accounts.access": "one-time link, redirects", "results.now": "JSON poll",
    "results.live_state": "JSON poll", "portfolio.export": "file", "followup.export_csv": "file",
    "results.export": "file", "portfolio.export_priorities": "file",
    "accounts.second_factor": "checked on the way in as an administrator, below",
}


def _world():
    """The demo with what the later steps of the loop add: imported and linked priorities,
    a published update and a draft one, a draft consultation, an idea from this phone (added
    by the browser)."""
    consultation = db.session.scalar(select(Consultation).where(
        Consultation.join_code == "DEMO01"))
    leader = db.session.scalar(select(User).where(User.email == "leader@example.org"))
    core = db.session.scalar(select(User).where(User.email == "core@example.org"))
    exchange.import_here(core, None)
    imported = db.session.scalars(select(PortfolioPriority).order_by(PortfolioPriority.id)).first()
    initiative = db.session.scalars(select(Initiative).order_by(Initiative.id)).first()
    portfolio.link(core, imported, initiative)
    update = feedback.save(leader, None, title={"sv": "Vi har bestämt"},
                           body={"sv": "Skolgården får fler bänkar i höst."},
                           consultation_ids=[consultation.id], initiative_id=None)
    feedback.publish(leader, update)
    next_update = feedback.save(leader, None, title={"sv": "Nästa steg"},  # a draft
                                body={"sv": "Vi börjar bygga i mars."},
                                consultation_ids=[consultation.id], initiative_id=None)
    draft = consultations.duplicate(leader, consultation)
    admin = factories.user(role="admin", email="sweep-admin@example.org")
    db.session.commit()
    return {
        "consultation": consultation, "draft": draft, "update": next_update, "admin": admin,
        "initiative": initiative, "imported": imported,
        "priority": db.session.scalars(select(Priority).where(
            Priority.consultation_id == consultation.id)).first(),
        "question": consultation.active_questions()[0],
        "area": db.session.scalars(select(ChallengeArea).order_by(ChallengeArea.id)).first(),
    }


def _pages(w, idea_id):
    """(endpoint, path) per person, in the order they would come to them."""
    c, q = w["consultation"].id, w["question"].id
    staff_c = f"/staff/consultations/{c}"
    return {
        "phone": [
            ("participate.index", "/"), ("participate.join", "/j/DEMO01"),
            *[("participate.question", f"/c/{c}/q/{n}") for n in range(1, 7)],
            ("participate.done", f"/c/{c}/done"), ("participate.help_now", f"/c/{c}/help"),
            ("results.waiting", f"/c/{c}/wait"), ("feedback.consultation", f"/c/{c}/feedback"),
            ("participate.me", "/me"),
            ("participate.delete_contribution", f"/me/contributions/{idea_id}/delete"),
            ("participate.delete_everything", "/me/delete"),
            ("about.privacy", "/privacy"), ("about.accessibility", "/accessibility"),
            ("pwa.offline", "/offline"), ("accounts.login", "/login"),
        ],
        "leader@example.org": [
            ("accounts.home", "/staff"), ("accounts.two_factor_settings", "/staff/two-factor"),
            ("consultations.index", "/staff/consultations"),
            ("consultations.create", "/staff/consultations/new"),
            ("consultations.show", staff_c), ("consultations.edit", f"{staff_c}/edit"),
            ("consultations.question_create", f"{staff_c}/questions/new?kind=choice"),
            ("consultations.question_edit", f"{staff_c}/questions/{q}"),
            ("consultations.preview", f"{staff_c}/preview/2"),
            ("consultations.share", f"{staff_c}/share"),
            ("consultations.poster", f"{staff_c}/poster"),
            ("consultations.delete", f"/staff/consultations/{w['draft'].id}/delete"),
            ("moderate.index", "/moderate/"), ("moderate.consultation_queue", f"/moderate/c/{c}"),
            ("moderate.redact", f"/moderate/items/{idea_id}/redact"),
            ("moderate.merge", f"/moderate/items/{idea_id}/merge"),
            ("results.consultation_results", f"/results/c/{c}"),
            ("results.opinion_groups", f"/results/c/{c}/opinion-groups"),
            ("results.priorities_page", f"/results/c/{c}/priorities"),
            ("results.priority_edit", f"/results/c/{c}/priorities/new"),
            ("results.priority_edit", f"/results/c/{c}/priorities/{w['priority'].id}"),
            ("results.live_view", "/live/DEMO01"),
            ("feedback.index", "/feedback"), ("feedback.edit", "/feedback/new"),
            ("feedback.edit", f"/feedback/{w['update'].id}/edit"),
            ("feedback.publish", f"/feedback/{w['update'].id}/publish"),
            ("feedback.delete", f"/feedback/{w['update'].id}/delete"),
        ],
        "core@example.org": [
            ("portfolio.overview", "/portfolio"),
            ("portfolio.import_page", "/portfolio/import"),
            ("portfolio.priority", f"/portfolio/priorities/{w['imported'].id}"),
            ("portfolio.initiative", f"/portfolio/initiatives/{w['initiative'].id}"),
            ("portfolio.initiative_edit", "/portfolio/initiatives/new"),
            ("portfolio.initiative_edit", f"/portfolio/initiatives/{w['initiative'].id}/edit"),
            ("followup.index", "/portfolio/follow-up"),
        ],
        "admin": [
            ("admin.users", "/admin/users"), ("admin.api_tokens", "/admin/api-tokens"),
            ("admin.audit", "/admin/audit"), ("portfolio.lists", "/portfolio/lists"),
            ("portfolio.edit_term", f"/portfolio/lists/challenge_area/{w['area'].id}"),
            ("admin.organisations", "/admin/organisations"),
            ("admin.organisation_edit",
             f"/admin/organisations/{w['consultation'].organisation_id}"),
            ("admin.places", "/admin/places"),
            ("admin.place_edit", f"/admin/places/{w['consultation'].areas[0].id}"),
            ("admin.place_delete", f"/admin/places/{w['consultation'].areas[0].id}/delete"),
        ],
    }


def _check(page, url, lang, problems):
    response = page.goto(f"{url}{'&' if '?' in url else '?'}lang={lang}")
    path = url.split("/", 3)[-1]
    if response is None or response.status != 200:
        problems.append(f"/{path}: status {response and response.status}")
        return
    expect(page.locator("html")).to_have_attribute("lang", lang)
    if not page.evaluate(FITS):
        problems.append(f"/{path}: scrolls sideways at 320 px")
    # A screen reader user knows where they are: one main heading, a title naming the page.
    if page.locator("h1").count() != 1 or not page.title().strip():
        problems.append(f"/{path}: {page.locator('h1').count()} h1, title {page.title()!r}")
    problems.extend(f"/{path}: {v}" for v in serious_violations(page))


@pytest.mark.parametrize("lang", ["sv", "ar"])
def test_every_page_opens_fits_a_small_phone_and_passes_axe(browser, app, live_server, demo,
                                                             lang):
    w = _world()
    context = browser.new_context(**{**PHONE, "viewport": {"width": 320, "height": 640}},
                                  locale="sv-SE")
    page = context.new_page()
    problems = []
    try:
        page.goto(f"{live_server}/j/DEMO01?lang={lang}")
        page.locator("#consent button[type=submit]").tap()
        page.locator("#text").fill("Fler bänkar på skolgården")
        page.locator(".q-nav button[type=submit]").tap()
        expect(page.locator(".progress-text span")).to_contain_text("2")
        idea_id = db.session.scalar(select(Contribution.id).where(
            Contribution.text == "Fler bänkar på skolgården"))
        pages = _pages(w, idea_id)
        for person, visits in pages.items():
            if person != "phone":
                context.clear_cookies(name="session")  # the one before logged out
            if person == "admin":
                page.goto(f"{live_server}/login?lang={lang}")
                page.locator("#email").fill(w["admin"].email)
                page.locator("#password").fill(factories.PASSWORD)
                page.locator("form button[type=submit]").click()
                page.wait_for_url("**/login/code")
                problems.extend(f"/login/code: {v}" for v in serious_violations(page))
                page.locator("#code").fill(factories.totp_code(w["admin"]))
                page.locator("form button[type=submit]").click()
                page.wait_for_url("**/staff")
            elif person != "phone":
                log_in(page, live_server, person, lang=lang)
            for _, path in visits:
                _check(page, live_server + path, lang, problems)
    finally:
        context.close()
    assert problems == []

    # Every page of the app was visited, or is set aside above with its reason.
    visited = {endpoint for visits in pages.values() for endpoint, _ in visits}
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods
                 and not rule.endpoint.startswith("api.")}  # the API: tests/api
    assert endpoints - visited - set(NOT_PAGES) == set()
    assert visited <= endpoints
