import time
from urllib.parse import urlsplit

from flask import current_app, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.accounts import bp, services, two_factor
from app.accounts.forms import CodeForm, LoginForm, LogoutForm, PasswordSetForm
from app.audit.services import record
from app.core.errors import DomainError
from app.extensions import db, limiter, login_manager
from app.i18n import safe_next

login_manager.login_view = "accounts.login"
login_manager.login_message = None  # the login page itself says what to do
login_manager.user_loader(services.load_user)
# Flask-Login's "basic" session protection writes `_fresh` into every anonymous session on
# every request that looks at current_user, so each such response sent a new session cookie:
# a page fetched in the background while someone logs in (the service worker caching the
# offline page) then overwrote the cookie the login had just set, and the next page asked
# for the password again. Sessions are limited here instead (staff_session_limits below,
# session_version on logout); nothing asks for a "fresh" login.
login_manager.session_protection = None

# Sized for a school or an office behind one address: a whole staff room may log in within
# a minute; a password-guessing script may not. Per account, only failed tries count.
LOGIN_LIMIT_ADDRESS = "30 per minute;300 per hour"
LOGIN_LIMIT_ACCOUNT = "10 per 15 minutes"
CODE_LIMIT = "10 per 5 minutes"
PENDING_SECONDS = 300  # between the password and the code


def _address() -> str:
    return "login-ip:" + (request.remote_addr or "")


def _account() -> str:
    return "login-account:" + services.normalise_email(request.form.get("email", ""))[:254]


def _pending_key() -> str:
    return "login-code:" + str((session.get("pending_login") or {}).get("user", ""))


def _failed(response) -> bool:
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT_ADDRESS, key_func=_address, methods=["POST"])
@limiter.limit(LOGIN_LIMIT_ACCOUNT, key_func=_account, methods=["POST"], deduct_when=_failed)
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
            next_url = safe_next(request.args.get("next"), url_for("accounts.home"))
            session.clear()  # a fresh session on login
            if two_factor.enabled(user) or two_factor.required(user):
                session["pending_login"] = {"user": user.get_id(), "at": int(time.time()),
                                            "next": next_url}
                return redirect(url_for("accounts.second_factor"))
            return _finish_login(user, next_url)
    return render_template("accounts/login.html", form=form)


def _finish_login(user, next_url: str):
    session.clear()
    login_user(user)
    session["login_at"] = session["seen_at"] = int(time.time())
    return redirect(next_url)


def _pending_user():
    pending = session.get("pending_login")
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    return services.load_user(pending["user"])


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(CODE_LIMIT, key_func=_pending_key, methods=["POST"])
def second_factor():
    """The second step of a login: the code from an authenticator app. An administrator who
    has not set it up yet does so here, before getting in."""
    if current_user.is_authenticated:
        return redirect(url_for("accounts.home"))
    user = _pending_user()
    if user is None:
        session.pop("pending_login", None)
        flash(_("Please log in again."), "info")
        return redirect(url_for("accounts.login"))
    pending = session["pending_login"]
    setting_up = not two_factor.enabled(user)
    if setting_up and "secret" not in pending:
        pending["secret"] = two_factor.new_secret()
        session.modified = True
    form = CodeForm()
    if form.validate_on_submit():
        ok = (two_factor.enable(user, pending["secret"], form.code.data) if setting_up
              else two_factor.verify(user, form.code.data))
        if ok:
            record("login.second_factor", actor=user, obj=user)
            db.session.commit()
            return _finish_login(user, pending.get("next") or url_for("accounts.home"))
        record("login.second_factor_failed", actor=user, obj=user)
        db.session.commit()
        form.code.errors.append(_("That code is not right. Use the newest code in the app "
                                  "and try again."))
    uri = two_factor.provisioning_uri(user, pending["secret"]) if setting_up else None
    return render_template("accounts/code.html", form=form, setting_up=setting_up,
                           qr=two_factor.qr_svg(uri) if uri else None,
                           secret=pending.get("secret") if setting_up else None)


# Requests a page makes by itself, every few seconds, with nobody at the keyboard: they are
# not use. A projector left open after the lesson would otherwise keep the leader's session
# alive on that laptop for its whole lifetime.
BACKGROUND_POLLS = frozenset({"results.live_state"})


@bp.before_app_request
def staff_session_limits():
    """A staff session ends after a while without use and after its absolute lifetime
    (OWASP ASVS), whatever the cookie says."""
    if request.endpoint in (None, "static", "pwa.service_worker", "health.healthz") \
            or not current_user.is_authenticated:
        return None
    now = int(time.time())
    login_at = session.get("login_at")
    seen_at = session.get("seen_at", login_at)
    config = current_app.config
    if (login_at is None
            or now - login_at > config["PERMANENT_SESSION_LIFETIME"].total_seconds()
            or now - seen_at > config["STAFF_IDLE_TIMEOUT"].total_seconds()):
        logout_user()
        session.clear()
        flash(_("You were logged out because you had not used Medskapa for a while. "
                "Please log in again."), "info")
        if request.endpoint in BACKGROUND_POLLS:  # the page says so (live.js), not a redirect
            return jsonify(logged_out=True), 401
        return redirect(url_for("accounts.login", next=_page_to_return_to()))
    if now - seen_at >= 60 and request.endpoint not in BACKGROUND_POLLS:  # a cookie a minute
        session["seen_at"] = now
    return None


def _page_to_return_to() -> str | None:
    """After logging in again: the page asked for, or, for a form that was being saved, the
    form's own page (app.js puts back what was typed there; nothing was saved)."""
    if request.method == "GET":
        return request.full_path.rstrip("?")
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host or not referrer.path.startswith("/"):
        return None
    return referrer.path + (f"?{referrer.query}" if referrer.query else "")


@bp.post("/logout")
@login_required
def logout():
    if LogoutForm().validate_on_submit():
        # Ends this session on the server too: the old cookie stops working everywhere.
        services.record_logout(current_user)
        current_user.session_version += 1
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("You are logged out."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/staff/two-factor", methods=["GET", "POST"])
@login_required
def two_factor_settings():
    """Turn two-factor authentication on (anyone) or off (not administrators)."""
    user = current_user._get_current_object()
    form = CodeForm()
    if not two_factor.enabled(user):
        secret = session.setdefault("totp_setup", two_factor.new_secret())
        if form.validate_on_submit():
            if two_factor.enable(user, secret, form.code.data):
                db.session.commit()
                session.pop("totp_setup", None)
                login_user(user)  # the session version changed: stay logged in here
                flash(_("Two-factor authentication is on."), "success")
                return redirect(url_for("accounts.home"))
            form.code.errors.append(_("That code is not right. Use the newest code in the "
                                      "app and try again."))
        return render_template("accounts/two_factor.html", form=form, enabled=False,
                               qr=two_factor.qr_svg(two_factor.provisioning_uri(user, secret)),
                               secret=secret)
    if request.method == "POST" and not two_factor.required(user):
        if form.validate_on_submit() and two_factor.verify(user, form.code.data):
            two_factor.disable(user, actor=user)
            db.session.commit()
            login_user(user)
            flash(_("Two-factor authentication is off."), "info")
            return redirect(url_for("accounts.home"))
        form.code.errors.append(_("That code is not right. Use the newest code in the app "
                                  "and try again."))
    return render_template("accounts/two_factor.html", form=form, enabled=True,
                           required=two_factor.required(user))


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
    valid = form.validate_on_submit()
    if valid and form.password.data.strip().lower() == link.user.email.lower():
        form.password.errors.append(_("Your e-mail address is the first thing a guesser "
                                      "tries. Choose something else."))
        valid = False
    if valid:
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
