import csv
import io
import re

from openpyxl import load_workbook
from sqlalchemy import select

from app.extensions import db
from app.participate.models import Contribution
from app.results.models import Priority
from tests import factories
from tests.conftest import csrf_token
from tests.participate.helpers import answer, join
from tests.sent_again import saved_once_then_again


def approved_idea(app, demo, text):
    phone = app.test_client()
    join(phone)
    answer(phone, demo.id, factories.questions_by_kind(demo)["idea"][0],
           {"text": text, "client_key": text[:10]})
    idea = db.session.scalar(select(Contribution).where(Contribution.text == text))
    idea.status = "approved"
    db.session.commit()
    return phone, idea


def test_leader_builds_and_publishes_a_ranked_priority_participants_see_it(
        client, app, app_ctx, login_as):
    demo = factories.demo()
    phone, idea = approved_idea(app, demo, "Läxhjälp varje dag på biblioteket")
    login_as("youth_leader", organisation=demo.organisation)
    url = f"/results/c/{demo.id}/priorities/new"
    missing = client.post(url, data={"csrf_token": csrf_token(client, url), "title_en": "x"})
    assert "Skriv en titel på svenska." in missing.get_data(as_text=True)
    client.post(url, data={"csrf_token": csrf_token(client, url),
                           "title_sv": "Läxhjälp nära hemmet",
                           "summary_sv": "Många vill ha läxhjälp på biblioteket.",
                           "idea": str(idea.id)})
    priority = db.session.scalar(select(Priority).order_by(Priority.id.desc()).limit(1))
    assert priority.title == {"sv": "Läxhjälp nära hemmet"} and priority.status == "draft"
    assert [c.id for c in priority.contributions] == [idea.id]
    assert len(priority.uuid) == 36
    assert "Läxhjälp nära hemmet" not in phone.get("/me").get_data(as_text=True)

    action = f"/results/c/{demo.id}/priorities/{priority.id}/publish"
    client.post(action, data={"csrf_token": csrf_token(client, f"/results/c/{demo.id}/priorities")})
    db.session.expire_all()
    priority = db.session.get(Priority, priority.id)
    assert priority.status == "published" and priority.revision == 1
    assert priority.figures["participants"] == 1
    assert priority.figures["supporters"] is None  # 1 supporter: fewer than 5, suppressed
    assert "Läxhjälp nära hemmet" in phone.get("/me").get_data(as_text=True)

    client.post(action, data={"csrf_token": csrf_token(client, f"/results/c/{demo.id}/priorities")})
    db.session.expire_all()
    assert db.session.get(Priority, priority.id).revision == 2  # republished: newer version
    assert db.session.get(Priority, priority.id).uuid == priority.uuid


def test_an_edit_of_a_published_priority_reaches_the_portfolio_as_a_newer_version(
        client, app, app_ctx, login_as):
    """A youth leader corrects a published priority: the young people see it at once, and
    the core team is offered the new version to import (it used to stay at the old text
    there, and in exported files, until someone thought of pressing Publish again)."""
    from app.portfolio import exchange
    from app.portfolio.models import PortfolioPriority

    demo = factories.demo()
    phone, idea = approved_idea(app, demo, "Läxhjälp varje dag på biblioteket")
    login_as("youth_leader", organisation=demo.organisation)
    client.get("/lang/en")
    priority = db.session.scalar(select(Priority).where(Priority.consultation_id == demo.id)
                                 .order_by(Priority.position))
    exchange.import_here(factories.user(role="core_team"), None)
    db.session.commit()
    url = f"/results/c/{demo.id}/priorities/{priority.id}"
    response = client.post(url, data={"csrf_token": csrf_token(client, url),
                                      "title_sv": "Gröna, trygga skolgårdar",
                                      "summary_sv": priority.summary["sv"],
                                      "idea": str(idea.id)})
    # Back at the priority just saved, not at the top of a long list.
    assert response.headers["Location"].endswith(
        f"/results/c/{demo.id}/priorities#priority-{priority.id}")
    saved = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "published again" in saved and "the core team can take the new version" in saved
    assert "Gröna, trygga skolgårdar" in phone.get("/me").get_data(as_text=True)

    db.session.expire_all()  # the edit was saved by the request's own session
    assert [p.id for p, _ in exchange.importable_here()] == [priority.id]
    exchange.import_here(factories.user(role="core_team"), None)
    db.session.commit()
    stored = db.session.scalar(select(PortfolioPriority).where(
        PortfolioPriority.priority_id == priority.id))
    assert stored.title["sv"] == "Gröna, trygga skolgårdar" and stored.revision == 2

    # Saving it again unchanged makes no newer version.
    client.post(url, data={"csrf_token": csrf_token(client, url),
                           "title_sv": "Gröna, trygga skolgårdar",
                           "summary_sv": priority.summary["sv"], "idea": str(idea.id)})
    db.session.expire_all()
    assert db.session.get(Priority, priority.id).revision == 2


def test_a_draft_made_by_mistake_can_be_deleted_a_published_one_cannot(
        client, app, app_ctx, login_as):
    demo = factories.demo()
    _, idea = approved_idea(app, demo, "Läxhjälp varje dag")
    login_as("youth_leader", organisation=demo.organisation)
    page = f"/results/c/{demo.id}/priorities"
    new = f"{page}/new"
    for title in ("Bara titel", "Läxhjälp", "Trygga vägar"):
        client.post(new, data={"csrf_token": csrf_token(client, new), "title_sv": title,
                               "idea": str(idea.id)})
    mistake, kept, published = db.session.scalars(
        select(Priority).order_by(Priority.id.desc()).limit(3)).all()[::-1]
    mistake_id = mistake.id
    token = csrf_token(client, page)
    client.post(f"{page}/{published.id}/publish", data={"csrf_token": token})
    client.post(f"{page}/{published.id}/unpublish", data={"csrf_token": token})
    assert f"{page}/{mistake.id}/delete" in client.get(page).get_data(as_text=True)
    assert f"{page}/{published.id}/delete" not in client.get(page).get_data(as_text=True)

    done = client.post(f"{page}/{mistake.id}/delete", data={"csrf_token": token,
                                                             "confirm": "1"},
                       follow_redirects=True)
    assert "Utkastet är borttaget." in done.get_data(as_text=True)
    refused = client.post(f"{page}/{published.id}/delete", data={"csrf_token": token},
                          follow_redirects=True)
    assert "stannar kvar" in refused.get_data(as_text=True)
    db.session.expire_all()
    left = db.session.scalars(select(Priority).where(Priority.consultation_id == demo.id)
                              .order_by(Priority.position)).all()
    assert mistake_id not in {p.id for p in left} and {kept.id, published.id} <= {
        p.id for p in left}
    assert [p.position for p in left] == list(range(1, len(left) + 1))  # no gap
    assert db.session.get(Contribution, idea.id) is not None  # the idea stays


def test_core_team_reads_priorities_but_cannot_edit(client, app, app_ctx, login_as):
    demo = factories.demo()
    login_as("core_team")
    assert client.get(f"/results/c/{demo.id}/priorities").status_code == 200
    assert client.get(f"/results/c/{demo.id}/priorities/new").status_code == 403


def test_other_organisation_gets_404_on_results_priorities_and_exports(
        client, app, app_ctx, login_as):
    demo = factories.demo()
    login_as("youth_leader")
    for path in (f"/results/c/{demo.id}", f"/results/c/{demo.id}/priorities",
                 f"/results/c/{demo.id}/export.xlsx", f"/results/c/{demo.id}/export.csv"):
        assert client.get(path).status_code == 404, path


def _age_groups(app, demo, sizes):
    scale = factories.questions_by_kind(demo)["scale"][0]
    for band, count in sizes.items():
        for _ in range(count):
            phone = app.test_client()
            join(phone, age_band=band)
            answer(phone, demo.id, scale, {"value": "3"})


def test_exports_suppress_small_groups_and_neutralise_formulas(client, app, app_ctx, login_as):
    demo = factories.demo()
    _age_groups(app, demo, {"-12": 4, "13-15": 1, "16-19": 5})
    approved_idea(app, demo, "=HYPERLINK(\"http://evil\")")
    login_as("youth_leader", organisation=demo.organisation)
    response = client.get(f"/results/c/{demo.id}/export.csv?what=equity")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")),
                           delimiter=";"))
    by_group = {row[1]: row for row in rows[1:] if row[0] == "age"}
    assert by_group["≤12"][2] == "<5" and by_group["16-19"][2] == "5"
    results = client.get(f"/results/c/{demo.id}/export.csv?what=results").get_data(as_text=True)
    assert "'=HYPERLINK" in results and "\n=HYPERLINK" not in results

    workbook = load_workbook(io.BytesIO(client.get(f"/results/c/{demo.id}/export.xlsx").data))
    assert set(workbook.sheetnames) == {"results", "equity", "priorities"}
    values = [[c.value for c in row] for row in workbook["equity"].iter_rows()]
    small = [v for v in values if v[1] == "≤12"][0]
    assert small[2] == "<5" and 4 not in small
    cells = [c.value for row in workbook["results"].iter_rows() for c in row]
    assert "=HYPERLINK(\"http://evil\")" in cells  # text, exactly: no ' needed in XLSX


RESULT_COLUMNS = ["question", "kind", "item", "answers", "share", "score", "agree", "disagree",
                  "pass", "agreement_lower_bound", "removed"]


def test_csv_export_opens_in_swedish_excel(client, app, app_ctx, login_as):
    """Semicolons between cells, UTF-8 with a byte-order mark, decimal commas; a text that
    starts like a formula still gets its '."""
    demo = factories.demo()
    scale = factories.questions_by_kind(demo)["scale"][0]
    for value in ("2", "3", "3"):  # shares of a third and two thirds
        phone = app.test_client()
        join(phone)
        answer(phone, demo.id, scale, {"value": value})
    approved_idea(app, demo, "Läxhjälp på arabiska: مساعدة في الواجبات")
    approved_idea(app, demo, "=1+1 är två")
    login_as("youth_leader", organisation=demo.organisation)
    body = client.get(f"/results/c/{demo.id}/export.csv?what=results").data
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8")[1:]), delimiter=";"))
    assert rows[0] == RESULT_COLUMNS
    assert all(len(row) == len(RESULT_COLUMNS) for row in rows)
    items = [row[2] for row in rows]
    assert "Läxhjälp på arabiska: مساعدة في الواجبات" in items
    assert "'=1+1 är två" in items and "=1+1 är två" not in items
    shares = [row[4] for row in rows[1:] if row[4]]
    assert shares and all("." not in s for s in shares)
    assert any("," in s for s in shares), shares  # e.g. 0,3333 — Swedish Excel's decimal


def test_xlsx_export_has_the_exact_text_and_no_formula(client, app, app_ctx, login_as):
    """A child's "=)" or "-jag tycker" is text in the workbook, exactly as written: no ' in
    front, and no cell Excel would run."""
    demo = factories.demo()
    texts = ["=)", "-jag tycker", "+46 70", "@alla", "#N/A", "=HYPERLINK(\"http://x\")"]
    for text in texts:
        approved_idea(app, demo, text)
    login_as("youth_leader", organisation=demo.organisation)
    book = load_workbook(io.BytesIO(client.get(f"/results/c/{demo.id}/export.xlsx").data))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    by_value = {c.value: c for c in cells if isinstance(c.value, str)}
    for text in texts:
        assert text in by_value, text
        assert by_value[text].data_type == "s", text
        assert "'" + text not in by_value
    numbers = [c.value for c in book["results"]["D"][1:] if c.value is not None]
    assert numbers and all(isinstance(n, int) for n in numbers)  # counts stay numbers


def test_a_priority_title_of_only_invisible_characters_is_refused(client, app, app_ctx,
                                                                     login_as):
    demo = factories.demo()
    login_as("youth_leader", organisation=demo.organisation)
    before = len(db.session.scalars(select(Priority)).all())  # the demo's own
    url = f"/results/c/{demo.id}/priorities/new?lang=en"
    response = client.post(url, data={"csrf_token": csrf_token(client, url),
                                      "title_sv": "\u200b\u2060", "summary_sv": "\ufeff"})
    assert "Write a title in Swedish." in response.get_data(as_text=True)
    assert len(db.session.scalars(select(Priority)).all()) == before


def test_a_summary_at_the_limit_with_line_breaks_is_kept_whole(client, app, app_ctx,
                                                                login_as):
    demo = factories.demo()
    login_as("youth_leader", organisation=demo.organisation)
    summary = "\r\n".join(["y" * 99] * 20) + "z"  # 2000 as the page's maxlength counts it
    url = f"/results/c/{demo.id}/priorities/new"
    client.post(url, data={"csrf_token": csrf_token(client, url), "title_sv": "Läxhjälp",
                           "summary_sv": summary})
    priority = db.session.scalar(select(Priority).order_by(Priority.id.desc()).limit(1))
    assert priority.summary["sv"] == summary.replace("\r\n", "\n")


def test_the_priority_form_asks_for_the_swedish_title_and_marks_only_names_as_languages(
        client, app, app_ctx, login_as):
    demo = factories.demo()
    login_as("youth_leader", organisation=demo.organisation)
    html = client.get(f"/results/c/{demo.id}/priorities/new?lang=ar").get_data(as_text=True)
    assert 'id="title_sv" name="title_sv" value="" maxlength="200" dir="auto" lang="sv" required' \
        in html
    assert 'id="title_en" name="title_en" value="" maxlength="200" dir="auto" lang="en">' in html
    # "(required)" is in the page's language (Arabic here), not in Swedish
    assert '<legend><span lang="sv">Svenska</span> (' in html


def test_after_moving_a_priority_the_page_comes_back_at_it(client, app, app_ctx, login_as):
    """Every priority has the same buttons ("Move up", "Publish"…): each is described by its
    priority's title, and after one the list opens where that priority now is."""
    demo = factories.demo()
    login_as("youth_leader", organisation=demo.organisation)
    page = f"/results/c/{demo.id}/priorities"
    new = f"{page}/new"
    for title in ("Läxhjälp", "Trygga vägar"):
        client.post(new, data={"csrf_token": csrf_token(client, new), "title_sv": title})
    second = db.session.scalar(select(Priority).order_by(Priority.id.desc()).limit(1))
    token = csrf_token(client, page)
    moved = client.post(f"{page}/{second.id}/up", data={"csrf_token": token})
    assert moved.headers["Location"].endswith(f"{page}#priority-{second.id}")
    html = client.get(page).get_data(as_text=True)
    assert f'<li class="card" id="priority-{second.id}" tabindex="-1">' in html
    assert f'id="priority-{second.id}-title">Trygga vägar</h2>' in html
    assert html.count(f'aria-describedby="priority-{second.id}-title"') >= 4
    deleted = client.post(f"{page}/{second.id}/delete", data={"csrf_token": token,
                                                             "confirm": "1"})
    assert deleted.headers["Location"].endswith(page)


def test_move_up_pressed_twice_from_the_same_page_moves_it_once(client, app, app_ctx,
                                                                login_as):
    """A double tap (or Move up in two tabs) sends the same request twice: the second finds
    the list changed since the page was shown and moves nothing, saying so."""
    demo = factories.demo()
    login_as("youth_leader", organisation=demo.organisation)
    page = f"/results/c/{demo.id}/priorities"
    new = f"{page}/new"
    for title in ("Läxhjälp", "Trygga vägar", "Fler raster"):
        client.post(new, data={"csrf_token": csrf_token(client, new), "title_sv": title})
    html = client.get(page).get_data(as_text=True)
    third = db.session.scalar(select(Priority).where(Priority.title["sv"].as_string()
                                                     == "Fler raster"))
    form = html.split(f'action="{page}/{third.id}/up"')[1].split("</form>")[0]
    place = re.search(r'name="place" value="(\d+)"', form).group(1)
    ours = ["Läxhjälp", "Trygga vägar", "Fler raster"]
    before = [t for t in re.findall(r'-title">([^<]+)</h2>', html)]
    assert before[-3:] == ours and place == str(len(before))
    data = {"csrf_token": csrf_token(client, page), "place": place}
    client.post(f"{page}/{third.id}/up", data=data)
    again = client.post(f"{page}/{third.id}/up", data=data)
    shown = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "Listan hade ändrats under tiden, så ingenting flyttades." in shown
    assert re.findall(r'-title">([^<]+)</h2>', shown)[-3:] == ["Läxhjälp", "Fler raster",
                                                                "Trygga vägar"]


def test_a_priority_text_over_its_limit_is_refused_with_the_limit_never_cut(
        client, app, app_ctx, login_as):
    """The page's maxlength stops a phone; a client that ignores it gets the limit named and
    everything typed back, and nothing is saved shortened."""
    demo = factories.demo()
    login_as("youth_leader", organisation=demo.organisation)
    before = len(db.session.scalars(select(Priority)).all())
    url = f"/results/c/{demo.id}/priorities/new?lang=en"
    for data, message in [
        ({"title_sv": "Läxhjälp", "title_en": "h" * 201},
         "The title is too long (at most 200 characters)."),
        ({"title_sv": "Läxhjälp", "summary_fi": "s" * 2001},
         "The summary is too long (at most 2000 characters)."),
    ]:
        response = client.post(url, data={"csrf_token": csrf_token(client, url), **data})
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and message in html
        typed = data.get("title_en") or data["summary_fi"]
        assert typed in html  # kept in the form, to shorten there
    assert len(db.session.scalars(select(Priority)).all()) == before
    at_limit = client.post(url, data={"csrf_token": csrf_token(client, url),
                                      "title_sv": "t" * 200, "summary_sv": "s" * 2000})
    assert at_limit.status_code == 302
    priority = db.session.scalar(select(Priority).order_by(Priority.id.desc()).limit(1))
    assert priority.title["sv"] == "t" * 200 and priority.summary["sv"] == "s" * 2000


def test_back_and_save_again_makes_no_second_priority(client, app, app_ctx, login_as):
    demo = factories.demo()
    _phone, idea = approved_idea(app, demo, "Läxhjälp varje dag på biblioteket")
    login_as("youth_leader", organisation=demo.organisation)

    def newest() -> str:
        priority = db.session.scalar(select(Priority.id).order_by(Priority.id.desc()).limit(1))
        return f"/results/c/{demo.id}/priorities#priority-{priority}"

    saved_once_then_again(
        client, f"/results/c/{demo.id}/priorities/new?lang=en",
        {"title_sv": "Läxhjälp nära hemmet", "summary_sv": "Många vill ha läxhjälp.",
         "idea": str(idea.id)},
        lambda: len(db.session.scalars(select(Priority.id).where(
            Priority.consultation_id == demo.id)).all()),
        typed=['value="Läxhjälp nära hemmet"', ">Många vill ha läxhjälp.</textarea>",
               f'value="{idea.id}" checked'],
        link=newest)


def test_unpublishing_an_imported_priority_is_told_to_both_sides(client, app, app_ctx, login_as):
    """The young people stop seeing a priority the youth leaders unpublish, and with it what
    the portfolio did with it: the leader is told the core team had it, and the core team
    sees it on the priority and in the overview's list, until it is published again."""
    from app.portfolio import exchange
    from app.portfolio.models import PortfolioPriority
    from tests.conftest import log_in

    demo = factories.demo()
    approved_idea(app, demo, "Läxhjälp varje dag på biblioteket")
    login_as("youth_leader", organisation=demo.organisation)
    client.get("/lang/en")
    page = f"/results/c/{demo.id}/priorities"
    core_member = factories.user(role="core_team")
    exchange.import_here(core_member, None)
    db.session.commit()
    core = app.test_client()
    log_in(core, core_member)
    core.get("/lang/en")
    priority, other = db.session.scalars(
        select(Priority).where(Priority.consultation_id == demo.id)
        .order_by(Priority.position)).all()[:2]
    stored = db.session.scalar(select(PortfolioPriority).where(
        PortfolioPriority.priority_id == priority.id))
    withdrawn_note = "The youth leaders have unpublished this priority"
    assert withdrawn_note not in core.get(f"/portfolio/priorities/{stored.id}").get_data(
        as_text=True)

    listed = client.get(page).get_data(as_text=True)
    # On a published priority, publishing again is not the page's main action.
    assert (f'class="button button-secondary" aria-describedby="priority-{priority.id}-title">'
            "Publish again with today’s figures") in listed
    told = client.post(f"{page}/{priority.id}/unpublish",
                       data={"csrf_token": csrf_token(client, page)}, follow_redirects=True)
    assert "The core team had brought it into the portfolio" in told.get_data(as_text=True)

    shown = core.get(f"/portfolio/priorities/{stored.id}").get_data(as_text=True)
    assert withdrawn_note in shown
    overview = core.get("/portfolio").get_data(as_text=True)
    card = overview[overview.index(f"/portfolio/priorities/{stored.id}\""):]
    assert card[:card.index("</li>")].count("Unpublished by the youth leaders") == 1

    # Another priority never imported: the plain message.
    client.post(f"{page}/{other.id}/unpublish", data={"csrf_token": csrf_token(client, page)})
    db.session.execute(PortfolioPriority.__table__.delete().where(
        PortfolioPriority.priority_id == other.id))
    db.session.commit()

    again = client.post(f"{page}/{priority.id}/publish",
                        data={"csrf_token": csrf_token(client, page)}, follow_redirects=True)
    assert "Published. The young people who took part can see it now." in again.get_data(
        as_text=True)
    assert withdrawn_note not in core.get(f"/portfolio/priorities/{stored.id}").get_data(
        as_text=True)
    # Published again with today's figures: a newer version, so the portfolio can take them.
    db.session.expire_all()
    assert db.session.get(Priority, priority.id).revision == stored.revision + 1
    republished = client.post(f"{page}/{priority.id}/publish",
                              data={"csrf_token": csrf_token(client, page)},
                              follow_redirects=True).get_data(as_text=True)
    assert "Published again as version" in republished


def test_moving_a_published_priority_offers_the_portfolio_the_new_order(
        client, app, app_ctx, login_as):
    """The young people see the new numbering at once; the portfolio is offered the two
    priorities whose places changed, as newer versions. Moving past a draft changes no
    published place, and offers nothing."""
    from app.portfolio import exchange
    from app.portfolio.models import PortfolioPriority

    demo = factories.demo()
    login_as("youth_leader", organisation=demo.organisation)
    page = f"/results/c/{demo.id}/priorities"
    core_member = factories.user(role="core_team")
    exchange.import_here(core_member, None)
    db.session.commit()
    first, second, third = db.session.scalars(
        select(Priority).where(Priority.consultation_id == demo.id)
        .order_by(Priority.position)).all()[:3]
    assert exchange.importable_here() == []

    client.post(f"{page}/{second.id}/up", data={"csrf_token": csrf_token(client, page)})
    db.session.expire_all()
    assert sorted(p.id for p, _ in exchange.importable_here()) == sorted([first.id, second.id])
    exchange.import_here(core_member, None)
    db.session.commit()
    order = db.session.scalars(select(PortfolioPriority.priority_id)
                               .where(PortfolioPriority.priority_id.is_not(None))
                               .order_by(PortfolioPriority.position)).all()
    assert order[:3] == [second.id, first.id, third.id]

    draft_url = f"{page}/new"
    client.post(draft_url, data={"csrf_token": csrf_token(client, draft_url),
                                 "title_sv": "Ett utkast sist"})
    draft = db.session.scalar(select(Priority).order_by(Priority.id.desc()).limit(1))
    assert draft.status == "draft"
    client.post(f"{page}/{draft.id}/up", data={"csrf_token": csrf_token(client, page)})
    db.session.expire_all()
    assert exchange.importable_here() == []


def test_a_priority_of_a_draft_consultation_cannot_be_published(client, app, app_ctx, login_as):
    """A draft (a duplicate made by mistake, say) has had no young people: a priority
    written in it may be prepared, but not published to them or offered to the portfolio,
    where it would outlive the draft's deletion with nothing to withdraw it."""
    from app.portfolio import exchange
    from app.portfolio.models import PortfolioPriority
    from tests.consultations.helpers import create

    demo = factories.demo()
    login_as("youth_leader", organisation=demo.organisation)
    draft = create(client)
    url = f"/results/c/{draft}/priorities/new"
    client.post(url, data={"csrf_token": csrf_token(client, url), "title_sv": "Prio i utkast"})
    priority = db.session.scalar(select(Priority).where(Priority.consultation_id == draft))
    page = f"/results/c/{draft}/priorities"
    listed = client.get(page).get_data(as_text=True)
    assert "Prio i utkast" in listed
    assert f"/priorities/{priority.id}/publish" not in listed
    assert "kan publiceras när frågerundan är öppen" in listed
    refused = client.post(f"/results/c/{draft}/priorities/{priority.id}/publish",
                          data={"csrf_token": csrf_token(client, page), "shown": "draft"},
                          follow_redirects=True).get_data(as_text=True)
    assert "kan publiceras när frågerundan är öppen" in refused
    db.session.expire_all()
    assert db.session.get(Priority, priority.id).status == "draft"
    exchange.import_here(factories.user(role="core_team"), None)
    db.session.commit()
    assert db.session.scalar(select(PortfolioPriority).where(
        PortfolioPriority.priority_id == priority.id)) is None
