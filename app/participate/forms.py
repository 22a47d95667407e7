from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SubmitField
from wtforms.fields import SelectChoice

from app.core.forms import AppForm
from app.participate.models import AgeBand

AGE_BANDS = [
    SelectChoice("", _l("I'd rather not say")),
    SelectChoice(AgeBand.UP_TO_12.value, _l("12 or younger")),
    SelectChoice(AgeBand.FROM_13_TO_15.value, _l("13–15")),
    SelectChoice(AgeBand.FROM_16_TO_19.value, _l("16–19")),
    SelectChoice(AgeBand.FROM_20.value, _l("20 or older")),
]


class JoinForm(AppForm):
    """Consent and the optional, coarse profile. Nothing here identifies a child."""

    age_band = RadioField(_l("How old are you?"), choices=AGE_BANDS, default="",
                          validate_choice=False)
    area = RadioField(_l("Where do you go?"), coerce=str, default="", validate_choice=False)
    area_from_poster = HiddenField()
    submit = SubmitField(_l("I understand – start"))
