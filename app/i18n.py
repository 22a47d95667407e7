"""Which language a page is in: the user's choice (cookie), else the browser's, else Swedish."""
from dataclasses import dataclass
from functools import cache, wraps
from urllib.parse import urlencode, urlsplit

import flask_babel
from babel import Locale
from babel.support import NullTranslations, Translations
from flask import Blueprint, current_app, g, redirect, request, url_for
from flask_babel import force_locale, get_locale, get_translations
from flask_login import current_user
from markupsafe import Markup, escape


@dataclass(frozen=True)
class Language:
    code: str
    native_name: str  # the language's name in itself, as people look for it
    rtl: bool = False
    # The locale whose date and time formats the pages use, where the language's own does not
    # suit readers in Sweden. Only formatting: the code stays the language everywhere else.
    formats: str | None = None


# The order of the language menu. Add a language here and a catalog in translations/.
LANGUAGES = {
    lang.code: lang
    for lang in (
        Language("sv", "Svenska"),
        # Babel's "en" is American (Dec 2, 2026, 2:05 PM); British is 2 Dec 2026, 14:05.
        Language("en", "English", formats="en_GB"),
        Language("ar", "العربية", rtl=True),
        Language("so", "Soomaali"),
        Language("fa", "فارسی", rtl=True),  # also for Dari readers
        Language("ti", "ትግርኛ"),
        Language("uk", "Українська"),
        Language("pl", "Polski"),
        Language("bs", "Bosanski"),
        Language("fi", "Suomi"),
    )
}
DEFAULT = "sv"
COOKIE_MAX_AGE = 2 * 365 * 24 * 3600

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    chosen = request.cookies.get(current_app.config["LANGUAGE_COOKIE"])
    if chosen in LANGUAGES:
        return chosen
    user = current_user if current_user else None
    if user is not None and user.is_authenticated and user.locale in LANGUAGES:
        return user.locale
    return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT


def remember_language(response):
    """after_request: a `?lang=xx` choice is remembered like one made in the menu (also when
    the answer is a redirect that never asked for the locale)."""
    code = request.args.get("lang")
    if code in LANGUAGES and request.cookies.get(current_app.config["LANGUAGE_COOKIE"]) != code:
        _set_cookie(response, code)
    return response


def _set_cookie(response, code: str) -> None:
    response.set_cookie(
        current_app.config["LANGUAGE_COOKIE"],
        code,
        max_age=COOKIE_MAX_AGE,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
    )


def safe_next(target: str | None, fallback: str) -> str:
    """Only same-site relative paths are followed after a redirect."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    if "\\" in target:
        return fallback
    if any(ord(c) < 32 or ord(c) == 127 for c in target):
        # A line break cannot be sent in a Location header (it was a 500), and browsers
        # drop tabs and line breaks, so "/\t/evil.example" would leave the site.
        return fallback
    return target


@bp.get("/lang/<code>")
def choose(code: str):
    target = safe_next(request.args.get("next"), url_for("participate.index"))
    response = redirect(target)
    if code in LANGUAGES:
        _set_cookie(response, code)
        from app.extensions import db

        if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
            # A link on another site changes this browser's language (the cookie), but not
            # what is stored for the account or the phone's notifications: a GET must not be
            # a way for another site to write here.
            return response
        if current_user.is_authenticated:
            if current_user.locale != code:
                # Staff keep their choice on every device they log in from.
                current_user.locale = code
                db.session.commit()
        elif token := request.cookies.get(current_app.config["DEVICE_COOKIE"]):
            # A young person's notifications come in the language they chose last.
            from app.participate.services import participant_ids
            from app.push.services import relocalise

            if relocalise(participant_ids(token), code):
                db.session.commit()
    return response


def current_language() -> Language:
    return LANGUAGES.get(str(get_locale()), LANGUAGES[DEFAULT])


@cache
def _locale(code: str) -> Locale:
    return Locale.parse(code)


def _in_page_formats(format_function):
    """A Flask-Babel date filter that formats in the language's `formats` locale. Only for
    the call: translations, `<html lang>` and stored codes keep the language's own code."""
    @wraps(format_function)
    def formatted(*args, **kwargs):
        formats = current_language().formats
        if formats is None:
            return format_function(*args, **kwargs)
        with force_locale(_locale(formats)):
            return format_function(*args, **kwargs)

    return formatted


DATE_FILTERS = {
    "datetimeformat": _in_page_formats(flask_babel.format_datetime),
    "dateformat": _in_page_formats(flask_babel.format_date),
    "timeformat": _in_page_formats(flask_babel.format_time),
}


def template_context() -> dict:
    lang = current_language()
    return {
        "LANGUAGES": LANGUAGES.values(),
        "current_language": lang,
        "html_lang": lang.code,
        "html_dir": "rtl" if lang.rtl else "ltr",
        "language_links": language_links,
    }


# How url_for writes a query string (werkzeug.routing), so the links stay as they were.
QUERY_SAFE = "!$'()*,/:;?@"


def language_links() -> list[tuple[Language, str]]:
    """The language menu: (language, /lang/<code>?next=<this page>) for each language. Ten
    url_for calls were half of the menu's time, on every page; the ten paths never change,
    so each app builds them once (per script root) and only the way back here
    per page."""
    here = request.full_path if request.query_string else request.path
    if "lang" in request.args:
        # A link shared as ?lang=ar: the way back without it, or it would beat the choice.
        rest = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
        here = request.path + ("?" + urlencode(rest) if rest else "")
    back = urlencode({"next": here}, safe=QUERY_SAFE)
    kept = current_app.extensions.setdefault("medskapa.language_paths", {})
    paths = kept.get(request.script_root)
    if paths is None:
        paths = kept[request.script_root] = {code: url_for("i18n.choose", code=code)
                                             for code in LANGUAGES}
    return [(lang, f"{paths[lang.code]}?{back}") for lang in LANGUAGES.values()]


def translations() -> Translations | NullTranslations:
    """This request's catalog, for the templates. Flask-Babel finds it anew on every call (the
    request's namespace, the locale, its name, its cache: 6 µs, and a page translates 20 to 50
    texts); it is kept in `g` with the locale it is for, so that force_locale still gets the
    catalog of the language it forces."""
    locale = get_locale()
    kept = g.get("_translations")
    if kept is None or kept[0] is not locale:
        kept = g._translations = (locale, get_translations())
    return kept[1]


def install_template_gettext(app) -> None:
    """Templates translate through `translations()`, with Jinja's newstyle gettext as
    Flask-Babel installs it (variables, autoescaping); `_` is gettext itself instead of the
    i18n extension's alias, which looks gettext up again on every call."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.globals["_"] = app.jinja_env.globals["gettext"]


def localized(texts: dict | None, locale: str | None = None) -> str:
    """Pick a multilingual text in the page's language, falling back to Swedish."""
    return text_in(texts, locale)[0]


def in_lang(texts: dict | None) -> Markup:
    """A multilingual text for the content of an element: in the page's language, or in
    Swedish inside <span lang="sv">, so that a screen reader reads the fallback with a Swedish
    voice (WCAG 3.1.2). Not for attributes, <option> or <title>: use localized() there."""
    text, other = _in_other_language(texts)
    return Markup('<span lang="%s">%s</span>') % (other, text) if other else escape(text)


def lang_attr(texts: dict | None) -> Markup:
    """` lang="sv"` for an element whose whole content is localized(texts) in Swedish on a page
    in another language (an <option>, a cell with a shortened text); else nothing."""
    other = _in_other_language(texts)[1]
    return Markup(' lang="%s"') % other if other else Markup("")


def _in_other_language(texts: dict | None) -> tuple[str, str | None]:
    """(text, its language when that is not the page's)."""
    text, code = text_in(texts)
    return text, code if text and code != str(get_locale()) else None


def text_in(texts: dict | None, locale: str | None = None) -> tuple[str, str]:
    """(text, the language it is in): the page's language where it exists, else Swedish."""
    if not texts:
        return "", DEFAULT
    locale = locale or str(get_locale())
    for code in (locale, DEFAULT, *texts):
        if texts.get(code):
            return texts[code], code
    return "", DEFAULT
