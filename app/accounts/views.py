from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.accounts import bp, services
from app.accounts.forms import LoginForm, LogoutForm, PasswordSetForm
from app.core.errors import DomainError
from app.extensions import db, login_manager
from app.i18n import safe_next

login_manager.login_view = "accounts.login"
login_manager.login_message = None  # the login page itself says what to do
login_manager.user_loader(services.load_user)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        db.session.commit()  # the audit event, whatever the outcome
        if user is None:
            form.password.errors.append(_("Wrong e-mail or password."))
        else:
            session.clear()  # a fresh session on login
            login_user(user)
            return redirect(safe_next(request.args.get("next"), url_for("accounts.home")))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    if LogoutForm().validate_on_submit():
        services.record_logout(current_user)
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("You are logged out."), "info")
    return redirect(url_for("accounts.login"))


@bp.get("/staff")
@login_required
def home():
    return render_template("accounts/home.html")


@bp.route("/access/<token>", methods=["GET", "POST"])
def access(token: str):
    try:
        link = services.find_access_link(token)
    except services.LinkInvalid:
        return render_template("accounts/link_invalid.html"), 410
    form = PasswordSetForm()
    if form.validate_on_submit():
        try:
            services.redeem_access_link(token, form.password.data)
        except DomainError:
            return render_template("accounts/link_invalid.html"), 410
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("Your password is saved. Log in with it now."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/access.html", form=form, link=link,
                           min_length=services.MIN_PASSWORD_LENGTH,
                           valid_for=current_app.config["INVITE_VALID_FOR"])
