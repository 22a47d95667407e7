from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Email, Length, ValidationError

from app.api.models import SCOPES
from app.coalition.models import AreaKind, Sector
from app.core.forms import AppForm
from app.core.roles import Role
from app.core.text import TextError, check_text, whole_number


def storable(form, field) -> None:
    """No direction overrides or control characters: they would show the name in a
    misleading order in the list of tokens and in the audit log."""
    try:
        check_text(field.data or "", multiline=False)
    except TextError:
        raise ValidationError(_("The text has a hidden character we cannot save. "
                                "Please type it again.")) from None

ROLE_LABELS = {
    Role.YOUTH_LEADER: _l("Youth leader"),
    Role.CORE_TEAM: _l("Core team"),
    Role.ADMIN: _l("Administrator"),
}


def role_choices():
    return [SelectChoice(str(role), label) for role, label in ROLE_LABELS.items()]


# What an API token may read (app/api/models.SCOPES), as admins see it.
SCOPE_LABELS = {
    "priorities": _l("Youth priorities"),
    "initiatives": _l("Initiatives"),
    "links": _l("Links between priorities and initiatives"),
    "decisions": _l("Decisions of the core team, with votes by organisation"),
    "feedback": _l("Published feedback to young people"),
}


def scope_choices():
    return [SelectChoice(scope, SCOPE_LABELS[scope]) for scope in SCOPES]


def organisation_id(value) -> int | None:
    """An organisation's id from the select; the empty first choice (and anything that is
    not an id) is None, so that DataRequired asks for a choice."""
    return value if isinstance(value, int) else whole_number(value)


class UserCreateForm(AppForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)],
                       filters=[lambda value: value.strip() if isinstance(value, str) else value])
    role = SelectField(_l("Role"), choices=role_choices)
    # Every account belongs to an organisation, whatever its role (users.organisation_id is
    # NOT NULL): a youth leader sees that organisation's consultations. Nothing is chosen
    # beforehand, so that nobody creates an account in the first organisation of the list
    # by not looking.
    organisation_id = SelectField(
        _l("Organisation"), coerce=organisation_id,
        validators=[DataRequired(message=_l("Choose the organisation the account belongs "
                                            "to."))])
    submit = SubmitField(_l("Create account and invite link"))


class UserRoleForm(AppForm):
    role = SelectField(_l("Role"), choices=role_choices)
    submit = SubmitField(_l("Change role"))


class UserLinkForm(AppForm):
    submit = SubmitField(_l("Create password reset link"))


class UserActiveForm(AppForm):
    submit = SubmitField(_l("Change"))


class ApiTokenCreateForm(AppForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200), storable],
                       description=_l("Which system uses it, e.g. the municipality's "
                                      "dashboard."))
    scopes = SelectMultipleField(
        _l("What it may read"), choices=scope_choices,
        validators=[DataRequired(message=_l("Choose at least one thing the token may read."))])
    submit = SubmitField(_l("Create token"))


class ApiTokenRevokeForm(AppForm):
    submit = SubmitField(_l("Revoke"))


SECTOR_LABELS = {
    Sector.PUBLIC: _l("Public sector"),
    Sector.CIVIL_SOCIETY: _l("Civil society"),
    Sector.BUSINESS: _l("Business"),
    Sector.ACADEMIA: _l("Academia"),
}
AREA_KIND_LABELS = {
    AreaKind.MUNICIPALITY: _l("Municipality"),
    AreaKind.DISTRICT: _l("District"),
    AreaKind.SCHOOL: _l("School"),
    AreaKind.CLUB: _l("Youth club"),
}


# The names are checked by the services (admin/services.py _name), with their own messages.
class OrganisationForm(AppForm):
    name = StringField(_l("Name"))
    sector = SelectField(_l("Sector"), choices=lambda: [
        SelectChoice(str(s), label) for s, label in SECTOR_LABELS.items()])
    submit = SubmitField(_l("Save"))


class AreaForm(AppForm):
    name = StringField(_l("Name"))
    kind = SelectField(_l("Kind"), choices=lambda: [
        SelectChoice(str(k), label) for k, label in AREA_KIND_LABELS.items()])
    # Choices are set by the view (the places that can hold others); "" is the top.
    parent_id = SelectField(_l("In"), coerce=organisation_id, validate_choice=False)
    submit = SubmitField(_l("Save"))
