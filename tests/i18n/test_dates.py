"""Dates in English pages are written as in Europe (2 Dec 2026, 14:05), not as in the US; the
language itself stays "en" for translations, <html lang>, the menu and what is stored."""
import re
from datetime import UTC, datetime

from sqlalchemy import select

from app.extensions import db
from app.feedback.models import FeedbackUpdate
from app.participate.models import Contribution
from tests import factories
from tests.participate.helpers import answer, join

# 13:05 UTC is 14:05 in Stockholm (winter time): a 12-hour clock would say 2:05 PM.
AT = datetime(2026, 12, 2, 13, 5, tzinfo=UTC)


def _published_update(demo) -> None:
    db.session.add(FeedbackUpdate(title={"sv": "Fler bänkar", "en": "More benches"},
                                  body={"sv": "Vi bygger.", "en": "We build."},
                                  status="published", published_at=AT, consultations=[demo]))
    db.session.commit()


def test_an_english_page_shows_day_month_year(client, app_ctx):
    demo = factories.demo()
    _published_update(demo)
    html = client.get(f"/c/{demo.id}/feedback?lang=en").get_data(as_text=True)
    assert "2 Dec 2026" in html and "Dec 2, 2026" not in html
    assert '<html lang="en" dir="ltr">' in html
    assert "More benches" in html and "Skip to content" in html  # still the English catalog


def test_swedish_dates_are_unchanged(client, app_ctx):
    demo = factories.demo()
    _published_update(demo)
    html = client.get(f"/c/{demo.id}/feedback?lang=sv").get_data(as_text=True)
    assert "2 dec. 2026" in html and '<html lang="sv" dir="ltr">' in html


def test_english_times_use_the_24_hour_clock_and_the_choice_is_stored_as_en(
        client, app, app_ctx, login_as):
    demo = factories.demo()
    phone = app.test_client()
    join(phone)
    answer(phone, demo.id, factories.questions_by_kind(demo)["idea"][0],
           {"text": "Fler bänkar på skolgården", "client_key": "k"})
    db.session.scalar(select(Contribution)).created_at = AT
    db.session.commit()
    leader = login_as("youth_leader", organisation=demo.organisation)
    client.get("/lang/en")
    db.session.refresh(leader)
    assert leader.locale == "en"
    english = client.get(f"/moderate/c/{demo.id}").get_data(as_text=True)
    assert "02/12/2026, 14:05" in english and "PM" not in english
    assert '<html lang="en"' in english
    assert '<span lang="en">English</span>' in english  # the menu names the language
    assert re.search(r'hreflang="en"[^>]*\s+aria-current="true"', english)
    client.get("/lang/sv")
    assert "2026-12-02 14:05" in client.get(f"/moderate/c/{demo.id}").get_data(as_text=True)
