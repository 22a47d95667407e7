"""Automatic flags where they matter: on arrival, in the queue, and for the child."""
import re

from sqlalchemy import select

from app.extensions import db
from app.participate.models import Contribution
from tests import factories
from tests.conftest import csrf_token
from tests.participate.helpers import answer, join

WORRY = "Min pappa slår mig när han är full och jag vill inte gå hem"


def send_idea(app, consultation, text, key="k"):
    phone = app.test_client()
    join(phone)
    n = factories.questions_by_kind(consultation)["idea"][0]
    response = answer(phone, consultation.id, n, {"text": text, "client_key": key})
    return phone, response


def test_flagged_text_is_never_auto_published_under_post_moderation(app, app_ctx):
    consultation = factories.demo()
    consultation.moderation = "post"
    db.session.commit()
    send_idea(app, consultation, "Ring mig på 070-123 45 67 så fixar vi det", "a")
    send_idea(app, consultation, "Fler bänkar på skolgården", "b")
    rows = {c.text[:4]: c for c in db.session.scalars(select(Contribution))}
    assert rows["Ring"].status == "pending"
    assert rows["Ring"].flags and rows["Ring"].flags[0]["kind"] == "phone"
    assert rows["Fler"].status == "approved"


def test_safeguarding_text_shows_the_child_where_to_get_help(app, app_ctx):
    consultation = factories.demo()
    phone, response = send_idea(app, consultation, WORRY)
    assert response.status_code == 302 and "/help" in response.headers["Location"]
    page = phone.get(response.headers["Location"]).get_data(as_text=True)
    assert "Du är inte ensam" in page
    assert '<a dir="ltr" href="tel:116111">116 111</a>' in page  # kept left to right in RTL
    assert '<a dir="ltr" href="tel:112">112</a>' in page
    stored = db.session.scalar(select(Contribution))
    assert stored.safeguarding and stored.status == "pending"


def test_safeguarding_help_also_reaches_the_page_script(app, app_ctx):
    consultation = factories.demo()
    phone = app.test_client()
    join(phone)
    n = factories.questions_by_kind(consultation)["idea"][0]
    response = answer(phone, consultation.id, n, {"text": WORRY, "client_key": "j"}, json=True)
    body = response.get_json()
    assert body["status"] == "needs_help" and "/help" in body["next"]


def test_safeguarding_goes_first_in_the_queue_is_counted_and_never_published(
        client, app, app_ctx, login_as):
    consultation = factories.demo()
    send_idea(app, consultation, "Fler bänkar", "1")
    send_idea(app, consultation, WORRY, "2")
    login_as("youth_leader", organisation=consultation.organisation)
    html = client.get(f"/moderate/c/{consultation.id}").get_data(as_text=True)
    assert html.index("Min pappa slår mig") < html.index("Fler bänkar")
    assert "1 text kan handla om ett barn som inte är tryggt" in html
    assert "rutin för barnskydd" in html
    assert "Kan handla om ett barn som inte är tryggt" in html  # the flag explains itself
    item = db.session.scalar(select(Contribution).where(Contribution.safeguarding.is_(True)))
    response = client.post(f"/moderate/items/{item.id}/approve",
                           data={"csrf_token": csrf_token(client, "/moderate/"),
                                 "version": item.version}, follow_redirects=True)
    assert "publiceras aldrig" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Contribution, item.id).status == "pending"


def test_child_protection_notice_is_configurable(client, app, app_ctx, login_as):
    consultation = factories.demo()
    send_idea(app, consultation, WORRY)
    login_as("youth_leader", organisation=consultation.organisation)
    app.config["CHILD_PROTECTION_NOTICE"] = "Ring rektor Eva direkt på 010-000 00 00."
    try:
        html = client.get(f"/moderate/c/{consultation.id}").get_data(as_text=True)
    finally:
        app.config["CHILD_PROTECTION_NOTICE"] = None
    assert "Ring rektor Eva direkt" in html


def test_the_notice_names_the_help_line_the_child_was_shown(client, app, app_ctx, login_as):
    consultation = factories.demo()
    send_idea(app, consultation, WORRY)
    login_as("youth_leader", organisation=consultation.organisation)
    saved = {k: app.config[k] for k in ("HELP_LINE_NAME", "HELP_LINE_NUMBER", "EMERGENCY_NUMBER")}
    app.config.update(HELP_LINE_NAME="Kids Helpline", HELP_LINE_NUMBER="1800 55 1800",
                      EMERGENCY_NUMBER="000")
    try:
        html = client.get(f"/moderate/c/{consultation.id}?lang=ar").get_data(as_text=True)
    finally:
        app.config.update(saved)
    # Numbers kept left to right inside Arabic text (116 111 would otherwise read 111 116).
    assert '<bdi dir="ltr">Kids Helpline 1800 55 1800</bdi>' in html
    assert '<bdi dir="ltr">000</bdi>' in html
    assert "BRIS" not in html


def test_a_childs_full_name_waits_for_a_leader_under_post_moderation(app, app_ctx):
    """"jag heter Anna Svensson" was shown to every peer at once; a phone number was not."""
    consultation = factories.demo()
    consultation.moderation = "post"
    db.session.commit()
    send_idea(app, consultation, "Hej jag heter Anna Svensson och vill ha fler bänkar", "a")
    idea = db.session.scalar(select(Contribution))
    assert idea.status == "pending" and idea.flags[0]["kind"] == "name"


def test_personal_data_flag_explains_itself_in_the_queue(client, app, app_ctx, login_as):
    consultation = factories.demo()
    send_idea(app, consultation, "Mejla mig på anna.andersson@example.com")
    login_as("youth_leader", organisation=consultation.organisation)
    html = client.get(f"/moderate/c/{consultation.id}").get_data(as_text=True)
    assert "Ser ut som en e-postadress" in html
    assert "anna.andersson@example.com</li>" not in html  # the flag masks it


def test_a_handled_safeguarding_text_tells_the_child_it_was_read(client, app, app_ctx,
                                                                  login_as):
    consultation = factories.demo()
    phone, _ = send_idea(app, consultation, WORRY, "w")
    _, _ = send_idea(app, consultation, "Fler bänkar", "b")
    worry, plain = db.session.scalars(select(Contribution).order_by(Contribution.id)).all()
    login_as("youth_leader", organisation=consultation.organisation)
    queue = f"/moderate/c/{consultation.id}"
    html = client.get(queue).get_data(as_text=True)
    assert html.count("Hanterad: rutinen följd") == 1  # only on the safeguarding text

    token = csrf_token(client, queue)
    refused = client.post(f"/moderate/items/{plain.id}/hide", follow_redirects=True, data={
        "csrf_token": token, "version": plain.version, "reason": "safeguarding"})
    assert "Välj ett skäl" in refused.get_data(as_text=True)
    done = client.post(f"/moderate/items/{worry.id}/hide", follow_redirects=True, data={
        "csrf_token": token, "version": worry.version, "reason": "safeguarding",
        "next": queue})
    page = done.get_data(as_text=True)
    assert "Markerad som hanterad" in page
    assert "kan handla om ett barn som inte är tryggt" not in page
    db.session.expire_all()
    worry = db.session.get(Contribution, worry.id)
    assert worry.status == "hidden" and worry.hidden_reason == "safeguarding"
    mine = phone.get("/me").get_data(as_text=True)
    assert "En ungdomsledare har läst den." in mine
    assert "ledsen" not in mine  # not a reason for refusing it


def _a_worry_and_an_idea(app, login_as):
    """A consultation with a safeguarding concern and a plain idea, its leader logged in."""
    consultation = factories.demo()
    send_idea(app, consultation, "Fler bänkar", "1")
    send_idea(app, consultation, WORRY, "2")
    login_as("youth_leader", organisation=consultation.organisation)
    worry = db.session.scalar(select(Contribution).where(Contribution.safeguarding.is_(True)))
    plain = db.session.scalar(select(Contribution).where(Contribution.text == "Fler bänkar"))
    return consultation, worry, plain


def test_a_safeguarding_text_cannot_be_merged_out_of_the_queue(client, app, app_ctx, login_as):
    """Merged, a concern would leave the queue and its notice before anyone followed the
    child-protection routine."""
    consultation, worry, plain = _a_worry_and_an_idea(app, login_as)
    queue = client.get(f"/moderate/c/{consultation.id}?lang=en").get_data(as_text=True)
    assert f"/moderate/items/{worry.id}/merge" not in queue
    assert f"/moderate/items/{plain.id}/merge" in queue
    page = client.get(f"/moderate/items/{worry.id}/merge?lang=en").get_data(as_text=True)
    assert "cannot be merged into another idea" in page and 'name="into"' not in page

    response = client.post(f"/moderate/items/{worry.id}/merge?lang=en", data={
        "csrf_token": csrf_token(client, "/moderate/"), "version": worry.version,
        "into": str(plain.id)}, follow_redirects=True)
    assert "cannot be merged into another idea" in response.get_data(as_text=True)
    db.session.expire_all()
    kept = db.session.get(Contribution, worry.id)
    assert kept.merged_into_id is None and kept.status == "pending"
    queue = client.get(f"/moderate/c/{consultation.id}?lang=en").get_data(as_text=True)
    assert "1 text may be about a child who is not safe" in queue


def test_bulk_says_only_what_happened_when_every_text_is_refused(client, app, app_ctx,
                                                                 login_as):
    """Bulk approve of a concern said "0 texts done." beside the refusal."""
    consultation, worry, plain = _a_worry_and_an_idea(app, login_as)

    def bulk(*chosen):
        data = {"csrf_token": csrf_token(client, "/moderate/"), "action": "approve",
                "item": [str(c.id) for c in chosen]}
        for c in chosen:
            data[f"version_{c.id}"] = str(c.version)
        page = client.post("/moderate/bulk?lang=en", data=data, follow_redirects=True).text
        return re.findall(r'<p class="flash flash-[a-z]+">([^<]*)</p>', page)

    assert bulk(worry) == [
        "1 text could not be changed.",
        "A text about a child who may not be safe is never published. Follow your "
        "organisation&#39;s child-protection routine."]
    assert bulk(worry, plain) == [
        "1 text done.", "1 text could not be changed.",
        "A text about a child who may not be safe is never published. Follow your "
        "organisation&#39;s child-protection routine."]
    db.session.expire_all()
    assert db.session.get(Contribution, worry.id).status == "pending"
