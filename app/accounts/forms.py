from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from app.accounts.services import MIN_PASSWORD_LENGTH, password_is_common
from app.core.forms import AppForm


def not_common(form, field):
    if field.data and password_is_common(field.data):
        raise ValidationError(_l("This password is one that people guess first. Choose a "
                                 "longer one, for example a few words you remember."))


class LoginForm(AppForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1000)],
                             render_kw={"autocomplete": "current-password"})
    submit = SubmitField(_l("Log in"))


class PasswordSetForm(AppForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=1000), not_common],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Save password"))


class LogoutForm(AppForm):
    submit = SubmitField(_l("Log out"))


class CodeForm(AppForm):
    """The six-digit code from an authenticator app."""

    code = StringField(_l("Code from your authenticator app"),
                       validators=[DataRequired(), Length(max=12)],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric",
                                  "pattern": "[0-9 ]*", "maxlength": "12"})
    submit = SubmitField(_l("Confirm"))


class TwoFactorOffForm(AppForm):
    submit = SubmitField(_l("Turn off two-factor authentication"))
