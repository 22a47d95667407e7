from flask import (
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from wtforms.fields import SelectChoice

from app.consultations import codes
from app.core.text import whole_number
from app.extensions import db, limiter
from app.i18n import DATE_FILTERS, safe_next
from app.participate import bp, services
from app.participate.forms import JoinForm
from app.participate.messages import error_message, hidden_reason_message

bp.add_app_template_global(hidden_reason_message)
bp.add_app_template_global(services.accepts_answers, "accepts_answers")

DEVICE_MAX_AGE = 2 * 365 * 24 * 3600


def device_token() -> str | None:
    """The phone's random token from its cookie (its name is in the config: __Host-device
    in production)."""
    return request.cookies.get(current_app.config["DEVICE_COOKIE"])



def _remember_device(response, token: str):
    response.set_cookie(current_app.config["DEVICE_COOKIE"], token, max_age=DEVICE_MAX_AGE,
                        httponly=True, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def _wants_json() -> bool:
    accept = request.accept_mimetypes
    return accept["application/json"] > accept["text/html"]


@bp.get("/")
def index():
    code = request.args.get("code")
    if code is not None:
        code = codes.normalise(code)
        if not code:  # nothing typed (or only spaces and dashes)
            return render_template("participate/index.html", code_error="empty")
        return redirect(url_for("participate.join", code=code))
    return render_template("participate/index.html", news=_unread_news())


def _unread_news() -> int:
    """Updates this phone has not seen ("you said, we did"), for a returning young person."""
    token = device_token()
    if not token:
        return 0
    from app.feedback import services as feedback

    return feedback.unread_count(services.device_hash(token))


# Wrong codes per school address. A whole school joins from one address and children mistype
# (the load test in bench/school_morning.py: 300 phones, 15 % typos = 45 in a minute); a right
# code is never slowed down. A guesser still needs years: 31^6 codes, 1000 tries an hour.
WRONG_CODE_LIMIT_ADDRESS = "120 per minute;1000 per hour"


def _right_code() -> bool:
    """Exempts right codes from the wrong-code limit (the lookup is kept for the view)."""
    if "code_lookup" not in g:  # Flask-Limiter asks more than once per request
        g.code_lookup = services.find_by_code((request.view_args or {}).get("code", ""))
    return g.code_lookup.consultation is not None


@bp.get("/j/<code>")
@limiter.limit(WRONG_CODE_LIMIT_ADDRESS, deduct_when=lambda r: r.status_code == 404,
               exempt_when=_right_code, key_func=lambda: request.remote_addr or "")
def join(code: str):
    """The QR code's target: the welcome and consent screen, or on to the questions."""
    found = g.pop("code_lookup", None) or services.find_by_code(code)
    if found.consultation is None:
        return render_template("participate/index.html", code=code[:12],
                               code_error=True), 404
    consultation = found.consultation
    if found.closed:
        return _closed(consultation)
    token = device_token()
    participant = services.participant_for(token, consultation.id)
    if participant is not None and participant.consent_version == services.CONSENT_VERSION:
        return redirect(url_for("participate.question", consultation_id=consultation.id, n=1))
    form = JoinForm(formdata=None)
    poster_area = request.args.get("area", type=int)
    if poster_area in {a.id for a in consultation.areas}:
        form.area_from_poster.data = str(poster_area)
    form.area.choices = _area_choices(consultation)
    response = current_app.make_response(
        render_template("participate/join.html", consultation=consultation, form=form))
    if not token:
        _remember_device(response, services.new_device_token())
    return response


def _closed(consultation):
    """Ended, or not open yet: the phone is told which (and when it opens)."""
    upcoming = services.not_yet_open(consultation)
    return render_template("participate/closed.html", consultation=consultation,
                           upcoming=upcoming, news=0 if upcoming else _unread_news())


def _area_choices(consultation):
    return [SelectChoice("", _("I'd rather not say"))] + [
        SelectChoice(str(a.id), a.name) for a in consultation.areas]


def _consultation_or_404(consultation_id: int):
    consultation = services.load_consultation(consultation_id)
    if consultation is None:
        abort(404)
    return consultation


def _device_key() -> str:
    """Rate limits per phone (the device cookie), else per address."""
    token = device_token()
    return "device:" + services.device_hash(token)[:32] if token else \
        "ip:" + (request.remote_addr or "")


def _address_key() -> str:
    return "ip:" + (request.remote_addr or "")


# Sized for a whole school behind one address: 300 phones answering the same question on
# the projector's cue (all in about a second) are never limited; one phone (or script)
# sending more than 30 answers a second is.
ANSWER_LIMIT_DEVICE = "30 per second;600 per minute"
ANSWER_LIMIT_ADDRESS = "300 per second;6000 per minute"
JOIN_LIMIT_ADDRESS = "60 per second;900 per minute"


@bp.post("/c/<int:consultation_id>/join")
@limiter.limit(JOIN_LIMIT_ADDRESS, key_func=_address_key)
def consent(consultation_id: int):
    consultation = _consultation_or_404(consultation_id)
    form = JoinForm()
    form.area.choices = _area_choices(consultation)
    if not form.validate_on_submit():
        abort(400)
    token = device_token() or services.new_device_token()
    area = form.area_from_poster.data or form.area.data
    try:
        services.join(consultation, token, language=str(get_locale()),
                      age_band=form.age_band.data or None,
                      area_id=whole_number(area or ""))
    except services.ConsultationClosed:
        return _closed(consultation)
    db.session.commit()
    response = redirect(url_for("participate.question", consultation_id=consultation.id, n=1))
    return _remember_device(response, token)


def _question_urls(consultation, n: int, total: int):
    back = url_for("participate.question", consultation_id=consultation.id, n=n - 1) \
        if n > 1 else None
    forward = url_for("participate.question", consultation_id=consultation.id, n=n + 1) \
        if n < total else url_for("participate.done", consultation_id=consultation.id)
    return back, forward


def _answered_position(questions, n: int) -> tuple[int, bool]:
    """Where the question a sent answer is for stands now, and whether it was removed. A
    youth leader may move or remove questions while a page stands open (or its answer waits
    on the phone): the answer goes to the question the page showed, whose id it carries,
    never to the one now at its place. (A removed one's page shows the question now there,
    or the last one.) An answer without the id (a page from before it was sent): position n."""
    asked = whole_number(request.form.get("question", ""))
    if asked is None:
        return n, False
    for position, each in enumerate(questions, start=1):
        if each.id == asked:
            return position, False
    return max(1, min(n, len(questions))), True


def _closed_message(consultation) -> str:
    """Why an answer cannot be sent now, on the page and to answer.js alike. A leader may
    move the opening time forward while phones are on the way."""
    if services.not_yet_open(consultation):
        return _("These questions open %(when)s. Come back then, with the same code.",
                 when=DATE_FILTERS["datetimeformat"](consultation.opens_at, "short"))
    return _("This consultation has ended, so answers can no longer be sent.")


@bp.route("/c/<int:consultation_id>/q/<int:n>", methods=["GET", "POST"])
@limiter.limit(ANSWER_LIMIT_DEVICE, key_func=_device_key, methods=["POST"])
@limiter.limit(ANSWER_LIMIT_ADDRESS, key_func=_address_key, methods=["POST"])
def question(consultation_id: int, n: int):
    consultation = _consultation_or_404(consultation_id)
    questions = consultation.active_questions()
    removed = False
    if request.method == "POST":
        n, removed = _answered_position(questions, n)
    if request.method == "GET" and n > len(questions) and n >= 1:
        # A question removed while a phone was on the way: past the last one is the end.
        return redirect(url_for("participate.done", consultation_id=consultation.id))
    if not 1 <= n <= len(questions):
        abort(404)
    participant = services.participant_for(device_token(), consultation.id)
    if participant is None:
        if _wants_json():
            return jsonify(ok=False, error="not_joined"), 403
        return redirect(url_for("participate.join", code=consultation.join_code))
    current = questions[n - 1]
    back, forward = _question_urls(consultation, n, len(questions))
    if request.args.get("own") == "1":
        session.pop("follow", None)  # at their own pace again
    elif session.get("follow") == consultation.id:
        # In a workshop: after this answer, wait for the question the projector shows next.
        # `after` names the question (not its place: one removed before it moves it up).
        forward = url_for("results.waiting", consultation_id=consultation.id, stay=1,
                          after=current.id)
    errors, closed, status = {}, False, 200
    if removed:
        if _wants_json():  # kept on the phone, not sent again
            return jsonify(ok=False, removed=True), 409
        status = 409
    elif request.method == "POST":
        form = request.form.to_dict(flat=False)
        try:
            outcome = services.submit_answer(participant, current, form,
                                             language=str(get_locale()))
        except services.ConsultationClosed:
            closed, status = True, 409
        except services.AnswerInvalid as exc:
            errors = {name: error_message(code, params)
                      for name, (code, params) in exc.errors.items()}
            status = 422
        else:
            more_ideas = current.kind == "idea" and request.form.get("more") == "1"
            here = url_for("participate.question", consultation_id=consultation.id, n=n)
            db.session.commit()  # (the objects expire: read what is needed before)
            if outcome == "needs_help":
                forward = url_for("participate.help_now", consultation_id=consultation.id,
                                  next=here if request.form.get("more") else forward)
            if _wants_json():
                return jsonify(ok=True, status=outcome, next=forward)
            if outcome == "needs_help":
                return redirect(forward)
            if more_ideas:
                flash(_("Thank you! Your idea is saved. Write another one if you like."),
                      "success")
                return redirect(here)
            return redirect(forward)
        if _wants_json():
            message = _closed_message(consultation) if closed else None
            return jsonify(ok=False, closed=closed, message=message, errors=errors), status
    state = services.question_state(participant, current)
    submitted = request.form if request.method == "POST" else None
    response = current_app.make_response((render_template(
        "participate/question.html", consultation=consultation, state=state, n=n,
        total=len(questions), back=back, forward=forward, errors=errors, closed=closed,
        submitted=None if removed else submitted, removed=removed,
        kept_text=request.form.get("text", "").strip() if removed else "",
        idea_max=services.IDEA_MAX, word_max=services.WORD_MAX,
        client_key=services.new_device_token()[:22],
        accepts=services.accepts_answers(consultation),
        upcoming=services.not_yet_open(consultation),
        closed_message=_closed_message(consultation)), status))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/c/<int:consultation_id>/help")
def help_now(consultation_id: int):
    """Shown right after a text that sounds like the child may not be safe."""
    consultation = _consultation_or_404(consultation_id)
    target = safe_next(request.args.get("next"),
                       url_for("participate.done", consultation_id=consultation.id))
    return render_template("participate/help.html", consultation=consultation, next=target,
                           config=current_app.config)


@bp.get("/c/<int:consultation_id>/done")
def done(consultation_id: int):
    from app.results.priorities import published_for

    consultation = _consultation_or_404(consultation_id)
    participant = services.participant_for(device_token(), consultation.id)
    return render_template("participate/done.html", consultation=consultation,
                           priorities=published_for([consultation.id])[consultation.id],
                           participant=participant,
                           accepts=services.accepts_answers(consultation),
                           upcoming=services.not_yet_open(consultation),
                           answered=participant is not None and services.has_answered(
                               participant))


@bp.get("/me")
def me():
    from app.feedback import services as feedback
    from app.results.priorities import published_for

    mine = services.my_contributions(device_token())
    participants = [m.participant for m in mine]
    news = feedback.feed(participants)
    journeys = feedback.journeys([c for m in mine for c in m.contributions], str(get_locale()))
    response = current_app.make_response(render_template(
        "participate/me.html", mine=mine, participants=participants, news=news,
        journeys=journeys, forget_phone=session.pop("forget_phone", False),
        priorities=published_for([m.participant.consultation_id for m in mine])))
    if news.unread:
        feedback.mark_read(participants, news.updates)  # seen now; unmarked next time
        db.session.commit()
    response.headers["Cache-Control"] = "no-store"
    return response


DELETED_KEPT = 20  # the last ideas this phone deleted, remembered in its session


@bp.route("/me/contributions/<int:contribution_id>/delete", methods=["GET", "POST"])
def delete_contribution(contribution_id: int):
    contribution = services.own_contribution(device_token(), contribution_id)
    if contribution is None:
        if contribution_id in session.get("deleted", ()):
            # Deleted from this phone a moment ago: Back after deleting (or a second tap on
            # Delete) comes here again. The list it was on, not "page not found".
            return redirect(url_for("participate.me"))
        abort(404)
    if request.method == "POST":
        services.delete_contribution(contribution)
        db.session.commit()
        session["deleted"] = [*session.get("deleted", [])[-(DELETED_KEPT - 1):], contribution_id]
        flash(_("Deleted. It is gone for good."), "success")
        return redirect(url_for("participate.me"))
    return render_template("participate/confirm_delete.html", contribution=contribution)


@bp.route("/me/delete", methods=["GET", "POST"])
def delete_everything():
    if request.method == "POST":
        from app.push import services as push

        push.forget(services.participant_ids(device_token()))
        services.delete_everything(device_token())
        db.session.commit()
        session["forget_phone"] = True  # and what waits on the phone itself (not-sent.js)
        flash(_("Everything you gave from this phone is deleted."), "success")
        return redirect(url_for("participate.me"))
    return render_template("participate/confirm_delete.html", contribution=None)
