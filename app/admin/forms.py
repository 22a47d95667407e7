from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, SubmitField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Email, Length

from app.core.roles import Role

ROLE_LABELS = {
    Role.YOUTH_LEADER: _l("Youth leader"),
    Role.CORE_TEAM: _l("Core team"),
    Role.ADMIN: _l("Administrator"),
}


def role_choices():
    return [SelectChoice(str(role), label) for role, label in ROLE_LABELS.items()]


class UserCreateForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(_l("Role"), choices=role_choices)
    organisation_id = SelectField(_l("Organisation"), coerce=int)
    submit = SubmitField(_l("Create account and invite link"))


class UserRoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=role_choices)
    submit = SubmitField(_l("Change role"))


class UserLinkForm(FlaskForm):
    submit = SubmitField(_l("Create password reset link"))


class UserActiveForm(FlaskForm):
    submit = SubmitField(_l("Change"))
