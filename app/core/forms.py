"""The base of every form: Flask-WTF's (CSRF), with WTForms' own messages ("This field is
required.") in the page's language from a catalog kept per process.

Flask-WTF reads WTForms' catalog file from disk again on every request that builds a form
(0.2–0.3 ms: the join page, the consent and every staff form); the catalogs never change
while the app runs, so each language's is read once."""
from functools import cache

from babel import support
from flask import request
from flask_babel import get_locale
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto
from werkzeug.datastructures import ImmutableMultiDict
from wtforms.i18n import messages_path


@cache  # one per language the app speaks (get_locale gives only those)
def wtforms_catalog(locale: str) -> support.Translations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class AppForm(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return wtforms_catalog(str(get_locale()))

        def wrap_formdata(self, form, formdata):
            """Only a form body fills a form. Flask-WTF also reads a JSON body, and a JSON
            array, number or string there failed inside WTForms (a 500); every form of the
            app is sent as a form, so a JSON body reads as an empty form and gets the form's
            own messages ("This field is required.")."""
            if formdata is _Auto and request.is_json and not request.form \
                    and not request.files:
                return ImmutableMultiDict()
            return super().wrap_formdata(form, formdata)
