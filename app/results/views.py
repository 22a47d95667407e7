from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm import selectinload

from app.audit.services import record
from app.consultations.access import consultation_or_404, may_edit
from app.consultations.forms import CHANGED_MEANWHILE
from app.consultations.models import Consultation, Question, Status
from app.consultations.services import fingerprint, qr_svg
from app.core import once, spreadsheets
from app.core.roles import Role, role_required
from app.core.text import one_newline, whole_number
from app.core.urls import public_url
from app.extensions import csrf, db, limiter
from app.i18n import LANGUAGES
from app.participate import services as participate
from app.portfolio import services as portfolio
from app.results import bp, cache, exports, live, priorities, services
from app.results.models import Priority, PriorityStatus

STAFF = (Role.YOUTH_LEADER, Role.CORE_TEAM)
WITH_QUESTIONS = (selectinload(Consultation.questions).selectinload(Question.options),
                  selectinload(Consultation.areas))


# The results page lists this many statements and ideas per question (the best agreed, the
# newest); the CSV/Excel export has all of them.
RESULTS_PAGE_TOP = 50


@bp.get("/results/c/<int:consultation_id>")
@role_required(*STAFF)
def consultation_results(consultation_id: int):
    consultation = consultation_or_404(current_user, consultation_id, options=WITH_QUESTIONS)

    def count() -> tuple[int, str]:
        return services.participant_count(consultation), render_template(
            "results/_counted.html", consultation=consultation,
            results=services.consultation_results(consultation, top=RESULTS_PAGE_TOP),
            by_age=services.equity(consultation, "age"),
            by_area=services.equity(consultation, "area"),
            min_group=services.MIN_GROUP)

    counted = cache.counted(consultation, str(get_locale()), count,
                            current_app.config["RESULTS_CACHE_SECONDS"],
                            current_app.config["RESULTS_REUSE_FACTOR"])
    participants, body = counted.value
    response = current_app.make_response(render_template(
        "results/results.html", consultation=consultation, participants=participants,
        # Rendered by _counted.html with autoescaping, like any page: only our own HTML.
        body=Markup(body), counted=counted))  # noqa: S704
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/results/c/<int:consultation_id>/opinion-groups")
@role_required(*STAFF)
def opinion_groups(consultation_id: int):
    """Its own page: clustering takes a moment with thousands of voters."""
    consultation = consultation_or_404(current_user, consultation_id, options=WITH_QUESTIONS)
    response = current_app.make_response(render_template(
        "results/opinion_groups.html", consultation=consultation,
        opinion_maps=services.opinion_groups_for(consultation)))
    response.headers["Cache-Control"] = "no-store"
    return response


def _live_consultation(code: str) -> Consultation:
    found = participate.find_by_code(code)
    if found.consultation is None:
        abort(404)
    return consultation_or_404(current_user, found.consultation.id, options=WITH_QUESTIONS)


@bp.get("/live/<code>")
@role_required(*STAFF)
def live_view(code: str):
    consultation = _live_consultation(code)
    join_url = public_url("participate.join", code=consultation.join_code)
    qr = qr_svg(join_url, title=_("QR code for the join link"))
    return render_template("results/live.html", consultation=consultation, qr=qr,
                           join_url=join_url, current=live.live_question(consultation),
                           state=live.state(consultation, str(get_locale())),
                           may_edit=may_edit(current_user, consultation))


def _etagged(tag: str, build):
    """An empty 304 when the client has this version already; otherwise fresh JSON.

    The tag is weak: it names the data, whatever the encoding. A strong one would get the
    encoding appended by Flask-Compress ("…:br"), so it would never match here and every poll
    would build the state again."""
    if request.if_none_match.contains_weak(tag):
        response = current_app.response_class(status=304)
    else:
        response = jsonify(build())
    response.set_etag(tag, weak=True)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/live/<code>/state.json")
@role_required(*STAFF)
@limiter.exempt
def live_state(code: str):
    consultation = _live_consultation(code)
    locale = str(get_locale())
    return _etagged(f"{live.signature(consultation)}-{locale}",
                    lambda: live.state(consultation, locale))


@bp.post("/live/<code>/question")
@role_required(*STAFF)
def live_step(code: str):
    consultation = _live_consultation(code)
    if not may_edit(current_user, consultation):
        abort(403)
    questions = consultation.active_questions()
    if "question" in request.form:
        # The button names its question: a tab opened before questions were moved or
        # removed would otherwise show whichever question now has that number.
        chosen = whole_number(request.form["question"])
        found = [(n, q) for n, q in enumerate(questions, start=1) if q.id == chosen]
        if not found:
            flash(_("That question is no longer in the consultation; the list below is up "
                    "to date."), "info")
            return redirect(url_for("results.live_view", code=consultation.join_code))
        [(n, question)] = found
    else:  # by number (Pause sends none)
        n = request.form.get("n", type=int)
        question = questions[n - 1] if n and 1 <= n <= len(questions) else None
    live.set_live_question(consultation, question)
    record("consultation.live_question", actor=current_user, obj=consultation,
           question_id=question.id if question else None)
    db.session.commit()
    # Back at the button pressed (id="step-n" on the page): a keyboard user goes on from
    # there instead of tabbing through the header again (static/js/live.js focuses it).
    return redirect(url_for("results.live_view", code=consultation.join_code,
                            _anchor=f"step-{n}" if question else "step-pause"))


# --- the phones' side: a waiting screen that follows the projector ---------------------------

@bp.get("/c/<int:consultation_id>/wait")
def waiting(consultation_id: int):
    consultation = participate.load_consultation(consultation_id)
    if consultation is None:
        abort(404)
    if not participate.accepts_answers(consultation):  # ended: nothing more will come
        return redirect(url_for("participate.done", consultation_id=consultation.id))
    # Following the projector from now on: each answer brings the phone back here, to wait
    # for the question the youth leader shows next (app/participate/views.py question()).
    session["follow"] = consultation.id
    current = live.live_question(consultation)
    # Just answered (stay=1, after=the question's id): wait here for the next question,
    # unless the leader has moved on while this phone was answering, to the question it goes
    # to at once. By id, as a question removed or moved meanwhile changes the places.
    answered = request.args.get("after", type=int) if request.args.get("stay") == "1" else None
    if current is not None and (request.args.get("stay") != "1"
                                or answered not in (None, current[1].id)):
        return redirect(url_for("participate.question", consultation_id=consultation.id,
                                n=current[0]))
    shown = answered if answered is not None else (current[1].id if current else "")
    return render_template("results/waiting.html", consultation=consultation,
                           current_id=shown)


@bp.get("/c/<int:consultation_id>/now.json")
@limiter.exempt
@csrf.exempt
def now(consultation_id: int):
    """Which question the projector shows: one small query while nothing changes."""
    shown = live.now_showing(consultation_id)
    if shown is False:
        abort(404)
    question_id, ended = shown
    if ended:  # closed (or past its closing time): the waiting phones are done
        return _etagged("ended", lambda: {"n": None, "url": None, "ended": url_for(
            "participate.done", consultation_id=consultation_id)})

    def build():
        consultation = participate.load_consultation(consultation_id)
        current = live.live_question(consultation)
        return {"n": current[0] if current else None,
                "id": current[1].id if current else None,
                "url": url_for("participate.question", consultation_id=consultation.id,
                               n=current[0]) if current else None}

    return _etagged(f"q{question_id or 0}", build)


# --- youth priorities ------------------------------------------------------------------------

def _editable(consultation_id: int) -> Consultation:
    return consultation_or_404(current_user, consultation_id, edit=True, options=WITH_QUESTIONS)


def _priority_fingerprint(priority: Priority, ideas: set[int] | None = None) -> str:
    if ideas is None:
        ideas = {c.id for c in priority.contributions}
    return fingerprint({"title": priority.title, "summary": priority.summary,
                        "ideas": sorted(ideas)})


def _saved_meanwhile(priority: Priority) -> bool:
    """Whether someone saved this priority since its form was filled in. Its ideas may have
    changed without a save: one deleted by its author, a duplicate merged. The form says
    which ideas it stood on; if the fingerprint matches those, and moderation explains the
    difference, nobody else saved."""
    seen = request.form.get("seen")
    if seen is None or seen == _priority_fingerprint(priority):
        return False
    stood_on = {n for v in request.form.get("stood_on", "").split()
                if (n := whole_number(v)) is not None}
    return (_priority_fingerprint(priority, stood_on) != seen
            or not priorities.only_moderated(stood_on, {c.id for c in priority.contributions}))


def _typed_priority() -> list[tuple[str, str]]:
    """What a priority's form sent, labelled, for a page to copy it from."""
    texts = []
    for name, label in (("title", _("Title")), ("summary", _("Summary in plain words"))):
        for code, language in LANGUAGES.items():
            if (value := request.form.get(f"{name}_{code}", "")).strip():
                texts.append((f"{label} – {language.native_name}", value))
    return texts


def _priority_or_404(consultation: Consultation, priority_id: int):
    priority = db.session.get(Priority, priority_id)
    if priority is None or priority.consultation_id != consultation.id:
        abort(404)
    return priority


@bp.get("/results/c/<int:consultation_id>/priorities")
@role_required(*STAFF)
def priorities_page(consultation_id: int):
    consultation = consultation_or_404(current_user, consultation_id, options=WITH_QUESTIONS)
    found = priorities.for_consultation(consultation.id, with_ideas=True)
    return render_template("results/priorities.html", consultation=consultation,
                           priorities=found, may_edit=may_edit(current_user, consultation),
                           in_portfolio=portfolio.imported_as([p.id for p in found]),
                           days_waiting=portfolio.days_waiting)


@bp.route("/results/c/<int:consultation_id>/priorities/new", methods=["GET", "POST"],
          defaults={"priority_id": None})
@bp.route("/results/c/<int:consultation_id>/priorities/<int:priority_id>",
          methods=["GET", "POST"])
@role_required(Role.YOUTH_LEADER)
def priority_edit(consultation_id: int, priority_id: int | None):
    consultation = _editable(consultation_id)
    if priority_id and request.method == "POST" and db.session.get(Priority, priority_id) is None:
        # Deleted in another tab while this one was being edited: what was typed is shown
        # to copy, not lost behind a "page not found".
        return render_template(
            "errors/unsaved.html", consultation=None, unsaved=_typed_priority(),
            back_url=url_for(".priorities_page", consultation_id=consultation.id),
            message=_("This youth priority has already been deleted.")), 409
    priority = _priority_or_404(consultation, priority_id) if priority_id else None
    seen = _priority_fingerprint(priority) if priority else ""
    error = None
    if priority and request.method == "POST" and _saved_meanwhile(priority):
        # Saved elsewhere since this form was filled: saving would undo that unseen. The
        # form comes back as typed with the new fingerprint, so Save again saves it.
        error = str(CHANGED_MEANWHILE)
    elif request.method == "POST" and not once.already_saved(_("Save")):
        title = {code: request.form.get(f"title_{code}", "") for code in LANGUAGES}
        summary = {code: one_newline(request.form.get(f"summary_{code}", ""))
                   for code in LANGUAGES}
        ideas = [n for v in request.form.getlist("idea") if (n := whole_number(v)) is not None]
        revision = priority.revision if priority is not None else None
        try:
            saved = priorities.save(current_user, consultation, priority, title=title,
                                    summary=summary, idea_ids=ideas)
        except priorities.PriorityInvalid as exc:
            error = {
                "text": _("The text has a hidden character we cannot save. Please type it "
                          "again."),
                "title_long": _("The title is too long (at most %(limit)s characters).",
                                limit=priorities.TITLE_MAX),
                "summary_long": _("The summary is too long (at most %(limit)s characters).",
                                  limit=priorities.SUMMARY_MAX),
            }.get(str(exc), _("Write a title in Swedish."))
        else:
            once.saved(url_for("results.priorities_page", consultation_id=consultation.id,
                               _anchor=f"priority-{saved.id}"))
            left_out = priorities.left_out(saved, ideas)
            db.session.commit()
            if left_out:
                flash(ngettext("%(num)s idea you ticked was hidden or deleted while you were "
                               "editing, so the priority does not stand on it.",
                               "%(num)s ideas you ticked were hidden or deleted while you "
                               "were editing, so the priority does not stand on them.",
                               left_out), "info")
            if revision is not None and saved.revision != revision:
                flash(_("The priority is saved and published again: the young people see the "
                        "change, and the core team can take the new version into the "
                        "portfolio."), "success")
            else:
                flash(_("The priority is saved."), "success")
            # Back at the priority just saved, as after Move up or Publish.
            return redirect(url_for("results.priorities_page", consultation_id=consultation.id,
                                    _anchor=f"priority-{saved.id}"))
    ideas = priorities.supportable_ideas(consultation)
    offered = {idea.id for idea in ideas}
    # Ideas hidden since they were chosen are not on the form, so saving takes them out.
    dropped = [c for c in priority.contributions if c.id not in offered] if priority else []
    return render_template("results/priority_edit.html", consultation=consultation,
                           priority=priority, ideas=ideas, dropped=len(dropped),
                           languages=LANGUAGES.values(), error=error, seen=seen,
                           form=request.form if request.method == "POST" else None)


@bp.post("/results/c/<int:consultation_id>/priorities/<int:priority_id>/<action>")
@role_required(Role.YOUTH_LEADER)
def priority_action(consultation_id: int, priority_id: int, action: str):
    consultation = _editable(consultation_id)
    if db.session.get(Priority, priority_id) is None:  # a button on an older page
        flash(_("This youth priority has already been deleted."), "info")
        return redirect(url_for("results.priorities_page", consultation_id=consultation.id))
    priority = _priority_or_404(consultation, priority_id)
    deleted = False
    if action == "publish" and request.form.get("shown") == PriorityStatus.DRAFT \
            and priority.status == PriorityStatus.PUBLISHED:
        # "Publish" from a page that still showed a draft (Back, another tab): publishing
        # again would make a new version for the portfolio that nobody asked for.
        flash(_("This youth priority is already published."), "info")
    elif action == "publish" and consultation.status == Status.DRAFT:
        flash(_("A youth priority can be published once the consultation is open: until then "
                "no young person has taken part."), "error")
    elif action == "publish":
        again = priority.status == PriorityStatus.PUBLISHED
        priorities.publish(current_user, priority)
        if again:
            flash(_("Published again as version %(n)s, with today’s figures; the core team "
                    "can bring the new version into the portfolio.", n=priority.revision),
                  "success")
        else:
            flash(_("Published. The young people who took part can see it now."), "success")
    elif action == "unpublish":
        priorities.unpublish(current_user, priority)
        if portfolio.imported_as([priority.id]):
            flash(_("Unpublished. The core team had brought it into the portfolio: they see "
                    "there that it is unpublished, and the young people no longer see what "
                    "became of it. Publish it again to show it again."), "success")
        else:
            flash(_("Unpublished. The young people no longer see it."), "success")
    elif action in ("up", "down"):
        if not priorities.move(current_user, priority, -1 if action == "up" else 1,
                               seen_at=whole_number(request.form.get("place", ""))):
            flash(_("The list had changed meanwhile, so nothing was moved. Here it is as it "
                    "is now."), "info")
    elif action == "delete":
        if priority.published_at is None and request.form.get("confirm") != "1":
            # Its texts in every language and its chosen ideas go for good: ask first.
            return render_template("results/confirm_delete_priority.html",
                                   consultation=consultation, priority=priority)
        try:
            priorities.delete(current_user, priority)
        except priorities.PriorityInvalid:
            flash(_("A priority that has been published stays; unpublish it instead."), "error")
        else:
            deleted = True
            flash(_("The draft is deleted."), "success")
    else:
        abort(404)
    db.session.commit()
    # Back at the priority acted on (a deleted one has no place left: the top of the list).
    return redirect(url_for("results.priorities_page", consultation_id=consultation.id,
                            _anchor=None if deleted else f"priority-{priority.id}"))


@bp.get("/results/c/<int:consultation_id>/export.<fmt>")
@role_required(*STAFF)
def export(consultation_id: int, fmt: str):
    consultation = consultation_or_404(current_user, consultation_id, options=WITH_QUESTIONS)
    data = exports.sheets(consultation, str(get_locale()))
    name = f"medskapa-{consultation.join_code}"
    if fmt == "xlsx":
        body = spreadsheets.to_xlsx(data)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        filename = f"{name}.xlsx"
    elif fmt == "csv":
        what = request.args.get("what", "results")
        if what not in data:
            abort(404)
        body, mimetype = spreadsheets.to_csv(data[what]), "text/csv"
        filename = f"{name}-{what}.csv"
    else:
        abort(404)
    response = current_app.response_class(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
