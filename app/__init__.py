"""Medskapa: the app factory."""
import click
from flask import Flask

from app.config import ROOT, config_for
from app.extensions import babel, compress, csrf, db, limiter, login_manager


def create_app(config_name: str | None = None, **overrides) -> Flask:
    """Build the app. No side effects: no queries, migrations or network calls here."""
    app = Flask(
        __name__,
        static_folder=str(ROOT / "static"),
        static_url_path="/static",
        instance_path=str(ROOT / "instance"),
    )
    from app.core.json_body import JSONProvider

    app.json = JSONProvider(app)  # a body nested too deeply is malformed, not a 500
    config_class = config_for(config_name)
    app.config.from_object(config_class(app.instance_path))
    app.config.update(overrides)
    if proxies := app.config["PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Behind nginx or a load balancer: the client's address (rate limits) and the scheme
        # (https links) are the ones the proxies saw.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    from app import i18n, models  # noqa: F401  (models: every table, for Alembic)

    # First, so its after_request runs last and compresses the finished response.
    compress.init_app(app)
    from app.core import logs

    logs.init_app(app)  # before the other hooks, so every one of them sees the request id
    db.init_app(app)
    if (app.config.get("MIGRATIONS") or app.testing
            or click.get_current_context(silent=True) is not None):
        # Flask-Migrate (with Alembic and Mako: 11 MB) only where migrations run: the `flask`
        # command line, the tests, and scripts that ask with MIGRATIONS=True (bench/). A web
        # worker never migrates, so it never loads them.
        from flask_migrate import Migrate

        Migrate(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.install_template_gettext(app)  # after Flask-Babel's, which it replaces
    login_manager.init_app(app)
    limiter.init_app(app)

    # An id in a URL beyond what an id column holds is no page (404), on every database;
    # it was a 400 from the database's refusal, at a different size on SQLite and PostgreSQL.
    from werkzeug.routing import IntegerConverter

    from app.core.text import MAX_ID

    class IdConverter(IntegerConverter):
        def __init__(self, map, *args, **kwargs):
            kwargs.setdefault("max", MAX_ID)
            super().__init__(map, *args, **kwargs)

    app.url_map.converters["int"] = IdConverter
    _register_blueprints(app)
    _register_template_helpers(app)
    from app.pwa import static

    static.init_app(app)  # content-hashed static URLs and their cache headers
    app.after_request(i18n.remember_language)

    from app.core import security

    security.init_app(app)

    from app.errors import register_error_handlers

    register_error_handlers(app)

    from app import cli

    cli.register(app)
    return app


# Each feature package holds a blueprint; its views module adds the routes to it. Views are
# imported here, not in the packages, so that importing a feature's models never drags in
# every other feature's views.
FEATURES = ("i18n", "participate", "consultations", "moderate", "results", "portfolio",
            "followup", "feedback", "push", "api", "accounts", "admin", "about", "pwa",
            "health")


def _register_blueprints(app: Flask) -> None:
    import importlib

    for name in FEATURES:
        module = importlib.import_module(f"app.{name}")
        if name != "i18n":
            importlib.import_module(f"app.{name}.views")
        app.register_blueprint(module.bp)


def _register_template_helpers(app: Flask) -> None:
    from app.core import once
    from app.i18n import DATE_FILTERS, in_lang, lang_attr, localized, template_context, text_in

    app.context_processor(template_context)
    app.jinja_env.filters.update(DATE_FILTERS)  # Flask-Babel's, in the language's date formats
    app.add_template_global(localized)
    app.add_template_global(text_in)
    app.add_template_global(in_lang)
    app.add_template_global(lang_attr)
    app.add_template_global(once.field, "once_field")
    app.add_template_global(once.repeat, "once_repeat")
