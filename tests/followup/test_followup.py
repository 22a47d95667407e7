"""Follow-up per term and area: the figures for a constructed coalition (tests/followup/
helpers.py), the CSV with the same numbers, who may read it, and queries that do not grow."""
import csv
import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from app.coalition.models import AreaKind
from app.consultations.models import Status
from app.core.errors import NotFound
from app.extensions import db
from app.followup import services, svg
from app.followup.services import Term
from tests import factories, querycount
from tests.followup import helpers
from tests.followup.helpers import at

ZONE = ZoneInfo("Europe/Stockholm")
HT25, VT26 = Term(2025, 2), Term(2026, 1)


def figures(row) -> tuple:
    return (row.consultations, row.participants, row.areas_reached, row.areas_total,
            row.not_reached, row.published, row.imported, row.linked, row.decided,
            row.median_days, row.measured, row.waiting)


# --- terms ------------------------------------------------------------------------------------

def test_terms_follow_the_swedish_school_year_in_local_time():
    assert Term.of(at(2025, 12, 31, 23, 30), ZONE) == VT26  # already 1 January in Sweden
    assert Term.of(at(2026, 6, 30, 21, 59), ZONE) == VT26
    assert Term.of(at(2026, 6, 30, 22, 0), ZONE) == Term(2026, 2)  # midnight, 1 July
    assert Term.parse("vt 2026") == Term.parse("VT2026") == VT26
    assert Term.parse("HT2025").name == "HT 2025" and HT25.key == "HT2025"
    assert Term.parse("2025") is None
    assert services.terms_between(Term(2024, 2), VT26) == [Term(2024, 2), Term(2025, 1), HT25,
                                                           VT26]
    assert services.school_years([Term(2025, 1), HT25, VT26]) == [(HT25, VT26),
                                                                   (Term(2024, 2), Term(2025, 1))]


def test_median_of_a_histogram():
    assert services.median({}) is None
    assert services.median({10: 1}) == 10
    assert services.median({4: 1, 6: 1}) == 5
    assert services.median({1: 2, 30: 1}) == 1
    assert services.median({2: 1, 3: 2, 9: 1}) == 3


# --- the figures ------------------------------------------------------------------------------

def test_figures_for_the_whole_coalition(app_ctx):
    helpers.coalition()
    db.session.commit()
    data = services.follow_up(ZONE)
    assert [r.term for r in data.rows] == [VT26, HT25]  # newest first
    vt, ht = data.rows
    assert figures(ht) == (2, 7, 2, 4, ["Klubb C", "Skola B"], 2, 2, 1, 1, 10, 1, 1)
    assert figures(vt) == (3, 4, 3, 4, ["Skola D"], 2, 1, 1, 0, 5, 2, 0)
    assert (ht.imported_share, ht.linked_share, ht.decided_share) == (1, 0.5, 0.5)
    assert (vt.imported_share, vt.linked_share, vt.decided_share) == (0.5, 0.5, 0)
    assert data.terms_with_data == [HT25, VT26] and data.area is None


def test_figures_for_a_municipality_and_a_district(app_ctx):
    made = helpers.coalition()
    db.session.commit()
    malmo = services.follow_up(ZONE, area_id=made["malmo"].id)
    assert malmo.area.label == "Malmö"
    vt, ht = malmo.rows
    # c2 was for Klubb C and Skola D: held in Malmö, but its young people said Skola D or
    # nothing, so none of them counts for Malmö.
    assert figures(ht) == (2, 4, 1, 3, ["Klubb C", "Skola B"], 2, 2, 1, 1, 10, 1, 1)
    assert figures(vt) == (3, 4, 3, 3, [], 2, 1, 1, 0, 5, 2, 0)

    district = services.follow_up(ZONE, area_id=made["rosengard"].id)
    assert district.area.label == "Malmö – Rosengård"
    vt, ht = district.rows
    assert figures(ht) == (1, 4, 1, 2, ["Skola B"], 2, 2, 1, 1, 10, 1, 0)
    assert figures(vt) == (2, 3, 2, 2, [], 2, 1, 1, 0, 6, 1, 0)

    lund = services.follow_up(ZONE, area_id=made["lund"].id)
    [ht] = lund.rows
    assert figures(ht) == (1, 2, 1, 1, [], 0, 0, 0, 0, None, 0, 1)
    assert ht.imported_share is None


def test_only_municipalities_and_districts_can_be_chosen(app_ctx):
    made = helpers.coalition()
    db.session.commit()
    choices = services.follow_up(ZONE).areas
    assert [c.label for c in choices] == ["Lund", "Malmö", "Malmö – Rosengård"]
    with pytest.raises(NotFound):
        services.follow_up(ZONE, area_id=made["places"][0].id)
    with pytest.raises(NotFound):
        services.follow_up(ZONE, area_id=9999)


def test_the_last_six_terms_with_data_and_a_chosen_range(app_ctx):
    org = factories.organisation()
    # One consultation in each of VT 2022 … VT 2026 except HT 2024: nine terms with data.
    for year in range(2022, 2027):
        for month in (3, 9):
            if (year, month) not in ((2024, 9), (2026, 9)):
                helpers.consultation(org, opens_at=at(year, month, 1))
    db.session.commit()
    data = services.follow_up(ZONE)
    assert [r.term.key for r in data.rows] == ["VT2026", "HT2025", "VT2025", "HT2024", "VT2024",
                                                "HT2023"]
    assert [r.consultations for r in data.rows] == [1, 1, 1, 0, 1, 1]  # a gap shows as 0
    assert len(data.terms_with_data) == 9
    chosen = services.follow_up(ZONE, terms=(Term(2022, 1), Term(2022, 2)))
    assert [r.term.key for r in chosen.rows] == ["HT2022", "VT2022"] and chosen.custom_range
    empty = services.follow_up(ZONE, terms=(Term(2030, 1), Term(2030, 1)))
    assert [(r.term.key, r.consultations) for r in empty.rows] == [("VT2030", 0)]


def test_no_consultations_no_rows(app_ctx):
    helpers.consultation(factories.organisation(), Status.DRAFT, opens_at=at(2026, 2, 1))
    db.session.commit()
    assert services.follow_up(ZONE).rows == []


def test_feedback_before_a_later_close_counts_as_no_wait(app_ctx):
    org = factories.organisation()
    helpers.consultation(org, opens_at=at(2026, 2, 1), closed_at=at(2026, 3, 10),
                         feedback_given_at=at(2026, 3, 1))  # reopened and closed again
    helpers.consultation(org, opens_at=at(2026, 2, 1), closed_at=at(2026, 3, 10),
                         feedback_given_at=at(2026, 3, 10) + timedelta(hours=23))
    db.session.commit()
    [row] = services.follow_up(ZONE).rows
    assert (row.median_days, row.measured, row.waiting) == (0, 2, 0)


def test_queries_do_not_grow_with_consultations_or_participants(app_ctx):
    made = helpers.coalition()
    db.session.commit()

    def queries(**kwargs) -> int:
        return querycount.count(lambda: services.follow_up(ZONE, **kwargs))

    few = queries(), queries(area_id=made["malmo"].id)
    org = made["organisation"]
    a, b, c, d = made["places"]
    chosen = helpers.initiative(True)
    for i in range(30):
        more = helpers.consultation(org, areas=[a, d], opens_at=at(2025, 8 + i % 5, 2),
                                    closed_at=at(2025, 12, 20),
                                    feedback_given_at=at(2026, 1, 1 + i % 20))
        helpers.participants(more, 5, a if i % 2 else d)
        helpers.participants(more, 2)
        helpers.priority(more, initiative=chosen if i % 3 else None)
    db.session.commit()
    assert (queries(), queries(area_id=made["malmo"].id)) == few
    assert few[0] <= 8


def test_the_chart_breaks_a_line_where_a_term_has_no_priorities():
    rows = [services.TermRow(HT25, participants=10, published=2, imported=1),
            services.TermRow(VT26, participants=0),
            services.TermRow(Term(2026, 2), participants=3, published=1, imported=1)]
    chart = svg.trend(rows)
    imported = chart.lines[0]
    assert len(imported.segments) == 2 and len(imported.points) == 2
    assert imported.points[1][1] == chart.top  # 100 %
    assert [y for _x, y in chart.lines[1].points] == [chart.bottom, chart.bottom]  # 0 %
    assert imported.points[0][0] < chart.slots[0].x < chart.lines[2].points[0][0]
    assert chart.slots[0].bar[1] == chart.top  # the tallest bar reaches the top: 10 of 10
    assert chart.slots[1].bar[3] == 0
    assert [value for _y, value in chart.count_ticks] == [0, 5, 10]
    assert svg.nice_ceiling(7) == 10 and svg.nice_ceiling(120) == 200 and svg.nice_ceiling(0) == 1


# --- the page and the CSV ---------------------------------------------------------------------

def test_page_shows_the_table_and_an_accessible_chart(client, login_as):
    helpers.coalition()
    db.session.commit()
    login_as("core_team")
    response = client.get("/portfolio/follow-up?lang=en")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    chart = html.split("<svg class=\"trend-chart\"", 1)[1].split("</svg>", 1)[0]
    assert 'role="img"' in chart and "<title id=\"trend-title\">" in chart and "<desc" in chart
    assert "Autumn 2025" in chart and "<polyline" in chart
    assert "style=" not in html and "<script>" not in html
    table = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    vt, ht = table.split("</tr>")[:2]
    assert "Spring 2026" in vt and "Autumn 2025" in ht
    assert "<td>7</td>" in ht and "2 of 4" in ht and "Skola B" in ht and "Klubb C" in ht
    assert "100% (2 of 2)" in ht and "50% (1 of 2)" in ht
    assert "<td>10" in ht and "over 1 consultation" in ht
    assert "0% (0 of 2)" in vt and "<td>5" in vt and "over 2 consultations" in vt
    assert "3 of 4" in vt and "Skola D" in vt
    assert "An update published while the consultation was still open counts as 0 days" in html


def test_page_in_swedish_by_default_with_an_area_chosen(client, login_as):
    made = helpers.coalition()
    db.session.commit()
    login_as("core_team")
    html = client.get(f"/portfolio/follow-up?area={made['rosengard'].id}&terms=HT2025"
                      ).get_data(as_text=True)
    assert '<html lang="sv"' in html
    table = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert "Malmö – Rosengård" in html and "HT 2025" in table and "VT 2026" not in table
    assert "100\xa0% (2 av 2)" in table and "1 av 2" in table and "Skola B" in table
    assert f'value="{made["rosengard"].id}" selected' in html
    assert 'value="HT2025-HT2025" selected' in html  # a range not in the menu is added to it
    csv_link = f"/portfolio/follow-up.csv?area={made['rosengard'].id}&amp;terms=HT2025"
    assert f'href="{csv_link}"' in html


def test_unknown_area_or_bad_terms(client, login_as):
    made = helpers.coalition()
    db.session.commit()
    login_as("core_team")
    assert client.get(f"/portfolio/follow-up?area={made['places'][0].id}").status_code == 404
    assert client.get("/portfolio/follow-up?area=x").status_code == 404
    assert client.get("/portfolio/follow-up?terms=spring").status_code == 400
    assert client.get("/portfolio/follow-up.csv?terms=VT2026-autumn").status_code == 400


@pytest.mark.parametrize("terms", ["VT0000", "HT9999", "VT0001-HT2026", "VT2026-HT9999",
                                   "VT\u0662\u0660\u0662\u0666"])
def test_terms_beyond_the_calendar_are_bad_terms_not_a_crash(client, login_as, terms):
    """Year 0, the year 9999 (its next term is in 10000) and the first years (a UTC offset
    before year 1) were a 500; digits other than 0-9 are no year."""
    login_as("core_team")
    for path in ("/portfolio/follow-up", "/portfolio/follow-up.csv"):
        assert client.get(path, query_string={"terms": terms}).status_code == 400, path


def test_a_consultation_stored_with_a_year_beyond_the_calendar_does_not_break_the_page(
        client, login_as):
    """One youth leader's typo (year 1 or 9999, stored before the form refused them) was a
    500 on the follow-up for the whole coalition; it is left out, the rest is counted."""
    organisation = factories.organisation()
    helpers.consultation(organisation, opens_at=at(1, 1, 1, 3))
    helpers.consultation(organisation, opens_at=at(9999, 12, 31, 23, 59))
    helpers.consultation(organisation, opens_at=at(2026, 3, 2, 8))
    db.session.commit()
    data = services.follow_up(ZONE)
    assert data.terms_with_data == [VT26]
    assert [(r.term, r.consultations) for r in data.rows] == [(VT26, 1)]
    login_as("core_team")
    for path in ("/portfolio/follow-up", "/portfolio/follow-up.csv"):
        assert client.get(path).status_code == 200, path


def test_the_widest_terms_that_are_allowed_are_shown(client, login_as):
    login_as("core_team")
    for path in ("/portfolio/follow-up", "/portfolio/follow-up.csv"):
        assert client.get(path, query_string={"terms": "VT1900-HT9998"}).status_code == 200


def test_empty_page(client, login_as):
    login_as("core_team")
    response = client.get("/portfolio/follow-up?lang=en")
    assert response.status_code == 200
    assert "No consultations held in these terms yet." in response.get_data(as_text=True)


def _csv(response) -> list[dict]:
    text = response.get_data().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_csv_has_the_same_numbers(client, login_as):
    made = helpers.coalition()
    db.session.commit()
    login_as("core_team")
    response = client.get("/portfolio/follow-up.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="medskapa-follow-up.csv"'
    vt, ht = _csv(response)
    assert ht["term"] == "HT 2025" and vt["term"] == "VT 2026"
    assert {k: ht[k] for k in ("consultations_held", "participants", "places_reached",
                               "places_total", "places_not_reached", "published_priorities",
                               "imported", "imported_share", "linked_share", "decision_share",
                               "median_days_to_feedback", "waiting_for_feedback")} == {
        "consultations_held": "2", "participants": "7", "places_reached": "2",
        "places_total": "4", "places_not_reached": "Klubb C; Skola B",
        "published_priorities": "2", "imported": "2", "imported_share": "1",
        "linked_share": "0,5", "decision_share": "0,5", "median_days_to_feedback": "10",
        "waiting_for_feedback": "1"}
    assert (vt["participants"], vt["imported_share"], vt["decision_share"],
            vt["median_days_to_feedback"], vt["consultations_with_feedback"]) == \
        ("4", "0,5", "0", "5", "2")

    lund = _csv(client.get(f"/portfolio/follow-up.csv?area={made['lund'].id}"))
    assert [(r["area"], r["participants"], r["imported_share"], r["median_days_to_feedback"])
            for r in lund] == [("Lund", "2", "", "")]


def test_csv_cells_cannot_run_as_formulas(client, login_as):
    org = factories.organisation()
    evil = helpers.area("=HYPERLINK(\"http://x\")", AreaKind.MUNICIPALITY)
    school = helpers.area("+1+1", AreaKind.SCHOOL, evil)
    helpers.area("-2", AreaKind.SCHOOL, evil)
    held = helpers.consultation(org, areas=[school], opens_at=at(2026, 2, 1))
    helpers.participants(held, 1)
    db.session.commit()
    login_as("core_team")
    [row] = _csv(client.get(f"/portfolio/follow-up.csv?area={evil.id}"))
    assert row["area"].startswith("'=") and row["places_not_reached"] == "'+1+1; -2"


# --- who may read it --------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/portfolio/follow-up", "/portfolio/follow-up.csv"])
def test_anonymous_and_phones_are_sent_to_login(client, app, path):
    factories.demo()
    phone = app.test_client()
    from tests.participate.helpers import join

    join(phone)  # a young person's phone has a participant cookie, not an account
    for visitor in (client, phone):
        response = visitor.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["youth_leader", "core_team", "admin"])
def test_staff_roles_read_it(client, login_as, role):
    helpers.coalition()
    db.session.commit()
    login_as(role)
    assert client.get("/portfolio/follow-up").status_code == 200
    assert client.get("/portfolio/follow-up.csv").status_code == 200
