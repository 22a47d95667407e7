from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms.fields import SelectChoice

from app.accounts import services as accounts
from app.accounts.models import User
from app.admin import bp, services
from app.admin.forms import (
    AREA_KIND_LABELS,
    SCOPE_LABELS,
    SECTOR_LABELS,
    ApiTokenCreateForm,
    ApiTokenRevokeForm,
    AreaForm,
    OrganisationForm,
    UserActiveForm,
    UserCreateForm,
    UserLinkForm,
    UserRoleForm,
)
from app.api import services as api
from app.api.models import ApiToken
from app.coalition.models import Area, Organisation
from app.core import once
from app.core.errors import Conflict, DomainError
from app.core.roles import Role, role_required
from app.core.urls import public_url
from app.extensions import db


def _organisation_choices() -> list[SelectChoice]:
    return [SelectChoice("", _("Choose an organisation…")),
            *(SelectChoice(o.id, o.name) for o in services.list_organisations())]


def _link_url(token: str) -> str:
    return public_url("accounts.access", token=token)


@bp.route("/users", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def users():
    form = UserCreateForm()
    form.organisation_id.choices = _organisation_choices()
    new_link = None
    if form.validate_on_submit():
        organisation = db.session.get(Organisation, form.organisation_id.data)
        try:
            user = accounts.create_user(email=form.email.data, role=Role(form.role.data),
                                        organisation=organisation, password=None,
                                        actor=current_user)
        except DomainError:
            form.email.errors.append(_("There is already an account with this e-mail."))
        else:
            token = accounts.create_access_link(
                user, "invite", actor=current_user,
                valid_for=current_app.config["INVITE_VALID_FOR"])
            db.session.commit()
            new_link = (user, _link_url(token))
            form = UserCreateForm(formdata=None)
            form.organisation_id.choices = _organisation_choices()
    return render_template("admin/users.html", form=form, users=services.list_users(),
                           new_link=new_link, role_form=UserRoleForm(),
                           link_form=UserLinkForm(), active_form=UserActiveForm())


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.post("/users/<int:user_id>/role")
@role_required(Role.ADMIN)
def user_role(user_id: int):
    user = _user_or_404(user_id)
    form = UserRoleForm()
    if form.validate_on_submit():
        if user.id == current_user.id:
            flash(_("You cannot change your own role."), "error")
        else:
            accounts.change_role(user, Role(form.role.data), actor=current_user)
            db.session.commit()
            flash(_("The role of %(email)s is changed.", email=user.email), "success")
    else:
        flash(_("Choose a role from the list."), "error")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/active")
@role_required(Role.ADMIN)
def user_active(user_id: int):
    user = _user_or_404(user_id)
    if UserActiveForm().validate_on_submit():
        if user.id == current_user.id:
            flash(_("You cannot deactivate yourself."), "error")
        else:
            # The state the page's button asked for ("active" 0 or 1), so that a second
            # press from the same page (or another administrator's) does not undo the
            # first; a form without it (an older page) switches, as before.
            wanted = request.form.get("active")
            accounts.set_active(user, wanted == "1" if wanted in ("0", "1") else not user.active,
                                actor=current_user)
            db.session.commit()
            flash(_("%(email)s can log in again.", email=user.email) if user.active else
                  _("%(email)s is deactivated and can no longer log in.", email=user.email),
                  "success")
            if not user.active and (tokens := api.live_tokens_created_by(user)):
                flash(ngettext("%(num)s API token that %(email)s created still works. If "
                               "they may still have it, revoke it under API tokens and give "
                               "the system a new one.",
                               "%(num)s API tokens that %(email)s created still work. If "
                               "they may still have them, revoke them under API tokens and "
                               "give the systems new ones.", tokens, email=user.email),
                      "info")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/link")
@role_required(Role.ADMIN)
def user_link(user_id: int):
    user = _user_or_404(user_id)
    if not UserLinkForm().validate_on_submit():
        return redirect(url_for("admin.users"))
    if not user.active:  # its link could set a password but never log in
        flash(_("%(email)s is deactivated: activate the account first, then make a new link.",
                email=user.email), "error")
        return redirect(url_for("admin.users"))
    token = accounts.create_access_link(user, "reset", actor=current_user,
                                        valid_for=current_app.config["INVITE_VALID_FOR"])
    db.session.commit()
    return render_template("admin/link.html", user=user, link=_link_url(token))


@bp.post("/users/<int:user_id>/two-factor-off")
@role_required(Role.ADMIN)
def user_two_factor_off(user_id: int):
    """For someone who lost their phone: they log in with their password again and (an
    administrator must) set up a new authenticator."""
    from app.accounts import two_factor

    user = _user_or_404(user_id)
    if UserActiveForm().validate_on_submit() and two_factor.enabled(user):
        two_factor.disable(user, actor=current_user)
        db.session.commit()
        flash(_("Two-factor authentication of %(email)s is reset.", email=user.email), "success")
    return redirect(url_for("admin.users"))


@bp.get("/audit")
@role_required(Role.ADMIN)
def audit():
    """Who did what, when. Redaction originals are visible here, to admins only, until the
    retention period removes them."""
    action = request.args.get("action") or None
    # No action is named with a NUL, and PostgreSQL refuses one in a query (a bare 400 page).
    events = [] if action and "\x00" in action else services.audit_events(action=action)
    return render_template("admin/audit.html", events=events, action=action)


@bp.route("/api-tokens", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def api_tokens():
    """Tokens for the read-only API. A new token's value is shown once, on this response."""
    form = ApiTokenCreateForm()
    new_token = None
    if form.validate_on_submit() and not once.already_saved(form.submit.label.text):
        token, value = api.create_token(current_user, form.name.data, form.scopes.data)
        once.saved(url_for("admin.api_tokens", _anchor=f"token-{token.id}"))
        db.session.commit()
        new_token = (token, value)
        form = ApiTokenCreateForm(formdata=None)
    return render_template("admin/api_tokens.html", form=form, tokens=api.list_tokens(),
                           new_token=new_token, scope_labels=SCOPE_LABELS)


@bp.post("/api-tokens/<int:token_id>/revoke")
@role_required(Role.ADMIN)
def api_token_revoke(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None:
        abort(404)
    if ApiTokenRevokeForm().validate_on_submit():
        if api.revoke_token(current_user, token):
            db.session.commit()
            flash(_("The token %(name)s is revoked. Systems that use it are refused from now on.",
                    name=token.name), "success")
    return redirect(url_for("admin.api_tokens"))


# --- organisations and places -------------------------------------------------------------------

def _name_error(code: str, exists: str) -> str:
    return {"name": _("Write the name."),
            "name_long": _("The name is too long (at most %(limit)s characters).",
                           limit=services.NAME_MAX),
            "text": _("The text has a hidden character we cannot save. Please type it again."),
            "exists": exists}.get(code, "")


@bp.route("/organisations", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def organisations():
    return _organisation_page(None)


@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def organisation_edit(organisation_id: int):
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        abort(404)
    return _organisation_page(organisation)


def _organisation_page(organisation: Organisation | None):
    """The list with a form to add one (None), or one organisation's form."""
    form = OrganisationForm(obj=organisation)
    if form.validate_on_submit():
        try:
            saved = services.save_organisation(current_user, organisation, form.name.data,
                                               form.sector.data)
        except services.Invalid as exc:
            db.session.rollback()
            message = _name_error(str(exc), _("There is already an organisation with this "
                                              "name."))
            if message:
                form.name.errors.append(message)
            else:
                form.sector.errors.append(_("Choose a sector."))
        else:
            db.session.commit()
            flash(_("%(name)s is saved.", name=saved.name), "success")
            return redirect(url_for("admin.organisations") + f"#organisation-{saved.id}")
    if organisation is not None:
        return render_template("admin/organisation_edit.html", form=form,
                               organisation=organisation, sectors=SECTOR_LABELS)
    return render_template("admin/organisations.html", form=form, sectors=SECTOR_LABELS,
                           rows=services.organisations_with_counts())


def _area_form(area: Area | None, children: dict) -> AreaForm:
    form = AreaForm(obj=area)
    # A place cannot be put in itself or in a place inside it: those are left out.
    inside = set()
    if area is not None:
        stack = [area.id]
        while stack:
            current = stack.pop()
            inside.add(current)
            stack += [c.id for c in children.get(current, [])]
    form.parent_id.choices = [SelectChoice("", _("– none: at the top –")), *(
        SelectChoice(a.id, path) for a, path in services.holders(children)
        if a.id not in inside)]
    return form


@bp.route("/places", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def places():
    return _place_page(None)


@bp.route("/places/<int:area_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def place_edit(area_id: int):
    return _place_page(services.area_or_404(area_id))


def _place_page(area: Area | None):
    """The places with a form to add one (None), or one place's form."""
    children = services.area_tree()
    form = _area_form(area, children)
    if form.validate_on_submit():
        try:
            saved = services.save_area(current_user, area, form.name.data, form.kind.data,
                                       form.parent_id.data)
        except services.Invalid as exc:
            db.session.rollback()
            code = str(exc)
            message = _name_error(code, _("There is already a place with this name there."))
            if message:
                form.name.errors.append(message)
            elif code == "kind":
                form.kind.errors.append(_("Choose a kind."))
            elif code == "holds":
                form.kind.errors.append(_("Places inside this one could not be in a place of "
                                          "this kind: move them first."))
            else:  # parent, parent_kind, cycle
                form.parent_id.errors.append(_(
                    "A district is in a municipality; a school or youth club is in a "
                    "municipality or a district; a municipality is at the top."))
        else:
            db.session.commit()
            flash(_("%(name)s is saved.", name=saved.name), "success")
            return redirect(url_for("admin.places") + f"#place-{saved.id}")
    if area is not None:
        return render_template("admin/place_edit.html", form=form, area=area,
                               uses=services.area_uses(area))
    return render_template("admin/places.html", form=form, children=children,
                           kinds=AREA_KIND_LABELS)


@bp.route("/places/<int:area_id>/delete", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def place_delete(area_id: int):
    """GET asks first (or says what keeps the place); POST deletes a place nothing uses."""
    area = services.area_or_404(area_id)
    if request.method == "POST":
        name = area.name
        try:
            services.delete_area(current_user, area)
        except Conflict:
            db.session.rollback()
            flash(_("%(name)s is in use and is kept.", name=name), "error")
            return redirect(url_for("admin.place_edit", area_id=area_id))
        db.session.commit()
        flash(_("%(name)s is deleted.", name=name), "success")
        return redirect(url_for("admin.places"))
    return render_template("admin/place_delete.html", area=area,
                           uses=services.area_uses(area))
