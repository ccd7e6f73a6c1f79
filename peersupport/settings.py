"""Settings for Peer Support, all read from environment variables.

The defaults give a working local install on SQLite. Production sets at least
DEBUG=false, SECRET_KEY (or SECRET_KEY_FILE), ALLOWED_HOSTS and DATABASE_URL.
"""

import ipaddress
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from peersupport.env import env_bool, env_int, env_list, env_str
from peersupport.logging_config import logging_config

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
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "axes",
    "peersupport.accounts",
    "peersupport.people",
    "peersupport.supporters",
    "peersupport.cases",
    "peersupport.intake",
    "peersupport.workspace",
    "peersupport.mypages",
    "peersupport.audit",
    "peersupport.notices",
    "peersupport.operations",
    "peersupport.information",
    "peersupport.reports",
    "peersupport.demo",
    "peersupport.handovers",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "peersupport.middleware.SessionSafetyMiddleware",
    "peersupport.accounts.second_factor.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: turns a lock into the locked-out page.
    "axes.middleware.AxesMiddleware",
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
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that went away (a failover to a new address behind the same name, a
    # host that stopped answering) is noticed within seconds, not after TCP's minutes,
    # so that the worker and the scheduler reconnect (operations.loop).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": env_int("DATABASE_CONNECT_TIMEOUT", 10),
            "keepalives": 1,
            "keepalives_idle": 30,
            "keepalives_interval": 10,
            "keepalives_count": 3,
        }
    )
elif DATABASES["default"]["NAME"] != ":memory:":
    # The zero-setup SQLite file serves a web server, a worker and the scheduler at
    # once, and every page writes the access log: readers beside the writer (WAL), a
    # writer that takes its lock when its transaction starts, and that waits for it
    # rather than failing with "database is locked" (found from outside, 8 users).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: every path that authenticates (the sign-in page, /admin/login/)
# goes through authenticate(), and a locked name from that address stops there.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's, refusing leavers too (peersupport/accounts/backends.py).
    "peersupport.accounts.backends.ActiveEmployeeBackend",
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
# Whether /directory/embed/ shows supporters' phone and e-mail to people who are not
# signed in (an intranet page). Off: names, photos and functions only; signed-in people
# always see how to reach a supporter.
DIRECTORY_EMBED_SHOWS_CONTACT = env_bool("DIRECTORY_EMBED_SHOWS_CONTACT", False)

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
# The key of the access log's hash chain (never stored in the database): 32+ random
# characters, e.g. from ACCESS_LOG_KEY_FILE. A deploy check refuses the dev default.
DEV_ACCESS_LOG_KEY = "dev-only-access-log-key-do-not-use-in-production"
ACCESS_LOG_KEY = env_str("ACCESS_LOG_KEY", DEV_ACCESS_LOG_KEY)
# Phone numbers written without a country code are read for this region (ISO 3166).
PHONE_REGION = env_str("PHONE_REGION", "NL")
# What an incident-reporting system's reference looks like: a prefix of capitals and
# digit groups, e.g. VIM-2026-00123 or 2026/0042. Never lower case or underscores,
# so that a reference cannot spell a sentence.
EXTERNAL_REFERENCE_PATTERN = env_str(
    "EXTERNAL_REFERENCE_PATTERN", r"^(?:[A-Z]{1,10}-?)?[0-9]{1,12}(?:[-/][0-9]{1,12}){0,3}$"
)
# Receives the access log's daily anchor (position and hash, nothing about anyone).
PRIVACY_OFFICER_EMAIL = env_str("PRIVACY_OFFICER_EMAIL", "")
# The anchor also goes to the system log: a syslog address (e.g. /dev/log or
# host:514) sends it there besides the console.
SYSLOG_ADDRESS = env_str("SYSLOG_ADDRESS", "")
# Besides every user with the HR role, this address (e.g. HR's shared mailbox) hears
# of each referral handed over to HR: a neutral line and a link, nothing more.
HANDOVER_HR_EMAIL = env_str("HANDOVER_HR_EMAIL", "")


# Single sign-on (OpenID Connect, through django-allauth): OIDC_PROVIDERS=entra,keycloak
# and for each NAME OIDC_<NAME>_ISSUER, OIDC_<NAME>_CLIENT_ID, OIDC_<NAME>_CLIENT_SECRET
# (or _FILE), OIDC_<NAME>_LABEL (the button's text) and OIDC_<NAME>_TRUSTED_CLAIM: the
# claim holding the staff number, by which a person's first sign-in finds their
# account (default employee_number). After that the account is bound to the provider
# and the subject (sub), never to an e-mail address. The redirect URI to register at
# the provider stays SITE_URL/login/oidc/<name>/callback/.
OIDC_PROVIDERS = {
    name: {
        "issuer": env_str(f"OIDC_{name.upper()}_ISSUER", ""),
        "client_id": env_str(f"OIDC_{name.upper()}_CLIENT_ID", ""),
        "client_secret": env_str(f"OIDC_{name.upper()}_CLIENT_SECRET", ""),
        "label": env_str(f"OIDC_{name.upper()}_LABEL", name),
        "trusted_claim": env_str(f"OIDC_{name.upper()}_TRUSTED_CLAIM", "employee_number"),
    }
    for name in env_list("OIDC_PROVIDERS", [])
}
ACCOUNT_ADAPTER = "peersupport.accounts.adapter.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "peersupport.accounts.adapter.SocialAccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "none"
# Local accounts sign in with their name (allauth's sign-in view, accounts/views.py);
# the session lasts as Django's settings say (SESSION_COOKIE_AGE, the idle limit).
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SESSION_REMEMBER = True
# The lock against guessing passwords is django-axes' alone, by name *and* address:
# allauth's own limits on sign-ins count by name from anywhere (so a stranger could
# lock the coordinator out) and by address (the whole hospital behind one proxy).
# Second-factor codes are limited per account from all addresses together as well
# (allauth's rate limiter, in the shared cache), besides django-axes' lock per name and
# address: someone with the password and many addresses still gets 10 tries in 15 min.
ACCOUNT_RATE_LIMITS = {"login": None, "login_failed": None, "second_factor": "10/15m/user"}
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # never find an account by its e-mail address
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
# The providers' discovery documents are kept this long (a provider's outage then
# troubles only sign-ins that had not started).
OIDC_DISCOVERY_CACHE_SECONDS = env_int("OIDC_DISCOVERY_CACHE_SECONDS", 3600)
# Read at each request (not only at start-up), so that tests can configure providers.
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True}}

# One cache for every process, in the database they already share: allauth records
# there the second-factor codes already used (so a code cannot be replayed at another
# gunicorn worker within its 30 seconds) and its rate limits. The table is made by the
# accounts app's first migration.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "peersupport_cache",
    }
}

# Coordinators, HR and administrators sign in with a second factor (TOTP). On by
# default in production; off for the local demo unless TWO_FACTOR_REQUIRED=true.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", not DEBUG)
# The authenticators are django-allauth's (allauth.mfa): an authenticator app (TOTP),
# ten one-time recovery codes and passkeys (WebAuthn, checked with fido2); our pages
# only route (accounts/second_factor.py).
MFA_ADAPTER = "peersupport.accounts.second_factor.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
# A passkey also signs in on its own, on /login/ (counting as both factors).
MFA_PASSKEY_LOGIN_ENABLED = True
# The lock against guessing (django-axes): SIGNIN_MAX_FAILURES wrong passwords or codes
# for one name from one address lock that name from that address for
# SIGNIN_LOCK_SECONDS. By name *and* address, so that a stranger elsewhere cannot lock
# the coordinator out; a name that does not exist is locked just the same.
SIGNIN_MAX_FAILURES = env_int("SIGNIN_MAX_FAILURES", 5)
SIGNIN_LOCK_SECONDS = env_int("SIGNIN_LOCK_SECONDS", 15 * 60)
AXES_FAILURE_LIMIT = SIGNIN_MAX_FAILURES
AXES_COOLOFF_TIME = timedelta(seconds=SIGNIN_LOCK_SECONDS)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "peersupport.middleware.client_ip"
AXES_LOCKOUT_CALLABLE = "peersupport.accounts.views.locked_out"
AXES_USERNAME_CALLABLE = "peersupport.accounts.names.attempted_name"
# Failures are forgotten once fully signed in (peersupport.accounts.events), for those
# who need a second factor only after it.
AXES_RESET_ON_SUCCESS = False
# Trying again while locked does not push the end of the lock further away.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Our own access log has the sign-ins; axes keeps only the attempts behind a lock,
# without what was typed.
AXES_DISABLE_ACCESS_LOG = True
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code", "csrfmiddlewaretoken"]
AXES_VERBOSE = False
CSRF_COOKIE_HTTPONLY = True
if not DEBUG:
    # __Host- cookies are only sent over HTTPS, for this host, for the whole site.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# A load balancer's health check may come over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$", r"^monitoring/"]
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

# Who may read /monitoring/status/ and /monitoring/metrics/: addresses or networks
# (e.g. the Prometheus server), and/or a bearer token. Neither set: nobody.
MONITORING_ALLOWED_NETWORKS = [
    ipaddress.ip_network(item, strict=False)
    for item in env_list("MONITORING_ALLOWED_ADDRESSES", [])
]
MONITORING_TOKEN = env_str("MONITORING_TOKEN", "")

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
    # Lazy: the documentation page (/api/docs/) is drawn in the reader's language.
    "DESCRIPTION": _(
        "Integrations authenticate with `Authorization: Bearer <token>` "
        "(`manage.py createapitoken NAME`). People use their signed-in session."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
}

# Console, and syslog when SYSLOG_ADDRESS is set (peersupport/logging_config.py).
LOGGING = logging_config(SYSLOG_ADDRESS, env_str("LOG_LEVEL", "INFO"))
