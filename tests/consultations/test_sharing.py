"""Sharing: the join link, the code, a QR code, and printable posters per school or club."""
import re

import segno

from app.extensions import db
from tests import factories
from tests.participate.helpers import join

BASE = "/staff/consultations"


def _qr_paths(url: str) -> str:
    """The drawing of the QR code for `url`, to find it in a page."""
    svg = segno.make(url, error="m").svg_inline(scale=4, omitsize=True)
    return re.search(r' d="([^"]+)"', svg).group(1)


def _leader_of_demo(login_as):
    demo = factories.demo()
    login_as("youth_leader", organisation=demo.organisation)
    return demo


def test_share_page_has_the_link_the_code_and_a_qr_code(client, login_as):
    demo = _leader_of_demo(login_as)
    html = client.get(f"{BASE}/{demo.id}/share").get_data(as_text=True)
    url = "http://localhost/j/DEMO01"
    assert f'value="{url}"' in html
    assert '<p class="code-big">DEMO01</p>' in html
    assert "<svg" in html and _qr_paths(url) in html
    for area in demo.areas:  # one poster per school or club
        assert f"{BASE}/{demo.id}/poster?area={area.id}" in html


def test_share_page_and_projector_use_the_public_address_when_set(app, client, login_as):
    """Behind a proxy the request may come in on an internal address (or any Host a client
    sends): the link and QR code a class scans carry PUBLIC_URL."""
    demo = _leader_of_demo(login_as)
    app.config["PUBLIC_URL"] = "https://medskapa.example.org/"
    try:
        html = client.get(f"{BASE}/{demo.id}/share").get_data(as_text=True)
        live = client.get("/live/DEMO01").get_data(as_text=True)  # on http://localhost
    finally:
        app.config["PUBLIC_URL"] = ""
    assert 'value="https://medskapa.example.org/j/DEMO01"' in html
    assert "https://medskapa.example.org/j/DEMO01" in live and "localhost/j/" not in live
    assert _qr_paths("https://medskapa.example.org/j/DEMO01") in live


def test_poster_for_an_area_leads_there_and_names_it(app, client, login_as):
    demo = _leader_of_demo(login_as)
    club = demo.areas[-1]
    response = client.get(f"{BASE}/{demo.id}/poster?area={club.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _qr_paths(f"http://localhost/j/DEMO01?area={club.id}") in html
    assert _qr_paths("http://localhost/j/DEMO01") not in html
    assert f'<p class="poster-area">{club.name}</p>' in html
    assert '<p class="poster-code" dir="ltr">DEMO01</p>' in html
    assert 'class="poster"' in html and "js/poster.js" in html
    # Default languages: Swedish and English, each with its title and instruction.
    assert "Hur blir skolan bättre för dig?" in html
    assert "How can school get better for you?" in html
    assert html.count('class="poster-instruction"') == 2
    assert "localhost" in html
    # The link on the poster joins without asking for the school.
    phone = app.test_client()
    assert "Var går du?" not in phone.get(f"/j/DEMO01?area={club.id}").get_data(as_text=True)
    join(phone, area_from_poster=str(club.id))


def test_poster_for_an_area_of_another_consultation_is_not_found(client, login_as):
    demo = _leader_of_demo(login_as)
    from app.coalition.models import Area

    other = Area(name="Någon annanstans", kind="school")
    db.session.add(other)
    db.session.commit()
    assert client.get(f"{BASE}/{demo.id}/poster?area={other.id}").status_code == 404


def test_poster_renders_in_swedish_and_arabic(client, login_as):
    demo = _leader_of_demo(login_as)
    html = client.get(f"{BASE}/{demo.id}/poster?langs=sv,ar&lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert "Hur blir skolan bättre för dig?" in html
    assert "كيف يمكن أن تصبح المدرسة أفضل لك؟" in html
    instructions = re.findall(r'<p class="poster-instruction" lang="(\w+)" dir="(\w+)">', html)
    assert instructions == [("sv", "ltr"), ("ar", "rtl")]
    assert "How can school get better for you?" not in html


def test_poster_languages_from_the_form(client, login_as):
    demo = _leader_of_demo(login_as)
    html = client.get(f"{BASE}/{demo.id}/poster?langs=en&langs=xx").get_data(as_text=True)
    instructions = re.findall(r'<p class="poster-instruction" lang="(\w+)"', html)
    assert instructions == ["en"]
