"""Django settings for copa's web app.

Development (the default) keeps an SQLite database in WAL mode in the data
folder (``COPA_DATA``, set by ``copa serve --data DIR``). ``DATABASE_URL``
selects another database (PostgreSQL: ``postgres://user:pass@host/db``).
``COPA_ENV=production`` reads ``COPA_SECRET_KEY`` and ``COPA_ALLOWED_HOSTS``
from the environment and turns on every ``check --deploy`` setting.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

BASE = Path(__file__).resolve().parent
PRODUCTION = os.environ.get("COPA_ENV", "") == "production"


def data_dir() -> Path:
    got = os.environ.get("COPA_DATA")
    if got:
        return Path(got)
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg else Path.home() / ".local" / "share") / "copa"


DATA = data_dir()

if PRODUCTION:
    try:
        SECRET_KEY = os.environ["COPA_SECRET_KEY"]
        ALLOWED_HOSTS = [h.strip() for h in os.environ["COPA_ALLOWED_HOSTS"].split(",") if h]
    except KeyError as e:
        raise ImproperlyConfigured(f"COPA_ENV=production needs {e.args[0]} to be set") from None
    DEBUG = False
    SECURE_SSL_REDIRECT = os.environ.get("COPA_SSL_REDIRECT", "1") != "0"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = [
        f"https://{h}" for h in ALLOWED_HOSTS if h and not h.startswith((".", "*"))
    ]
else:
    # a development key: copa serve keeps its own random key in the data folder
    SECRET_KEY = os.environ.get("COPA_SECRET_KEY", "copa-development-key-not-for-production")
    DEBUG = os.environ.get("COPA_DEBUG", "") == "1"
    ALLOWED_HOSTS = [
        h.strip()
        for h in os.environ.get("COPA_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(
            ","
        )
        if h
    ]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "axes",
    "copa.web.apps.CopaWebConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "copa.web.urls"
WSGI_APPLICATION = "copa.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    }
]


def _database() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL")
    if url:
        import dj_database_url

        db: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
        db["CONN_HEALTH_CHECKS"] = True
        return db
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA / "copa.sqlite3"),
        # WAL: readers never wait for the writer; a writer waits up to 20 s for another
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
        "TEST": {"NAME": os.environ.get("COPA_TEST_SQLITE") or None},
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "es"
LANGUAGES = [("es", "Español"), ("en", "English")]
LOCALE_PATHS = [str(BASE.parent / "locale")]
TIME_ZONE = "America/Lima"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = str(DATA / "static")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "whitenoise.storage.CompressedStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

LOGIN_URL = "office-login"
LOGIN_REDIRECT_URL = "office-home"
LOGOUT_REDIRECT_URL = "home"

# login throttling: five failures lock the user name from that address for 30 minutes
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"axes": {"handlers": ["console"], "level": "WARNING"}},
}

# Forecasts (copa.web.forecasting): "background" recomputes a season's forecast in a
# thread after each confirmed change, never inside the request; "off" leaves it to
# `copa manage forecast` (a cron job or a queue runner).
COPA_FORECAST = os.environ.get("COPA_FORECAST", "background")
COPA_FORECAST_RUNS = int(os.environ.get("COPA_FORECAST_RUNS", "5000"))
