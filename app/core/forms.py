"""The base of every form: Flask-WTF's (CSRF), with WTForms' own messages ("This field is
required.") in the page's language from a catalog kept per process, and its messages for a
choice the list does not hold in the app's own words. The messages a staff form can show are
in the app's catalogs too, since WTForms' have no Bosnian, Somali or Tigrinya and its Arabic
lacks most plural forms ("… than 254 characters" stayed English).

Flask-WTF reads WTForms' catalog file from disk again on every request that builds a form
(0.2–0.3 ms: the join page, the consent and every staff form); the catalogs never change
while the app runs, so each language's is read once."""
from functools import cache

from babel import support
from flask import request
from flask_babel import get_locale, get_translations, lazy_gettext
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto, _is_submitted
from werkzeug.datastructures import ImmutableMultiDict
from wtforms.i18n import messages_path


@cache  # one per language the app speaks (get_locale gives only those)
def wtforms_catalog(locale: str) -> support.Translations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


# Only a tampered or outdated page sends a value its list does not hold; WTForms then says
# "Invalid Choice: could not coerce." or "'x' is not a valid choice for this field." (in its
# Swedish catalog: "Ogiltigt val: kunde inte tvinga"). Said plainly, in the page's language.
NOT_IN_THE_LIST = lazy_gettext("Choose one of the choices in the list.")
CHOICE_MESSAGES = frozenset({
    "Not a valid choice.", "Invalid Choice: could not coerce.",
    "'%(value)s' is not a valid choice for this field.",
    "'%(value)s' are not valid choices for this field.",
    "Invalid choice(s): one or more data inputs could not be coerced.",
})


def N_(message: str) -> str:
    """Marks a message for the app's catalogs (pybabel extract) without translating it."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """N_ for a message with plural forms (the Makefile extracts it as 1,2)."""
    return singular, plural


# WTForms' messages that the app's forms can show, translated in the app's catalogs.
OWN_CATALOG = frozenset({
    N_("This field is required."), N_("Invalid email address."),
    N_("Not a valid integer value."), N_("Not a valid datetime value."),
    N_("Number must be between %(min)s and %(max)s."),
})
OWN_PLURALS = frozenset(singular for singular, _plural in (
    N_plural("Field cannot be longer than %(max)d character.",
             "Field cannot be longer than %(max)d characters."),
    N_plural("Field must be at least %(min)d character long.",
             "Field must be at least %(min)d characters long."),
))


class Messages:
    """WTForms' catalog for one language, with the app's words for a choice not in the list."""

    def __init__(self, catalog: support.Translations):
        self.catalog = catalog

    def gettext(self, message: str) -> str:
        if message in CHOICE_MESSAGES:
            return str(NOT_IN_THE_LIST)
        if message in OWN_CATALOG:
            return get_translations().gettext(message)
        return self.catalog.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if singular in CHOICE_MESSAGES:
            return str(NOT_IN_THE_LIST)
        if singular in OWN_PLURALS:
            return get_translations().ngettext(singular, plural, n)
        return self.catalog.ngettext(singular, plural, n)


class AppForm(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return Messages(wtforms_catalog(str(get_locale())))

        def wrap_formdata(self, form, formdata):
            """Only a form body fills a form. Flask-WTF also reads a JSON body, and a JSON
            array, number or string there failed inside WTForms (a 500); every form of the
            app is sent as a form, so a JSON body reads as an empty form and gets the form's
            own messages ("This field is required.")."""
            if formdata is _Auto and request.is_json and not request.form \
                    and not request.files:
                return ImmutableMultiDict()
            if formdata is _Auto and request.files and _is_submitted():
                # No form of the app takes a file (the portfolio import reads request.files
                # itself); Flask-WTF would hand a file sent under a text field's name to
                # WTForms as that text (a 500). Only the texts sent fill the form.
                return request.form
            return super().wrap_formdata(form, formdata)

    def error_links(self, groups: dict | None = None) -> list[tuple[str, str, str]]:
        """What a refused form must fix, for the summary at its top: (element id, label,
        message) per field with an error, in the page's order, with the id of the element
        to jump to. `groups` names multilingual fields by their prefix ({"title": "Title"}
        gives "Title – Svenska" for title_sv, not a bare "Svenska") and a list's rows by
        its name ({"options": "Statement {n}"} gives "Statement 2 – Svenska"). The texts
        named in `groups` come first, the other fields follow in the form's order."""
        groups, links = groups or {}, []

        def walk(fields, prefix_label=""):
            for f in fields:
                if f.type == "FieldList":  # rows: "Statement 2 – Svenska"
                    row = str(groups.get(f.short_name, f.label.text))
                    for n, entry in enumerate(f, start=1):
                        walk(entry.form if entry.type == "FormField" else [entry],
                             row.replace("{n}", str(n)) if "{n}" in row else f"{row} {n}")
                    continue
                if not f.errors or f.type in ("HiddenField", "CSRFTokenField"):
                    continue
                label = f.label.text
                group = groups.get(f.short_name.rsplit("_", 1)[0])
                if group:
                    label = f"{group} – {label}"
                elif prefix_label:
                    label = f"{prefix_label} – {label}"
                # A radio group's first button; checkboxes drawn by hand: their message.
                target = f"{f.id}-0" if f.type == "RadioField" else \
                    f"{f.id}-error" if f.type == "SelectMultipleField" else f.id
                links.append((0 if group else 1, target, label,
                              " ".join(str(e) for e in f.errors)))

        walk(self)
        # The multilingual texts open their forms on the page; WTForms lists them last
        # (they are added to the class after it is made).
        return [link[1:] for link in sorted(links, key=lambda link: link[0])]
