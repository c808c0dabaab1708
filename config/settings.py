"""Settings for unikom, read from environment variables.

Every setting that can be changed from outside is listed in docs/operations.md;
a test keeps the two in step. ``UNIKOM_ENV=production`` switches on the
hardening that ``manage.py check --deploy`` asks for.
"""

from __future__ import annotations

import importlib.util
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy

from sso.config import providers_from_env

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    """Read ``NAME`` or, if ``NAME_FILE`` is set, the contents of that file."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


ENVIRONMENT = env("UNIKOM_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("UNIKOM_ENV must be 'development' or 'production'")
PRODUCTION = ENVIRONMENT == "production"

# Django's debug pages show settings and source to anyone who meets an error:
# off unless a developer asks for them (UNIKOM_DEBUG=1), and never in production.
DEBUG = False if PRODUCTION else env_bool("UNIKOM_DEBUG", False)

# The key development uses when none is set. It is in this public file, so anyone
# could forge sessions and reset links with it: production refuses it, and
# `unikom serve` refuses to listen beyond loopback with it.
DEVELOPMENT_SECRET_KEY = "development-only-key-not-secret-" + "x" * 32  # noqa: S105
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set in production")
    SECRET_KEY = DEVELOPMENT_SECRET_KEY
elif PRODUCTION and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is the public development key: production needs a secret one "
        "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))')"
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# History is read by record and by history id, never by the date of a change:
# no index on it (core.models.History drops the others nobody reads).
SIMPLE_HISTORY_DATE_INDEX = False

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "django_filters",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "core",
    "accounts",
    "access",
    "organisations",
    "partnerships",
    "activities",
    "needs",
    "events",
    "insights",
    "search",
    "discovery",
    "network",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "opendata",
    "imports",
    "synth",
    "sso",
    "privacy",
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

MIDDLEWARE = [
    # Outermost: sees each request end, after everything inside has let go of it.
    "core.middleware.MemoryReleaseMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): has this session given a one-time code?
    "django_otp.middleware.OTPMiddleware",
    # Administrators (and users who chose it) give that code before anything else.
    "accounts.two_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    # A log line naming the account for every refusal (401, 403, 429, admin).
    "core.middleware.RefusalLogMiddleware",
    # Sign-in lockout (django-axes): answers a locked-out sign-in with its page.
    "axes.middleware.AxesMiddleware",
    # Last, so that it sees a view's database error first: a full disk or a read-only
    # database gets a 503 that says so (docs/operations.md).
    "core.middleware.UnwritableDatabaseMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
                "synth.context_processors.synthetic",
            ],
        },
    },
]

# SQLite file by default (zero set-up); PostgreSQL when DATABASE_URL says so.
DATA_DIR = Path(env("UNIKOM_DATA_DIR", str(BASE_DIR / "var")))
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'unikom.sqlite3'}"),
        # Each server process keeps its connection for a minute instead of opening
        # one per request (on PostgreSQL a new backend process, several ms a
        # request). A kept connection is checked before a request uses it: after
        # a database restart the request opens a new one instead of failing
        # (tests/test_faults.py). 0 connects anew for every request.
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's, with a health check of the kept connection that needs no round trip
    # when the server has not closed it (core/db_backends/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "core.db_backends.postgresql"
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {})
    # Several server processes share one file (`unikom serve` runs gunicorn workers):
    # - WAL journal: readers never wait for a writer, a writer never waits for readers;
    # - a writer waits up to 20 s for another writer (busy timeout) instead of failing;
    # - transactions take the write lock when they begin (BEGIN IMMEDIATE), so two
    #   read-then-write transactions queue on the busy timeout instead of one failing
    #   with "database is locked" when it tries to upgrade its read lock.
    # synchronous stays FULL (SQLite's default): a commit survives a power cut.
    # In-memory test databases ignore the WAL setting.
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    DATABASES["default"]["OPTIONS"].setdefault("init_command", "PRAGMA journal_mode=WAL")
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")


def cache_from_url(url: str) -> dict:
    """CACHES["default"] from CACHE_URL:

    - file:///PATH, a folder shared by every server process on this machine
      (the default: DATA_DIR/cache);
    - dbcache://TABLE, a table in the database, shared by every process on every
      machine (create it once with `unikom createcachetable`);
    - redis://HOST:PORT/DB, a Redis server (needs the redis package);
    - locmem://, Django's memory of one process (tests use it).
    """
    scheme, _sep, rest = url.partition("://")
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if scheme == "file" and rest.startswith("/"):
        return {
            "BACKEND": "core.cache_backends.FileCache",
            "LOCATION": rest,
            # Kept pages are a few hundred; past this many files a tenth is dropped.
            "OPTIONS": {"MAX_ENTRIES": 5000, "CULL_FREQUENCY": 10},
        }
    if scheme == "dbcache" and rest:
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": rest}
    if scheme in {"redis", "rediss"}:
        if importlib.util.find_spec("redis") is None:
            raise ImproperlyConfigured(
                "CACHE_URL names a Redis server, which needs the redis package (pip install "
                "redis); or use CACHE_URL=dbcache://unikom_cache"
            )
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise ImproperlyConfigured(
        "CACHE_URL must be file:///PATH, dbcache://TABLE, redis://HOST:PORT/DB or locmem://"
    )


# Kept pages (core.cache) and the API's rate limits live in the default cache. By
# default it is a folder in DATA_DIR, which every server process on this machine
# shares, so a page computed by one worker is served by all of them; several
# machines need a cache they all reach (docs/deployment.md).
CACHES = {"default": cache_from_url(env("CACHE_URL", "") or f"file://{DATA_DIR / 'cache'}")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6 default, opted into now

# --- Signing in (accounts app) -----------------------------------------------
# django-axes counts failed sign-ins (the site's and the admin's) by account and,
# separately, by address; past the limit that account or address is refused for
# the cool-off time, even with the right password. Sign-ins, failures and
# lockouts are logged (logger "axes").
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env("UNIKOM_LOGIN_FAILURES", "5") or 5)
AXES_COOLOFF_TIME = timedelta(minutes=int(env("UNIKOM_LOGIN_COOLOFF_MINUTES", "15") or 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "core.net.client_address"
AXES_SENSITIVE_PARAMETERS = ["password"]
AXES_VERBOSE = False  # no start-up line on every command; the log lines name account and address
# A one-time code from an authenticator app (accounts.two_factor, django-otp): any
# user may turn it on; with UNIKOM_ADMIN_TOTP on, administrators must use it.
UNIKOM_ADMIN_TOTP = env_bool("UNIKOM_ADMIN_TOTP", PRODUCTION)
OTP_TOTP_ISSUER = env("UNIKOM_TOTP_ISSUER", "unikom")
# How many proxies in front of unikom add the client's address to X-Forwarded-For
# (core.net): 0 ignores the header, which a client could write itself.
UNIKOM_TRUSTED_PROXIES = int(env("UNIKOM_TRUSTED_PROXIES", "0") or 0)
# Single sign-on with OpenID Connect (sso app): one button per provider named here,
# each configured by its UNIKOM_OIDC_<ID>_* variables (docs/operations.md).
SSO_PROVIDERS = providers_from_env(env, env_list("UNIKOM_OIDC_PROVIDERS", ""))

# Retention (privacy.services.expire, `unikom privacy expire` daily; docs/privacy.md):
# accounts without a sign-in for this many days are deactivated, erased this many
# days after that; sign-in records (django-axes) are deleted after this many days.
UNIKOM_ACCOUNT_INACTIVE_DAYS = int(env("UNIKOM_ACCOUNT_INACTIVE_DAYS", "730") or 730)
UNIKOM_ACCOUNT_ERASE_DAYS = int(env("UNIKOM_ACCOUNT_ERASE_DAYS", "365") or 365)
UNIKOM_SIGN_IN_RECORD_DAYS = int(env("UNIKOM_SIGN_IN_RECORD_DAYS", "180") or 180)

# --- E-mail (password reset) ---------------------------------------------------
# With EMAIL_HOST set, mail goes out by SMTP (EMAIL_PORT, EMAIL_HOST_USER,
# EMAIL_HOST_PASSWORD; STARTTLS on port 587, TLS on 465, or EMAIL_USE_TLS /
# EMAIL_USE_SSL); without it, it is printed on the server's console (development).
EMAIL_HOST = env("EMAIL_HOST", "") or ""
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(env("EMAIL_PORT", "587") or 587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "") or ""
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "") or ""
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587 and not EMAIL_USE_SSL)
EMAIL_TIMEOUT = 15
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "unikom <ikke-svar@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A password link works once, for this long.
PASSWORD_RESET_TIMEOUT = int(env("UNIKOM_PASSWORD_RESET_HOURS", "24") or 24) * 3600
# An invitation link (access app) works once, for this many days.
UNIKOM_INVITATION_DAYS = int(env("UNIKOM_INVITATION_DAYS", "14") or 14)
# Offers of help on research needs (needs.offers) a user may send an hour.
UNIKOM_NEED_OFFERS_PER_HOUR = int(env("UNIKOM_NEED_OFFERS_PER_HOUR", "5") or 5)

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Norwegian bokmål first, English second.
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", "Norsk bokmål"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
# Decimals follow the reader's language everywhere (0,8 in bokmål). Digit
# grouping is not switched on for every number: it would also split years,
# identifiers and SVG coordinates ("2 015", viewBox "0 0 1 000"). Amounts and
# counts go through the |number filter (core.templatetags.unikom), which groups
# them as Norwegian does: 12 345, but 2500 (four digits stay together).
USE_THOUSAND_SEPARATOR = False
USE_TZ = True
# django-filter's empty choice in every filter dropdown ("Alle", not "---------").
FILTERS_EMPTY_CHOICE_LABEL = gettext_lazy("All")

STATIC_URL = "/static/"
# collectstatic target; only production serves from it (see WHITENOISE_USE_FINDERS).
STATIC_ROOT = env("STATIC_ROOT", str(BASE_DIR / "staticfiles")) if PRODUCTION else None
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production WhiteNoise serves straight from the app folders, so no
# collectstatic step is needed for `make run`.
WHITENOISE_USE_FINDERS = not PRODUCTION

# Where `make run` looks for reference data (see docs/operations.md).
UNIKOM_REFDATA_DIR = env("UNIKOM_REFDATA_DIR", "")
# Official sources for `unikom refdata fetch`.
UNIKOM_KLASS_URL = env("UNIKOM_KLASS_URL", "https://data.ssb.no/api/klass/v1")
UNIKOM_BOUNDARIES_URL = env("UNIKOM_BOUNDARIES_URL", "")
UNIKOM_FETCH_TIMEOUT = float(env("UNIKOM_FETCH_TIMEOUT", "10") or 10)

# Security headers. The content security policy allows only this origin:
# no asset is ever loaded from a CDN.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'"
)
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000") or 0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# How long a computed count or analysis may be kept at most (core.cache): it is
# recomputed at once after a change made through unikom, and after this many
# seconds whatever happened.
UNIKOM_CACHE_SECONDS = int(env("UNIKOM_CACHE_SECONDS", "600") or 600)
# Records an export reads per query, and whether on PostgreSQL it reads the next
# batch in a thread of its own while one is written (opendata.exports).
UNIKOM_EXPORT_BATCH_SIZE = int(env("UNIKOM_EXPORT_BATCH_SIZE", "2000") or 2000)
UNIKOM_EXPORT_READ_AHEAD = env_bool("UNIKOM_EXPORT_READ_AHEAD", True)
# Whole-list downloads kept in DATA_DIR/exports until the data changes (opendata.kept).
UNIKOM_KEEP_DOWNLOADS = env_bool("UNIKOM_KEEP_DOWNLOADS", True)
# Downloads asked for again in the background after a change (core.prepare):
# whether `unikom serve` starts the preparer, the seconds the data must have been
# still, and the seconds at least between two rounds.
UNIKOM_PREPARE = env_bool("UNIKOM_PREPARE", True)
UNIKOM_PREPARE_SETTLE = int(env("UNIKOM_PREPARE_SETTLE", "30") or 30)
UNIKOM_PREPARE_GAP = int(env("UNIKOM_PREPARE_GAP", "300") or 300)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}

# --- API (api app): Django REST Framework and the OpenAPI schema -------------
# Rates are "<number>/<second|minute|hour|day>", per client: anonymous clients
# by address, signed-in ones by account. Counted in the default cache, shared by
# the processes that share it (see CACHES above).
UNIKOM_API_THROTTLE_RATES = {
    "anon": env("UNIKOM_API_ANON_RATE", "120/minute"),
    "user": env("UNIKOM_API_USER_RATE", "1200/minute"),
}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.RecordPermission"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonThrottle", "api.throttling.UserThrottle"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "api.filters.StrictOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.CursorPagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "unikom API",
    "DESCRIPTION": (
        "Partnerships between Norwegian municipalities and academia, their portfolios, "
        "research needs and meeting places. See docs/api.md."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets that share a field name ("status", "kind", "role") get their own names.
    "ENUM_NAME_OVERRIDES": {
        "ActivityStatusEnum": "activities.choices.ActivityStatus",
        "NeedStatusEnum": "needs.choices.NeedStatus",
        "PartnershipStatusEnum": "partnerships.choices.PartnershipStatus",
        "OrganisationRoleEnum": "activities.choices.OrganisationRole",
        "PersonRoleEnum": "activities.choices.PersonRole",
        "MembershipRoleEnum": "partnerships.choices.Role",
        "OrganisationKindEnum": "organisations.choices.OrganisationKind",
        "PartnershipKindEnum": "partnerships.choices.PartnershipKind",
        "AgreementKindEnum": "partnerships.choices.AgreementKind",
        "EventKindEnum": "events.choices.EventKind",
        "AnchoringLevelEnum": "partnerships.choices.AnchoringLevel",
    },
}
# --- end API -----------------------------------------------------------------
