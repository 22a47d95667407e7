"""The base of every form: Flask-WTF's (CSRF), with WTForms' own messages ("This field is
required.") in the page's language from a catalog kept per process.

Flask-WTF reads WTForms' catalog file from disk again on every request that builds a form
(0.2–0.3 ms: the join page, the consent and every staff form); the catalogs never change
while the app runs, so each language's is read once."""
from functools import cache

from babel import support
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms.i18n import messages_path


@cache  # one per language the app speaks (get_locale gives only those)
def wtforms_catalog(locale: str) -> support.Translations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class AppForm(FlaskForm):
    class Meta:
        def get_translations(self, form):
            return wtforms_catalog(str(get_locale()))
