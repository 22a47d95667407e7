"""Configuration from the environment, with safe defaults.

Every setting can be given as an environment variable; nothing secret is a constant in code.
"""
import os
import secrets
from datetime import timedelta
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

ROOT = Path(__file__).resolve().parent.parent
SUPPORTED_SCHEMES = {"sqlite", "postgresql"}


class ConfigError(Exception):
    """A setting is wrong: the message is one sentence for the person starting the app."""


def database_url(raw: str | None, instance_path: str) -> str:
    """Normalise DATABASE_URL; the default is an SQLite file in the instance folder."""
    if not raw:
        return f"sqlite:///{Path(instance_path) / 'medskapa.db'}"
    try:
        url = make_url(raw)
    except ArgumentError:
        raise ConfigError(f"DATABASE_URL is not a valid database URL: {raw!r}.") from None
    backend = url.get_backend_name()
    if backend not in SUPPORTED_SCHEMES:
        raise ConfigError(
            f"DATABASE_URL uses the scheme {url.drivername!r}; "
            "Medskapa supports sqlite:/// and postgresql:// URLs."
        )
    if backend == "postgresql" and url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")  # the driver we install
    return url.render_as_string(hide_password=False)


# Connection pool per process (each gunicorn worker, the push worker): see docs/database.md.
POOL_SETTINGS = {  # engine option: (environment variable, default, smallest allowed)
    "pool_size": ("DB_POOL_SIZE", 5, 1),  # kept open; a worker's threads share them
    "max_overflow": ("DB_MAX_OVERFLOW", 5, 0),  # opened at busy moments, closed after use
    "pool_timeout": ("DB_POOL_TIMEOUT", 10, 1),  # seconds a request waits for a connection
    "pool_recycle": ("DB_POOL_RECYCLE", 1800, -1),  # seconds; older connections are renewed
}


def pool_options(url: str) -> dict:
    """PostgreSQL pool sizes from the environment; SQLite keeps SQLAlchemy's own pool."""
    if make_url(url).get_backend_name() != "postgresql":
        return {}
    options = {}
    for option, (name, default, smallest) in POOL_SETTINGS.items():
        raw = os.environ.get(name, "").strip()
        try:
            value = int(raw) if raw else default
        except ValueError:
            value = None
        if value is None or value < smallest:
            raise ConfigError(f"{name} must be a whole number of at least {smallest}, "
                              f"not {raw!r}.")
        options[option] = value
    return options


def non_negative(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    try:
        value = float(raw) if raw else default
    except ValueError:
        value = -1
    if not 0 <= value < float("inf"):
        raise ConfigError(f"{name} must be a number of 0 or more, not {raw!r}.")
    return value


def secret_key(instance_path: str) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the instance folder."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # Create with owner-only permissions before writing the secret.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key)
    return key


class Config:
    ENV_NAME = "production"
    BABEL_DEFAULT_LOCALE = "sv"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("TIMEZONE", "Europe/Stockholm")
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")
    # hide_parameters: an error message or log line never shows the values (what a child wrote).
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}
    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session: classes are long
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)  # a staff session's absolute lifetime
    # A staff session also ends after this long without a request (long enough to write a
    # feedback update in one go).
    STAFF_IDLE_TIMEOUT = timedelta(minutes=int(os.environ.get("STAFF_IDLE_MINUTES", "60")))
    LANGUAGE_COOKIE = "lang"
    DEVICE_COOKIE = "device"  # a participant phone's random token
    INVITE_VALID_FOR = timedelta(days=7)
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_STRATEGY = "moving-window"
    # When Redis is unreachable, each process limits on its own instead of answering 500;
    # it goes back to Redis once Redis answers again. Short timeouts keep a hung Redis from
    # holding up requests.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
    # Logs: "text" or "json" (one JSON object per line, for a log collector); the level.
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").strip().lower()
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").strip().upper()
    # How many reverse proxies (nginx, a load balancer) stand in front of the app and set
    # X-Forwarded-For and X-Forwarded-Proto. 0: none, the headers are ignored (they could be
    # forged); behind one nginx: 1. Rate limits per address depend on it.
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "")
    # How this server names itself in exported priority files (e.g. "Medskapa Malmö").
    INSTANCE_NAME = os.environ.get("INSTANCE_NAME", "Medskapa")
    PORTFOLIO_IMPORT_MAX_BYTES = 1_000_000
    # Where people report an accessibility problem (shown on /accessibility).
    ACCESSIBILITY_CONTACT = os.environ.get("ACCESSIBILITY_CONTACT", "")
    # The read-only API: requests per token and per address (Flask-Limiter syntax).
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120 per minute")
    API_ADDRESS_RATE_LIMIT = os.environ.get("API_ADDRESS_RATE_LIMIT", "600 per minute")
    # Web Push. Keys: `flask push init` writes them to the instance folder, or set both here.
    VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY", "")
    VAPID_PUBLIC_KEY = os.environ.get("VAPID_PUBLIC_KEY", "")
    # Who runs this server, for the push services (a mailto: or https: URL).
    VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "mailto:admin@example.org")
    # Subscription endpoints are accepted only over HTTPS on these hosts (and their
    # subdomains): the push services of Chrome/Android, Firefox, Safari/iOS and Edge.
    PUSH_ALLOWED_HOSTS = tuple(filter(None, (h.strip().lower() for h in os.environ.get(
        "PUSH_ALLOWED_HOSTS", "").split(",")))) or (
        "fcm.googleapis.com", "android.googleapis.com", "updates.push.services.mozilla.com",
        "push.services.mozilla.com", "web.push.apple.com", "push.apple.com",
        "notify.windows.com")
    PUSH_ALLOW_LOOPBACK = False  # tests run a fake push service on 127.0.0.1
    # Subscriptions no device has confirmed for this many months are removed.
    PUSH_CONFIRM_MONTHS = int(os.environ.get("PUSH_CONFIRM_MONTHS", "6"))
    # Where a child whose text raised a safeguarding flag is told to get help now; the app
    # cannot contact an anonymous child. Set per deployment (country, organisation).
    HELP_LINE_NAME = os.environ.get("HELP_LINE_NAME", "BRIS")
    HELP_LINE_NUMBER = os.environ.get("HELP_LINE_NUMBER", "116 111")
    HELP_LINE_URL = os.environ.get("HELP_LINE_URL", "https://www.bris.se")
    EMERGENCY_NUMBER = os.environ.get("EMERGENCY_NUMBER", "112")
    # Shown to youth leaders above safeguarding flags; default: a translated standard text.
    CHILD_PROTECTION_NOTICE = os.environ.get("CHILD_PROTECTION_NOTICE") or None
    # Static URLs carry a hash of the file (app/pwa/static.py), computed once per process;
    # with this on (development) an edited file gets its new hash at once.
    STATIC_RECHECK = False
    # Flask-Compress: brotli or gzip for HTML, CSS, JS, JSON and SVG, not for responses under
    # 500 bytes nor for images that are compressed already. Static files are sent as streams,
    # which get only the streaming list (its default leaves gzip out).
    # COMPRESS_RESPONSES=0 leaves compressing to the proxy (nginx) in front of the app.
    COMPRESS_REGISTER = os.environ.get("COMPRESS_RESPONSES", "1") != "0"
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_ALGORITHM_STREAMING = ["br", "gzip"]
    COMPRESS_MIN_SIZE = 500

    def __init__(self, instance_path: str):
        self.SQLALCHEMY_DATABASE_URI = database_url(
            os.environ.get("DATABASE_URL"), instance_path
        )
        self.SQLALCHEMY_ENGINE_OPTIONS = {**Config.SQLALCHEMY_ENGINE_OPTIONS,
                                          **pool_options(self.SQLALCHEMY_DATABASE_URI)}
        self.SECRET_KEY = secret_key(instance_path)
        self.REDIS_URL = os.environ.get("REDIS_URL") or None
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "memory://"
        # The results page reuses a count for at most this many seconds while answers come
        # in, and only as long as RESULTS_REUSE_FACTOR times what counting took
        # (app/results/cache.py). 0: always count.
        self.RESULTS_CACHE_SECONDS = non_negative("RESULTS_CACHE_SECONDS", 30)
        self.RESULTS_REUSE_FACTOR = non_negative("RESULTS_REUSE_FACTOR", 20)


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    SESSION_COOKIE_SECURE = False  # served over plain http on a laptop
    REMEMBER_COOKIE_SECURE = False
    STATIC_RECHECK = True  # edited CSS/JS shows without a restart


class ProductionConfig(Config):
    ENV_NAME = "production"
    # __Host-: only ever sent over HTTPS, to this host, for the whole site (no Domain).
    SESSION_COOKIE_NAME = "__Host-session"
    DEVICE_COOKIE = "__Host-device"


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    RATELIMIT_STORAGE_URI = "memory://"

    def __init__(self, instance_path: str):
        os.environ.setdefault("SECRET_KEY", "testing-" + secrets.token_hex(8))
        super().__init__(instance_path)
        self.SQLALCHEMY_DATABASE_URI = database_url(
            os.environ.get("TEST_DATABASE_URL")
            or f"sqlite:///{Path(instance_path) / 'test.db'}",
            instance_path,
        )
        self.SQLALCHEMY_ENGINE_OPTIONS = {**Config.SQLALCHEMY_ENGINE_OPTIONS,
                                          **pool_options(self.SQLALCHEMY_DATABASE_URI)}
        self.RATELIMIT_STORAGE_URI = "memory://"
        # Tests count every time; tests/results_pages/test_counted_results.py reuses.
        self.RESULTS_CACHE_SECONDS = 0


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "testing": TestingConfig,
}


def config_for(name: str | None) -> type[Config]:
    name = name or os.environ.get("MEDSKAPA_ENV", "production")
    try:
        return CONFIGS[name]
    except KeyError:
        raise ConfigError(
            f"MEDSKAPA_ENV is {name!r}; use one of: {', '.join(sorted(CONFIGS))}."
        ) from None
