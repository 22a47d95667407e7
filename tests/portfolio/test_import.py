"""Importing youth priorities: from this server and from another server's file, idempotent,
atomic, and every bad file refused with a specific message."""
import csv
import io
import json
import re

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select, text

from app import create_app
from app.audit.models import AuditEvent
from app.extensions import db
from app.portfolio.models import PortfolioPriority, PriorityLink
from app.results import priorities as priority_service
from app.results.models import Priority
from tests.conftest import FreshContextClient, csrf_token
from tests.portfolio.helpers import initiative, published_priorities


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _upload(client, data: bytes, filename: str):
    token = csrf_token(client, "/portfolio/import")
    return client.post("/portfolio/import/file", data={
        "csrf_token": token, "file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data")


def _export(client, consultation_id: int, fmt: str) -> bytes:
    response = client.get(f"/results/c/{consultation_id}/priorities.{fmt}")
    assert response.status_code == 200, response.status_code
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Content-Type"] == {"csv": "text/csv; charset=utf-8",
                                                "json": "application/json"}[fmt]
    return response.data


# --- from this server ---------------------------------------------------------------------

def test_core_team_imports_published_priorities_of_this_server(client, login_as):
    consultation, made = published_priorities(("Gröna skolgårdar", "Läxhjälp", "Bli lyssnad på"))
    db.session.commit()
    user = login_as("core_team")
    page = client.get("/portfolio/import").get_data(as_text=True)
    assert "Gröna skolgårdar" in page and "Läxhjälp" in page

    token = csrf_token(client, "/portfolio/import")
    response = client.post("/portfolio/import/here", data={
        "csrf_token": token, "priority": [str(made[0].id)]})
    assert response.status_code == 200
    assert "1 ny ungdomsprioritering" in response.get_data(as_text=True)
    assert db.session.scalars(select(PortfolioPriority.uuid)).all() == [made[0].uuid]

    response = client.post("/portfolio/import/here", data={"csrf_token": token, "all": "1"})
    assert "2 nya ungdomsprioriteringar" in response.get_data(as_text=True)
    imported = db.session.scalars(select(PortfolioPriority)).all()
    assert {p.uuid for p in imported} == {p.uuid for p in made}
    assert all(p.source == "local" and p.priority_id for p in imported)
    assert "Alla publicerade ungdomsprioriteringar" in client.get(
        "/portfolio/import").get_data(as_text=True)
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "portfolio.imported").order_by(AuditEvent.id)).first()
    assert event.actor_id == user.id and event.details["source"] == "local"
    assert event.details["created"] == [made[0].uuid]


def test_importing_again_from_an_older_page_says_what_is_already_there(client, login_as):
    """Import pressed twice, or from a second tab shown before the first import: the
    second says the priorities are already imported, not '0 new, 0 updated, 0 unchanged'."""
    consultation, made = published_priorities(("Gröna skolgårdar", "Läxhjälp"))
    db.session.commit()
    login_as("core_team")
    token = csrf_token(client, "/portfolio/import")
    chosen = {"csrf_token": token, "priority": [str(p.id) for p in made]}
    first = client.post("/portfolio/import/here", data=chosen).get_data(as_text=True)
    assert "2 nya ungdomsprioriteringar" in first
    again = client.post("/portfolio/import/here", data=chosen).get_data(as_text=True)
    assert "0 nya ungdomsprioriteringar" in again
    assert "2 redan importerade, oförändrade" in again
    assert _count(PortfolioPriority) == 2
    everything = client.post("/portfolio/import/here", data={"csrf_token": token, "all": "1"}
                             ).get_data(as_text=True)
    outcome = everything.split('id="outcome"')[1].split("</div>")[0]
    assert "Inget nytt att importera" in outcome and "0 nya" not in outcome
    # Only the import that brought something is in the audit log, not the two that did not.
    assert db.session.scalar(select(func.count()).where(
        AuditEvent.action == "portfolio.imported")) == 1


def test_the_import_list_says_where_each_priority_comes_from(client, login_as):
    """Two schools both ask for "Läxhjälp": the core team sees which is which before
    choosing."""
    first, _ = published_priorities(("Läxhjälp",), code="PRIO01")
    second, _ = published_priorities(("Läxhjälp",), code="PRIO02")
    db.session.commit()
    login_as("core_team")
    page = client.get("/portfolio/import").get_data(as_text=True)
    labels = page.split('name="priority"')[1:]
    assert len(labels) == 2
    for label, consultation in zip(labels, (first, second), strict=True):
        label = label.split("</label>")[0]
        assert "Läxhjälp" in label
        assert consultation.organisation.name in label and "Samråd " + consultation.join_code \
            in label


def test_a_republished_priority_can_be_imported_again_as_a_newer_version(client, login_as):
    consultation, made = published_priorities(("Läxhjälp",))
    db.session.commit()
    login_as("core_team")
    token = csrf_token(client, "/portfolio/import")
    client.post("/portfolio/import/here", data={"csrf_token": token, "all": "1"})
    made[0].title = {"sv": "Läxhjälp på helger"}
    priority_service.publish(None, made[0])
    db.session.commit()
    assert "nyare version" in client.get("/portfolio/import").get_data(as_text=True)
    page = client.post("/portfolio/import/here", data={"csrf_token": token, "all": "1"}
                       ).get_data(as_text=True)
    assert "1 uppdaterad till en nyare version" in page and "version 1 → 2" in page
    stored = db.session.scalar(select(PortfolioPriority))
    db.session.refresh(stored)
    assert stored.revision == 2 and stored.title["sv"] == "Läxhjälp på helger"


# --- between two servers --------------------------------------------------------------------

@pytest.fixture
def second_app(tmp_path):
    """Another coalition member's server: its own app and its own empty database."""
    other = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'other.db'}")
    other.test_client_class = FreshContextClient
    with other.app_context():
        upgrade()
    yield other
    with other.app_context():
        db.engine.dispose()


def _login_core_team(other_app):
    from tests import factories

    client = other_app.test_client()
    with other_app.app_context():
        user = factories.user(role="core_team", email="core@other.example")
        db.session.commit()
        email = user.email
    with other_app.app_context():
        token = csrf_token(client, "/login")
    response = client.post("/login", data={"csrf_token": token, "email": email,
                                           "password": "correct horse battery"})
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_from_one_server_imports_into_another(client, login_as, second_app, fmt, app):
    consultation, made = published_priorities(("Gröna skolgårdar", "=Läxhjälp för alla"))
    db.session.commit()
    login_as("core_team")
    exported = _export(client, consultation.id, fmt)
    expected = {p.uuid: p.title["sv"] for p in made}
    organisation = consultation.organisation.name
    uuids = [p.uuid for p in made]

    other = _login_core_team(second_app)
    with second_app.app_context():
        response = _upload(other, exported, f"prio.{fmt}")
        assert response.status_code == 200, response.get_data(as_text=True)
        assert "2 nya ungdomsprioriteringar" in response.get_data(as_text=True)
        arrived = {p.uuid: p for p in db.session.scalars(select(PortfolioPriority))}
        assert {u: p.title["sv"] for u, p in arrived.items()} == expected
        sample = arrived[uuids[0]]
        assert sample.title["ar"] == "عنوان Gröna skolgårdar"
        assert sample.organisation == organisation
        assert sample.consultation_title["sv"] == "Samråd PRIO01"
        assert sample.source == "Medskapa" and sample.priority_id is None
        assert sample.published_at is not None

        # Link one, import again: nothing duplicated, the link is intact.
        from app.portfolio.services import link

        target = initiative()
        user = db.session.scalar(select(__import__("app.accounts.models", fromlist=["User"]).User))
        link(user, sample, target)
        db.session.commit()
        again = _upload(other, exported, f"prio.{fmt}")
        assert "2 redan importerade, oförändrade" in again.get_data(as_text=True)
        assert _count(PortfolioPriority) == 2 and _count(PriorityLink) == 1

    # A newer version on the first server: the second one updates it and says so. (Objects
    # of the first server's session are fetched again: the session picks its database by the
    # current app, which was the second one a moment ago.)
    db.session.expunge_all()
    second = db.session.scalar(select(Priority).where(Priority.uuid == uuids[1]))
    second.title = {"sv": "Läxhjälp på helger"}
    priority_service.publish(None, second)
    db.session.commit()
    newer = _export(client, consultation.id, fmt)
    with second_app.app_context():
        page = _upload(other, newer, f"prio.{fmt}").get_data(as_text=True)
        assert "1 uppdaterad till en nyare version" in page
        assert "Läxhjälp på helger" in page
        updated = db.session.scalar(select(PortfolioPriority).where(
            PortfolioPriority.uuid == made[1].uuid))
        assert updated.revision == 2 and updated.title["sv"] == "Läxhjälp på helger"
        assert _count(PortfolioPriority) == 2 and _count(PriorityLink) == 1
        event = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "portfolio.imported").order_by(AuditEvent.id.desc())).first()
        assert event.details["filename"] == f"prio.{fmt}"
        assert event.details["updated"] == [f"{uuids[1]} r1→r2"]


def test_the_exported_json_is_valid_against_the_published_schema(client, login_as):
    from jsonschema import Draft202012Validator

    from app.portfolio.exchange import SCHEMA_PATH

    consultation, _ = published_priorities()
    db.session.commit()
    login_as("youth_leader", organisation=consultation.organisation)
    doc = json.loads(_export(client, consultation.id, "json"))
    schema = json.loads(SCHEMA_PATH.read_text())
    assert list(Draft202012Validator(schema).iter_errors(doc)) == []
    assert doc["format"] == "medskapa-priorities" and doc["version"] == 1
    assert len(doc["priorities"]) == 2


def test_a_leader_cannot_export_another_organisations_priorities(client, login_as):
    consultation, _ = published_priorities()
    db.session.commit()
    login_as("youth_leader")
    assert client.get(f"/results/c/{consultation.id}/priorities.json").status_code == 404


# --- bad files ------------------------------------------------------------------------------

def _valid_doc() -> dict:
    return {
        "format": "medskapa-priorities", "version": 1,
        "exported_at": "2026-11-01T10:00:00+00:00", "source": {"name": "Medskapa Örebro"},
        "priorities": [{
            "uuid": f"00000000-0000-4000-8000-00000000000{n}", "revision": 1, "position": n,
            "title": {"sv": f"Prioritering {n}"}, "published_at": "2026-10-01T10:00:00+00:00",
            "consultation": {"title": {"sv": "Samråd"}, "organisation": "Örebro kommun"},
        } for n in (1, 2, 3)],
    }


CSV_HEADER = "uuid,revision,position,published_at,organisation,title_sv,consultation_title_sv\n"
CSV_ROW = ("00000000-0000-4000-8000-000000000001,1,1,2026-10-01T10:00:00+00:00,Örebro kommun,"
           "{title},Samråd\n")


def _bad_files():
    wrong_schema = _valid_doc()
    wrong_schema["priorities"][1]["revision"] = "två"
    del wrong_schema["priorities"][2]["title"]["sv"]
    unknown = dict(_valid_doc(), version=2)
    not_a_number = _valid_doc()
    not_a_number["priorities"][0]["figures"] = {"agreement": float("nan")}
    huge_revision = _valid_doc()
    huge_revision["priorities"][0]["revision"] = 10 ** 400
    agreement = CSV_HEADER.replace("\n", ",agreement\n")
    return {
        "invalid json": (b'{"format": "medskapa-priorities", ', "x.json",
                         ["Filen är inte giltig JSON (rad 1, kolumn 35)"]),
        "wrong schema": (json.dumps(wrong_schema).encode(), "x.json",
                         ["Rad 2, <code>revision</code>", "Rad 3, <code>title.sv</code>"]),
        "unknown version": (json.dumps(unknown).encode(), "x.json", ["version 2"]),
        "missing column": ((CSV_HEADER.replace(",title_sv", "") + CSV_ROW.replace(
            "{title},", "")).encode(), "x.csv", ["<code>title_sv</code>"]),
        "formula cell": ((CSV_HEADER + CSV_ROW.format(title="=HYPERLINK(\"http://x\")")
                          ).encode(), "x.csv", ["Rad 2, <code>title_sv</code>", "formel"]),
        "latin-1": ((CSV_HEADER + CSV_ROW.format(title="Läxhjälp")).encode("latin-1"),
                    "x.csv", ["inte UTF-8"]),
        "tabs": ((CSV_HEADER + CSV_ROW.format(title="Läxhjälp")).replace(",", "\t")
                 .encode(), "x.csv", ["tabb"]),
        "negative number": ((CSV_HEADER.replace("\n", ",participants\n")
                             + CSV_ROW.format(title="Läxhjälp").replace("\n", ",-3\n")).encode(),
                            "x.csv", ["Rad 2, <code>participants</code>", "minst 0"]),
        # Once a 500 (Python's JSON reader gives up past about a thousand levels).
        "deeply nested json": (b"[" * 100_000, "x.json", ["inte en prioriteringsfil"]),
        # NaN is not JSON, though Python writes and reads it: it was stored and shown "NaN %".
        "NaN in json": (json.dumps(not_a_number).encode(), "x.json",
                        ["Rad 1, <code>figures.agreement</code>", "fel typ"]),
        "NaN in csv": ((agreement + CSV_ROW.format(title="Läxhjälp").replace("\n", ",NaN\n")
                        ).encode(), "x.csv", ["Rad 2, <code>agreement</code>", "Skriv ett tal"]),
        # Too large for the database's integer: once a bare "wrong request" page.
        "huge revision": (json.dumps(huge_revision).encode(), "x.json",
                          ["Rad 1, <code>revision</code>", "för stort"]),
        "huge position in csv": ((CSV_HEADER + CSV_ROW.format(title="Läxhjälp").replace(
            ",1,1,", ",1," + "9" * 30 + ",")).encode(), "x.csv",
            ["Rad 2, <code>position</code>", "för stort"]),
    }


@pytest.mark.parametrize("case", list(_bad_files()))
def test_bad_files_are_refused_with_a_specific_message_and_nothing_written(
        client, login_as, case):
    data, filename, messages = _bad_files()[case]
    login_as("core_team")
    events_before = _count(AuditEvent)
    response = _upload(client, data, filename)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Ingenting importerades" in page
    for message in messages:
        assert message in page, (case, message)
    assert _count(PortfolioPriority) == 0
    assert _count(AuditEvent) == events_before


def test_a_file_with_one_bad_row_imports_nothing(client, login_as):
    doc = _valid_doc()
    doc["priorities"][2]["uuid"] = "not-a-uuid"
    login_as("core_team")
    response = _upload(client, json.dumps(doc).encode(), "x.json")
    assert response.status_code == 422
    assert "Rad 3, <code>uuid</code>" in response.get_data(as_text=True)
    assert _count(PortfolioPriority) == 0


def test_every_problem_of_a_file_is_listed_with_its_row(client, login_as):
    """A bad date is named together with the row's other problems, at the row the other
    messages give (a CSV counts its header as row 1)."""
    login_as("core_team")
    header = CSV_HEADER.replace("\n", ",participants\n")
    row = CSV_ROW.format(title="Läxhjälp").replace("2026-10-01T10:00:00+00:00", "yesterday")
    page = _upload(client, (header + row.replace("\n", ",many\n")).encode(),
                   "x.csv").get_data(as_text=True)
    assert "Rad 2, <code>participants</code>" in page
    assert "Rad 2, <code>published_at</code>" in page
    assert "Rad 1" not in page

    doc = _valid_doc()
    doc["priorities"][0]["figures"] = {"agreement": 1.7}
    doc["priorities"][0]["published_at"] = "yesterday"
    page = _upload(client, json.dumps(doc).encode(), "x.json").get_data(as_text=True)
    assert "Rad 1, <code>figures.agreement</code>" in page
    assert "Rad 1, <code>published_at</code>" in page
    assert _count(PortfolioPriority) == 0


def test_each_missing_field_of_a_priority_is_named_once(client, login_as):
    """A priority without several required fields was listed as the first of them over and
    over ("Rad 1, position" four times), and the others were never named."""
    doc = _valid_doc()
    first = doc["priorities"][0]
    for name in ("position", "title", "published_at", "consultation"):
        del first[name]
    login_as("core_team")
    page = _upload(client, json.dumps(doc).encode(), "x.json").get_data(as_text=True)
    named = re.findall(r"Rad 1, <code>([\w.]+)</code>", page)
    assert sorted(named) == ["consultation", "position", "published_at", "title"]
    assert _count(PortfolioPriority) == 0


def test_a_formula_or_a_bad_number_does_not_hide_the_rows_other_problems(client, login_as):
    """A cell that starts like a formula, or a revision that is no number, stopped the check
    of its row: the other problems showed one import at a time. Each cell is named once."""
    login_as("core_team")
    row = CSV_ROW.format(title="=HYPERLINK(x)").replace(
        "00000000-0000-4000-8000-000000000001,1,", "not-a-uuid,abc,")
    page = _upload(client, (CSV_HEADER + row).encode(), "x.csv").get_data(as_text=True)
    problems = re.findall(r"Rad 2, <code>(\w+)</code>", page)
    assert sorted(problems) == ["revision", "title_sv", "uuid"]
    assert "formel" in page  # title_sv: for its formula
    assert _count(PortfolioPriority) == 0


def test_an_excel_workbook_is_refused_with_how_to_save_it_as_csv(client, login_as):
    """Excel saves a workbook (.xlsx) unless told otherwise; it was refused as "not UTF-8
    text", which does not say what to do in Excel."""
    login_as("core_team")
    workbook = client.get("/portfolio/export.xlsx").data
    assert workbook.startswith(b"PK")
    response = client.post("/portfolio/import/file?lang=en", data={
        "csrf_token": csrf_token(client, "/portfolio/import"),
        "file": (io.BytesIO(workbook), "prioriteringar.xlsx")},
        content_type="multipart/form-data")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "This is an Excel workbook, not a CSV file." in page
    assert "&#34;CSV UTF-8&#34;" in page
    assert "not UTF-8 text" not in page
    assert _count(PortfolioPriority) == 0


def test_a_50_mb_file_is_refused_with_the_size_limit(client, login_as):
    login_as("core_team")
    response = _upload(client, b"x" * (50 * 1024 * 1024), "huge.json")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Filen är större än 1 MB" in page
    assert _count(PortfolioPriority) == 0


def test_the_size_limit_is_written_with_a_decimal_comma_on_a_swedish_page(
        client, login_as, app, monkeypatch):
    monkeypatch.setitem(app.config, "PORTFOLIO_IMPORT_MAX_BYTES", 1_500_000)
    login_as("core_team")
    assert "högst 1,5 MB" in client.get("/portfolio/import").get_data(as_text=True)
    refused = _upload(client, b"x" * 1_600_000, "big.json").get_data(as_text=True)
    assert "Filen är större än 1,5 MB" in refused
    assert "1.5" not in refused


def test_a_file_just_over_the_import_limit_is_refused(client, login_as, app):
    login_as("core_team")
    doc = _valid_doc()
    doc["padding"] = "x" * app.config["PORTFOLIO_IMPORT_MAX_BYTES"]
    response = _upload(client, json.dumps(doc).encode(), "big.json")
    assert response.status_code == 422
    assert "Filen är större än" in response.get_data(as_text=True)


def test_utf8_with_a_byte_order_mark_and_a_csv_from_excel_import(client, login_as):
    login_as("core_team")
    data = ("\ufeff" + CSV_HEADER + CSV_ROW.format(title="Läxhjälp")).encode("utf-8")
    response = _upload(client, data, "excel.csv")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert db.session.scalar(select(PortfolioPriority.title)) == {"sv": "Läxhjälp"}


@pytest.mark.parametrize("separator", [";", ","])
def test_a_csv_with_semicolons_or_commas_and_a_byte_order_mark_imports(
        client, login_as, separator):
    """Excel saves ";" with Swedish settings and "," with English ones; a decimal is read
    with a comma or a point."""
    login_as("core_team")
    mark = "," if separator == ";" else "."
    header = CSV_HEADER.strip().split(",") + ["agreement", "challenge_areas"]
    row = CSV_ROW.format(title="Läxhjälp").strip().split(",") + [f"0{mark}75",
                                                                   "health;safety"]
    out = io.StringIO()
    csv.writer(out, delimiter=separator).writerows([header, row])
    response = _upload(client, ("\ufeff" + out.getvalue()).encode("utf-8"), "excel.csv")
    assert response.status_code == 200, response.get_data(as_text=True)
    stored = db.session.scalar(select(PortfolioPriority))
    assert stored.title == {"sv": "Läxhjälp"} and stored.figures == {"agreement": 0.75}
    assert stored.challenge_areas == ["health", "safety"]


def test_our_csv_export_is_semicolon_separated_and_imports_back(client, login_as,
                                                                second_app):
    """The exchange CSV opens in Swedish Excel (";", a decimal comma, a byte-order mark) and
    another server imports it as it is, decimal comma included."""
    consultation, made = published_priorities(("Gröna skolgårdar",))
    made[0].figures = dict(made[0].figures or {}, agreement=0.625, participants=12)
    db.session.commit()
    login_as("core_team")
    exported = _export(client, consultation.id, "csv")
    assert exported.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(exported.decode("utf-8")[1:]), delimiter=";"))
    assert [r["title_sv"] for r in rows] == ["Gröna skolgårdar"]
    assert rows[0]["agreement"] == "0,625" and rows[0]["participants"] == "12"

    other = _login_core_team(second_app)
    with second_app.app_context():
        response = _upload(other, exported, "prio.csv")
        assert response.status_code == 200, response.get_data(as_text=True)
        arrived = db.session.scalar(select(PortfolioPriority))
        assert arrived.title["sv"] == "Gröna skolgårdar"
        assert arrived.figures["agreement"] == 0.625 and arrived.figures["participants"] == 12


def test_the_same_uuid_twice_in_one_file_is_refused(client, login_as):
    doc = _valid_doc()
    doc["priorities"][1]["uuid"] = doc["priorities"][0]["uuid"]
    login_as("core_team")
    page = _upload(client, json.dumps(doc).encode(), "x.json").get_data(as_text=True)
    assert "Rad 2, <code>uuid</code>" in page and _count(PortfolioPriority) == 0


def test_no_file_chosen_gets_a_message(client, login_as):
    login_as("core_team")
    token = csrf_token(client, "/portfolio/import")
    response = client.post("/portfolio/import/file", data={"csrf_token": token},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Välj en fil" in response.get_data(as_text=True)


def test_youth_leaders_cannot_import(client, login_as):
    login_as("youth_leader")
    assert client.get("/portfolio/import").status_code == 403
    token = csrf_token(client, "/")
    response = client.post("/portfolio/import/file", data={
        "csrf_token": token, "file": (io.BytesIO(json.dumps(_valid_doc()).encode()), "x.json")},
        content_type="multipart/form-data")
    assert response.status_code == 403
    assert db.session.execute(text("SELECT count(*) FROM portfolio_priorities")).scalar() == 0


@pytest.mark.parametrize("data, filename", [
    ("\ufeff" + CSV_HEADER, "header-only.csv"),
    (CSV_HEADER.replace(",", ";"), "excel.csv"),
    (json.dumps(dict(_valid_doc(), priorities=[])), "empty.json"),
], ids=["csv with a header only", "excel csv with a header only", "json without priorities"])
def test_a_file_without_priorities_says_so_and_imports_nothing(client, login_as, data,
                                                               filename):
    """A CSV with only its header row said "Import done" with all zeros."""
    login_as("core_team")
    events_before = _count(AuditEvent)
    response = client.post("/portfolio/import/file?lang=en", data={
        "csrf_token": csrf_token(client, "/portfolio/import"),
        "file": (io.BytesIO(data.encode("utf-8")), filename)},
        content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The file contains no youth priorities." in page
    assert "Import done" not in page
    assert _count(PortfolioPriority) == 0 and _count(AuditEvent) == events_before


def test_a_too_long_source_in_a_csv_is_refused_with_its_row(client, login_as):
    """The source column of a CSV was cut at 200 characters without a word (a JSON file's
    source name is checked by the schema)."""
    login_as("core_team")
    header = CSV_HEADER.replace("\n", ",source\n")
    row = CSV_ROW.format(title="Läxhjälp").replace("\n", "," + "Medskapa Örebro " * 13 + "\n")
    response = client.post("/portfolio/import/file?lang=en", data={
        "csrf_token": csrf_token(client, "/portfolio/import"),
        "file": (io.BytesIO((header + row).encode()), "x.csv")},
        content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Row 2, <code>source</code>: The text is too long (at most 200 characters)." in page
    assert _count(PortfolioPriority) == 0


def test_a_priority_arrives_with_its_place_in_the_published_ranking(
        client, app, app_ctx, login_as):
    """The youth leaders' list may hold drafts between published priorities; the portfolio
    (and an exported file) gets the ranking the young people see: 1, 2, 3."""
    from app.portfolio import exchange
    from tests import factories

    demo = factories.demo()
    published = db.session.scalars(select(Priority).where(Priority.consultation_id == demo.id)
                                   .order_by(Priority.position)).all()
    assert len(published) >= 3
    for priority in published[1:]:
        priority.position += 1  # a draft goes in at place 2
    db.session.add(Priority(consultation_id=demo.id, title={"sv": "Ett utkast"}, position=2,
                            status="draft"))
    core_member = login_as("core_team")
    exchange.import_here(core_member, None)
    db.session.commit()
    stored = {p.priority_id: p for p in db.session.scalars(select(PortfolioPriority))}
    ranking = list(range(1, len(published) + 1))
    assert [stored[p.id].position for p in published] == ranking
    assert [r["position"] for r in exchange.published_records(demo)] == ranking
    client.get("/lang/en")
    page = client.get(f"/portfolio/priorities/{stored[published[1].id].id}").get_data(
        as_text=True)
    assert "<dt>Place among its consultation’s youth priorities</dt><dd>2</dd>" in page


def test_a_file_cannot_rewrite_a_priority_of_this_server(client, login_as):
    """A leader's export passed around and edited (a higher revision, another title) or one
    carrying a priority unpublished since: this server's own version is what the portfolio
    gets, and the page says so."""
    consultation, made = published_priorities(("Gröna skolgårdar", "Läxhjälp"))
    db.session.commit()
    login_as("core_team")
    doc = json.loads(_export(client, consultation.id, "json"))
    doc["priorities"][0]["revision"] = 7
    doc["priorities"][0]["title"]["sv"] = "Ingen läxhjälp alls"
    priority_service.unpublish(None, made[1])
    db.session.commit()

    page = _upload(client, json.dumps(doc).encode(), "prio.json").get_data(as_text=True)
    assert "1 ny ungdomsprioritering" in page
    assert "1 från den här servern: som den här servern har den nu" in page
    assert "1 från den här servern som inte längre är publicerad här, hoppades över" in page
    stored = db.session.scalars(select(PortfolioPriority)).all()
    assert [(p.uuid, p.revision, p.title["sv"], p.source, p.priority_id) for p in stored] == [
        (made[0].uuid, 1, "Gröna skolgårdar", "local", made[0].id)]
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "portfolio.imported")).one()
    assert event.details["own"] == 1 and event.details["own_unpublished"] == 1
    # The same file again changes nothing.
    again = _upload(client, json.dumps(doc).encode(), "prio.json").get_data(as_text=True)
    assert "1 redan importerad, oförändrad" in again


def test_rows_excel_left_with_only_separators_are_skipped(client, login_as):
    """Excel saves a row whose cells were emptied (not deleted) as ";;;;…", and often a few
    of them below the last priority: the whole file was refused, with six 'empty or
    missing' problems for each such row. An empty row is now skipped like an empty line;
    a row with anything in it is still checked."""
    consultation, made = published_priorities(("Gröna skolgårdar", "Läxhjälp"))
    db.session.commit()
    login_as("core_team")
    lines = _export(client, consultation.id, "csv").decode("utf-8").splitlines()
    empty = ";" * lines[0].count(";")
    data = "\r\n".join([lines[0], lines[1], empty, lines[2], empty, empty + ";;", ""])
    response = _upload(client, data.encode("utf-8"), "excel.csv")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert _count(PortfolioPriority) == 2

    not_empty = empty[:-1] + "x"  # one cell written in: that row is checked
    data = "\r\n".join([lines[0], lines[1], not_empty, ""])
    response = _upload(client, data.encode("utf-8"), "excel.csv")
    assert response.status_code == 422
    assert "Rad 3, uuid" in re.sub(r"<[^>]+>", "", response.get_data(as_text=True))
