from app.extensions import db
from app.participate.models import Participant
from tests import factories, querycount
from tests.participate.helpers import answer, join


def test_results_page_shows_every_kind_with_honest_figures(client, app, app_ctx, login_as):
    demo = factories.demo()
    q = factories.questions_by_kind(demo)
    n, statement = q["statement"]
    option = statement.options[0]
    for i in range(6):
        phone = app.test_client()
        join(phone, age_band="13-15")
        answer(phone, demo.id, n, {f"s_o{option.id}": "agree" if i < 4 else "disagree"})
        answer(phone, demo.id, q["scale"][0], {"value": str(1 + i % 5)})
    login_as("youth_leader", organisation=demo.organisation)
    html = client.get(f"/results/c/{demo.id}").get_data(as_text=True)
    assert "6 deltagare" in html
    assert "4 (67\xa0%)" in html or "4 (67 %)" in html
    assert "Vem var med" in html


def test_small_groups_are_suppressed_and_five_are_shown(client, app, app_ctx, login_as):
    demo = factories.demo()
    scale = factories.questions_by_kind(demo)["scale"][0]
    for band, count in (("-12", 4), ("13-15", 1), ("16-19", 5)):
        for _ in range(count):
            phone = app.test_client()
            join(phone, age_band=band)
            answer(phone, demo.id, scale, {"value": "3"})
    login_as("youth_leader", organisation=demo.organisation)
    html = client.get(f"/results/c/{demo.id}").get_data(as_text=True)
    row_small = html.split("12 eller yngre</th>", 1)[1].split("</tr>", 1)[0]
    row_five = html.split("16–19</th>", 1)[1].split("</tr>", 1)[0]
    assert "färre än 5" in row_small and ">4<" not in row_small
    assert ">5<" in row_five or "<td>5" in row_five


def test_one_small_group_is_not_given_away_by_the_total(client, app, app_ctx, login_as):
    """10 participants, 8 of them 16–19: "fewer than 5" beside 8 would say the others are 2
    and show their mean beside everyone's. The smallest other group is hidden with it."""
    demo = factories.demo()
    scale = factories.questions_by_kind(demo)["scale"][0]
    for band, count, value in (("-12", 2, "1"), ("16-19", 8, "5")):
        for _ in range(count):
            phone = app.test_client()
            join(phone, age_band=band)
            answer(phone, demo.id, scale, {"value": value})
    login_as("youth_leader", organisation=demo.organisation)
    html = client.get(f"/results/c/{demo.id}").get_data(as_text=True)
    by_age = html.split("Efter ålder", 1)[1].split("</table>", 1)[0]
    row_small = by_age.split("12 eller yngre</th>", 1)[1].split("</tr>", 1)[0]
    row_big = by_age.split("16–19</th>", 1)[1].split("</tr>", 1)[0]
    assert "färre än 5" in row_small
    assert "Dold" in row_big and ">8<" not in row_big and "5,0" not in row_big
    equity = client.get(f"/results/c/{demo.id}/export.csv?what=equity").get_data(as_text=True)
    assert "16-19;hidden;hidden" in equity and "≤12;<5;<5" in equity


def test_one_hidden_scale_mean_is_not_given_away_by_the_average(client, app, app_ctx, login_as):
    """Three of the six youngest answered the scale (mean hidden), everyone else did. With
    the average of all 16 answers above the table, 3,0 and 5,0 beside it would give the
    youngest's mean back (1,0). The mean of the smallest other group is hidden with it."""
    demo = factories.demo()
    scale = factories.questions_by_kind(demo)["scale"][0]
    for band, count, value, answering in (("-12", 6, "1", 3), ("13-15", 6, "3", 6),
                                          ("16-19", 7, "5", 7)):
        for i in range(count):
            phone = app.test_client()
            join(phone, age_band=band)
            if i < answering:
                answer(phone, demo.id, scale, {"value": value})
    login_as("youth_leader", organisation=demo.organisation)
    html = client.get(f"/results/c/{demo.id}").get_data(as_text=True)
    assert "3,5 av 5" in html  # the average of all 16 answers
    by_age = html.split("Efter ålder", 1)[1].split("</table>", 1)[0]
    rows = {band: by_age.split(f"{band}</th>", 1)[1].split("</tr>", 1)[0]
            for band in ("12 eller yngre", "13–15", "16–19")}
    assert "<td>6</td>" in rows["12 eller yngre"] and "1,0" not in rows["12 eller yngre"]
    assert "<td>6</td>" in rows["13–15"] and "3,0" not in rows["13–15"]
    assert "5,0" in rows["16–19"]


def test_results_page_query_count_does_not_grow_with_votes(client, app, app_ctx, login_as):
    demo = factories.demo()
    q = factories.questions_by_kind(demo)
    login_as("youth_leader", organisation=demo.organisation)

    def page():
        assert client.get(f"/results/c/{demo.id}").status_code == 200

    def queries() -> int:
        return querycount.count(page)

    def add_votes(count: int):
        from app.participate.models import Vote

        participants = [Participant(device_hash=f"{count}-{i}", consultation_id=demo.id,
                                    language="sv", consent_version="t") for i in range(count)]
        db.session.add_all(participants)
        db.session.flush()
        n, statement = q["statement"]
        scale = q["scale"][1]
        rank = q["rank"][1]
        for i, p in enumerate(participants):
            db.session.add(Vote(participant_id=p.id, question_id=statement.id,
                                option_id=statement.options[i % 4].id, value=(i % 3) - 1))
            db.session.add(Vote(participant_id=p.id, question_id=scale.id, value=1 + i % 5))
            db.session.add(Vote(participant_id=p.id, question_id=rank.id,
                                option_id=rank.options[i % 5].id, value=1))
        db.session.commit()

    add_votes(34)  # about 100 votes
    few = queries()
    add_votes(3300)  # about 10,000 votes
    many = queries()
    assert many == few


def test_opinion_groups_and_consensus_on_the_results_page(client, app, app_ctx, login_as):
    from app.participate.models import Vote

    demo = factories.demo()
    login_as("youth_leader", organisation=demo.organisation)
    n, statement = factories.questions_by_kind(demo)["statement"]
    first, second, third, shared = statement.options
    few = client.get(f"/results/c/{demo.id}/opinion-groups").get_data(as_text=True)
    assert "Opinion groups" in few or "Åsiktsgrupper" in few
    people = [Participant(device_hash=f"og{i}", consultation_id=demo.id, language="sv",
                          consent_version="t") for i in range(24)]
    db.session.add_all(people)
    db.session.flush()
    for i, person in enumerate(people):
        camp = 1 if i % 2 else -1
        for option, value in ((first, camp), (second, camp), (third, -camp), (shared, 1)):
            db.session.add(Vote(participant_id=person.id, question_id=statement.id,
                                option_id=option.id, value=value))
    db.session.commit()
    html = client.get(f"/results/c/{demo.id}/opinion-groups").get_data(as_text=True)
    assert html.count("<circle") == 24
    assert "50\xa0%" in html or "50 %" in html or "50%" in html  # two equal groups
    section = html.split('id="og-', 1)[1].split("</section>", 1)[0]
    groups, consensus = section.rsplit("<h3>", 1)
    assert "Jag läser böcker på min fritid." in consensus  # everyone agreed with it
    assert "Läxhjälp efter skolan skulle hjälpa mig." in groups  # it divides the camps


def test_with_many_ideas_the_page_shows_the_best_and_newest_and_the_export_has_all(
        client, app_ctx, login_as):
    """A big consultation: the page lists the 50 best-agreed statements and the 50 newest
    ideas with a note; the ranking still counts every vote, and the export has everything."""
    import csv
    import io

    from sqlalchemy import func, select

    from app.participate.models import Contribution, Vote
    from app.results.views import RESULTS_PAGE_TOP

    demo = factories.demo()
    kinds = factories.questions_by_kind(demo)
    querycount.crowd(demo, 150)
    statement = kinds["statement"][1]
    # One idea everybody agrees with must lead the list, wherever it sits among the ideas.
    best = db.session.scalar(select(Contribution).where(
        Contribution.question_id == kinds["idea"][1].id, Contribution.status == "approved")
        .order_by(Contribution.id.desc()))
    db.session.execute(Vote.__table__.delete().where(Vote.contribution_id == best.id))
    voters = db.session.scalars(select(Participant.id).where(
        Participant.consultation_id == demo.id).limit(40)).all()
    db.session.execute(Vote.__table__.insert(), [
        {"participant_id": p, "question_id": statement.id, "option_id": None,
         "contribution_id": best.id, "value": 1} for p in voters])
    db.session.commit()
    approved = db.session.scalar(select(func.count()).select_from(Contribution).where(
        Contribution.question_id == kinds["idea"][1].id, Contribution.status == "approved"))
    assert approved > RESULTS_PAGE_TOP

    login_as("youth_leader", organisation=demo.organisation)
    html = client.get(f"/results/c/{demo.id}").get_data(as_text=True)
    assert f"De senaste {RESULTS_PAGE_TOP} av {approved} publicerade idéerna" in html
    assert "påståendena med mest medhåll av" in html
    ideas_list, after_ideas = html.split('class="idea-list"')[1].split("</ul>", 1)
    statements_table = after_ideas.split("</table>")[0]  # the demo asks ideas first
    # The best-agreed idea leads the statements.
    assert statements_table.index("Idé nummer") == statements_table.index(best.text)
    assert statements_table.count('<th scope="row">') == RESULTS_PAGE_TOP
    assert ideas_list.count("<li>") == RESULTS_PAGE_TOP

    export = client.get(f"/results/c/{demo.id}/export.csv")
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff")),
                           delimiter=";"))
    assert sum(1 for row in rows if len(row) > 1 and row[1] == "idea") == approved


def test_a_place_unticked_after_young_people_chose_it_keeps_its_row(
        client, app, app_ctx, login_as):
    """Five young people chose a youth centre; the leader then unticked it on the
    consultation. By place they are still counted (under its name), so that the rows add up
    to the participants, as by age; before, they vanished from the table and the export."""
    demo = factories.demo()
    gone, kept = sorted(demo.areas, key=lambda a: a.name)[:2]
    for area, count in ((gone, 5), (kept, 6)):
        for _ in range(count):
            join(app.test_client(), area=str(area.id))
    demo.areas.remove(gone)
    db.session.commit()
    login_as("youth_leader", organisation=demo.organisation)
    html = client.get(f"/results/c/{demo.id}").get_data(as_text=True)
    assert "11 deltagare" in html
    by_place = html.split("Efter skola eller fritidsgård", 1)[1].split("</table>", 1)[0]
    row = by_place.split(f"{gone.name}</th>", 1)[1].split("</tr>", 1)[0]
    assert ">5<" in row or "<td>5" in row
    equity = client.get(f"/results/c/{demo.id}/export.csv?what=equity").get_data(as_text=True)
    assert f"area;{gone.name};5;" in equity and f"area;{kept.name};6;" in equity
