from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length


class ContributionRedactForm(FlaskForm):
    text = TextAreaField(_l("The text as others will see it"),
                         validators=[DataRequired(), Length(max=600)])
