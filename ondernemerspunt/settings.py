"""Settings for Ondernemerspunt: one module, read from the environment.

Every value that differs between a laptop and production comes from an environment variable
through the small helpers below; production (DEBUG off) refuses to start without a real secret.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from ondernemerspunt.localdb import APP_ROLE, OWNER_ROLE, local_database_settings

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = env_str(name)
    if not value:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    try:
        return int(value) if value else default
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from error


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production needs a long random secret, e.g. "
            '`python -c "import secrets; print(secrets.token_urlsafe(50))"`. '
            "For development set DEBUG=true (make run and make test do this)."
        )
    SECRET_KEY = "development-only-not-secret-" + "x" * 40
elif not DEBUG and (
    len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-")
):
    # Django's own test (check --deploy, security.W009), made fatal: with a guessable key anyone
    # can forge a password-reset link or a session. The key is never echoed.
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak: production needs at least 50 random characters, e.g. "
        '`python -c "import secrets; print(secrets.token_urlsafe(50))"`.'
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.postgres",
    "ondernemerspunt",
    "intake",
    "coaching",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ondernemerspunt.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ondernemerspunt.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ondernemerspunt.sessions.IdleTimeoutMiddleware",  # after messages: it says why you left
    # After the idle check: a session that ended asks for nothing more.
    "ondernemerspunt.second_factor.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into our own lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ondernemerspunt.urls"
WSGI_APPLICATION = "ondernemerspunt.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ondernemerspunt.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# Two roles (README "Database roles", ondernemerspunt/dbroles.py): the application connects as
# DATABASE_URL's, which may only read and add to the audit trail; `manage.py migrate` and the
# test runner connect to the same database as MIGRATION_DATABASE_URL's, which owns the tables.
# Without DATABASE_URL both are the project-local PostgreSQL's (ondernemerspunt/localdb.py).
DATABASE_URL = env_str("DATABASE_URL")
MIGRATION_DATABASE_URL = env_str("MIGRATION_DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
    DATABASE_OWNER = (
        dj_database_url.parse(MIGRATION_DATABASE_URL) if MIGRATION_DATABASE_URL else None
    )
else:
    DATABASES = {"default": local_database_settings(APP_ROLE)}
    DATABASE_OWNER = local_database_settings(OWNER_ROLE)
if DATABASE_OWNER and DATABASE_OWNER["NAME"] != DATABASES["default"]["NAME"]:
    raise ImproperlyConfigured(
        "MIGRATION_DATABASE_URL must name the same database as DATABASE_URL "
        f"({DATABASES['default']['NAME']!r}), not {DATABASE_OWNER['NAME']!r}."
    )
DATABASE_APP_ROLE = DATABASES["default"]["USER"]  # what migrate grants its rights to
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if env_str("TEST_DATABASE_NAME"):
    # Lets several test runs share one server without dropping each other's database.
    DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- People ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "ondernemerspunt.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Our own versions (ondernemerspunt/passwords.py): Django's compare with first_name and
# last_name, which our User does not have, and match common passwords letter for letter.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "ondernemerspunt.passwords.UserAttributeSimilarityValidator"},
    {
        "NAME": "ondernemerspunt.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "ondernemerspunt.passwords.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # one day

# django-axes: five wrong passwords for one e-mail address from one IP lock that pair for an
# hour; a new password set through a reset link lifts it. The lockout page says nothing about
# whether the account exists.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The client address that axes locks: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT reverse proxies
# the X-Forwarded-For entry our outermost proxy appended (ondernemerspunt/accounts.py), never a
# value the client wrote. The documented deployment (README "Deploy") has one proxy.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0 if DEBUG else 1)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
AXES_CLIENT_IP_CALLABLE = "ondernemerspunt.accounts.client_ip"

# The second factor (ondernemerspunt/second_factor.py): an authenticator app (TOTP) and ten
# recovery codes, from django-otp. Wrong codes in a row make the next try wait 1, 2, 4, 8, …
# seconds. The admin lists devices (and may delete one) but never shows a secret or a code.
OTP_TOTP_ISSUER = "Ondernemerspunt"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}

# --- E-mail ---------------------------------------------------------------------------------
# Django 6.1's MAILERS. Development prints mail on the console; production sends over SMTP.
if DEBUG and not env_str("EMAIL_HOST"):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 587),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", default=True),
                "timeout": 20,
            },
        }
    }
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Ondernemerspunt <noreply@ondernemerspunt.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks -----------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# The worker (``manage.py run_worker``, ondernemerspunt/worker.py): a job still running after
# this many minutes whose worker is gone (killed while rendering) is run again, at most
# TASK_MAX_ATTEMPTS times in all; then it is marked failed.
TASK_STALE_AFTER = env_int("TASK_STALE_AFTER", 15)
TASK_MAX_ATTEMPTS = env_int("TASK_MAX_ATTEMPTS", 3)
# Finished jobs and used one-time form tokens are forgotten after this many days (the worker).
KEEP_FINISHED_DAYS = env_int("KEEP_FINISHED_DAYS", 30)

# --- Forms ----------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 12
# Shared computers (issue 13): the session ends with the browser, and on the server after a
# time without any request (ondernemerspunt/sessions.py): 30 minutes for residents, 2 hours
# for staff at their own desk. The page warns this many seconds before the end.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_IDLE_SECONDS_RESIDENT = env_int("SESSION_IDLE_SECONDS_RESIDENT", 30 * 60)
SESSION_IDLE_SECONDS_STAFF = env_int("SESSION_IDLE_SECONDS_STAFF", 2 * 60 * 60)
SESSION_IDLE_WARNING_SECONDS = env_int("SESSION_IDLE_WARNING_SECONDS", 3 * 60)
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Every script and style comes from our own static files: no inline script, no third party.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # The proxy in front (see README) terminates TLS and says so in this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Logging: no personal data, so only levels and request paths -----------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- Desk defaults --------------------------------------------------------------------------
# seed_demo only on a development installation. Its own setting, read once here, because
# pytest-django turns DEBUG off inside every test of a development checkout.
DEMO_DATA_ALLOWED = DEBUG
DEMO_PASSWORD = "ondernemerspunt-demo"
# The demo staff's second factor, as published as the password: the bytes of
# "ondernemerspunt-demo", in an app as N5XG IZLS NZSW 2ZLS ONYH K3TU FVSG K3LP (README).
DEMO_SECOND_FACTOR_KEY = "6f6e6465726e656d65727370756e742d64656d6f"
CSRF_FAILURE_VIEW = "ondernemerspunt.views.pages.csrf_failure"
