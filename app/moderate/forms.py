from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from app.core.forms import AppForm


class ContributionRedactForm(AppForm):
    text = TextAreaField(_l("The text as others will see it"),
                         validators=[DataRequired(), Length(max=600)])
