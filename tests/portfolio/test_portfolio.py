"""The core team's portfolio: initiatives, links, the unanswered list, decisions, exports."""
import io
import json
import re
from datetime import timedelta

from openpyxl import load_workbook
from sqlalchemy import select

from app.coalition.models import ChallengeArea
from app.core.time import utcnow
from app.extensions import db
from app.portfolio import exchange, services
from app.portfolio.models import (
    DecisionRound,
    DecisionVote,
    Initiative,
    PortfolioPriority,
    PortfolioTerm,
)
from tests import factories
from tests.conftest import csrf_token, log_in
from tests.portfolio.helpers import initiative, published_priorities
from tests.sent_again import saved_once_then_again


def _imported(titles=("Gröna skolgårdar", "Läxhjälp")) -> list[PortfolioPriority]:
    published_priorities(titles)
    exchange.import_here(None, None)
    db.session.commit()
    return list(db.session.scalars(select(PortfolioPriority).order_by(PortfolioPriority.id)))


def _post(client, path, data, page="/portfolio"):
    return client.post(path, data={"csrf_token": csrf_token(client, page), **data})


def _unanswered(html: str) -> str:
    return html.split('id="unanswered-heading"')[1].split("</section>")[0]


def test_linking_a_priority_takes_it_off_the_unanswered_list(client, login_as):
    login_as("core_team")
    green, homework = _imported()
    health = ChallengeArea(key="health", names={"sv": "Hälsa"})
    target = initiative("Pedagogiska skolgårdar", challenge_areas=[health])
    db.session.commit()
    unanswered = _unanswered(client.get("/portfolio").get_data(as_text=True))
    assert "Gröna skolgårdar" in unanswered and "Läxhjälp" in unanswered

    response = _post(client, f"/portfolio/priorities/{green.id}/links",
                     {"initiative_id": str(target.id), "next": "overview"})
    assert response.status_code == 302
    page = client.get("/portfolio").get_data(as_text=True)
    assert "Gröna skolgårdar" not in _unanswered(page) and "Läxhjälp" in _unanswered(page)
    # Per challenge area and per initiative: the priority shows behind it.
    area_row = page.split("<th scope=\"row\">Hälsa</th>")[1].split("</tr>")[0]
    assert "Pedagogiska skolgårdar" in area_row and "Gröna skolgårdar" in area_row
    assert "1 ungdomsprioritering bakom" in page
    detail = client.get(f"/portfolio/initiatives/{target.id}").get_data(as_text=True)
    assert "Gröna skolgårdar" in detail

    # Linking twice changes nothing; unlinking brings it back to the list.
    _post(client, f"/portfolio/priorities/{green.id}/links", {"initiative_id": str(target.id)})
    assert len(db.session.get(PortfolioPriority, green.id).links) == 1
    unlink = f"/portfolio/priorities/{green.id}/links/{target.id}/delete"
    removed = _post(client, unlink, {})
    page = client.get(removed.headers["Location"]).get_data(as_text=True)
    assert "Kopplingen är borttagen" in page
    assert "Gröna skolgårdar" in _unanswered(client.get("/portfolio").get_data(as_text=True))
    # Pressed again (a second tab, a double tap): said so, not "removed" once more.
    again = _post(client, unlink, {})
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "Kopplingen var redan borttagen" in page and "Kopplingen är borttagen" not in page


def test_no_initiative_is_chosen_in_advance_for_a_link(client, login_as):
    """The select beside each unanswered priority had the first initiative chosen, so
    "Link" pressed at once linked the priority to an initiative nobody had picked."""
    login_as("core_team")
    green, _homework = _imported()
    initiative("Sparks Generation")
    initiative("Pedagogiska skolgårdar")
    db.session.commit()
    for page in ("/portfolio", f"/portfolio/priorities/{green.id}"):
        html = client.get(page).get_data(as_text=True)
        select = re.search(r'<select id="(?:link-\d+|initiative_id)" name="initiative_id"'
                           r'([^>]*)>\s*<option([^>]*)>([^<]*)<', html)
        assert select and "required" in select[1], page
        assert select[2] == ' value=""' and select[3] == "– välj –", page
        assert "selected" not in html.split(select[0])[1].split("</select>")[0], page

    # Sent without a choice (a browser that does not check `required`): nothing is linked,
    # and the overview says why, where the form was.
    response = _post(client, f"/portfolio/priorities/{green.id}/links",
                     {"initiative_id": "", "next": "overview"})
    assert response.status_code == 302 and response.location.endswith("/portfolio")
    assert "Välj ett initiativ." in client.get(response.location).get_data(as_text=True)
    assert db.session.get(PortfolioPriority, green.id).links == []


def test_a_youth_priority_and_its_portfolio_entry_link_to_each_other(client, login_as):
    """From the consultation's youth priorities the core team (and the youth leader who
    wrote them) get to the initiative that answers one, and back."""
    consultation, (green, homework) = published_priorities()
    exchange.import_here(None, None)
    target = initiative("Pedagogiska skolgårdar")
    imported = {p.priority_id: p for p in db.session.scalars(select(PortfolioPriority))}
    services.link(factories.user(role="core_team"), imported[green.id], target)
    db.session.commit()
    login_as("core_team")

    page = client.get(f"/results/c/{consultation.id}/priorities").get_data(as_text=True)
    card = page.split(f'id="priority-{green.id}"')[1].split("</li>")[0]
    assert f'href="/portfolio/priorities/{imported[green.id].id}"' in card
    assert f'href="/portfolio/initiatives/{target.id}"' in card
    assert "Pedagogiska skolgårdar" in card
    waiting = page.split(f'id="priority-{homework.id}"')[1].split("</li>")[0]
    assert "Inget ännu: har väntat 0 dagar." in waiting

    back = client.get(f"/portfolio/priorities/{imported[green.id].id}").get_data(as_text=True)
    assert f'href="/results/c/{consultation.id}/priorities#priority-{green.id}"' in back

    # A youth leader of another organisation reads the portfolio, not that consultation.
    client.post("/logout", data={"csrf_token": csrf_token(client, "/staff")})
    login_as("youth_leader")
    other = client.get(f"/portfolio/priorities/{imported[green.id].id}").get_data(as_text=True)
    assert f"/results/c/{consultation.id}/priorities" not in other


def test_telling_the_young_people_about_an_initiative_ticks_the_consultations_behind_it(
        client, login_as):
    """The core team's update about an initiative is for the participants whose priorities it
    answers: the form comes with those consultations ticked, not the others."""
    behind, (green, _) = published_priorities()
    other, _ = published_priorities(["Läsning"], code="PRIO02")
    exchange.import_here(None, None)
    target = initiative("Pedagogiska skolgårdar")
    services.link(factories.user(role="core_team"), db.session.scalar(
        select(PortfolioPriority).where(PortfolioPriority.priority_id == green.id)), target)
    db.session.commit()
    login_as("core_team")

    page = client.get(f"/portfolio/initiatives/{target.id}").get_data(as_text=True)
    link = re.search(r'href="(/feedback/new\?[^"]+)"', page).group(1).replace("&amp;", "&")
    form = client.get(link).get_data(as_text=True)
    assert re.search(rf'value="{behind.id}"\s+checked', form)
    assert not re.search(rf'value="{other.id}"\s+checked', form)
    assert re.search(rf'<option value="{target.id}"\s+selected', form)


def test_unanswered_priorities_come_oldest_first_with_how_long_they_waited(client, login_as):
    login_as("core_team")
    newer, older = _imported(("Nyare", "Äldre"))
    older.imported_at = utcnow() - timedelta(days=40)
    newer.imported_at = utcnow() - timedelta(days=3)
    db.session.commit()
    unanswered = _unanswered(client.get("/portfolio").get_data(as_text=True))
    assert unanswered.index("Äldre") < unanswered.index("Nyare")
    assert "Har väntat 40 dagar" in unanswered and "Har väntat 3 dagar" in unanswered


def test_a_new_initiative_is_proposed_from_a_priority_only_when_the_form_is_saved(
        client, login_as):
    user = login_as("core_team")
    (priority,) = _imported(("Läxhjälp på biblioteket",))
    page = client.get(f"/portfolio/priorities/{priority.id}").get_data(as_text=True)
    link = f'href="/portfolio/initiatives/new?from_priority={priority.id}"'
    assert link in page
    form_page = f"/portfolio/initiatives/new?from_priority={priority.id}"
    form = client.get(form_page).get_data(as_text=True)
    assert 'value="Läxhjälp på biblioteket"' in form  # its title, ready to change
    assert '<option value="proposed" selected>' in form
    assert f'<option value="{user.organisation_id}" selected>' in form
    assert f'name="from_priority" value="{priority.id}"' in form
    assert f'href="/portfolio/priorities/{priority.id}">Avbryt' in form  # cancel: back
    assert db.session.scalar(select(Initiative)) is None  # looking made nothing

    # A mistake keeps what was typed and the priority it came from.
    response = _post(client, "/portfolio/initiatives/new",
                     {"title_sv": "", "status": "proposed", "from_priority": str(priority.id)},
                     form_page)
    assert "Skriv en titel på svenska" in response.get_data(as_text=True)
    assert f'name="from_priority" value="{priority.id}"' in response.get_data(as_text=True)
    assert db.session.scalar(select(Initiative)) is None

    response = _post(client, "/portfolio/initiatives/new",
                     {"title_sv": "Läxhjälp på helger", "status": "proposed",
                      "owner_id": str(user.organisation_id), "from_priority": str(priority.id)},
                     form_page)
    assert response.status_code == 302
    made = db.session.scalar(select(Initiative))
    assert made.title["sv"] == "Läxhjälp på helger" and made.status == "proposed"
    assert [li.initiative_id for li in db.session.get(PortfolioPriority, priority.id).links] == [
        made.id]
    assert client.get("/portfolio/initiatives/new?from_priority=99999").status_code == 404


def test_core_team_creates_and_edits_an_initiative(client, login_as):
    user = login_as("core_team")
    partner = factories.organisation("NCC")
    kind = PortfolioTerm(vocabulary="kind", key="pilot", names={"sv": "Pilot"})
    potential = PortfolioTerm(vocabulary="change_potential", key="safety",
                              names={"sv": "Trygghet"})
    area = ChallengeArea(key="safety", names={"sv": "Trygghet"})
    db.session.add_all([kind, potential, area])
    db.session.commit()
    page = "/portfolio/initiatives/new"
    response = _post(client, page, {"title_sv": "", "status": "idea"}, page)
    assert "Skriv en titel på svenska" in response.get_data(as_text=True)
    response = _post(client, page, {"title_sv": "Trygga skolvägar", "status": "idea",
                                    "starts_on": "2027-01-10", "ends_on": "2026-01-01"}, page)
    assert "Slutdatumet är före startdatumet" in response.get_data(as_text=True)
    for gone in ("9999", "abc"):  # an organisation removed since the page was loaded
        response = _post(client, page, {"title_sv": "Trygga skolvägar", "status": "idea",
                                        "owner_id": gone}, page)
        assert response.status_code == 200
        assert "Välj ägaren i listan." in response.get_data(as_text=True)
    assert db.session.scalar(select(Initiative)) is None
    response = _post(client, page, {
        "title_sv": "Trygga skolvägar", "title_en": "Safe ways to school",
        "description_sv": "Vuxna längs vägen.", "status": "running",
        "term": [str(kind.id), str(potential.id)], "challenge_area": [str(area.id)],
        "partner": [str(partner.id)], "owner_id": str(user.organisation_id),
        "starts_on": "2027-01-10", "ends_on": "2027-06-10"}, page)
    assert response.status_code == 302
    made = db.session.scalar(select(Initiative))
    assert made.title == {"sv": "Trygga skolvägar", "en": "Safe ways to school"}
    assert [k.key for k in made.kinds] == ["pilot"]
    assert [k.key for k in made.change_potentials] == ["safety"]
    assert [o.name for o in made.partners] == ["NCC"] and made.status == "running"
    detail = client.get(f"/portfolio/initiatives/{made.id}").get_data(as_text=True)
    for text in ("Trygga skolvägar", "Pilot", "Trygghet", "NCC", "Pågår"):
        assert text in detail


def test_youth_leaders_read_the_portfolio_but_change_nothing(client, login_as):
    target = initiative()
    (priority,) = _imported(("Läxhjälp",))
    db.session.commit()
    login_as("youth_leader")
    assert client.get("/portfolio").status_code == 200
    assert client.get(f"/portfolio/initiatives/{target.id}").status_code == 200
    assert client.get(f"/portfolio/priorities/{priority.id}").status_code == 200
    assert client.get("/portfolio/initiatives/new").status_code == 403
    assert _post(client, f"/portfolio/priorities/{priority.id}/links",
                 {"initiative_id": str(target.id)}).status_code == 403
    assert _post(client, f"/portfolio/initiatives/{target.id}/rounds", {}).status_code == 403
    assert db.session.get(PortfolioPriority, priority.id).links == []


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get("/portfolio")
    assert response.status_code == 302 and "/login" in response.location


def test_unknown_objects_are_404(client, login_as):
    login_as("core_team")
    assert client.get("/portfolio/initiatives/999").status_code == 404
    assert client.get("/portfolio/priorities/999").status_code == 404


# --- decisions ------------------------------------------------------------------------------

def _login(client, user):
    client.post("/logout", data={"csrf_token": csrf_token(client, "/portfolio")})
    log_in(client, user)


def test_a_decision_round_with_votes_a_change_of_vote_and_an_outcome(client, login_as):
    chair = login_as("core_team")
    member = factories.user(role="core_team")
    target = initiative()
    db.session.commit()
    base = f"/portfolio/initiatives/{target.id}"
    empty = _post(client, f"{base}/rounds", {"proposal": "  "}, base)
    assert empty.status_code == 422
    assert "Skriv vad som beslutas." in empty.get_data(as_text=True)
    assert db.session.scalar(select(DecisionRound)) is None
    _post(client, f"{base}/rounds", {"proposal": "Starta i Rosengård hösten 2027."}, base)
    round_ = db.session.scalar(select(DecisionRound))
    assert round_.chair_id == chair.id and round_.closed_at is None
    again = _post(client, f"{base}/rounds", {}, base)
    assert "En beslutsrunda är redan öppen" in client.get(again.location).get_data(as_text=True)
    assert db.session.scalar(select(db.func.count(DecisionRound.id))) == 1

    vote_url = f"{base}/rounds/{round_.id}/vote"
    _post(client, vote_url, {"choice": "A", "comment": "Bra förslag"}, base)
    # C needs the changes written.
    response = _post(client, vote_url, {"choice": "C", "changes": ""}, base)
    assert response.status_code == 422
    assert "Skriv vad som måste ändras" in response.get_data(as_text=True)
    _post(client, vote_url, {"choice": "C", "changes": "Ta med fritidsgårdarna"}, base)
    votes = db.session.scalars(select(DecisionVote)).all()
    assert [(v.user_id, v.choice, v.changes) for v in votes] == [
        (chair.id, "C", "Ta med fritidsgårdarna")]

    _login(client, member)
    _post(client, vote_url, {"choice": "B", "comment": "För dyrt"}, base)
    # Not the chair: cannot close.
    assert _post(client, f"{base}/rounds/{round_.id}/close", {}, base).status_code == 403
    _login(client, chair)
    _post(client, vote_url, {"choice": "A"}, base)  # the chair changes their vote again
    _post(client, f"{base}/rounds/{round_.id}/close", {"confirm": "1"}, base)
    db.session.expire_all()
    round_ = db.session.get(DecisionRound, round_.id)
    assert round_.closed_at is not None
    # A 1, B 1: a tie goes to the more cautious choice.
    assert round_.outcome == "B"
    page = client.get(base).get_data(as_text=True)
    assert "Utfall: B – inte godkänt" in page and "Kommentar: För dyrt" in page
    # The outcome first; a new round can be started below it.
    assert page.index("Utfall: B") < page.index("Starta en ny beslutsrunda")
    # Closed: no more votes.
    _post(client, vote_url, {"choice": "A"}, base)
    assert db.session.scalar(select(db.func.count(DecisionVote.id))) == 2
    assert db.session.get(DecisionVote, votes[0].id).choice == "A"


def test_closing_a_round_asks_first_and_shows_the_outcome_it_would_give(client, login_as):
    """"Close the round now" sat one tap below "Save my vote" and fixed the outcome for good
    at once: the chair is asked first, with the tally and the outcome it would give."""
    chair = login_as("core_team")
    target = initiative()
    db.session.commit()
    base = f"/portfolio/initiatives/{target.id}"
    _post(client, f"{base}/rounds", {"proposal": "Starta i Rosengård"}, base)
    round_ = db.session.scalar(select(DecisionRound))
    _post(client, f"{base}/rounds/{round_.id}/vote", {"choice": "A"}, base)
    close_url = f"{base}/rounds/{round_.id}/close"

    asked = _post(client, close_url, {}, base)
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200
    assert "1 röst hittills" in page and "Utfall: A – godkänt" in page
    assert 'name="confirm" value="1"' in page and f'href="{base}#decision"' in page
    db.session.expire_all()
    assert db.session.get(DecisionRound, round_.id).closed_at is None  # still open
    # Still open: the chair can still change the vote.
    _post(client, f"{base}/rounds/{round_.id}/vote", {"choice": "B"}, base)

    # Someone else is refused before being asked, not after.
    other = factories.user(role="core_team")
    db.session.commit()
    _login(client, other)
    assert _post(client, close_url, {}, base).status_code == 403

    _login(client, chair)
    _post(client, close_url, {"confirm": "1"}, base)
    db.session.expire_all()
    closed = db.session.get(DecisionRound, round_.id)
    assert closed.closed_at is not None and closed.outcome == "B"
    # Closed already (a second tab, Back): said so, not asked again.
    again = _post(client, close_url, {}, base)
    assert "Rundan har redan stängt." in client.get(again.location).get_data(as_text=True)


def test_a_refused_vote_or_round_keeps_what_was_typed(client, login_as):
    """C without the changes, or a hidden direction character, once redirected to an empty
    form: the comment someone had written was gone."""
    login_as("core_team")
    target = initiative()
    db.session.commit()
    base = f"/portfolio/initiatives/{target.id}"
    past = (utcnow() - timedelta(days=2)).date().isoformat()
    response = _post(client, f"{base}/rounds", {"proposal": "Starta i Rosengård hösten 2027",
                                                 "closes_on": past}, base)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and db.session.scalar(select(DecisionRound)) is None
    assert ">Starta i Rosengård hösten 2027</textarea>" in page
    assert f'value="{past}"' in page
    _post(client, f"{base}/rounds", {"proposal": "Starta i Rosengård"}, base)
    round_ = db.session.scalar(select(DecisionRound))
    vote_url = f"{base}/rounds/{round_.id}/vote"

    response = _post(client, vote_url, {"choice": "C", "changes": "",
                                        "comment": "Bra, men budgeten är för liten"}, base)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert ">Bra, men budgeten är för liten</textarea>" in page
    assert 'value="C" required checked' in page
    # A direction override would show the comment in a misleading order to everyone.
    response = _post(client, vote_url, {"choice": "A", "changes": "",
                                        "comment": "Bra \u202eförslag"}, base)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "dolt tecken" in page
    assert "Bra \u202eförslag</textarea>" in page
    assert db.session.scalar(select(DecisionVote)) is None


def test_what_must_change_written_with_a_or_b_is_not_dropped_unsaid(client, login_as):
    """"What must change" is kept only with C: written with B (as the reason for rejecting)
    or left from an earlier C vote, it vanished when the vote was saved, without a word."""
    login_as("core_team")
    target = initiative()
    db.session.commit()
    base = f"/portfolio/initiatives/{target.id}"
    _post(client, f"{base}/rounds", {"proposal": "Starta i Rosengård"}, base)
    round_ = db.session.scalar(select(DecisionRound))
    vote_url = f"{base}/rounds/{round_.id}/vote"
    client.get("/lang/en")

    response = _post(client, vote_url, {"choice": "B", "changes": "För dyrt i år",
                                        "comment": "Tyvärr"}, base)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "What must change is kept only with C." in page
    assert ">För dyrt i år</textarea>" in page and ">Tyvärr</textarea>" in page
    assert db.session.scalar(select(DecisionVote)) is None

    # A C vote, then a change of mind to A: told to empty the field, not silently emptied.
    _post(client, vote_url, {"choice": "C", "changes": "Ta med fritidsgårdarna"}, base)
    assert _post(client, vote_url, {"choice": "A", "changes": "Ta med fritidsgårdarna"},
                 base).status_code == 422
    db.session.expire_all()
    kept = db.session.scalar(select(DecisionVote))
    assert (kept.choice, kept.changes) == ("C", "Ta med fritidsgårdarna")
    _post(client, vote_url, {"choice": "A", "changes": ""}, base)
    db.session.expire_all()
    kept = db.session.scalar(select(DecisionVote))
    assert (kept.choice, kept.changes) == ("A", "")


def test_a_majority_of_c_decides_and_keeps_the_changes(app_ctx):
    from app.portfolio import services

    target = initiative()
    users = [factories.user(role="core_team") for _ in range(3)]
    round_ = services.open_round(users[0], target, "Starta i Rosengård", None)
    services.vote(users[0], round_, "C", changes="Mindre budget")
    services.vote(users[1], round_, "C", changes="Fler skolor")
    services.vote(users[2], round_, "A")
    services.close_round(users[0], round_)
    assert round_.outcome == "C" and target.status == "decided"
    assert sorted(v.changes for v in round_.votes if v.choice == "C") == [
        "Fler skolor", "Mindre budget"]


def test_a_round_closes_itself_on_its_date(client, login_as):
    login_as("core_team")
    target = initiative()
    db.session.commit()
    base = f"/portfolio/initiatives/{target.id}"
    tomorrow = (utcnow() + timedelta(days=1)).date().isoformat()
    _post(client, f"{base}/rounds", {"proposal": "Starta", "closes_on": tomorrow}, base)
    round_ = db.session.scalar(select(DecisionRound))
    _post(client, f"{base}/rounds/{round_.id}/vote", {"choice": "A"}, base)
    round_.closes_at = utcnow() - timedelta(minutes=1)  # the date has passed
    db.session.commit()
    page = client.get(base).get_data(as_text=True)
    assert "Utfall: A – godkänt" in page
    db.session.expire_all()
    assert db.session.get(DecisionRound, round_.id).outcome == "A"
    assert db.session.get(Initiative, target.id).status == "decided"


def test_a_vote_or_round_too_late_keeps_what_was_typed_to_copy(client, login_as):
    """The page was open while the round closed (its date passed, the chair closed it) or
    someone else started a round: the form is gone, so what was typed is shown to copy."""
    login_as("core_team")
    target = initiative()
    db.session.commit()
    base = f"/portfolio/initiatives/{target.id}"
    _post(client, f"{base}/rounds", {"proposal": "Starta i Rosengård"}, base)
    round_ = db.session.scalar(select(DecisionRound))
    token = csrf_token(client, base)
    second = client.post(f"{base}/rounds", data={"csrf_token": token,
                                                 "proposal": "Starta i Malmö <b>nu</b>"})
    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert "En beslutsrunda är redan öppen" in page
    unsaved = page.split('id="unsaved"')[1].split('class="card"')[0]
    assert "Det du skrev sparades inte" in unsaved
    assert "Starta i Malmö &lt;b&gt;nu&lt;/b&gt;</textarea>" in unsaved
    assert db.session.scalar(select(db.func.count(DecisionRound.id))) == 1

    round_.closes_at = utcnow() - timedelta(minutes=1)  # the date passes while typing
    db.session.commit()
    late = client.post(f"{base}/rounds/{round_.id}/vote", data={
        "csrf_token": token, "choice": "C", "changes": "Ta med fritidsgårdarna",
        "comment": ""})
    assert late.status_code == 409
    page = late.get_data(as_text=True)
    assert "Rundan har stängt; din röst räknades inte." in page
    unsaved = page.split('id="unsaved"')[1].split('class="card"')[0]
    assert "Ta med fritidsgårdarna</textarea>" in unsaved
    assert unsaved.count("<textarea") == 1  # the empty comment is not offered
    assert db.session.scalar(select(DecisionVote)) is None
    # Nothing typed: the page as before, by redirect.
    empty = client.post(f"{base}/rounds/{round_.id}/vote", data={
        "csrf_token": token, "choice": "A"})
    assert empty.status_code == 302


def test_a_youth_leader_cannot_vote(client, login_as, app_ctx):
    from app.portfolio import services

    target = initiative()
    chair = factories.user(role="core_team")
    round_ = services.open_round(chair, target, "Starta i Rosengård", None)
    db.session.commit()
    login_as("youth_leader")
    base = f"/portfolio/initiatives/{target.id}"
    response = _post(client, f"{base}/rounds/{round_.id}/vote", {"choice": "A"}, base)
    assert response.status_code == 403
    assert db.session.scalar(select(db.func.count(DecisionVote.id))) == 0
    assert "Spara min röst" not in client.get(base).get_data(as_text=True)


# --- exports and lists ----------------------------------------------------------------------

def test_portfolio_exports_in_three_formats(client, login_as):
    login_as("core_team")
    green, _ = _imported(("=Gröna skolgårdar", "Läxhjälp"))
    target = initiative("Pedagogiska skolgårdar")
    from app.portfolio import services

    services.link(factories.user(role="core_team"), green, target)
    db.session.commit()
    csv_text = client.get("/portfolio/export.csv").get_data(as_text=True)
    assert "Pedagogiska skolgårdar" in csv_text and "'=Gröna skolgårdar" in csv_text
    doc = json.loads(client.get("/portfolio/export.json").data)
    assert doc["format"] == "medskapa-portfolio"
    assert doc["links"][0]["priority_uuid"] == green.uuid
    assert doc["links"][0]["initiative_uuid"] == target.uuid
    book = load_workbook(io.BytesIO(client.get("/portfolio/export.xlsx").data))
    assert book.sheetnames == ["initiatives", "priorities", "links", "decisions"]
    assert book["priorities"]["C2"].value in ("=Gröna skolgårdar", "Läxhjälp")
    assert book["priorities"]["C2"].data_type == "s"
    assert client.get("/portfolio/export.pdf").status_code == 404


def test_admins_extend_the_portfolio_lists(client, login_as):
    login_as("admin")
    _post(client, "/portfolio/lists", {"vocabulary": "kind", "name_sv": "Studiebesök",
                                       "name_en": "Study visit"}, "/portfolio/lists")
    _post(client, "/portfolio/lists", {"vocabulary": "challenge_area", "name_sv": "Kultur"},
          "/portfolio/lists")
    assert db.session.scalar(select(PortfolioTerm.key)) == "study_visit"
    assert db.session.scalar(select(ChallengeArea.key)) == "kultur"
    again = _post(client, "/portfolio/lists", {"vocabulary": "kind", "name_sv": "Studiebesök",
                                               "name_en": "Study visit"}, "/portfolio/lists")
    assert "Den posten finns redan" in again.get_data(as_text=True)


def test_a_refused_list_entry_keeps_the_list_and_the_names(client, login_as):
    """The form once came back empty and set to "Kinds": the corrected challenge area was
    then added to the wrong list. A direction override is refused (challenge areas are
    shown to young people)."""
    login_as("admin")
    _post(client, "/portfolio/lists", {"vocabulary": "challenge_area", "name_sv": "Kultur",
                                       "name_en": "Culture"}, "/portfolio/lists")
    again = _post(client, "/portfolio/lists", {"vocabulary": "challenge_area",
                                               "name_sv": "Kultur", "name_en": "Culture"},
                  "/portfolio/lists").get_data(as_text=True)
    assert "Den posten finns redan" in again
    assert '<option value="challenge_area" selected>' in again
    assert 'value="Kultur"' in again and 'value="Culture"' in again
    hidden = _post(client, "/portfolio/lists", {"vocabulary": "kind",
                                                "name_sv": "Studie\u202ebesök"},
                   "/portfolio/lists").get_data(as_text=True)
    assert "dolt tecken" in hidden
    assert db.session.scalar(select(PortfolioTerm)) is None


def test_core_team_cannot_change_the_lists(client, login_as):
    login_as("core_team")
    assert client.get("/portfolio/lists").status_code == 403


def _maxlength(html: str, name: str) -> int:
    return int(re.search(rf'name="{name}"[^>]*maxlength="(\d+)"|maxlength="(\d+)"[^>]*'
                         rf'name="{name}"', html).group(1))


def test_a_too_long_initiative_text_is_refused_not_cut(client, login_as):
    """Titles over 200 and descriptions over 4000 characters lost their end without a
    word."""
    login_as("core_team")
    page = "/portfolio/initiatives/new"
    form = client.get(page).get_data(as_text=True)
    assert _maxlength(form, "title_sv") == services.TITLE_MAX
    assert _maxlength(form, "description_ar") == services.DESCRIPTION_MAX
    title = "Trygga skolvägar " * 12 + "slut"  # 208
    response = _post(client, page + "?lang=en", {"title_sv": title, "status": "idea"}, page)
    html = response.get_data(as_text=True)
    assert "The title is too long (at most 200 characters)." in html
    assert f'value="{title}"' in html
    description = "Vuxna längs vägen.\r\n" * 211 + "slut"  # 4013, a line break counted once
    response = _post(client, page + "?lang=en", {"title_sv": "Trygga skolvägar",
                                                 "description_en": description,
                                                 "status": "idea"}, page)
    html = response.get_data(as_text=True)
    assert "The description is too long (at most 4000 characters)." in html
    assert html.count("Vuxna längs vägen.") == 211
    assert db.session.scalar(select(Initiative)) is None


def test_a_too_long_proposal_changes_or_comment_is_refused_not_cut(client, login_as):
    login_as("core_team")
    target = initiative()
    db.session.commit()
    base = f"/portfolio/initiatives/{target.id}"
    assert _maxlength(client.get(base).get_data(as_text=True), "proposal") == \
        services.TEXT_MAX
    long = "x" * services.TEXT_MAX + "slut"
    response = _post(client, f"{base}/rounds?lang=en", {"proposal": long}, base)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The text under “What is decided” is too long (at most 4000 characters)." in html
    assert f">{long}</textarea>" in html and db.session.scalar(select(DecisionRound)) is None
    _post(client, f"{base}/rounds", {"proposal": "Starta i Rosengård"}, base)
    round_ = db.session.scalar(select(DecisionRound))
    vote_url = f"{base}/rounds/{round_.id}/vote?lang=en"
    html = client.get(base).get_data(as_text=True)
    assert _maxlength(html, "changes") == _maxlength(html, "comment") == services.TEXT_MAX
    response = _post(client, vote_url, {"choice": "C", "changes": long}, base)
    assert "The text under “What must change” is too long (at most 4000 characters)." in \
        response.get_data(as_text=True)
    response = _post(client, vote_url, {"choice": "A", "comment": long}, base)
    html = response.get_data(as_text=True)
    assert "The comment is too long (at most 4000 characters)." in html
    assert f">{long}</textarea>" in html
    assert db.session.scalar(select(DecisionVote)) is None


def test_a_too_long_list_entry_is_refused_not_cut(client, login_as):
    login_as("admin")
    form = client.get("/portfolio/lists").get_data(as_text=True)
    assert _maxlength(form, "name_sv") == _maxlength(form, "name_en") == services.NAME_MAX
    name = "Kultur och fritid " * 6  # 108
    response = _post(client, "/portfolio/lists?lang=en", {
        "vocabulary": "challenge_area", "name_sv": "Kultur", "name_en": name},
        "/portfolio/lists")
    html = response.get_data(as_text=True)
    assert "The name is too long (at most 100 characters)." in html
    assert f'value="{name.strip()}' in html or f'value="{name}"' in html
    assert db.session.scalar(select(ChallengeArea)) is None


def test_back_and_save_again_makes_no_second_initiative(client, login_as):
    login_as("core_team")
    saved_once_then_again(
        client, "/portfolio/initiatives/new?lang=en",
        {"title_sv": "Läxhjälp i biblioteket", "description_sv": "Varje tisdag.",
         "status": "idea"},
        lambda: len(db.session.scalars(select(Initiative.id)).all()),
        typed=['value="Läxhjälp i biblioteket"', ">Varje tisdag.</textarea>"],
        link=lambda: f"/portfolio/initiatives/{db.session.scalar(select(Initiative.id))}")


def test_admins_name_list_entries_in_every_language_and_add_names_later(client, login_as):
    """Challenge areas are shown to young people in their language: an admin writes the
    names in any UI language when adding an entry, and adds or fixes them later; the key
    stays, so what uses the entry keeps it."""
    from app.audit.models import AuditEvent

    login_as("admin")
    _post(client, "/portfolio/lists", {"vocabulary": "challenge_area", "name_sv": "Kultur",
                                       "name_ar": "الثقافة"}, "/portfolio/lists")
    area = db.session.scalar(select(ChallengeArea))
    assert area.names == {"sv": "Kultur", "ar": "الثقافة"} and area.key == "kultur"
    client.get("/lang/en")
    page = client.get("/portfolio/lists").get_data(as_text=True)
    assert f'href="/portfolio/lists/challenge_area/{area.id}"' in page
    assert "8 languages not written yet" in page
    form = client.get(f"/portfolio/lists/challenge_area/{area.id}").get_data(as_text=True)
    assert 'id="name_ar" name="name_ar"' in form and 'value="الثقافة"' in form
    assert 'lang="fa" dir="rtl"' in form

    url = f"/portfolio/lists/challenge_area/{area.id}"
    refused = _post(client, url, {"name_sv": "", "name_en": "Culture"}, url)
    assert "Write the name in Swedish." in refused.get_data(as_text=True)
    assert 'value="Culture"' in refused.get_data(as_text=True)
    saved = _post(client, url, {"name_sv": "Kultur och fritid", "name_en": "Culture",
                                "name_so": "Dhaqan", "name_ar": "الثقافة"}, url)
    assert saved.status_code == 302
    db.session.expire_all()
    area = db.session.get(ChallengeArea, area.id)
    assert area.key == "kultur"
    assert area.names == {"sv": "Kultur och fritid", "en": "Culture", "so": "Dhaqan",
                          "ar": "الثقافة"}
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "portfolio.term_renamed"))
    assert event.details["key"] == "kultur" and event.details["languages"] == [
        "ar", "en", "so", "sv"]
    # A kind's page is not reached through another list's address.
    _post(client, "/portfolio/lists", {"vocabulary": "kind", "name_sv": "Studiebesök"},
          "/portfolio/lists")
    kind = db.session.scalar(select(PortfolioTerm))
    assert client.get(f"/portfolio/lists/change_potential/{kind.id}").status_code == 404
    assert client.get(f"/portfolio/lists/kind/{kind.id}").status_code == 200


def test_only_admins_rename_list_entries(client, login_as):
    kind = PortfolioTerm(vocabulary="kind", key="study_visit", names={"sv": "Studiebesök"})
    db.session.add(kind)
    db.session.commit()
    login_as("core_team")
    url = f"/portfolio/lists/kind/{kind.id}"
    assert client.get(url).status_code == 403
    assert _post(client, url, {"name_sv": "Annat"}, "/portfolio").status_code == 403
    db.session.expire_all()
    assert db.session.get(PortfolioTerm, kind.id).names == {"sv": "Studiebesök"}


def test_saving_an_initiative_from_an_older_tab_does_not_undo_what_was_saved_since(
        client, login_as):
    """A core team member opens Edit (status proposed), the chair then closes the round
    with A (status decided) and a colleague fixes the title; saving the older form put the
    old title and 'proposed' back, unseen. Now the form comes back as typed and says so;
    Save again saves it."""
    login_as("core_team")
    found = initiative("Trygga skolvägar", status="proposed")
    db.session.commit()
    page = f"/portfolio/initiatives/{found.id}/edit"
    html = client.get(page).get_data(as_text=True)
    seen = re.search(r'name="seen" value="([^"]+)"', html).group(1)
    found.status = "decided"
    found.title = {"sv": "Trygga skolvägar för alla"}
    db.session.commit()
    typed = {"title_sv": "Trygga skolvägar", "description_sv": "Vuxna längs vägen.",
             "status": "proposed", "owner_id": ""}
    response = _post(client, page + "?lang=en", {**typed, "seen": seen}, page)
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else saved a change to this while you were editing it" in html
    assert "Vuxna längs vägen." in html  # what was typed is still there
    db.session.expire_all()
    kept = db.session.get(Initiative, found.id)
    assert kept.status == "decided" and kept.title == {"sv": "Trygga skolvägar för alla"}
    assert kept.description == {}
    fresh = re.search(r'name="seen" value="([^"]+)"', html).group(1)
    assert fresh != seen
    assert _post(client, page, {**typed, "seen": fresh}, page).status_code == 302
    db.session.expire_all()
    assert db.session.get(Initiative, found.id).description == {"sv": "Vuxna längs vägen."}
