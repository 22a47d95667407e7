import re

import pytest

from app.i18n import LANGUAGES
from tests import factories

PAGES = ["/", "/login", "/offline", "/does-not-exist"]
EXPECTED = {"sv": ("ltr", "Hoppa till innehållet"), "en": ("ltr", "Skip to content"),
            "ar": ("rtl", "انتقل إلى المحتوى")}


def html_tag(response) -> tuple[str, str]:
    match = re.search(r'<html lang="([^"]+)" dir="([^"]+)">', response.get_data(as_text=True))
    assert match, "no <html lang dir>"
    return match.group(1), match.group(2)


@pytest.mark.parametrize("lang", EXPECTED)
@pytest.mark.parametrize("path", PAGES)
def test_public_pages_render_in_each_language(client, path, lang):
    response = client.get(path, query_string={"lang": lang})
    assert response.status_code in (200, 404)
    assert html_tag(response) == (lang, EXPECTED[lang][0])
    assert EXPECTED[lang][1] in response.get_data(as_text=True)


@pytest.mark.parametrize("lang", EXPECTED)
@pytest.mark.parametrize("path", ["/staff", "/admin/users"])
def test_staff_pages_render_in_each_language(client, login_as, path, lang):
    login_as("admin")
    response = client.get(path, query_string={"lang": lang})
    assert response.status_code == 200
    assert html_tag(response) == (lang, EXPECTED[lang][0])


def test_invite_page_renders_in_arabic(client, app_ctx):
    from app.accounts import services
    from app.extensions import db

    user = factories.user()
    token = services.create_access_link(user, "invite", actor=None,
                                        valid_for=__import__("datetime").timedelta(days=1))
    db.session.commit()
    response = client.get(f"/access/{token}?lang=ar")
    assert html_tag(response) == ("ar", "rtl")
    assert "اختر كلمة مرور" in response.get_data(as_text=True)


def test_swedish_is_the_default(client):
    assert html_tag(client.get("/")) == ("sv", "ltr")


def test_browser_language_is_followed_on_first_visit(client):
    response = client.get("/", headers={"Accept-Language": "ar-SE,ar;q=0.9,en;q=0.5"})
    assert html_tag(response) == ("ar", "rtl")


def test_unknown_browser_language_falls_back_to_swedish(client):
    assert html_tag(client.get("/", headers={"Accept-Language": "ja"})) == ("sv", "ltr")


def test_language_choice_is_remembered_in_a_cookie(client):
    response = client.get("/lang/ar?next=/login")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    cookie = client.get_cookie("lang")
    assert cookie.value == "ar" and cookie.http_only
    # The choice beats the browser's language on later visits.
    later = client.get("/", headers={"Accept-Language": "en"})
    assert html_tag(later) == ("ar", "rtl")


def test_lang_query_parameter_is_remembered_too(client):
    client.get("/?lang=en")
    assert html_tag(client.get("/")) == ("en", "ltr")


def test_language_switch_never_redirects_off_site(client):
    for target in ["https://evil.example/", "//evil.example/", "/\\evil.example"]:
        response = client.get("/lang/en", query_string={"next": target})
        assert response.headers["Location"] == "/"


CONTROL_NEXT = ["/x\r\nSet-Cookie: a=b", "/\n/evil.example/", "/\t/evil.example/", "/a\x00b",
                "/a\x7fb"]


@pytest.mark.parametrize("target", CONTROL_NEXT)
def test_a_next_with_a_line_break_or_control_character_is_not_followed(client, target):
    """A line break in a redirect's Location was a 500; a browser drops tabs and line
    breaks in an address, so "/\t/evil.example" leads off the site."""
    response = client.get("/lang/en", query_string={"next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/"


@pytest.mark.parametrize("target", CONTROL_NEXT)
def test_a_login_with_a_next_with_a_line_break_goes_to_the_staff_page(client, app_ctx,
                                                                       target):
    from app.extensions import db
    from tests.conftest import csrf_token

    user = factories.user()
    db.session.commit()
    response = client.post("/login", query_string={"next": target}, data={
        "csrf_token": csrf_token(client, "/login"), "email": user.email,
        "password": factories.PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/staff"


def test_unknown_language_is_ignored(client):
    client.get("/lang/xx")
    assert client.get_cookie("lang") is None
    assert html_tag(client.get("/?lang=xx")) == ("sv", "ltr")


def test_language_menu_lists_languages_in_their_own_names(client):
    html = client.get("/").get_data(as_text=True)
    assert 'lang="ar" hreflang="ar" dir="rtl"' in html
    assert ">العربية</a>" in html and ">English</a>" in html and ">Svenska</a>" in html


def test_lang_parameter_is_remembered_even_on_a_redirect(client, app_ctx):
    from tests import factories
    from tests.participate.helpers import join

    factories.demo()
    join(client)
    response = client.get("/j/DEMO01?lang=ar")
    assert response.status_code == 302
    assert client.get_cookie("lang").value == "ar"


def test_language_menu_links_lead_back_to_the_page_with_its_query(app, client):
    """The menu's links (app.i18n.language_links) are what url_for makes for each language,
    under the app's script root too."""
    from flask import url_for

    html = client.get("/login?next=/staff").get_data(as_text=True)
    mounted = client.get("/login", base_url="http://localhost/medskapa")
    with app.test_request_context("/login?next=/staff"):
        expected = [url_for("i18n.choose", code=code, next="/login?next=/staff")
                    for code in LANGUAGES]
    with app.test_request_context("/login", base_url="http://localhost/medskapa"):
        under_root = [url_for("i18n.choose", code=code, next="/login") for code in LANGUAGES]
    assert expected[0] == "/lang/sv?next=/login?next%3D/staff"
    assert re.findall(r'<li><a href="([^"]+)"', html) == [e.replace("&", "&amp;")
                                                           for e in expected]
    assert under_root[0].startswith("/medskapa/lang/sv?")
    assert re.findall(r'<li><a href="([^"]+)"', mounted.get_data(as_text=True)) == under_root


def test_the_menu_changes_the_language_of_a_page_opened_with_a_lang_link(client, app_ctx):
    """A link shared as /j/CODE?lang=ar: choosing Svenska in the menu there showed the page
    in Arabic again (its way back kept ?lang=ar, which beats the cookie, and set it back)."""
    factories.demo()
    html = client.get("/j/DEMO01?lang=ar&area=7").get_data(as_text=True)
    swedish = re.search(r'<li><a href="([^"]+)"\s+lang="sv"', html).group(1)
    assert swedish == "/lang/sv?next=/j/DEMO01?area%3D7"
    response = client.get(swedish.replace("&amp;", "&"))
    assert response.headers["Location"] == "/j/DEMO01?area=7"
    assert html_tag(client.get(response.headers["Location"])) == ("sv", "ltr")
    assert client.get_cookie("lang").value == "sv"


def test_templates_translate_in_the_language_of_the_moment(app):
    """Templates keep the request's catalog (app.i18n.translations), also when a block
    forces another language; variables are escaped as before."""
    from flask_babel import force_locale

    template = app.jinja_env.from_string(
        "{{ _('Skip to content') }}|{{ _('At most %(n)s characters.', n='<b>') }}|"
        "{{ ngettext('%(num)s new', '%(num)s new', 2) }}")
    with app.test_request_context("/?lang=sv"):
        assert template.render() == \
            "Hoppa till innehållet|Högst &lt;b&gt; tecken.|2 nya"
        with force_locale("ar"):
            assert template.render().startswith("انتقل إلى المحتوى|")
        with force_locale("en"):
            assert template.render() == "Skip to content|At most &lt;b&gt; characters.|2 new"
        assert template.render().startswith("Hoppa till innehållet|")
    with app.test_request_context("/?lang=en"):
        assert template.render().startswith("Skip to content|")


def test_a_swedish_fallback_on_a_staff_page_is_marked_as_swedish(client, app_ctx, login_as):
    """A youth leader or core team member who works in English or Arabic sees the
    consultation's, priority's and initiative's Swedish texts where there is no translation:
    marked lang="sv", so that a screen reader reads them with a Swedish voice (WCAG 3.1.2).
    In Swedish nothing is wrapped; a text that has the page's language is not either."""
    from sqlalchemy import select

    from app.extensions import db
    from app.portfolio import exchange
    from app.results.models import Priority

    demo = factories.demo()
    demo.title = {"sv": "Vår skola", "ar": "مدرستنا"}
    priority = db.session.scalar(select(Priority).where(Priority.consultation_id == demo.id)
                                 .order_by(Priority.position))
    title = "Läxhjälp nära hemmet"
    priority.title = {"sv": title}
    core_member = factories.user(role="core_team")
    exchange.import_here(core_member, None)
    db.session.commit()
    login_as("youth_leader", organisation=demo.organisation)

    client.get("/lang/en")
    page = client.get(f"/results/c/{demo.id}/priorities").get_data(as_text=True)
    assert f'<span lang="sv">{title}</span>' in page
    assert 'Youth priorities: <span lang="sv">Vår skola</span>' in page
    queue = client.get(f"/moderate/c/{demo.id}").get_data(as_text=True)
    assert '<span lang="sv">Vår skola</span>' in queue

    client.get("/lang/ar")
    page = client.get(f"/results/c/{demo.id}/priorities").get_data(as_text=True)
    assert "مدرستنا" in page and '<span lang="sv">Vår skola</span>' not in page
    assert f'<span lang="sv">{title}</span>' in page

    client.get("/lang/sv")
    page = client.get(f"/results/c/{demo.id}/priorities").get_data(as_text=True)
    assert title in page and 'lang="sv">' + title not in page

    from app.portfolio.models import Initiative
    from tests.conftest import log_in

    initiative = db.session.scalar(select(Initiative).limit(1))
    initiative.title = {"sv": "Läxhjälp på biblioteket"}
    db.session.commit()
    core = client.application.test_client()
    log_in(core, core_member)
    core.get("/lang/en")
    overview = core.get("/portfolio").get_data(as_text=True)
    assert f'<span lang="sv">{title}</span>' in overview
    # An <option> cannot hold markup: it carries the language itself.
    assert f'<option value="{initiative.id}" lang="sv">Läxhjälp på biblioteket</option>' in overview
    form = core.get("/feedback/new").get_data(as_text=True)
    assert f'<option value="{initiative.id}" lang="sv">Läxhjälp på biblioteket</option>' in form


def test_a_language_link_on_another_site_does_not_change_what_is_stored(
        client, app_ctx, login_as):
    """/lang/<code> is a plain link (the menu works without JavaScript). Followed from another
    site it still switches this browser's language, but the staff member's stored language
    (used on their other devices) changes only when they choose it here."""
    from app.extensions import db

    leader = login_as("youth_leader")
    elsewhere = client.get("/lang/ar", headers={"Sec-Fetch-Site": "cross-site"})
    assert "lang=ar" in elsewhere.headers["Set-Cookie"]
    db.session.refresh(leader)
    assert leader.locale != "ar"
    client.get("/lang/ar", headers={"Sec-Fetch-Site": "same-origin"})
    db.session.refresh(leader)
    assert leader.locale == "ar"
