"""The portfolio pages: overview, initiatives, imports, links and decision rounds.
Everyone on staff reads; only the core team (and admins) change anything or vote."""
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import RequestEntityTooLarge

from app.consultations.access import consultation_or_404
from app.consultations.forms import CHANGED_MEANWHILE
from app.consultations.services import missing_languages
from app.core import once
from app.core.errors import Conflict, Forbidden
from app.core.roles import Role, role_required
from app.core.text import one_newline, whole_number
from app.errors import render_error
from app.extensions import db
from app.i18n import LANGUAGES, localized
from app.portfolio import bp, exchange, exports, services
from app.portfolio.models import (
    Choice,
    DecisionRound,
    InitiativeStatus,
    Vocabulary,
)

READERS = (Role.CORE_TEAM, Role.YOUTH_LEADER)


@bp.after_request
def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(exc):
    """A file over the request limit never reaches the import: say so on the import page."""
    if request.endpoint == "portfolio.import_file":
        return _import_page(problems=[exchange.Problem(
            "too_large", detail={"limit": current_app.config["PORTFOLIO_IMPORT_MAX_BYTES"]})]), 413
    # Any other portfolio form: the app's own 413 page (returning `exc` showed Werkzeug's
    # bare English page).
    return render_error(413)


def _may_change() -> bool:
    return current_user.role in (Role.CORE_TEAM, Role.ADMIN)


# --- overview -------------------------------------------------------------------------------

@bp.get("/portfolio")
@role_required(*READERS)
def overview():
    services.close_due_rounds()
    db.session.commit()
    data = services.overview()
    return render_template(
        "portfolio/overview.html", data=data, may_change=_may_change(),
        outcomes=services.latest_outcomes([i.id for i in data.initiatives]),
        days_waiting=services.days_waiting,
        available=len(exchange.importable_here()) if _may_change() else 0)


# --- initiatives ----------------------------------------------------------------------------

@bp.get("/portfolio/initiatives/<int:initiative_id>")
@role_required(*READERS)
def initiative(initiative_id: int):
    services.close_due_rounds()
    db.session.commit()
    return _initiative_page(services.initiative_or_404(initiative_id))


def _initiative_page(found, draft: dict | None = None,
                     unsaved: list[tuple[str, str]] | None = None):
    """The initiative's page; `draft` is what a refused vote or round form held, shown
    again so that nothing typed is lost; `unsaved` (label, text) what was typed in a form
    the page no longer shows, to copy."""
    rounds = services.rounds(found)
    current = next((r for r in rounds if services.is_open(r)), None)
    mine = next((v for v in current.votes if v.user_id == current_user.id), None) \
        if current else None
    behind = services.priorities_of(found)
    return render_template(
        "portfolio/initiative.html", initiative=found, rounds=rounds, current=current,
        mine=mine, priorities=behind, may_change=_may_change(),
        consultations_behind=services.consultations_behind(behind),
        counts=_counts, choices=list(Choice), draft=draft or {}, unsaved=unsaved,
        text_max=services.TEXT_MAX)


def _too_late(found, message: str, texts: list[tuple[str, str]]):
    """A form whose round is gone: the page (which no longer has that form) with the
    message and what was typed, or the usual redirect when nothing was typed."""
    flash(message, "error")
    typed = [(label, text) for label, text in texts if text.strip()]
    if not typed:
        return redirect(url_for("portfolio.initiative", initiative_id=found.id) + "#decision")
    return _initiative_page(found, unsaved=typed), 409


def _refused(found, message: str):
    """A form on the initiative's page was refused: the page again, with what was typed."""
    db.session.rollback()
    flash(message, "error")
    return _initiative_page(found, draft=request.form), 422


def _counts(round_: DecisionRound) -> dict[str, int]:
    counts = {c.value: 0 for c in Choice}
    for v in round_.votes:
        counts[v.choice] += 1
    return counts


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _ids(name: str) -> list[int]:
    return [n for v in request.form.getlist(name) if (n := whole_number(v)) is not None]


@bp.route("/portfolio/initiatives/new", methods=["GET", "POST"], defaults={"initiative_id": None})
@bp.route("/portfolio/initiatives/<int:initiative_id>/edit", methods=["GET", "POST"])
@role_required(Role.CORE_TEAM)
def initiative_edit(initiative_id: int | None):
    found = services.initiative_or_404(initiative_id) if initiative_id else None
    # "Propose a new initiative" from a youth priority: this form, filled in from it, and
    # linked to it once saved.
    source_id = request.values.get("from_priority", type=int) if found is None else None
    source = services.priority_or_404(source_id) if source_id else None
    error, form = None, request.form if request.method == "POST" else None
    seen = services.initiative_fingerprint(found) if found is not None else ""
    status = 200
    if source is not None and form is None:
        form = MultiDict(services.proposal_from(source))
        form["owner_id"] = str(current_user.organisation_id or "")
    if request.method == "POST":
        starts, ends = request.form.get("starts_on", ""), request.form.get("ends_on", "")
        owner = request.form.get("owner_id", "").strip()
        data = services.InitiativeData(
            title={c: request.form.get(f"title_{c}", "") for c in LANGUAGES},
            # A line break counts once, as the page's maxlength counts it (sent as CR LF).
            description={c: one_newline(request.form.get(f"description_{c}", ""))
                         for c in LANGUAGES},
            status=request.form.get("status", ""),
            owner_id=(whole_number(owner) or 0) if owner else None,
            term_ids=_ids("term"), challenge_area_ids=_ids("challenge_area"),
            partner_ids=_ids("partner"), starts_on=_date(starts), ends_on=_date(ends))
        if found is not None and request.form.get("seen", seen) != seen:
            # Saved elsewhere since this form was filled: saving would undo that unseen. The
            # form comes back as typed with the new fingerprint, so Save again saves it.
            error, status = str(CHANGED_MEANWHILE), 409
        elif (starts and data.starts_on is None) or (ends and data.ends_on is None):
            error = _("Write dates as YYYY-MM-DD.")
        elif not once.already_saved(_("Save")):  # (a new one's form only: see once.py)
            try:
                found = services.save_initiative(current_user, found, data)
            except services.Invalid as exc:
                error = {"title": _("Write a title in Swedish."),
                         "title_long": _("The title is too long (at most %(limit)s "
                                         "characters).", limit=services.TITLE_MAX),
                         "description_long": _("The description is too long (at most "
                                               "%(limit)s characters).",
                                               limit=services.DESCRIPTION_MAX),
                         "dates": _("The end date is before the start date."),
                         "owner": _("Choose the owner from the list."),
                         "text": _("The text has a hidden character we cannot save. "
                                   "Please type it again."),
                         }.get(str(exc), _("Choose a status."))
            else:
                if source is not None:
                    services.link(current_user, source, found)
                once.saved(url_for("portfolio.initiative", initiative_id=found.id))
                db.session.commit()
                flash(_("The initiative is saved."), "success")
                return redirect(url_for("portfolio.initiative", initiative_id=found.id))
    return render_template(
        "portfolio/initiative_edit.html", initiative=found, error=error, form=form,
        source=source, seen=seen,
        languages=LANGUAGES.values(), statuses=list(InitiativeStatus),
        kinds=services.terms(Vocabulary.KIND),
        potentials=services.terms(Vocabulary.CHANGE_POTENTIAL),
        areas=services.challenge_areas(), organisations=services.organisations(),
        title_max=services.TITLE_MAX, description_max=services.DESCRIPTION_MAX), status


# --- decisions ------------------------------------------------------------------------------

def _closing_moment(value: str) -> datetime | None:
    """A closing date means the end of that day where the coalition is."""
    day = _date(value)
    if day is None:
        return None
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return datetime.combine(day, time(23, 59), zone)


@bp.post("/portfolio/initiatives/<int:initiative_id>/rounds")
@role_required(Role.CORE_TEAM)
def open_round(initiative_id: int):
    found = services.initiative_or_404(initiative_id)
    closes = request.form.get("closes_on", "")
    closes_at = _closing_moment(closes)
    if closes and closes_at is None:
        return _refused(found, _("Write dates as YYYY-MM-DD."))
    try:
        services.open_round(current_user, found, request.form.get("proposal", ""), closes_at)
    except Conflict:
        db.session.rollback()
        return _too_late(found, _("A decision round is already open."),
                         [(_("What is decided"), request.form.get("proposal", ""))])
    except services.Invalid as exc:
        return _refused(found, {
            "proposal": _("Write what is decided."),
            "proposal_long": _("The text under “What is decided” is too long (at most "
                               "%(limit)s characters).", limit=services.TEXT_MAX),
            "text": _("The text has a hidden character we cannot save. Please type it again."),
        }.get(str(exc), _("The closing date must be in the future.")))
    else:
        db.session.commit()
        flash(_("The decision round is open. Every core team member can now vote."),
              "success")
    return redirect(url_for("portfolio.initiative", initiative_id=found.id))


def _round_or_404(initiative_id: int, round_id: int) -> DecisionRound:
    round_ = db.session.get(DecisionRound, round_id)
    if round_ is None or round_.initiative_id != initiative_id:
        abort(404)
    return round_


@bp.post("/portfolio/initiatives/<int:initiative_id>/rounds/<int:round_id>/vote")
@role_required(Role.CORE_TEAM)
def vote(initiative_id: int, round_id: int):
    round_ = _round_or_404(initiative_id, round_id)
    services.close_due_rounds()
    try:
        services.vote(current_user, round_, request.form.get("choice", ""),
                      changes=request.form.get("changes", ""),
                      comment=request.form.get("comment", ""))
    except Conflict:
        db.session.commit()
        return _too_late(services.initiative_or_404(initiative_id),
                         _("The round has closed; your vote was not counted."),
                         [(_("What must change (for C)"), request.form.get("changes", "")),
                          (_("Comment"), request.form.get("comment", ""))])
    except services.Invalid as exc:
        return _refused(services.initiative_or_404(initiative_id), {
            "changes": _("Write what must change for C."),
            "changes_not_c": _("What must change is kept only with C. Choose C, or empty "
                               "that field (a reason can go in the comment)."),
            "changes_long": _("The text under “What must change” is too long (at most "
                              "%(limit)s characters).", limit=services.TEXT_MAX),
            "comment_long": _("The comment is too long (at most %(limit)s characters).",
                              limit=services.TEXT_MAX),
            "text": _("The text has a hidden character we cannot save. Please type it again."),
        }.get(str(exc), _("Choose A, B or C.")))
    else:
        db.session.commit()
        flash(_("Your vote is saved. You can change it until the round closes."), "success")
    return redirect(url_for("portfolio.initiative", initiative_id=initiative_id) + "#decision")


@bp.post("/portfolio/initiatives/<int:initiative_id>/rounds/<int:round_id>/close")
@role_required(Role.CORE_TEAM)
def close_round(initiative_id: int, round_id: int):
    round_ = _round_or_404(initiative_id, round_id)
    counts = _counts(round_)
    seen = "".join(f"{choice}{n}" for choice, n in sorted(counts.items()))
    try:
        # Closing fixes the outcome for good and ends the voting: one tap beside "Save my
        # vote" must not do it, so ask first, with what the outcome would be; and again if
        # someone voted after that was shown, so the outcome closed is the one agreed to.
        changed = request.form.get("confirm") == "1" and request.form.get("seen", seen) != seen
        if request.form.get("confirm") != "1" or changed:
            services.check_may_close(current_user, round_)
            return render_template(
                "portfolio/confirm_close.html", round_=round_,
                initiative=services.initiative_or_404(initiative_id), counts=counts,
                outcome=services.outcome_of(round_.votes), seen=seen,
                changed=changed), 409 if changed else 200
        services.close_round(current_user, round_)
    except Conflict:
        flash(_("The round has already closed."), "error")
    except Forbidden:
        abort(403)
    else:
        db.session.commit()
        flash(_("The round is closed."), "success")
    return redirect(url_for("portfolio.initiative", initiative_id=initiative_id) + "#decision")


# --- imported priorities and links ----------------------------------------------------------

@bp.get("/portfolio/priorities/<int:priority_id>")
@role_required(*READERS)
def priority(priority_id: int):
    found = services.priority_or_404(priority_id)
    linked = {li.initiative_id for li in found.links}
    return render_template(
        "portfolio/priority.html", priority=found, may_change=_may_change(),
        candidates=[i for i in services.initiatives() if i.id not in linked],
        days_waiting=services.days_waiting, source=services.source_of(current_user, found),
        withdrawn=bool(services.withdrawn(found)))


@bp.post("/portfolio/priorities/<int:priority_id>/links")
@role_required(Role.CORE_TEAM)
def link(priority_id: int):
    found = services.priority_or_404(priority_id)
    # Back to where the form was: the overview's unanswered list, or the priority's page.
    back = (url_for("portfolio.overview") if request.form.get("next") == "overview"
            else url_for("portfolio.priority", priority_id=found.id))
    target = whole_number(request.form.get("initiative_id", ""))
    if target is None:
        flash(_("Choose an initiative."), "error")
        return redirect(back)
    initiative = services.initiative_or_404(target)
    services.link(current_user, found, initiative)
    db.session.commit()
    flash(_("Linked to %(initiative)s.", initiative=localized(initiative.title)), "success")
    return redirect(back)


@bp.post("/portfolio/priorities/<int:priority_id>/links/<int:initiative_id>/delete")
@role_required(Role.CORE_TEAM)
def unlink(priority_id: int, initiative_id: int):
    found = services.priority_or_404(priority_id)
    if services.unlink(current_user, found, initiative_id):
        db.session.commit()
        flash(_("The link is removed."), "success")
    else:
        flash(_("This link has already been removed."), "info")
    return redirect(url_for("portfolio.priority", priority_id=found.id))


# --- import ---------------------------------------------------------------------------------

def _import_page(problems=None, outcome=None, filename=None):
    available = exchange.importable_here()
    return render_template(
        "portfolio/import.html", available=available, problems=problems,
        consultations=exchange.consultations_of([p for p, _ in available]),
        outcome=outcome, filename=filename, describe=describe_problem,
        limit_mb=megabytes(current_app.config["PORTFOLIO_IMPORT_MAX_BYTES"]))


def megabytes(size: int) -> str:
    """A size in MB as the page's language writes it: "1", "1,5" in Swedish."""
    return format_decimal(size / 1_000_000, format="0.#")


@bp.get("/portfolio/import")
@role_required(Role.CORE_TEAM)
def import_page():
    return _import_page()


@bp.post("/portfolio/import/here")
@role_required(Role.CORE_TEAM)
def import_here():
    chosen = None if request.form.get("all") else _ids("priority")
    if chosen == []:
        flash(_("Choose at least one priority."), "error")
        return redirect(url_for("portfolio.import_page"))
    outcome = exchange.import_here(current_user, chosen)
    db.session.commit()
    return _import_page(outcome=outcome)


@bp.post("/portfolio/import/file")
@role_required(Role.CORE_TEAM)
def import_file():
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _import_page(problems=[exchange.Problem("no_file")]), 400
    limit = current_app.config["PORTFOLIO_IMPORT_MAX_BYTES"]
    data = upload.stream.read(limit + 1)  # never more than the limit in memory
    # Only a label (on the page, in the audit log, the source of a CSV without one): a
    # browser may send a long name; cut to what PortfolioPriority.source holds.
    filename = upload.filename[:exchange.SOURCE_MAX]
    try:
        source, records = exchange.parse(data, filename, limit)
    except exchange.ImportRefused as refused:
        db.session.rollback()
        return _import_page(problems=refused.problems, filename=filename), 422
    outcome = exchange.apply(records, source=source, user=current_user, filename=filename)
    db.session.commit()
    return _import_page(outcome=outcome, filename=filename)


def describe_problem(problem: exchange.Problem) -> str:
    """A problem in the user's language: where it is, and what is expected."""
    d = problem.detail
    messages = {
        "too_large": lambda: _("The file is larger than %(mb)s MB. Export fewer priorities "
                               "at a time.", mb=megabytes(d["limit"])),
        "empty": lambda: _("The file is empty."),
        "no_priorities": lambda: _("The file contains no youth priorities. Export it from "
                                   "a consultation that has published priorities."),
        "no_file": lambda: _("Choose a file to import."),
        "workbook": lambda: _("This is an Excel workbook, not a CSV file. In Excel, choose "
                              "\"Save as\" and \"CSV UTF-8\", then import that file."),
        "encoding": lambda: _("The file is not UTF-8 text. Save it as UTF-8 (in Excel: "
                              "\"CSV UTF-8\") and try again."),
        "invalid_json": lambda: _("The file is not valid JSON (line %(line)s, column "
                                  "%(column)s).", line=d["line"], column=d["column"]),
        "wrong_format": lambda: _("This is not a Medskapa priorities file (\"format\" must "
                                  "be \"medskapa-priorities\")."),
        "unknown_version": lambda: _("The file is version %(version)s of the format; this "
                                     "server reads version %(supported)s. Export it again "
                                     "from an up-to-date Medskapa.", **d),
        "missing_column": lambda: _("The column is missing. Expected columns include: "
                                    "%(expected)s.", expected=d["expected"]),
        "extra_cells": lambda: _("The row has more cells than the header has columns."),
        "separator": lambda: _("The columns are separated by tabs. Save the file as CSV "
                               "(in Excel: \"CSV UTF-8\"), with semicolons or commas."),
        "formula": lambda: _("The cell starts like a spreadsheet formula (=, +, -, @). "
                             "Remove that character, or put ' in front of it."),
        "missing": lambda: _("This field is empty or missing."),
        "integer": lambda: _("Write a whole number."),
        "number": lambda: _("Write a number, e.g. 0.75."),
        "type": lambda: _("The value has the wrong type (expected %(expected)s).",
                          expected=", ".join(d["expected"]) if isinstance(d["expected"], list)
                          else d["expected"]),
        "pattern": lambda: _("The value has the wrong form; expected e.g. %(expected)s.",
                             expected=d["expected"]),
        "propertyNames": lambda: _("Use language codes as keys, e.g. %(expected)s.",
                                   expected=d["expected"]),
        "maxLength": lambda: _("The text is too long (at most %(limit)s characters).",
                               limit=d["limit"]),
        "maxItems": lambda: _("Too many entries (at most %(limit)s).", limit=d["limit"]),
        "minimum": lambda: _("The number is too small (at least %(limit)s).", limit=d["limit"]),
        "maximum": lambda: _("The number is too large (at most %(limit)s).", limit=d["limit"]),
        "additionalProperties": lambda: _("Unknown fields: %(names)s.", names=d["names"]),
        "date": lambda: _("Write a date and time like 2026-05-31T14:00:00+02:00."),
        "text": lambda: _("The text has a hidden character (a control or writing-direction "
                          "character) that cannot be imported. Remove it and try again."),
        "duplicate": lambda: _("The same UUID is already in priority %(first)s.",
                               first=d["first"]),
    }
    return messages.get(problem.code, lambda: _("The value is not valid."))()


# --- export ---------------------------------------------------------------------------------

@bp.get("/portfolio/export.<fmt>")
@role_required(*READERS)
def export(fmt: str):
    if fmt not in exports.FORMATS:
        abort(404)
    body, mimetype = exports.render(fmt)
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="medskapa-portfolio.{fmt}"'})


@bp.get("/results/c/<int:consultation_id>/priorities.<fmt>")
@role_required(Role.YOUTH_LEADER, Role.CORE_TEAM)
def export_priorities(consultation_id: int, fmt: str):
    """The exchange file of a consultation's published priorities, for another server."""
    if fmt not in ("json", "csv"):
        abort(404)
    consultation = consultation_or_404(current_user, consultation_id)
    doc = exchange.document(exchange.published_records(consultation),
                            current_app.config["INSTANCE_NAME"],
                            current_app.config["PUBLIC_URL"])
    if fmt == "json":
        body, mimetype = exchange.to_json(doc), "application/json"
    else:
        body, mimetype = exchange.to_csv(doc), "text/csv"
    name = f"medskapa-priorities-{consultation.join_code}.{fmt}"
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


# --- the lists admins extend ----------------------------------------------------------------

def _typed_names() -> dict:
    return {code: request.form.get(f"name_{code}", "") for code in LANGUAGES}


def _list_error(exc: services.Invalid) -> str:
    return {"name": _("Write the name in Swedish."),
            "name_long": _("The name is too long (at most %(limit)s characters).",
                           limit=services.NAME_MAX),
            "exists": _("That entry already exists."),
            "text": _("The text has a hidden character we cannot save. "
                      "Please type it again.")}.get(str(exc), _("Choose a list."))


@bp.route("/portfolio/lists", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def lists():
    error = None
    if request.method == "POST":
        try:
            services.add_term(current_user, request.form.get("vocabulary", ""), _typed_names())
        except services.Invalid as exc:
            error = _list_error(exc)
        else:
            db.session.commit()
            flash(_("Added."), "success")
            return redirect(url_for("portfolio.lists"))
    return render_template(
        "portfolio/lists.html", error=error, kinds=services.terms(Vocabulary.KIND),
        potentials=services.terms(Vocabulary.CHANGE_POTENTIAL),
        areas=services.challenge_areas(), name_max=services.NAME_MAX,
        names=_typed_names() if error else {}, missing_languages=missing_languages)


@bp.route("/portfolio/lists/<vocabulary>/<int:term_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_term(vocabulary: str, term_id: int):
    """An entry's names in every language: the lists are shown to young people (challenge
    areas) and to staff in their language."""
    term = services.term_or_404(vocabulary, term_id)
    error = None
    if request.method == "POST":
        try:
            services.rename_term(current_user, vocabulary, term, _typed_names())
        except services.Invalid as exc:
            db.session.rollback()
            error = _list_error(exc)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("portfolio.lists") + f"#term-{vocabulary}-{term.id}")
    return render_template(
        "portfolio/term_edit.html", term=term, vocabulary=vocabulary, error=error,
        name_max=services.NAME_MAX, names=_typed_names() if error else term.names)


def plural_days(n: int) -> str:
    return ngettext("%(num)s day", "%(num)s days", n)


bp.add_app_template_global(plural_days)
