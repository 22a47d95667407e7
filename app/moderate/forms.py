from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from app.core.forms import AppForm
from app.core.text import one_newline


class ContributionRedactForm(AppForm):
    text = TextAreaField(_l("The text as others will see it"),
                         validators=[DataRequired(), Length(max=600)],
                         filters=[lambda value: one_newline(value) if value else value])
