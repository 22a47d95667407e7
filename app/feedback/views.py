"""Feedback updates: staff write and publish them; participants read them on the
consultation's feedback page and on /me."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from app.consultations.forms import CHANGED_MEANWHILE
from app.consultations.models import Consultation, Status
from app.consultations.services import fingerprint
from app.core import once
from app.core.errors import Conflict
from app.core.roles import Role, role_required
from app.core.text import whole_number
from app.extensions import db
from app.feedback import bp, services
from app.feedback.models import FeedbackStatus
from app.i18n import LANGUAGES, localized

STAFF = (Role.YOUTH_LEADER, Role.CORE_TEAM)


@bp.get("/feedback")
@role_required(*STAFF)
def index():
    updates = services.visible_updates(current_user)
    return render_template("feedback/index.html", updates=updates,
                           editable=services.editable(current_user, updates))


def _ids(name: str) -> list[int]:
    return [n for v in request.form.getlist(name) if (n := whole_number(v)) is not None]


def _fingerprint(update) -> str:
    return fingerprint({"title": update.title, "body": update.body,
                        "consultations": sorted(c.id for c in update.consultations),
                        "initiative": update.initiative_id})


def _typed_update() -> list[tuple[str, str]]:
    """What an update's form sent, labelled, for a page to copy it from."""
    texts = []
    for name, label in (("title", _("Title (shown in the notification)")),
                        ("body", _("What happened"))):
        for code, language in LANGUAGES.items():
            if (value := request.form.get(f"{name}_{code}", "")).strip():
                texts.append((f"{label} – {language.native_name}", value))
    return texts


def _published_meanwhile():
    return render_template(
        "errors/unsaved.html", consultation=None, unsaved=_typed_update(),
        back_url=url_for("feedback.index"),
        message=_("This update has already been published, and a published update is "
                  "not edited any more.")), 409


@bp.route("/feedback/new", methods=["GET", "POST"], defaults={"update_id": None})
@bp.route("/feedback/<int:update_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF)
def edit(update_id: int | None):
    if update_id and request.method == "POST" and services.deleted_for(current_user, update_id):
        # Deleted in another tab or by a colleague while this one was being edited: what
        # was typed is shown to copy, not lost behind a "page not found".
        return render_template(
            "errors/unsaved.html", consultation=None, unsaved=_typed_update(),
            back_url=url_for("feedback.index"),
            message=_("This draft has already been deleted.")), 409
    update = services.update_or_404(current_user, update_id) if update_id else None
    if update is not None and not services.may_edit(current_user, update):
        abort(403)
    if update is not None and update.status == FeedbackStatus.PUBLISHED:
        if request.method == "GET":
            abort(403)
        # Published in another tab or by a colleague while this one was being edited: what
        # was typed is shown to copy, not lost behind a "Forbidden".
        return _published_meanwhile()
    seen = _fingerprint(update) if update is not None else ""
    error, status = None, 200
    if update is not None and request.method == "POST" \
            and request.form.get("seen", seen) != seen:
        # Saved elsewhere since this form was filled: saving would undo that unseen. The
        # form comes back as typed with the new fingerprint, so Save again saves it.
        error, status = str(CHANGED_MEANWHILE), 409
    elif request.method == "POST" and not once.already_saved(_("Save draft")):
        initiative = request.form.get("initiative_id", "").strip()
        try:
            update = services.save(
                current_user, update,
                title={c: request.form.get(f"title_{c}", "") for c in LANGUAGES},
                body={c: request.form.get(f"body_{c}", "") for c in LANGUAGES},
                consultation_ids=_ids("consultation"),
                initiative_id=(whole_number(initiative) or 0) if initiative else None)
        except Conflict:  # published a moment ago, after this request read it
            db.session.rollback()
            return _published_meanwhile()
        except services.Invalid as exc:
            error = {"title": _("Write a title in Swedish."),
                     "body": _("Write the update in Swedish."),
                     "title_long": _("The title is too long (at most %(limit)s characters).",
                                     limit=services.TITLE_MAX),
                     "body_long": _("The text under “What happened” is too long (at most "
                                    "%(limit)s characters).", limit=services.BODY_MAX),
                     "text": _("The text has a hidden character we cannot save. "
                               "Please type it again."),
                     "initiative": _("Choose the initiative from the list."),
                     }.get(str(exc), _("Choose at least one consultation it concerns."))
        else:
            once.saved(url_for("feedback.edit", update_id=update.id))
            db.session.commit()
            flash(_("The update is saved as a draft. Publish it when it is ready."), "success")
            return redirect(url_for("feedback.index"))
    from app.portfolio.services import initiatives

    preselected = [n for v in request.args.getlist("consultation")
                   if (n := whole_number(v)) is not None]
    return render_template(
        "feedback/edit.html", update=update, error=error,
        form=request.form if request.method == "POST" else None,
        languages=LANGUAGES.values(), preselected=preselected,
        consultations=services.choosable_consultations(current_user),
        kept=services.kept_consultations(current_user, update),
        initiatives=initiatives() if services.may_use_initiatives(current_user) else [],
        preselected_initiative=request.args.get("initiative", ""), seen=seen,
        title_max=services.TITLE_MAX, body_max=services.BODY_MAX), status


@bp.route("/feedback/<int:update_id>/publish", methods=["GET", "POST"])
@role_required(*STAFF)
def publish(update_id: int):
    """Asks first, with the update as the young people will read it and how many phones get a
    notification: a published update cannot be taken back."""
    if request.method == "POST" and services.deleted_for(current_user, update_id):
        flash(_("This draft has already been deleted. Nothing was published."), "info")
        return redirect(url_for("feedback.index"))
    update = services.update_or_404(current_user, update_id)
    if not services.may_edit(current_user, update):
        abort(403)
    from app.push import services as push

    if request.method == "GET":
        if update.status == FeedbackStatus.PUBLISHED:
            return redirect(url_for("feedback.index"))
        return render_template("feedback/publish.html", update=update,
                               phones=push.reach(update), seen=_fingerprint(update))
    if update.status == FeedbackStatus.DRAFT \
            and request.form.get("seen", _fingerprint(update)) != _fingerprint(update):
        # Edited (in another tab, by a colleague) after this preview was shown: what goes to
        # every phone is what the leader read, so they read it again first.
        return render_template("feedback/publish.html", update=update,
                               phones=push.reach(update), seen=_fingerprint(update),
                               changed=True), 409
    try:
        queued = services.publish(current_user, update)
    except Conflict:
        flash(_("It is already published."), "error")
    else:
        db.session.commit()
        flash(ngettext("Published. Everyone who took part sees it now; %(num)s phone gets a "
                       "notification.", "Published. Everyone who took part sees it now; "
                       "%(num)s phones get a notification.", queued), "success")
    return redirect(url_for("feedback.index"))


@bp.route("/feedback/<int:update_id>/delete", methods=["GET", "POST"])
@role_required(*STAFF)
def delete(update_id: int):
    """GET asks "Delete the draft …?"; POST deletes it. Only drafts: a published update has
    been read and pushed to phones, so it stays."""
    if services.deleted_for(current_user, update_id):  # another tab, or a colleague
        flash(_("This draft has already been deleted."), "info")
        return redirect(url_for("feedback.index"))
    update = services.update_or_404(current_user, update_id)
    if not services.may_edit(current_user, update):
        abort(403)
    if update.status == FeedbackStatus.PUBLISHED:
        flash(_("A published update is not deleted: the young people have already seen it."),
              "info")
        return redirect(url_for("feedback.index"))
    if request.method == "GET" or not request.form.get("confirm"):
        return render_template("feedback/confirm_delete.html", update=update)
    title = localized(update.title) or _("(no title)")
    try:
        services.delete_draft(current_user, update)
    except Conflict:  # published by a colleague a moment ago
        db.session.rollback()
        flash(_("A published update is not deleted: the young people have already seen it."),
              "info")
        return redirect(url_for("feedback.index"))
    db.session.commit()
    flash(_("The draft %(title)s is deleted.", title=title), "success")
    return redirect(url_for("feedback.index"))


# --- participants ---------------------------------------------------------------------------

@bp.get("/c/<int:consultation_id>/feedback")
def consultation(consultation_id: int):
    """What became of the young people's input: the consultation's updates, newest first."""
    from app.participate.services import participant_for
    from app.results.priorities import published_for

    found = db.session.get(Consultation, consultation_id)
    if found is None or found.status == Status.DRAFT:
        abort(404)
    updates = services.published_for_consultation(found.id)
    from app.participate.views import device_token

    participant = participant_for(device_token(), found.id)
    unread = set()
    if participant is not None:
        unread = services.feed([participant]).unread
        services.mark_read([participant], updates)
        db.session.commit()
    response = current_app.make_response(render_template(
        "feedback/consultation.html", consultation=found, updates=updates, unread=unread,
        priorities=published_for([found.id])[found.id]))
    response.headers["Cache-Control"] = "no-store"
    return response


def journey_for(contributions):
    return services.journeys(contributions, str(get_locale()))
