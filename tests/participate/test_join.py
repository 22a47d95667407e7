import re
from datetime import UTC, datetime
from urllib.parse import quote

from sqlalchemy import select

from app.consultations.models import Consultation
from app.extensions import db
from app.participate.models import Participant
from tests import factories
from tests.conftest import csrf_token
from tests.participate.helpers import join


def test_joining_without_typing_a_code_asks_for_it(client, app_ctx):
    for empty in ("", "  ", "-"):
        response = client.get(f"/?code={empty}")
        assert response.status_code == 200  # not a wrong code: nothing to count or look up
        html = response.get_data(as_text=True)
        assert "Skriv koden först" in html and "Vi hittade inte" not in html


def test_code_field_and_qr_link_join_the_same_consultation(client, app_ctx):
    consultation = factories.demo()
    response = client.get("/?code= demo 01 ")
    assert response.status_code == 302 and response.headers["Location"] == "/j/DEMO01"
    page = client.get("/j/demo01")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Hur blir skolan bättre för dig?" in html
    assert "Vad händer med dina svar?" in html
    device = client.get_cookie("device")
    assert device and device.http_only and len(device.value) >= 40
    first = join(client)
    assert first == f"/c/{consultation.id}/q/1"



def test_a_code_typed_with_arabic_or_persian_digits_or_a_cyrillic_keyboard_is_found(client,
                                                                                      app_ctx):
    from app.consultations import codes

    factories.demo()
    for typed in ("DEMO٠١", "demo۰۱", "ＤＥＭＯ０１", "DEMO–01"):
        response = client.get("/?code=" + typed)
        assert response.headers.get("Location") == "/j/DEMO01", typed
    # Read off a poster, typed on a Ukrainian or Greek keyboard: letters that look the same.
    assert codes.normalise("кх7р4м") == codes.normalise("ΚΧ7Ρ4Μ") == "KX7P4M"


def test_a_code_pasted_from_a_chat_or_typed_with_punctuation_is_found(client, app_ctx):
    """A leader sends the code in a class chat; what the phone pastes carries a zero-width
    space or a direction mark, or the sentence's full stop, quotes or a '#'."""
    factories.demo()
    for typed in ("\u200bDEMO01", "DEMO01\u200f", "\u2066DEMO01\u2069", "DEMO01.", "#DEMO01",
                  "«DEMO01»", '"DEMO 01"', "DEMO_01!"):
        response = client.get("/?code=" + quote(typed))
        assert response.headers.get("Location") == "/j/DEMO01", typed
        # The code in the address itself, as a link in the chat opens it.
        assert client.get("/j/" + quote(typed)).status_code == 200, typed
    # Only punctuation is no code at all: the kind 'type the code' message, not a 404.
    assert 'id="code-error"' in client.get("/?code=" + quote("#.")).get_data(as_text=True)

def test_wrong_code_gets_a_kind_message_on_the_join_page(client, app_ctx):
    factories.demo()
    response = client.get("/j/NOPE99")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Vi hittade inte NOPE99" in html
    assert 'name="code"' in html  # they can try again right there


def test_a_wrong_or_missing_code_puts_the_focus_back_in_the_code_field(client, app_ctx):
    """The child types the code again at once (the phone's keyboard opens), and a screen
    reader reads the message with the field; the first visit takes no focus."""
    factories.demo()
    for response in (client.get("/j/NOPE99"), client.get("/?code=-")):
        field = re.search(r"<input id=\"code\"[^>]*>", response.get_data(as_text=True)).group(0)
        assert "autofocus" in field and 'aria-describedby="code-error"' in field
    assert "autofocus" not in client.get("/").get_data(as_text=True)


def test_closed_consultation_gets_a_kind_message(client, app_ctx):
    consultation = factories.demo()
    consultation.status = "closed"
    db.session.commit()
    response = client.get("/j/DEMO01")
    assert response.status_code == 200
    assert "Det här är avslutat" in response.get_data(as_text=True)
    assert 'data-read-aloud-button data-target="main"' in response.get_data(as_text=True)


def test_a_consultation_that_opens_later_says_when_not_that_it_ended(client, app_ctx):
    consultation = factories.demo()
    consultation.opens_at = datetime(2099, 3, 2, 7, 0, tzinfo=UTC)  # 08:00 in Stockholm
    db.session.commit()
    html = client.get("/j/DEMO01").get_data(as_text=True)
    assert "Inte öppen än" in html and "avslutat" not in html
    assert "2099" in html and "08:00" in html
    assert 'href="/j/DEMO01"' in html  # try again from the same place
    english = client.get("/j/DEMO01?lang=en").get_data(as_text=True)
    assert "Not open yet" in english and "These questions open" in english
    # Sending the consent form early (a page kept open overnight) gets the same answer.
    consultation.opens_at = None
    db.session.commit()
    token = csrf_token(client, "/j/DEMO01")
    consultation.opens_at = datetime(2099, 3, 2, 7, 0, tzinfo=UTC)
    db.session.commit()
    response = client.post(f"/c/{consultation.id}/join", data={"csrf_token": token,
                                                               })
    assert "Not open yet" in response.get_data(as_text=True)
    assert db.session.scalar(select(Participant)) is None


def test_a_start_moved_later_while_a_phone_is_on_the_way_says_when_not_that_it_ended(
        client, app_ctx):
    """A youth leader moves the opening time to tomorrow while phones are answering: the
    question page, an answer sent with JavaScript and the thank-you page say when the
    questions open again, not that the consultation has ended."""
    consultation = factories.demo()
    first = join(client)
    consultation.opens_at = datetime(2099, 3, 2, 7, 0, tzinfo=UTC)  # 08:00 in Stockholm
    db.session.commit()
    html = client.get(first).get_data(as_text=True)
    assert "Frågorna öppnar" in html and "08:00" in html and "avslutad" not in html
    response = client.post(first, data={"csrf_token": csrf_token(client, first), "text": "Hej"},
                           headers={"Accept": "application/json"})
    assert response.status_code == 409 and response.json["closed"] is True
    assert response.json["message"].startswith("Frågorna öppnar")
    done = client.get(f"/c/{consultation.id}/done").get_data(as_text=True)
    assert "Frågorna öppnar" in done and "avslutad" not in done
    # In English the date is written the way the rest of the page writes dates (day first,
    # 24-hour clock), not in the US style.
    english = client.get(f"{first}?lang=en").get_data(as_text=True)
    assert "These questions open 02/03/2099, 08:00" in english
    response = client.post(first, data={"csrf_token": csrf_token(client, first), "text": "Hej"},
                           headers={"Accept": "application/json"})
    assert response.json["message"] == ("These questions open 02/03/2099, 08:00. "
                                        "Come back then, with the same code.")


def test_joining_records_consent_and_optional_profile_without_personal_data(client, app_ctx):
    consultation = factories.demo()
    school = consultation.areas[0]
    join(client, age_band="13-15", area=str(school.id))
    participant = db.session.scalar(select(Participant))
    assert participant.consent_version and participant.consented_at
    assert participant.age_band == "13-15" and participant.area_id == school.id
    assert participant.language == "sv"
    columns = set(Participant.__table__.columns.keys())
    assert not columns & {"name", "email", "phone", "ip", "ip_address"}


def test_profile_is_optional_and_unknown_values_are_ignored(client, app_ctx):
    factories.demo()
    join(client, age_band="99", area="123456")
    participant = db.session.scalar(select(Participant))
    assert participant.age_band is None and participant.area_id is None


def test_poster_link_carries_the_area(client, app_ctx):
    consultation = factories.demo()
    club = consultation.areas[-1]
    html = client.get(f"/j/DEMO01?area={club.id}").get_data(as_text=True)
    assert "Var går du?" not in html  # no need to pick a school
    join(client, area_from_poster=str(club.id))
    assert db.session.scalar(select(Participant)).area_id == club.id


def test_returning_phone_goes_straight_to_the_questions(client, app_ctx):
    consultation = factories.demo()
    join(client)
    response = client.get("/j/DEMO01")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/c/{consultation.id}/q/1"


def test_question_page_without_joining_goes_to_the_welcome(client, app_ctx):
    consultation = factories.demo()
    response = client.get(f"/c/{consultation.id}/q/1")
    assert response.status_code == 302 and response.headers["Location"] == "/j/DEMO01"


def test_draft_consultation_cannot_be_joined(client, app_ctx):
    consultation = factories.demo()
    consultation.status = "draft"
    db.session.commit()
    assert client.get("/j/DEMO01").status_code == 404
    assert client.get(f"/c/{consultation.id}/q/1").status_code == 404


def test_guessing_codes_is_slowed_down(client, app_ctx):
    factories.demo()
    statuses = [client.get(f"/j/WRNG{i:03d}").status_code for i in range(121)]
    assert statuses[:120] == [404] * 120  # a whole school's typos in one minute
    assert statuses[120] == 429
    # Right codes are not what is limited, but the guesser is: wait a minute.
    assert client.get("/j/DEMO01").status_code == 200
    assert client.get("/j/WRNG999").status_code == 429


def test_right_codes_do_not_count_against_the_limit(client, app_ctx):
    factories.demo()
    for _ in range(40):
        assert client.get("/j/DEMO01").status_code == 200


def test_join_code_alphabet_has_no_look_alikes():
    from app.consultations import codes

    for ch in "0O1IL":
        assert ch not in codes.ALPHABET
    code = codes.new_code()
    assert len(code) == 6 and set(code) <= set(codes.ALPHABET)


def test_join_codes_are_unique_among_open_consultations(app_ctx):
    import pytest
    from sqlalchemy.exc import IntegrityError

    consultation = factories.demo()
    other = Consultation(organisation=consultation.organisation, join_code="DEMO01",
                         status="closed", title={"sv": "Gammal"})
    db.session.add(other)
    db.session.commit()  # a closed one may share the code
    other.status = "open"
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_content_falls_back_to_swedish_with_a_note_until_translated(client, app_ctx):
    from app.i18n import LANGUAGES

    code = "so" if "so" in LANGUAGES else "en"
    consultation = factories.demo()
    consultation.title = {"sv": "Hur blir skolan bättre för dig?"}
    db.session.commit()
    client.get(f"/lang/{code}")
    html = client.get("/j/DEMO01").get_data(as_text=True)
    assert 'lang="sv" dir="auto">Hur blir skolan bättre för dig?' in html
    assert 'class="fallback-note"' in html
    consultation.title = {"sv": "Hur blir skolan bättre för dig?", code: "Title in " + code}
    db.session.commit()
    html = client.get("/j/DEMO01").get_data(as_text=True)
    assert f'lang="{code}" dir="auto">Title in {code}' in html
    assert 'class="fallback-note"' not in html


def test_area_names_are_marked_swedish_on_a_page_in_another_language(client, app_ctx):
    """A screen reader reading the Arabic join page says the areas' Swedish names with a
    Swedish voice; "I'd rather not say" is in the page's own language."""
    consultation = factories.demo()
    html = client.get("/j/DEMO01?lang=ar").get_data(as_text=True)
    for area in consultation.areas:
        assert re.search(rf'value="{area.id}"> <span lang="sv" dir="auto">{re.escape(area.name)}'
                         r'</span>', html), area.name
    assert re.search(r'name="area" type="radio" value=""> <span>[^<]+</span>', html)


def test_a_phone_joining_twice_at_the_same_moment_is_one_participant(app_ctx, monkeypatch):
    """A second tap on "I understand – start" while the first is on its way: both requests
    look, find no participant, and insert one. The second was a 500."""
    from app.participate import services

    consultation = factories.demo()
    services.join(consultation, "one-phone", language="sv", age_band=None, area_id=None)
    db.session.commit()
    real, looks = services.participant_for, []

    def before_the_other_insert(token, consultation_id):
        looks.append(token)
        return None if len(looks) == 1 else real(token, consultation_id)

    monkeypatch.setattr(services, "participant_for", before_the_other_insert)
    joined = services.join(consultation, "one-phone", language="ar", age_band=None,
                           area_id=None)
    db.session.commit()
    assert db.session.scalars(select(Participant)).all() == [joined]
    assert joined.language == "ar"
