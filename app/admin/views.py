from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields import SelectChoice

from app.accounts import services as accounts
from app.accounts.models import User
from app.admin import bp, services
from app.admin.forms import UserActiveForm, UserCreateForm, UserLinkForm, UserRoleForm
from app.coalition.models import Organisation
from app.core.errors import DomainError
from app.core.roles import Role, role_required
from app.extensions import db


def _organisation_choices() -> list[SelectChoice]:
    return [SelectChoice(o.id, o.name) for o in services.list_organisations()]


def _link_url(token: str) -> str:
    return url_for("accounts.access", token=token, _external=True)


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
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/active")
@role_required(Role.ADMIN)
def user_active(user_id: int):
    user = _user_or_404(user_id)
    if UserActiveForm().validate_on_submit():
        if user.id == current_user.id:
            flash(_("You cannot deactivate yourself."), "error")
        else:
            accounts.set_active(user, not user.active, actor=current_user)
            db.session.commit()
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/link")
@role_required(Role.ADMIN)
def user_link(user_id: int):
    user = _user_or_404(user_id)
    if not UserLinkForm().validate_on_submit():
        return redirect(url_for("admin.users"))
    token = accounts.create_access_link(user, "reset", actor=current_user,
                                        valid_for=current_app.config["INVITE_VALID_FOR"])
    db.session.commit()
    return render_template("admin/link.html", user=user, link=_link_url(token))


@bp.get("/audit")
@role_required(Role.ADMIN)
def audit():
    """Who did what, when. Redaction originals are visible here, to admins only, until the
    retention period removes them."""
    action = request.args.get("action") or None
    return render_template("admin/audit.html", events=services.audit_events(action=action),
                           action=action)
