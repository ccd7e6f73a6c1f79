"""Settings for Peer Support, all read from environment variables.

The defaults give a working local install on SQLite. Production sets at least
DEBUG=false, SECRET_KEY (or SECRET_KEY_FILE), ALLOWED_HOSTS and DATABASE_URL.
"""

from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from peersupport.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)
# Only for a local install: a system check refuses it when DEBUG is off.
DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
ORGANISATION_NAME = env_str("ORGANISATION_NAME", "Demo Ziekenhuis")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "peersupport.people",
    "peersupport.supporters",
    "peersupport.cases",
    "peersupport.audit",
    "peersupport.notices",
    "peersupport.information",
    "peersupport.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "peersupport.middleware.SessionSafetyMiddleware",
    "peersupport.people.two_factor.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "peersupport.urls"
WSGI_APPLICATION = "peersupport.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "peersupport" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "peersupport.people.context_processors.roles",
                "peersupport.people.context_processors.session_limits",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "Europe/Amsterdam")
USE_TZ = True

MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"  # never served as such: photos go through a view that checks who may see them
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

# Origins allowed to frame the supporter directory, e.g. https://intranet.hospital.nl
DIRECTORY_FRAME_ANCESTORS = env_list("DIRECTORY_FRAME_ANCESTORS", [])

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "peersupport" / "static"]

# Security: strict by default, loosened only for local DEBUG.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_MAX_SECONDS = env_int("SESSION_MAX_SECONDS", 12 * 3600)  # at most 12 hours in all
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 15 * 60)  # and 15 minutes idle
SESSION_COOKIE_AGE = SESSION_MAX_SECONDS
SESSION_COOKIE_SAMESITE = "Lax"
ACCESS_LOG_RETENTION_DAYS = env_int("ACCESS_LOG_RETENTION_DAYS", 730)  # never less than 2 years
# Single sign-on (OpenID Connect): OIDC_PROVIDERS=entra,keycloak and for each NAME
# OIDC_<NAME>_ISSUER, OIDC_<NAME>_CLIENT_ID, OIDC_<NAME>_CLIENT_SECRET (or _FILE) and
# OIDC_<NAME>_LABEL (the button's text).
OIDC_PROVIDERS = {
    name: {
        "issuer": env_str(f"OIDC_{name.upper()}_ISSUER", ""),
        "client_id": env_str(f"OIDC_{name.upper()}_CLIENT_ID", ""),
        "client_secret": env_str(f"OIDC_{name.upper()}_CLIENT_SECRET", ""),
        "label": env_str(f"OIDC_{name.upper()}_LABEL", name),
    }
    for name in env_list("OIDC_PROVIDERS", [])
}

# Coordinators, HR and administrators sign in with a second factor (TOTP). On by
# default in production; off for the local demo unless TWO_FACTOR_REQUIRED=true.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", not DEBUG)
SIGNIN_MAX_FAILURES = env_int("SIGNIN_MAX_FAILURES", 5)
SIGNIN_LOCK_SECONDS = env_int("SIGNIN_LOCK_SECONDS", 15 * 60)
CSRF_COOKIE_HTTPONLY = True
if not DEBUG:
    # __Host- cookies are only sent over HTTPS, for this host, for the whole site.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# A load balancer's health check may come over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Preloading binds the hospital's whole domain to HTTPS in every browser: the
# hospital's own decision (SECURE_HSTS_PRELOAD=true), not a default of ours.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
}

# E-mail (Django's MAILERS). Without EMAIL_HOST messages are printed to the console:
# that is the demo.
_EMAIL_HOST = env_str("EMAIL_HOST", "")
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": _EMAIL_HOST,
            "port": env_int("EMAIL_PORT", 25),
            "username": env_str("EMAIL_HOST_USER", ""),
            "password": env_str("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            "timeout": env_int("EMAIL_TIMEOUT", 20),
        },
    }
    if _EMAIL_HOST
    else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Peer Support <peersupport@localhost>")
# Delivery: a worker's claim on a message lasts this long; then it is tried again.
NOTICE_LEASE_SECONDS = env_int("NOTICE_LEASE_SECONDS", 300)
NOTICE_MAX_ATTEMPTS = env_int("NOTICE_MAX_ATTEMPTS", 8)  # backoff 1, 2, 4 … 60 min: ~2 hours

# Matching: points per reason a supporter fits a case; each may be overridden
# with MATCHING_WEIGHT_<NAME>, e.g. MATCHING_WEIGHT_SAME_FUNCTION=40.
MATCHING_WEIGHTS = {
    name: env_int(f"MATCHING_WEIGHT_{name.upper()}", default)
    for name, default in {
        "same_function": 30,
        "same_profession_group": 15,  # only when the function itself differs
        "knows_department": 25,
        "experience": 20,  # with this kind of event
        "approach": 10,  # per approach the coordinator asked for
        "language": 15,  # per language the coordinator asked for
        "per_open_case": -5,  # current load
    }.items()
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "peersupport.people.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Each endpoint says who may use it; anything that forgets is closed.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAdminUser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Peer Support API",
    "DESCRIPTION": "Integrations authenticate with `Authorization: Bearer <token>` "
    "(`manage.py createapitoken NAME`). People use their signed-in session.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
