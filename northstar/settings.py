"""Northstar's one settings module.

Every value comes from a ``NORTHSTAR_*`` environment variable with a safe local
default. ``NORTHSTAR_ENV=production`` refuses to start with an unsafe value and
names the setting to fix.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("NORTHSTAR_VAR_DIR", BASE_DIR / "var"))

# Known to everyone, so production mode refuses to start with it.
DEVELOPMENT_SECRET_KEY = "django-insecure-northstar-local-development-only"  # noqa: S105


def env(name, default=None):
    return os.environ.get(f"NORTHSTAR_{name}", default)


def env_bool(name, default):
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = env(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


ENVIRONMENT = env("ENV", "development")
if ENVIRONMENT not in {"development", "production", "test"}:
    raise ImproperlyConfigured(
        f"NORTHSTAR_ENV must be development, production or test, not {ENVIRONMENT!r}"
    )
PRODUCTION = ENVIRONMENT == "production"

SECRET_KEY = env("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
DEBUG = env_bool("DEBUG", not PRODUCTION)
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)


def refuse_unsafe_production_settings():
    problems = []
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50:
        problems.append(
            "NORTHSTAR_SECRET_KEY: set a random value of at least 50 characters "
            "(the development default is not allowed)"
        )
    if DEBUG:
        problems.append("NORTHSTAR_DEBUG: must be off in production")
    if not ALLOWED_HOSTS:
        problems.append("NORTHSTAR_ALLOWED_HOSTS: name the host names this service answers to")
    if problems:
        raise ImproperlyConfigured(
            "Refusing to start in production mode:\n  " + "\n  ".join(problems)
        )


if PRODUCTION:
    refuse_unsafe_production_settings()

INSTALLED_APPS = [
    "accounts.admin_site.NorthstarAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "ninja",
    "core",
    "accounts",
    "organisations",
    "frameworks",
    "assessments",
    "learning",
    "scoring",
    "benchmarking",
    "funding",
    "api",
    "northstar",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "northstar.urls"
WSGI_APPLICATION = "northstar.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "northstar.jinja2_env.environment"},
    },
    {
        # Django's own templates serve the admin only.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'northstar.sqlite3'}"),
        conn_max_age=0 if not PRODUCTION else 60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite makes its file but not its folder (var/ on a fresh install).
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Simultaneous writers queue instead of failing with "database is locked":
    # readers carry on beside the one writer (WAL), and a transaction takes the
    # write lock when it starts (IMMEDIATE), so waiting for it is bounded by the
    # busy timeout instead of failing at once when a read turns into a write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # Tests use a file as the service does (an in-memory database has no WAL,
    # and a live server would share its one connection among its threads).
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"northstar-test-{os.getpid()}.sqlite3")
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Lock an account and address out for an hour after five failed sign-ins.
AXES_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    # Locally, whitenoise serves straight from the app folders; the folder
    # that collectstatic fills in production only needs to exist.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded evidence lives outside the web root and is served only through views
# that check who may see it.
MEDIA_ROOT = Path(env("MEDIA_ROOT", VAR_DIR / "media"))
# No URL serves MEDIA_ROOT: files are only sent by views that check permission.
MEDIA_URL = "/media/"

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Northstar <northstar@localhost>")

# Security headers and cookies.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
SESSION_COOKIE_AGE = 60 * 60 * 8
# Names the person answering, so input sent after their session ended is kept for them
# alone (assessments); signing out deletes it (accounts).
ANSWERING_AS_COOKIE = "northstar_answering_as"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", PRODUCTION)
# Turning the redirect off in production is a decision (TLS ends at a proxy that
# redirects, or a check over plain http on loopback): the deploy check that
# `northstar serve` runs should not then refuse to start.
SILENCED_SYSTEM_CHECKS = ["security.W008"] if PRODUCTION and not SECURE_SSL_REDIRECT else []
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_HSTS_SECONDS = 63072000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# --- Background tasks (docs/adr/0009-background-tasks.md) ---------------------
# Django's task API through the django-tasks backport. The database backend
# needs no other server; RQ on Redis is for production; "immediate" runs each
# task as it is queued (the tests' default).
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = env("TASKS_BACKEND", "database")
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"NORTHSTAR_TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}, not {TASKS_BACKEND!r}"
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
INSTALLED_APPS += ["django_tasks", "django_tasks_db", "django_tasks_rq"]
if TASKS_BACKEND == "rq":
    INSTALLED_APPS.append("django_rq")
REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0")
RQ_QUEUES = {"default": {"URL": REDIS_URL}}
# A failing task is tried this many times in all, waiting TASK_RETRY_SECONDS
# (doubling) between tries, then recorded as failed with its error.
TASK_ATTEMPTS = 3
TASK_RETRY_SECONDS = 5
# Tasks the worker keeps queued for their next daily run, at this local time.
TASKS_DAILY = {"learning.tasks.send_digests": "07:00"}
# The address links in emails sent by tasks start with.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
