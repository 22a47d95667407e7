from textwrap import shorten

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from app.consultations.access import consultation_or_404, may_edit
from app.core.errors import Conflict, Forbidden
from app.core.roles import Role, role_required
from app.core.text import whole_number
from app.extensions import db
from app.i18n import LANGUAGES, safe_next
from app.moderate import bp, services
from app.moderate.forms import ContributionRedactForm
from app.moderate.messages import (
    HANDLED_LABEL,
    HIDE_REASON_LABELS,
    flag_message,
    refusal_message,
)
from app.participate.models import ContributionStatus

STAFF = (Role.YOUTH_LEADER, Role.CORE_TEAM)


def _queue_page(consultation=None):
    status = request.args.get("status", "pending")
    if status not in services.FILTERS:
        status = "pending"
    consultation_id = consultation.id if consultation else None
    items = services.queue(current_user, consultation_id, status)
    consultation_ids = sorted({item.question.consultation_id for item in items}
                              | ({consultation_id} if consultation_id else set()))
    response = current_app.make_response(render_template(
        "moderate/queue.html", consultation=consultation, items=items, status=status,
        counts=services.counts(current_user, consultation_id),
        themes=services.themes(consultation_ids),
        supporters=services.supporters([item.id for item in items]),
        reasons=HIDE_REASON_LABELS,
        reason_labels={**HIDE_REASON_LABELS, services.HANDLED: HANDLED_LABEL},
        flag_message=flag_message, translation_max=services.TRANSLATION_MAX,
        theme_max=services.THEME_MAX,
        notice=current_app.config.get("CHILD_PROTECTION_NOTICE"),
        # The core team reads the queue but does not act in it (services refuse, 403):
        # no buttons that only lead to an error page.
        may_act=current_user.role != Role.CORE_TEAM))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/")
@role_required(*STAFF)
def index():
    return _queue_page()


@bp.get("/c/<int:consultation_id>")
@role_required(*STAFF)
def consultation_queue(consultation_id: int):
    return _queue_page(consultation_or_404(current_user, consultation_id))


def _item_or_gone(contribution_id: int, *, edit: bool = False):
    item = services.item_for(current_user, contribution_id)
    if item is None:
        kept = services.merged_into(current_user, contribution_id)
        if kept is None:
            # Deleted by its author (under "My answers") while the queue was open: say so
            # and go back to the queue, not to "page not found". Another organisation's
            # text gets the same answer: a 404 there and this here would tell which
            # numbers are somebody else's texts.
            flash(_("This text has been deleted meanwhile: a young person can delete what "
                    "they wrote."), "info")
            abort(redirect(safe_next(request.form.get("next") or request.args.get("next"),
                                     url_for("moderate.index"))))
        # Back to a merged text's page (Back after merging, an old tab): say what became
        # of it and go back to the queue, where the idea it was merged into is.
        flash(_("This text has already been handled: merged into “%(idea)s”.",
                idea=shorten(kept.text, 80, placeholder="…")), "info")
        status = "approved" if kept.status == ContributionStatus.APPROVED else None
        abort(redirect(safe_next(
            request.form.get("next") or request.args.get("next"),
            url_for("moderate.consultation_queue", consultation_id=kept.question.consultation_id,
                    status=status, _anchor=f"item-{kept.id}"))))
    if edit and not may_edit(current_user, item.question.consultation):
        abort(403)
    return item


def _back():
    return redirect(safe_next(request.form.get("next") or request.args.get("next"),
                              url_for("moderate.index")))


def _version() -> int | None:
    return whole_number(request.form.get("version", ""))


def _run(action, *args, **kwargs):
    """Run a moderation action; turn a lost race or a stale page into a clear message.
    Returns False when refused, else what the action returned (True if it returns nothing)."""
    try:
        outcome = action(*args, **kwargs)
        db.session.commit()
        return True if outcome is None else outcome
    except (Conflict, StaleDataError):
        db.session.rollback()
        flash(_("Someone else already handled this text. Here is how it looks now."), "error")
    except Forbidden:
        db.session.rollback()
        abort(403)
    except services.ActionRefused as exc:
        db.session.rollback()
        flash(refusal_message(exc.code), "error")
    return False


@bp.post("/items/<int:contribution_id>/approve")
@role_required(*STAFF)
def approve(contribution_id: int):
    item = _item_or_gone(contribution_id)
    if _run(services.approve, current_user, item, version=_version()):
        flash(_("Published."), "success")
    return _back()


@bp.post("/items/<int:contribution_id>/hide")
@role_required(*STAFF)
def hide(contribution_id: int):
    item = _item_or_gone(contribution_id)
    reason = request.form.get("reason", "")
    if _run(services.hide, current_user, item, reason=reason, version=_version()):
        flash(_("Marked as handled. The young person sees that a youth leader has read it.")
              if reason == services.HANDLED else
              _("Hidden. The young person sees the reason in kind words."), "success")
    return _back()


@bp.post("/items/<int:contribution_id>/theme")
@role_required(*STAFF)
def theme(contribution_id: int):
    item = _item_or_gone(contribution_id)
    theme_id = request.form.get("theme_id", "")
    if _run(services.set_theme, current_user, item,
            theme_id=whole_number(theme_id),
            new_theme=request.form.get("new_theme", ""), version=_version()):
        flash(_("Theme saved."), "success")
    return _back()


@bp.post("/items/<int:contribution_id>/translate")
@role_required(*STAFF)
def translate(contribution_id: int):
    item = _item_or_gone(contribution_id)
    text = request.form.get("text", "")
    language = request.form.get("language", "")
    if _run(services.translate, current_user, item, language=language, text=text,
            version=_version()):
        flash(_("Translation saved. The original is kept and can be shown.") if text.strip()
              else _("Translation removed."), "success")
        return _back()
    if not text.strip():
        return _back()
    # Not saved (someone else changed the text meanwhile, or it was refused): what was
    # typed comes back to save again, with the reason above it, not lost in the queue.
    return render_template("moderate/translate.html", item=item, text=text, language=language,
                           translation_max=services.TRANSLATION_MAX,
                           next=safe_next(request.form.get("next"), ""))


@bp.post("/items/<int:contribution_id>/language")
@role_required(*STAFF)
def set_language(contribution_id: int):
    item = _item_or_gone(contribution_id)
    language = request.form.get("language", "")
    if _run(services.set_language, current_user, item, language=language,
            version=_version()):
        flash(_("Saved: it is written in %(language)s.",
                language=LANGUAGES[language].native_name), "success")
    return _back()


@bp.route("/items/<int:contribution_id>/redact", methods=["GET", "POST"])
@role_required(*STAFF)
def redact(contribution_id: int):
    item = _item_or_gone(contribution_id, edit=True)
    form = ContributionRedactForm(data={"text": item.text} if request.method == "GET" else None)
    if form.validate_on_submit():
        outcome = _run(services.redact, current_user, item, text=form.text.data,
                       version=_version())
        if outcome == "unchanged":
            flash(_("The text is as it was: nothing was edited."), "info")
            return _back()
        if outcome:
            flash(_("Edited. The young person sees the edited text."), "success")
            return _back()
        # Refused: the form again, with what was typed and the reason above it.
    return render_template("moderate/redact.html", item=item, form=form,
                           next=safe_next(request.args.get("next"), ""))


@bp.route("/items/<int:contribution_id>/merge", methods=["GET", "POST"])
@role_required(*STAFF)
def merge(contribution_id: int):
    item = _item_or_gone(contribution_id, edit=True)
    if request.method == "POST":
        into = request.form.get("into", "")
        if _run(services.merge, current_user, item, into_id=whole_number(into) or 0,
                version=_version()):
            flash(_("Merged. The votes now count for the idea you kept."), "success")
        return _back()
    return render_template("moderate/merge.html", item=item,
                           candidates=services.merge_candidates(item),
                           refusal=refusal_message("safeguarding_merge"),
                           next=safe_next(request.args.get("next"), ""))


@bp.post("/bulk")
@role_required(*STAFF)
def bulk():
    ids = [n for v in request.form.getlist("item") if (n := whole_number(v)) is not None]
    if not ids:
        flash(_("Select at least one text first."), "error")
        return _back()
    items = []
    for contribution_id in ids:
        raw = request.form.get(f"version_{contribution_id}", "")
        items.append((contribution_id, whole_number(raw)))
    theme_id = request.form.get("theme_id", "")
    try:
        result = services.bulk(current_user, items, request.form.get("action", ""),
                               reason=request.form.get("reason", ""),
                               theme_id=whole_number(theme_id),
                               new_theme=request.form.get("new_theme", ""))
        db.session.commit()
    except services.ActionRefused as exc:
        db.session.rollback()
        flash(refusal_message(exc.code), "error")
        return _back()
    except StaleDataError:
        db.session.rollback()
        flash(_("Someone else handled some of these texts at the same time. Try again."),
              "error")
        return _back()
    if result.done:  # "0 texts done." beside the reasons nothing was done said nothing
        flash(ngettext("%(num)s text done.", "%(num)s texts done.", result.done), "success")
    if result.already_handled:
        flash(ngettext("%(num)s text was already handled by someone else and was left as it is.",
                       "%(num)s texts were already handled by someone else and were left as "
                       "they are.", result.already_handled), "error")
    if result.refused:
        flash(ngettext("%(num)s text could not be changed.",
                       "%(num)s texts could not be changed.", result.refused), "error")
        if result.safeguarding:
            flash(refusal_message("safeguarding"), "error")
    return _back()
