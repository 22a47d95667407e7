"""Which language a page is in: the user's choice (cookie), else the browser's, else Swedish."""
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, request, url_for
from flask_babel import get_locale
from flask_login import current_user


@dataclass(frozen=True)
class Language:
    code: str
    native_name: str  # the language's name in itself, as people look for it
    rtl: bool = False


# The order of the language menu. Add a language here and a catalog in translations/.
LANGUAGES = {
    lang.code: lang
    for lang in (
        Language("sv", "Svenska"),
        Language("en", "English"),
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
    return target


@bp.get("/lang/<code>")
def choose(code: str):
    target = safe_next(request.args.get("next"), url_for("participate.index"))
    response = redirect(target)
    if code in LANGUAGES:
        _set_cookie(response, code)
        if current_user.is_authenticated and current_user.locale != code:
            # Staff keep their choice on every device they log in from.
            from app.extensions import db

            current_user.locale = code
            db.session.commit()
    return response


def current_language() -> Language:
    return LANGUAGES.get(str(get_locale()), LANGUAGES[DEFAULT])


def template_context() -> dict:
    lang = current_language()
    return {
        "LANGUAGES": LANGUAGES.values(),
        "current_language": lang,
        "html_lang": lang.code,
        "html_dir": "rtl" if lang.rtl else "ltr",
    }


def localized(texts: dict | None, locale: str | None = None) -> str:
    """Pick a multilingual text in the page's language, falling back to Swedish."""
    return text_in(texts, locale)[0]


def text_in(texts: dict | None, locale: str | None = None) -> tuple[str, str]:
    """(text, the language it is in): the page's language where it exists, else Swedish."""
    if not texts:
        return "", DEFAULT
    locale = locale or str(get_locale())
    for code in (locale, DEFAULT, *texts):
        if texts.get(code):
            return texts[code], code
    return "", DEFAULT
