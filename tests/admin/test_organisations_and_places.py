"""Organisations (/admin/organisations) and the places young people go to (/admin/places),
as an administrator sets up a coalition that is not the demo."""
import re

from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.coalition.models import Area, Organisation
from app.extensions import db
from tests import factories
from tests.conftest import csrf_token
from tests.participate.helpers import join


def _post(client, path, data):
    return client.post(path, data={"csrf_token": csrf_token(client, path), **data})


def _options(html: str, name: str) -> list[str]:
    select_ = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select_)


def _actions() -> list[str]:
    return db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()


def test_an_admin_adds_an_organisation_and_staff_can_then_belong_to_it(client, login_as):
    login_as("admin")
    added = _post(client, "/admin/organisations",
                  {"name": "  Fryshuset  ", "sector": "civil_society"})
    assert added.status_code == 302
    org = db.session.scalar(select(Organisation).where(Organisation.name == "Fryshuset"))
    assert org.sector == "civil_society"
    page = client.get("/admin/organisations").get_data(as_text=True)
    assert "Fryshuset" in page
    assert "Fryshuset" in _options(client.get("/admin/users").get_data(as_text=True),
                                   "organisation_id")
    # Same name in other letters: refused, with what was typed kept.
    again = _post(client, "/admin/organisations?lang=en",
                  {"name": "FRYSHUSET", "sector": "business"})
    assert again.status_code == 200
    html = again.get_data(as_text=True)
    assert "There is already an organisation with this name." in html
    assert 'value="FRYSHUSET"' in html
    assert db.session.scalar(select(func.count(Organisation.id)).where(
        func.lower(Organisation.name) == "fryshuset")) == 1

    changed = _post(client, f"/admin/organisations/{org.id}",
                    {"name": "Fryshuset Malmö", "sector": "business"})
    assert changed.status_code == 302
    db.session.expire_all()
    org = db.session.get(Organisation, org.id)
    assert (org.name, org.sector) == ("Fryshuset Malmö", "business")
    assert _actions()[-2:] == ["organisation.created", "organisation.changed"]


def test_bad_organisation_input_gets_a_message_not_an_error_page(client, login_as):
    login_as("admin")
    for data, message in [
            ({"name": "\u200b ", "sector": "public"}, "Write the name."),
            ({"name": "x" * 201, "sector": "public"}, "at most 200 characters"),
            ({"name": "Skola\u202e", "sector": "public"}, "hidden character"),
            ({"name": "Skolan", "sector": "government"}, "Choose one of the choices in the list."),
    ]:
        response = _post(client, "/admin/organisations?lang=en", data)
        assert response.status_code == 200, data
        assert message in response.get_data(as_text=True), data
    assert db.session.scalar(select(func.count(Organisation.id))) == 1  # the admin's own


def test_an_admin_builds_the_places_and_young_people_choose_theirs(client, login_as, app):
    login_as("admin")
    _post(client, "/admin/places", {"name": "Göteborg", "kind": "municipality", "parent_id": ""})
    city = db.session.scalar(select(Area).where(Area.name == "Göteborg"))
    _post(client, "/admin/places", {"name": "Angered", "kind": "district", "parent_id": city.id})
    district = db.session.scalar(select(Area).where(Area.name == "Angered"))
    _post(client, "/admin/places", {"name": "Hammarkullsskolan", "kind": "school",
                                    "parent_id": district.id})
    _post(client, "/admin/places", {"name": "Blå Stället", "kind": "club",
                                    "parent_id": district.id})
    school = db.session.scalar(select(Area).where(Area.name == "Hammarkullsskolan"))
    assert school.parent_id == district.id and district.parent_id == city.id

    page = client.get("/admin/places").get_data(as_text=True)
    tree = page.split('class="place-tree"')[1]
    assert tree.index("Göteborg") < tree.index("Angered") < tree.index("Blå Stället") \
        < tree.index("Hammarkullsskolan")
    # Where a place can be: the top, or a municipality or district, with its path.
    assert _options(page, "parent_id")[1:] == ["Göteborg", "Göteborg – Angered"]

    # A youth leader's consultation can now be for the school, grouped by its district.
    form = client.get("/staff/consultations/new").get_data(as_text=True)
    assert "Göteborg – Angered" in form and "Hammarkullsskolan" in form
    assert _actions().count("area.created") == 4


def test_places_follow_the_tree_rules(client, login_as):
    login_as("admin")
    city = Area(name="Malmö", kind="municipality")
    district = Area(name="Rosengård", kind="district", parent=city)
    school = Area(name="Ängsskolan", kind="school", parent=district)
    db.session.add_all([city, district, school])
    db.session.commit()
    rule = "a municipality is at the top"
    for data, message in [
            ({"name": "Lund", "kind": "municipality", "parent_id": city.id}, rule),
            ({"name": "Klass 7B", "kind": "school", "parent_id": school.id}, rule),
            ({"name": "Seved", "kind": "district", "parent_id": district.id}, rule),
            ({"name": "Ängsskolan", "kind": "club", "parent_id": district.id},
             "There is already a place with this name there."),
            ({"name": "", "kind": "school", "parent_id": district.id}, "Write the name."),
            ({"name": "Nya", "kind": "school", "parent_id": "99999"}, rule),
            # Only a municipality is at the top: a school, club or district is in a place.
            ({"name": "Nya", "kind": "school", "parent_id": ""}, rule),
            ({"name": "Nya", "kind": "club", "parent_id": ""}, rule),
            ({"name": "Nya", "kind": "district", "parent_id": ""}, rule),
    ]:
        response = _post(client, "/admin/places?lang=en", data)
        assert response.status_code == 200, data
        assert message in response.get_data(as_text=True), data
    # A district cannot move into itself or a place inside it (not offered, and refused).
    edit = client.get(f"/admin/places/{district.id}").get_data(as_text=True)
    assert _options(edit, "parent_id")[1:] == ["Malmö"]
    cycle = _post(client, f"/admin/places/{city.id}?lang=en",
                  {"name": "Malmö", "kind": "district", "parent_id": district.id})
    assert rule in cycle.get_data(as_text=True)
    # A district holding a school cannot become a school.
    holds = _post(client, f"/admin/places/{district.id}?lang=en",
                  {"name": "Rosengård", "kind": "school", "parent_id": city.id})
    assert "move them first" in holds.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Area.id))) == 3
    assert db.session.get(Area, district.id).kind == "district"
    # Renaming is fine.
    assert _post(client, f"/admin/places/{school.id}", {
        "name": "Ängsskolan F–9", "kind": "school", "parent_id": district.id}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Area, school.id).name == "Ängsskolan F–9"


def test_a_place_in_use_is_kept_and_an_unused_one_is_deleted_after_asking(
        client, app, login_as):
    consultation = factories.demo()  # its schools and clubs, and a young person at one
    area = consultation.areas[0]
    phone = app.test_client()
    join(phone, area=str(area.id))
    login_as("admin")
    page = client.get(f"/admin/places/{area.id}/delete?lang=en").get_data(as_text=True)
    assert "1 consultation is for it" in page and "1 young person said it is theirs" in page
    assert "Yes" not in page and 'name="confirm"' not in page
    refused = client.post(f"/admin/places/{area.id}/delete",
                          data={"csrf_token": csrf_token(client, "/admin/places")})
    assert refused.status_code == 302
    assert db.session.get(Area, area.id) is not None

    spare = Area(name="Nedlagda skolan", kind="school", parent=area.parent)
    db.session.add(spare)
    db.session.commit()
    spare_id = spare.id
    ask = client.get(f"/admin/places/{spare.id}/delete?lang=en").get_data(as_text=True)
    assert "Delete Nedlagda skolan?" in ask and 'name="confirm"' in ask
    no_token = client.post(f"/admin/places/{spare.id}/delete", data={"confirm": "1"})
    assert no_token.status_code == 400
    done = client.post(f"/admin/places/{spare.id}/delete",
                       data={"csrf_token": csrf_token(client, "/admin/places"), "confirm": "1"})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Area, spare_id) is None
    assert "area.deleted" in _actions()


def test_only_admins_manage_organisations_and_places(client, login_as):
    place = Area(name="Malmö", kind="municipality")
    db.session.add(place)
    db.session.commit()
    for role in ("youth_leader", "core_team"):
        login_as(role)
        for path in ("/admin/organisations", "/admin/places", f"/admin/places/{place.id}",
                     f"/admin/places/{place.id}/delete"):
            assert client.get(path).status_code == 403, (role, path)
        client.post("/logout", data={"csrf_token": csrf_token(client, "/staff")})
    assert client.get("/admin/places/99999").status_code in (302, 401)
