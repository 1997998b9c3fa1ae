"""Converge settings: one file, driven by environment variables (12-factor).

SQLite under ``var/`` by default; PostgreSQL when ``DATABASE_URL`` is set.
See the README's "Configuration" section for every variable.
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CONVERGE_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


TESTING = "pytest" in sys.modules or sys.argv[1:2] == ["test"]
# Commands that only read the code need no secret (e.g. `makemigrations --check` in a hook).
CODE_ONLY_COMMAND = sys.argv[1:2] in (["makemigrations"], ["makemessages"], ["compilemessages"])
DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING or CODE_ONLY_COMMAND:
        SECRET_KEY = "converge-insecure-development-key-do-not-use-in-production"
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. "
            "Set DEBUG=1 for local development or export a long random SECRET_KEY."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG or TESTING else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "converge.core",
    "converge.strategy",
    "converge.measurement",
    "converge.governance",
    "converge.operating",
    "converge.maturity",
    "converge.finance",
    "converge.reports",
]

MIDDLEWARE = [
    # Outermost: after a process's first response, the warm heap leaves the collector's way.
    "converge.core.heap.SettleAfterFirstRequest",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "converge.core.middleware.RequestLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "converge.core.middleware.WorkspaceLocaleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Axes must be last: it turns locked-out sign-ins into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "converge.urls"
WSGI_APPLICATION = "converge.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "converge" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "converge.core.context_processors.converge",
            ],
        },
    }
]

# --- Database -----------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "converge.sqlite3")),
            "OPTIONS": {
                # A 64 MB page cache (the default is 2 MB) keeps big imports' index updates
                # in memory. 8 KB pages (the default is 4 KB) take a million posts with fewer
                # page splits: 0.4 s less of a 4.7 s insert here (bench/RESULTS.md, "Imports");
                # SQLite sets the page size only while a database is still empty, before WAL,
                # so it applies to new databases and is a no-op on existing ones.
                "init_command": (
                    "PRAGMA page_size=8192; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA cache_size=-65536;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# SQLite cannot enforce "one observation per channel, metric and day" when the channel is empty;
# the import service enforces it itself (and PostgreSQL enforces it too). SQLite also has no
# covering indexes: the observations' index then simply carries no extra columns (W040), and
# SQLite gets no unique key with included columns at all (W039): there the channel months'
# one row per channel, metric and month holds by construction (the refresh service deletes
# the months it recomputes, then inserts one GROUP BY row each).
SILENCED_SYSTEM_CHECKS = ["models.W047", "models.W040", "models.W039"]

# --- Accounts -----------------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
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
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day

# Throttling of repeated failed sign-ins (django-axes).
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The sign-in form posts the e-mail address in the field named "username".
AXES_USERNAME_FORM_FIELD = "username"

# Open sign-up lets anyone create an account and then a workspace. Invitations always work.
# Background work (big imports). Embedded default: a thread in the web process, so nothing else
# has to run. Production: CONVERGE_TASKS=db and `manage.py db_worker` beside gunicorn.
# Tests: CONVERGE_TASKS=immediate (the task runs inside the request that enqueued it).
_TASK_BACKENDS = {
    "thread": "converge.core.tasks.ThreadBackend",
    "db": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
# The progress of background imports lives in the cache, which the web process and a worker
# must share: files under var/ by default.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
    }
}

TASKS = {
    "default": {"BACKEND": _TASK_BACKENDS[os.environ.get("CONVERGE_TASKS", "thread")]},
}

CONVERGE_IMPORT_MAX_BYTES = int(os.environ.get("CONVERGE_IMPORT_MAX_BYTES", str(1024**3)))

CONVERGE_ALLOW_SIGNUP = env_bool("CONVERGE_ALLOW_SIGNUP", True)
CONVERGE_INVITATION_DAYS = int(os.environ.get("CONVERGE_INVITATION_DAYS", "7"))
# The site's address, for links in e-mails sent outside a request (governance reminders).
CONVERGE_BASE_URL = os.environ.get("CONVERGE_BASE_URL", "")

# --- E-mail: the console by default, SMTP when EMAIL_HOST is set --------------------------
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Converge <converge@localhost>")

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("sv", _("Swedish"))]
LOCALE_PATHS = [BASE_DIR / "converge" / "locale"]
USE_I18N = True
USE_THOUSAND_SEPARATOR = True
TIME_ZONE = "Europe/Stockholm"
USE_TZ = True
LANGUAGE_COOKIE_NAME = "converge_language"

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG or TESTING
STATICFILES_DIRS = [BASE_DIR / "converge" / "static"]
# Uploaded files (e.g. a business plan attached to a goal). Never served directly: views that
# check the policy stream them.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Security (production) ----------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG and not TESTING:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Logging: one JSON object a line ------------------------------------------------------
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "converge.core.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "converge.request": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# --- API ----------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 100
