"""Forms for authoring consultations.

A multilingual text gets one field per UI language, named <text>_<code> (title_sv,
title_en, …); only Swedish is required, the other languages are filled in when someone has
translated them."""
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext, ngettext
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields import DateTimeLocalField, SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.consultations.models import Moderation, QuestionKind, Status
from app.consultations.services import ConsultationDetails
from app.core.forms import AppForm
from app.core.text import TextError, check_text, one_newline, strip_ends, whole_number
from app.core.time import YEARS
from app.i18n import DEFAULT, LANGUAGES

KIND_LABELS = {
    QuestionKind.IDEA: _l("Ideas (free text)"),
    QuestionKind.STATEMENT: _l("Statements (agree / disagree / pass)"),
    QuestionKind.RANK: _l("Ranking (top choices or dots)"),
    QuestionKind.WORD: _l("One word (word cloud)"),
    QuestionKind.SCALE: _l("Scale from 1 to 5 with faces"),
    QuestionKind.CHOICE: _l("Choice (one or several)"),
}

STATUS_LABELS = {
    Status.DRAFT: _l("Draft"),
    Status.OPEN: _l("Open"),
    Status.CLOSED: _l("Closed"),
    Status.FEEDBACK_GIVEN: _l("Feedback given"),
    # Open, as phones see it (views.shown_status): not started yet, or past its closing time.
    "upcoming": _l("Not open yet"),
    "ended": lazy_pgettext("consultation", "Ended"),  # an initiative's "Ended" is another word
}

MODERATION_HINTS = {
    Moderation.PRE: _l("Nothing young people write is shown to others until a youth leader "
                       "has approved it. Safest, and the right choice for most groups."),
    Moderation.POST: _l("Ideas are shown to the others at once and you can hide them "
                        "afterwards. Texts that the automatic checks flag still wait for you."),
}

# An edit form sent after someone else saved the same thing (views check the fingerprint).
CHANGED_MEANWHILE = _l("Someone else saved a change to this while you were editing it (in "
                       "another tab or on another device). What you typed is still here, "
                       "not saved: compare it with the saved version and press Save again.")

# Option rows shown for a new question and, below the existing options, for an edited one.
NEW_OPTION_ROWS = 5
EXTRA_OPTION_ROWS = 3
MIN_OPTIONS = {QuestionKind.CHOICE: 2, QuestionKind.RANK: 2, QuestionKind.STATEMENT: 1}
# More than a young person reads through on a phone (and a bound on what one form may add).
MAX_OPTIONS = 50
LOCAL_FORMAT = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


def _strip(value):
    return strip_ends(one_newline(value)) if isinstance(value, str) else value


def _local_zone() -> ZoneInfo:
    """Staff type local times; stored as UTC (the model converts)."""
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


# WTForms' own message for a time it cannot read, from WTForms' catalog (field.gettext), so
# a constant: not one more string for our catalogs.
INVALID_MOMENT = "Not a valid datetime value."


def _a_moment_in_utc_too(form, field) -> None:
    """A year outside YEARS (a typo: 0202): 0001-01-01 00:30 in Stockholm is before year 1
    in UTC, which Python cannot hold (a bare 400 page, the form lost), and the follow-up
    could not count year 1 or 9999 (a 500 for the whole coalition)."""
    if field.data is not None and field.data.year not in YEARS:
        raise ValidationError(field.gettext(INVALID_MOMENT))


def _storable(form, field) -> None:
    """Refuse what would break or spoof the page a young person reads (and a NUL, which
    PostgreSQL refuses), as their own texts are; the text is otherwise kept as written."""
    try:
        check_text(field.data or "")
    except TextError as exc:
        raise ValidationError(
            _("The text has a hidden character that changes the writing direction. "
              "Please type it again.") if exc.code == "bidi"
            else _("The text has a hidden character we cannot save. Please type it again.")
        ) from None


def add_text_fields(form_class, name: str, *, max_length: int, textarea: bool = False,
                    required_message=None) -> None:
    """One field per UI language, labelled with the language's own name."""
    field_class = TextAreaField if textarea else StringField
    for lang in LANGUAGES.values():
        required = required_message is not None and lang.code == DEFAULT
        validators = [DataRequired(required_message) if required else Optional(),
                      Length(max=max_length), _storable]
        setattr(form_class, f"{name}_{lang.code}", field_class(
            lang.native_name, validators, filters=[_strip],
            render_kw={"lang": lang.code, "dir": "rtl" if lang.rtl else "ltr"}))


def text_data(name: str, stored: dict | None) -> dict:
    """A stored multilingual text as form data for add_text_fields' fields."""
    return {f"{name}_{code}": (stored or {}).get(code, "") for code in LANGUAGES}


class TextsMixin:
    def texts(self, name: str) -> dict[str, str]:
        """The multilingual text `name` as typed: {"sv": …, "en": …, "ar": ""}."""
        return {code: self[f"{name}_{code}"].data or "" for code in LANGUAGES}


class ConsultationEditForm(TextsMixin, AppForm):
    areas = SelectMultipleField(_l("Schools and youth clubs"), coerce=int)
    challenge_areas = SelectMultipleField(_l("Challenge areas"), coerce=int)
    opens_at = DateTimeLocalField(_l("Opens"), validators=[Optional(), _a_moment_in_utc_too],
                                  format=LOCAL_FORMAT, tz=_local_zone)
    closes_at = DateTimeLocalField(_l("Closes"), validators=[Optional(), _a_moment_in_utc_too],
                                   format=LOCAL_FORMAT, tz=_local_zone)
    moderation = RadioField(
        _l("When may young people see each other's ideas?"),
        choices=[SelectChoice(Moderation.PRE.value,
                              _l("After a youth leader has approved them (pre-moderation)")),
                 SelectChoice(Moderation.POST.value, _l("At once (post-moderation)"))],
        default=Moderation.PRE.value)
    retention_months = IntegerField(
        _l("Delete the raw answers this many months after closing"),
        validators=[Optional(), NumberRange(min=1, max=60)], default=12)
    seen = HiddenField()  # services.fingerprint of what the form was filled with
    submit = SubmitField(_l("Save"))

    def validate_closes_at(self, field):
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError(_("The closing time must be after the opening time."))

    @classmethod
    def data_for(cls, consultation) -> dict:
        if consultation is None:
            return {}
        return {
            **text_data("title", consultation.title),
            **text_data("intro", consultation.intro),
            "areas": [a.id for a in consultation.areas],
            "challenge_areas": [c.id for c in consultation.challenge_areas],
            "opens_at": consultation.opens_at,
            "closes_at": consultation.closes_at,
            "moderation": consultation.moderation,
            "retention_months": consultation.retention_months,
        }

    def details(self) -> ConsultationDetails:
        return ConsultationDetails(
            title=self.texts("title"), intro=self.texts("intro"),
            area_ids=self.areas.data or [], challenge_area_ids=self.challenge_areas.data or [],
            opens_at=self.opens_at.data, closes_at=self.closes_at.data,
            moderation=self.moderation.data, retention_months=self.retention_months.data)


add_text_fields(ConsultationEditForm, "title", max_length=200,
                required_message=_l("Write the title in Swedish."))
add_text_fields(ConsultationEditForm, "intro", max_length=2000, textarea=True)


class OptionRowForm(TextsMixin, Form):
    """One option (or staff statement) row; a sub-form, so it has no CSRF token of its own."""

    id = HiddenField()

    def option_id(self) -> int | None:
        return whole_number(self.id.data or "")


add_text_fields(OptionRowForm, "text", max_length=300)


class QuestionEditForm(TextsMixin, AppForm):
    mode = RadioField(
        _l("How do young people rank?"),
        choices=[SelectChoice("order", _l("They put their top choices in order")),
                 SelectChoice("dots", _l("They spread dots over the options"))],
        default="order")
    top_n = IntegerField(_l("How many places to fill (top choices)"), default=3,
                         validators=[InputRequired(), NumberRange(min=1, max=10)])
    dots = IntegerField(_l("How many dots each young person gets"), default=5,
                        validators=[InputRequired(), NumberRange(min=1, max=20)])
    multiple = BooleanField(_l("Young people may choose more than one"))
    source_question_id = SelectField(_l("Also show approved ideas from"), coerce=int,
                                     default=0)
    options = FieldList(FormField(OptionRowForm))
    seen = HiddenField()  # services.question_fingerprint when the editor was filled
    submit = SubmitField(_l("Save question"))

    # Fields that belong to some kinds only; the others are removed by question_form().
    KIND_FIELDS = {
        QuestionKind.RANK: {"mode", "top_n", "dots", "options"},
        QuestionKind.CHOICE: {"multiple", "options"},
        QuestionKind.STATEMENT: {"source_question_id", "options"},
    }

    def validate(self, extra_validators=None) -> bool:
        if "mode" in self._fields:
            # The number the other mode uses is not shown as needed: left empty, it keeps
            # its default instead of stopping the form.
            unused = self.dots if self.mode.data == "order" else self.top_n
            if not (unused.raw_data and unused.raw_data[0].strip()):
                unused.raw_data = [str(unused.default)]
                unused.process_formdata(unused.raw_data)
                unused.process_errors = []
        valid = super().validate(extra_validators)
        if "options" not in self._fields:
            return valid
        filled, seen = 0, set()
        for row in self.options:
            typed = {code: text for code, text in row.form.texts("text").items() if text}
            same = " ".join(typed.get(DEFAULT, "").split()).casefold()
            if row.form.option_id() is not None and not typed:
                row.form.text_sv.errors.append(_("To remove an option, use its Remove button."))
                valid = False
            elif typed and not typed.get(DEFAULT):
                row.form.text_sv.errors.append(_("Write it in Swedish too."))
                valid = False
            elif same in seen:
                row.form.text_sv.errors.append(_("Another option says the same."))
                valid = False
            elif typed:
                seen.add(same)
                filled += 1
        needed = MIN_OPTIONS.get(self.kind, 0)
        if self.kind == QuestionKind.STATEMENT and self.source_question_id.data:
            needed = 0  # the young people's ideas are the statements
        if filled < needed:
            self.form_errors.append(ngettext("Write at least %(num)s option.",
                                             "Write at least %(num)s options.", needed))
            valid = False
        elif filled > MAX_OPTIONS:
            self.form_errors.append(ngettext("Write at most %(num)s option.",
                                             "Write at most %(num)s options.", MAX_OPTIONS))
            valid = False
        elif ("mode" in self._fields and self.mode.data == "order" and self.top_n.data
              and self.top_n.data > filled):
            self.top_n.errors.append(ngettext(
                "There is %(num)s option: ask for at most that many places.",
                "There are %(num)s options: ask for at most that many places.", filled))
            valid = False
        return valid

    def settings(self) -> dict:
        names = ("mode", "top_n", "dots", "multiple", "source_question_id")
        return {name: self[name].data for name in names if name in self._fields}

    def option_rows(self) -> list[tuple[int | None, dict]]:
        if "options" not in self._fields:
            return []
        return [(row.form.option_id(), row.form.texts("text")) for row in self.options]


add_text_fields(QuestionEditForm, "prompt", max_length=300,
                required_message=_l("Write the question in Swedish."))
add_text_fields(QuestionEditForm, "help", max_length=500, textarea=True)


def question_form(kind: str, question=None, formdata=None) -> QuestionEditForm:
    """The form for a question of `kind`, filled from `question` when it exists (and from
    `formdata` instead of the request's when given: what was typed, less a removed row)."""
    if question is None:
        data = {"options": [{} for _ in range(NEW_OPTION_ROWS)]}
    else:
        data = {**text_data("prompt", question.prompt), **text_data("help", question.help),
                **(question.settings or {}),
                "options": [{"id": str(o.id), **text_data("text", o.text)}
                            for o in question.options if o.archived_at is None]
                + [{} for _ in range(EXTRA_OPTION_ROWS)]}
        data.setdefault("source_question_id", 0)
    form = QuestionEditForm(data=data) if formdata is None else \
        QuestionEditForm(formdata=formdata, data=data)
    for name in {"mode", "top_n", "dots", "multiple", "source_question_id", "options"} \
            - QuestionEditForm.KIND_FIELDS.get(kind, set()):
        delattr(form, name)
    form.kind = kind
    return form


class QuestionCreateForm(AppForm):
    """Choosing the kind of a new question (a GET form, so no CSRF token)."""

    class Meta:
        csrf = False

    kind = SelectField(_l("Kind of question"),
                       choices=[SelectChoice(str(k), label) for k, label in KIND_LABELS.items()])


class ConsultationOpenForm(AppForm):
    submit = SubmitField(_l("Open"))


class ConsultationCloseForm(AppForm):
    submit = SubmitField(_l("Close"))


class ConsultationDuplicateForm(AppForm):
    submit = SubmitField(_l("Duplicate as a template"))


class ConsultationDeleteForm(AppForm):
    submit = SubmitField(_l("Delete"))


class QuestionMoveForm(AppForm):
    direction = HiddenField()  # set by the button pressed: "up" or "down"


class QuestionRemoveForm(AppForm):
    confirm = HiddenField()  # "1" from the confirmation page


class OptionRemoveForm(AppForm):
    confirm = HiddenField()
