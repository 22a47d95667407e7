"""Staff pages for authoring and sharing consultations.

Every object is reached through app.consultations.access: a youth leader sees only their own
organisation's consultations (another one's is a 404), the core team reads everything but
changes nothing (403), administrators do everything."""
from urllib.parse import urlsplit

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict
from wtforms.fields import SelectChoice

from app.audit.models import AuditEvent
from app.consultations import bp, services
from app.consultations.access import consultation_or_404, may_edit
from app.consultations.forms import (
    CHANGED_MEANWHILE,
    KIND_LABELS,
    MODERATION_HINTS,
    STATUS_LABELS,
    ConsultationCloseForm,
    ConsultationDeleteForm,
    ConsultationDuplicateForm,
    ConsultationEditForm,
    ConsultationOpenForm,
    OptionRemoveForm,
    QuestionCreateForm,
    QuestionMoveForm,
    QuestionRemoveForm,
    question_form,
)
from app.consultations.models import Consultation, Question, QuestionKind, Status
from app.core import once
from app.core.errors import Conflict
from app.core.roles import Role, role_required
from app.core.text import whole_number
from app.core.urls import public_url
from app.extensions import db
from app.i18n import LANGUAGES, localized
from app.participate import services as participate

STAFF = (Role.YOUTH_LEADER, Role.CORE_TEAM)
WITH_QUESTIONS = (selectinload(Consultation.questions).selectinload(Question.options),)
POSTER_LANGUAGES = ("sv", "en")


def shown_status(consultation: Consultation) -> str:
    """The status as young people experience it: an open consultation whose opening time has
    not come is "upcoming", one whose closing time has passed "ended" (the phones' own rule);
    otherwise the stored status."""
    if participate.not_yet_open(consultation):
        return "upcoming"
    if consultation.status == Status.OPEN and not participate.accepts_answers(consultation):
        return "ended"
    return consultation.status


@bp.context_processor
def _labels():
    return {"status_label": lambda status: STATUS_LABELS.get(status, status),
            "shown_status": shown_status,
            "kind_label": lambda kind: KIND_LABELS.get(kind, kind),
            "missing_languages": services.missing_languages}


def _consultation(consultation_id: int, *, edit: bool = False) -> Consultation:
    return consultation_or_404(current_user, consultation_id, edit=edit, options=WITH_QUESTIONS)


def _question(consultation: Consultation, question_id: int) -> Question:
    """An active question of this consultation (archived ones cannot be changed)."""
    for question in consultation.questions:
        if question.id == question_id and question.archived_at is None:
            return question
    abort(404)


def _was_removed(consultation: Consultation, question_id: int) -> bool:
    """Whether this consultation had this question and it was removed since (archived, or
    deleted and so only in the audit log). Another consultation's question is not "removed"
    here: it stays a "page not found", so its ids reveal nothing."""
    if any(q.id == question_id for q in consultation.questions):
        return not any(q.id == question_id and q.archived_at is None
                       for q in consultation.questions)
    deleted = db.session.scalars(select(AuditEvent.details).where(
        AuditEvent.action == "question.deleted", AuditEvent.object_type == "questions",
        AuditEvent.object_id == str(question_id))).all()
    return any((details or {}).get("consultation_id") == consultation.id for details in deleted)


def _draft_deleted_here(consultation_id: int) -> bool:
    """Whether this draft was deleted by someone who may edit this user's consultations (the
    audit log keeps its organisation). Anyone else's, or one never there, stays a 404."""
    if db.session.get(Consultation, consultation_id) is not None:
        return False
    deleted = db.session.scalars(select(AuditEvent.details).where(
        AuditEvent.action == "consultation.deleted", AuditEvent.object_type == "consultations",
        AuditEvent.object_id == str(consultation_id))).all()
    return any(current_user.role == Role.ADMIN or (
        current_user.role == Role.YOUTH_LEADER
        and (details or {}).get("organisation_id") == current_user.organisation_id)
        for details in deleted)


def _deleted_meanwhile():
    """A draft deleted in another tab while this one was being edited (its details or a
    question): what was typed is shown to copy, not lost behind a "page not found"."""
    return render_template(
        "errors/unsaved.html", consultation=None,
        back_url=url_for(".index"), unsaved=_typed_texts(),
        message=_("This consultation has already been deleted.")), 409


def _question_gone(consultation: Consultation):
    """A button on an older page for a question removed since (another tab): say so and
    show the questions as they are, not a "page not found"."""
    flash(_("This question has already been removed."), "info")
    return _to_show(consultation)


def _typed_texts() -> list[tuple[str, str]]:
    """What an editor (details or a question) sent, labelled, for a page to copy it from."""
    texts = []
    for key, value in request.form.items():
        name, _sep, code = key.rpartition("_")
        if not value.strip() or code not in LANGUAGES:
            continue
        language = LANGUAGES[code].native_name
        if name == "title":
            texts.append((f"{_('Title')} – {language}", value))
        elif name == "intro":
            texts.append((f"{_('Introduction (optional)')} – {language}", value))
        elif name == "prompt":
            texts.append((f"{_('The question')} – {language}", value))
        elif name == "help":
            texts.append((f"{_('Help text (optional)')} – {language}", value))
        elif name.startswith("options-") and name.endswith("-text"):
            row = whole_number(name.split("-")[1])
            if row is not None:
                texts.append((f"{_('Option %(n)s', n=row + 1)} – {language}", value))
    return texts


def _to_show(consultation: Consultation):
    return redirect(url_for(".show", consultation_id=consultation.id))


# --- list, create, edit --------------------------------------------------------------------

@bp.get("")
@role_required(*STAFF)
def index():
    from app.feedback.services import waiting_days

    return render_template("consultations/index.html", feedback_waiting=waiting_days,
                           rows=services.list_for(current_user),
                           may_create=current_user.role in (Role.YOUTH_LEADER, Role.ADMIN))


def _fill_choices(form: ConsultationEditForm, chosen: list[int] | None = None):
    groups = services.area_groups(chosen or ())
    challenges = services.challenge_areas()
    form.areas.choices = [SelectChoice(a.id, a.name) for g in groups for a in g.areas]
    form.challenge_areas.choices = [SelectChoice(c.id, localized(c.names)) for c in challenges]
    return groups, challenges


def _render_edit(form, consultation, groups, challenges):
    return render_template("consultations/edit.html", form=form, consultation=consultation,
                           area_groups=groups, challenge_areas=challenges,
                           moderation_hints=MODERATION_HINTS)


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.YOUTH_LEADER)
def create():
    form = ConsultationEditForm()
    groups, challenges = _fill_choices(form)
    if form.validate_on_submit() and not once.already_saved(_("Save")):
        consultation = services.create(current_user, form.details())
        once.saved(url_for(".show", consultation_id=consultation.id))
        db.session.commit()
        flash(_("The consultation is saved as a draft. Now add its questions."), "success")
        return _to_show(consultation)
    return _render_edit(form, None, groups, challenges)


@bp.route("/<int:consultation_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF)
def edit(consultation_id: int):
    if request.method == "POST" and _draft_deleted_here(consultation_id):
        return _deleted_meanwhile()
    consultation = _consultation(consultation_id, edit=True)
    stored = ConsultationEditForm.data_for(consultation)
    seen = services.fingerprint({**stored, "areas": sorted(stored["areas"]),
                                 "challenge_areas": sorted(stored["challenge_areas"])})
    form = ConsultationEditForm(data={**stored, "seen": seen})
    groups, challenges = _fill_choices(form, stored["areas"])
    valid = form.validate_on_submit()
    if valid and form.seen.data and form.seen.data != seen:
        # Saved elsewhere since this form was filled: saving would undo that unseen.
        form.form_errors.append(str(CHANGED_MEANWHILE))
        form.seen.data = seen  # pressing Save again saves what is typed
        valid = False
    if valid:
        services.update(current_user, consultation, form.details())
        db.session.commit()
        flash(_("Saved."), "success")
        return _to_show(consultation)
    return _render_edit(form, consultation, groups, challenges)


@bp.get("/<int:consultation_id>")
@role_required(*STAFF)
def show(consultation_id: int):
    return _render_show(_consultation(consultation_id))


def _render_show(consultation: Consultation):
    return render_template(
        "consultations/show.html", consultation=consultation,
        may_edit=may_edit(current_user, consultation),
        answers=services.answer_counts([q.id for q in consultation.questions]),
        create_form=QuestionCreateForm(formdata=None))


# --- questions ---------------------------------------------------------------------------

def _with_source_choices(form, consultation, question=None):
    """Statement questions may also show the approved ideas of an idea question."""
    if "source_question_id" in form:
        numbers = {q.id: n for n, q in enumerate(consultation.active_questions(), start=1)}
        form.source_question_id.choices = [
            SelectChoice(0, _("No, only the statements below")),
            *(SelectChoice(q.id, _("Question %(n)s: %(prompt)s", n=numbers[q.id],
                                   prompt=localized(q.prompt)))
              for q in services.idea_questions(consultation, besides=question)),
        ]
    return form


def _render_question(consultation, question, form, kind, unsaved=False):
    options = question.options if question else []
    return render_template(
        "consultations/question.html", consultation=consultation, question=question,
        form=form, kind=kind, archived_options=[o for o in options if o.archived_at],
        unsaved=unsaved,
        votes=services.option_answer_counts([o.id for o in options]))


@bp.route("/<int:consultation_id>/questions/new", methods=["GET", "POST"])
@role_required(*STAFF)
def question_create(consultation_id: int):
    if request.method == "POST" and _draft_deleted_here(consultation_id):
        return _deleted_meanwhile()
    consultation = _consultation(consultation_id, edit=True)
    kind = request.args.get("kind", "")
    if kind not in set(QuestionKind):
        abort(404)
    form = _with_source_choices(question_form(kind), consultation)
    if form.validate_on_submit() and not once.already_saved(_("Save question")):
        question = services.add_question(
            current_user, consultation, kind, prompt=form.texts("prompt"),
            help=form.texts("help"), settings=form.settings(), options=form.option_rows())
        once.saved(url_for(".show", consultation_id=consultation.id,
                           _anchor=f"question-{question.id}"))
        db.session.commit()
        flash(_("The question is added."), "success")
        return _to_show(consultation)
    return _render_question(consultation, None, form, kind)


@bp.route("/<int:consultation_id>/questions/<int:question_id>", methods=["GET", "POST"])
@role_required(*STAFF)
def question_edit(consultation_id: int, question_id: int):
    if request.method == "POST" and _draft_deleted_here(consultation_id):
        return _deleted_meanwhile()
    consultation = _consultation(consultation_id, edit=True)
    if request.method == "POST" and _was_removed(consultation, question_id):
        # Removed in another tab while this one was being edited: what was typed is shown
        # to copy, not lost behind a "page not found".
        return render_template(
            "errors/unsaved.html", consultation=consultation,
            back_url=url_for(".show", consultation_id=consultation.id),
            message=_("This question has already been removed."), unsaved=_typed_texts()), 409
    question = _question(consultation, question_id)
    form = _with_source_choices(question_form(question.kind, question), consultation, question)
    seen = services.question_fingerprint(question)
    valid = form.validate_on_submit()
    if request.method == "GET":
        form.seen.data = seen
    elif valid and form.seen.data and form.seen.data != seen:
        form.form_errors.append(str(CHANGED_MEANWHILE))
        form.seen.data = seen  # pressing Save again saves what is typed
        valid = False
    if valid and services.changes_meaning(question, form.settings()):
        form.form_errors.append(_(
            "Young people have already answered this question, so the way they answer cannot "
            "change: their answers would mean something else. Add a new question instead."))
        valid = False
    if valid:
        services.update_question(current_user, question, prompt=form.texts("prompt"),
                                 help=form.texts("help"), settings=form.settings(),
                                 options=form.option_rows())
        db.session.commit()
        flash(_("The question is saved."), "success")
        return _to_show(consultation)
    return _render_question(consultation, question, form, question.kind)


@bp.post("/<int:consultation_id>/questions/<int:question_id>/move")
@role_required(*STAFF)
def question_move(consultation_id: int, question_id: int):
    consultation = _consultation(consultation_id, edit=True)
    if _was_removed(consultation, question_id):
        return _question_gone(consultation)
    question = _question(consultation, question_id)
    form = QuestionMoveForm()
    if form.validate_on_submit() and form.direction.data in ("up", "down"):
        services.move_question(current_user, question, form.direction.data)
        db.session.commit()
    return redirect(url_for(".show", consultation_id=consultation.id,
                            _anchor=f"question-{question.id}"))


@bp.post("/<int:consultation_id>/questions/<int:question_id>/remove")
@role_required(*STAFF)
def question_remove(consultation_id: int, question_id: int):
    consultation = _consultation(consultation_id, edit=True)
    if _was_removed(consultation, question_id):
        return _question_gone(consultation)
    question = _question(consultation, question_id)
    form = QuestionRemoveForm()
    if not form.validate_on_submit():
        return _to_show(consultation)
    if consultation.is_open and consultation.active_questions() == [question]:
        # Phones on the way would find nothing to answer.
        flash(_("An open consultation needs at least one question. Add another question "
                "before you remove this one, or close the consultation first."), "error")
        return _to_show(consultation)
    answered = services.answer_counts([question.id]).get(question.id, 0)
    if answered and form.confirm.data != "1":
        return render_template("consultations/confirm_remove.html", consultation=consultation,
                               thing=question, answered=answered, back=url_for(
                                   ".show", consultation_id=consultation.id))
    outcome = services.remove_question(current_user, question)
    db.session.commit()
    flash(_("The question is archived. Its answers are kept.") if outcome == "archived"
          else _("The question is deleted."), "success")
    return _to_show(consultation)


@bp.post("/<int:consultation_id>/questions/<int:question_id>/options/<int:option_id>/remove")
@role_required(*STAFF)
def option_remove(consultation_id: int, question_id: int, option_id: int):
    consultation = _consultation(consultation_id, edit=True)
    question = _question(consultation, question_id)
    option = next((o for o in question.options
                   if o.id == option_id and o.archived_at is None), None)
    # The Remove button sends the whole editor: what was typed in the other fields is shown
    # again (not saved, not lost) on every way out of here.
    typed = MultiDict((k, v) for k, v in request.form.items(multi=True)
                      if k not in ("csrf_token", "confirm", "cancel"))
    row = next((key[:-len("id")] for key, value in typed.items()
                if key.startswith("options-") and key.endswith("-id")
                and value == str(option_id)), None)
    if option is None and row is None:
        abort(404)
    form = OptionRemoveForm()
    if not form.validate_on_submit():
        return redirect(url_for(".question_edit", consultation_id=consultation.id,
                                question_id=question.id))
    if option is None:
        # Removed in another tab (or by another youth leader) since this editor was shown.
        flash(_("This option has already been removed."), "info")
        for key in [k for k in typed if k.startswith(row)]:
            typed.poplist(key)
        # What else the other tab saved is not on this page: Save still says so.
        return _typed_again(consultation, question, typed, seen=typed.get("seen"))
    if request.form.get("cancel") == "1":
        return _typed_again(consultation, question, typed)
    answered = services.option_answer_counts([option.id]).get(option.id, 0)
    if answered and form.confirm.data != "1":
        return render_template("consultations/confirm_remove.html", consultation=consultation,
                               thing=option, answered=answered, typed=typed)
    outcome = services.remove_option(current_user, option)
    db.session.commit()
    flash(_("The option is archived. Its votes are kept.") if outcome == "archived"
          else _("The option is deleted."), "success")
    if row:
        for key in [k for k in typed if k.startswith(row)]:
            typed.poplist(key)
    return _typed_again(consultation, question, typed)


def _typed_again(consultation, question, typed: MultiDict, seen: str | None = None):
    if not any(key != "id" and not key.endswith("-id") for key in typed):
        # Nothing typed came with it (an old page, a script): the editor as saved.
        return redirect(url_for(".question_edit", consultation_id=consultation.id,
                                question_id=question.id))
    form = _with_source_choices(question_form(question.kind, question, formdata=typed),
                                consultation, question)
    # The removal was made here (unless `seen` says what the page showed before).
    form.seen.data = seen or services.question_fingerprint(question)
    return _render_question(consultation, question, form, question.kind, unsaved=True)


@bp.get("/<int:consultation_id>/preview/<int:n>")
@role_required(*STAFF)
def preview(consultation_id: int, n: int):
    """The question exactly as a young person sees it (the same template and state), with
    controls that cannot send anything."""
    consultation = _consultation(consultation_id)
    questions = consultation.active_questions()
    if not 1 <= n <= len(questions):
        abort(404)
    back = url_for(".preview", consultation_id=consultation.id, n=n - 1) if n > 1 else None
    forward = url_for(".preview", consultation_id=consultation.id, n=n + 1) \
        if n < len(questions) else url_for(".show", consultation_id=consultation.id)
    return render_template(
        "consultations/preview.html", consultation=consultation,
        state=participate.question_state(None, questions[n - 1]), n=n, total=len(questions),
        back=back, forward=forward, errors={}, closed=False, submitted=None,
        idea_max=participate.IDEA_MAX, word_max=participate.WORD_MAX, client_key="",
        accepts=True)


# --- open, close, duplicate ----------------------------------------------------------------

@bp.post("/<int:consultation_id>/open", endpoint="open")
@role_required(*STAFF)
def open_(consultation_id: int):
    consultation = _consultation(consultation_id, edit=True)
    if not ConsultationOpenForm().validate_on_submit():
        return _to_show(consultation)
    try:
        old_code = services.open_consultation(current_user, consultation)
    except services.CannotOpen as exc:
        flash({"no_title": _("Write a title in Swedish before you open it."),
               "closes_passed": _("Its closing time has passed: change or remove the closing "
                                  "time under Edit details before you open it."),
               }.get(exc.code, _("Add at least one question before you open it.")), "error")
        return _to_show(consultation)
    except Conflict:
        flash(_("The consultation is already open.") if consultation.is_open
              else _("This consultation cannot be opened again."), "info")
        return _to_show(consultation)
    db.session.commit()
    if old_code:
        flash(_("The consultation is open. Its old code %(old)s is used by another open "
                "consultation now, so it has a new code: %(code)s. Old posters no longer "
                "work: print new ones.", old=old_code, code=consultation.join_code), "info")
    else:
        flash(_("The consultation is open. Young people can join with the code %(code)s.",
                code=consultation.join_code), "success")
    return _to_show(consultation)


@bp.post("/<int:consultation_id>/close")
@role_required(*STAFF)
def close(consultation_id: int):
    consultation = _consultation(consultation_id, edit=True)
    if ConsultationCloseForm().validate_on_submit():
        try:
            services.close_consultation(current_user, consultation)
        except Conflict:
            flash(_("The consultation is not open."), "info")
        else:
            db.session.commit()
            flash(_("The consultation is closed. No more answers can be sent."), "success")
    return _to_show(consultation)


@bp.post("/<int:consultation_id>/duplicate")
@role_required(*STAFF)
def duplicate(consultation_id: int):
    original = _consultation(consultation_id, edit=True)
    if not ConsultationDuplicateForm().validate_on_submit():
        return _to_show(original)
    if once.already_saved(_("Duplicate as a template")):
        return _render_show(original)  # the copy made before is linked at the top
    copy = services.duplicate(current_user, original)
    once.saved(url_for(".show", consultation_id=copy.id))
    db.session.commit()
    flash(_("This is a copy, saved as a draft with its own code. Change what you need, "
            "then open it."), "success")
    return _to_show(copy)


@bp.route("/<int:consultation_id>/delete", methods=["GET", "POST"])
@role_required(*STAFF)
def delete(consultation_id: int):
    """GET asks "Delete the draft …?"; POST deletes it. Only drafts: open and closed
    consultations hold young people's answers."""
    consultation = _consultation(consultation_id, edit=True)
    if consultation.status != Status.DRAFT:
        flash(_("Only a draft can be deleted. An open or closed consultation is kept, with "
                "the young people's answers."), "info")
        return _to_show(consultation)
    form = ConsultationDeleteForm()
    if request.method == "GET" or not form.validate_on_submit():
        return render_template("consultations/confirm_delete.html",
                               consultation=consultation, form=form)
    title = localized(consultation.title) or _("(no title)")
    services.delete_draft(current_user, consultation)
    db.session.commit()
    flash(_("The draft %(title)s is deleted.", title=title), "success")
    return redirect(url_for(".index"))


# --- sharing -------------------------------------------------------------------------------

def _join_url(consultation: Consultation, area_id: int | None = None) -> str:
    """The absolute join link (app/core/urls.py): printed links must work outside the
    network the youth leader is on."""
    values = {"code": consultation.join_code}
    if area_id is not None:
        values["area"] = area_id
    return public_url("participate.join", **values)


@bp.get("/<int:consultation_id>/share")
@role_required(*STAFF)
def share(consultation_id: int):
    consultation = _consultation(consultation_id)
    url = _join_url(consultation)
    return render_template("consultations/share.html", consultation=consultation, url=url,
                           qr=services.qr_svg(url, title=_("QR code for the join link")))


def _poster_languages() -> list[str]:
    """?langs=sv,en,ar (or langs repeated, from the form); the UI languages only."""
    asked = [code for raw in request.args.getlist("langs") for code in raw.split(",")]
    chosen = [code for code in dict.fromkeys(asked) if code in LANGUAGES]
    return chosen or list(POSTER_LANGUAGES)


@bp.get("/<int:consultation_id>/poster")
@role_required(*STAFF)
def poster(consultation_id: int):
    consultation = _consultation(consultation_id)
    area = None
    if (area_id := request.args.get("area", type=int)) is not None:
        area = next((a for a in consultation.areas if a.id == area_id), None)
        if area is None:
            abort(404)
    url = _join_url(consultation, area.id if area else None)
    # Address and code read left to right inside Arabic text too: isolate them (LRI … PDI).
    host = "\u2066" + urlsplit(url).netloc + "\u2069"
    join_code = "\u2066" + consultation.join_code + "\u2069"
    texts = []
    for lang in _poster_languages():
        with force_locale(lang):  # each language's own words, whatever the page is in
            texts.append({
                "lang": LANGUAGES[lang],
                "title": (consultation.title or {}).get(lang, ""),
                "instruction": _("Scan the code with your phone, or go to %(host)s and "
                                 "type %(code)s.", host=host, code=join_code),
            })
    return render_template(
        "consultations/poster.html", consultation=consultation, area=area, texts=texts,
        url=url, qr=services.qr_svg(url, title=_("QR code for the join link")))
