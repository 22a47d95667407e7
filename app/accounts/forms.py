from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, StopValidation, ValidationError

from app.accounts.services import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, password_is_common
from app.core.forms import AppForm


def not_too_long(form, field):
    """Checked here and not with Length(max=…): that puts maxlength on the input, and a
    browser cuts a longer pasted password there without a word — at "Repeat the password",
    which has no limit, the two then differed, and at login it was a wrong password."""
    if field.data and len(field.data) > MAX_PASSWORD_LENGTH:
        raise StopValidation(_l("The password is too long: it can have at most %(max)s "
                                "characters.", max=MAX_PASSWORD_LENGTH))


def not_common(form, field):
    if field.data and password_is_common(field.data):
        raise ValidationError(_l("This password is one that people guess first. Choose a "
                                 "longer one, for example a few words you remember."))


class LoginForm(AppForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)],
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), not_too_long],
                             render_kw={"autocomplete": "current-password"})
    submit = SubmitField(_l("Log in"))


class PasswordSetForm(AppForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), not_too_long, Length(min=MIN_PASSWORD_LENGTH), not_common],
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
