"""The privacy page for children and the accessibility statement, in the reader's language."""
import pytest

from app.i18n import LANGUAGES


def test_privacy_page_tells_a_child_what_is_kept(client):
    page = client.get("/privacy").get_data(as_text=True)
    assert "Vi frågar inte vem du är" in page
    assert "Vi sparar inte din internetadress med dina svar" in page
    assert 'href="/me"' in page


def test_accessibility_statement_names_the_standard_gaps_and_how_to_report(client, app):
    app.config["ACCESSIBILITY_CONTACT"] = "tillganglighet@example.org"
    try:
        page = client.get("/accessibility").get_data(as_text=True)
    finally:
        app.config["ACCESSIBILITY_CONTACT"] = ""
    for text in ("WCAG 2.1", "EN 301 549", "Kända brister", "tillganglighet@example.org",
                 "https://www.digg.se/"):
        assert text in page


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_both_pages_exist_in_every_language_and_are_linked_from_every_page(client, code):
    for path in ("/privacy", "/accessibility"):
        response = client.get(f"{path}?lang={code}")
        assert response.status_code == 200
        assert f'lang="{code}"' in response.get_data(as_text=True)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/privacy"' in home and 'href="/accessibility"' in home
