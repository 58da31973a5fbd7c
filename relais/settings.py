"""Relais settings: one file, driven by the environment (see docs/production.md).

RELAIS_DEBUG=1              development and demo only (./dev demo sets it)
RELAIS_SECRET_KEY           required when DEBUG is off
RELAIS_ALLOWED_HOSTS        comma-separated host names
DATABASE_URL                postgres://user:password@host:5432/relais (default: SQLite in var/)
RELAIS_AUDIT_KEY            key of the audit trail's digests, seals and checkpoints (default:
                            derived from the secret key); keep it out of the database's reach
RELAIS_AUDIT_CHECKPOINTS    the append-only file of signed checkpoints (default
                            var/audit-checkpoints.jsonl); put it where the database's holders
                            cannot write (another host, an append-only mount)
RELAIS_AUDIT_SEAL_SECONDS   the sealer's interval (default 1): the longest an event stays unsealed
RELAIS_SESSION_IDLE_MINUTES inactivity before a session expires (default 30)
RELAIS_SECURE_COOKIES=0     only for plain-HTTP test set-ups; on by default when DEBUG is off
RELAIS_INSTRUMENT_DIRS      folders of risk instruments, colon-separated (default: ours)
RELAIS_LEXICON_DIRS         folders of wording lexicons, colon-separated (default: ours)
RELAIS_PUBLIC_URL           public address of this Relais, e.g. https://relais.example.be (links
                            in e-mails and the flyer's QR code point there; required in production)
RELAIS_DIRECTORY_NEEDS      the needs file of the directory search (default: ours)
RELAIS_REFERRAL_RULES       the referral rules file (default: ours)
RELAIS_DIRECTORY_STALE_DAYS an entry unchecked this long is flagged (default 180)
RELAIS_CAPACITY_STALE_DAYS  capacity unconfirmed this long is flagged (default 7)
RELAIS_FIGURES_SMALL_CELL   figures: counts from 1 to this − 1 are hidden (default 5)
RELAIS_MAP_TILES            tile URL template of the directory map, from a server the operator
                            chooses (default: none, the map is drawn from Relais's own data)
RELAIS_MAP_ATTRIBUTION      the credit that tile server asks for (HTML)
RELAIS_QUICK_EXIT_URL       where the public finder's quick exit leads
RELAIS_ALARM_RULES          the harassment-alarm eligibility file (default: ours)
RELAIS_ALARM_MAP_URL        link of an alarm's location, with {lat} and {lon} (default: none,
                            the location is drawn on Relais's own map)
RELAIS_DB_PREPARED=0        PostgreSQL: no server-side binding nor prepared statements (on by
                            default; off behind a pooler that cannot keep them)
RELAIS_DENIED_READ_WINDOW_MINUTES, RELAIS_DENIED_READ_EVENTS   refused reads: the window (60)
                            and the audit events per user, kind and window (20)
RELAIS_API_TOKEN_DAYS       lifetime of a personal API token (default 90)
RELAIS_GATEWAY_TOKEN_DAYS   lifetime of an alarm-gateway token (default 365)
RELAIS_IDEMPOTENCY_KEY_HOURS how long an API Idempotency-Key is remembered (default 24)
RELAIS_EMAIL_HOST, RELAIS_EMAIL_PORT, RELAIS_EMAIL_FROM   the SMTP relay of notices and
                            follow-up reminders (the console when DEBUG is on)
RELAIS_EMAIL_TIMEOUT        seconds the mail worker waits on the SMTP relay (default 10)
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import xstatic.pkg.leaflet as xstatic_leaflet
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_flag("RELAIS_DEBUG", False)
TESTING = "PYTEST_VERSION" in os.environ or os.environ.get("RELAIS_TESTING") == "1"

SECRET_KEY = os.environ.get("RELAIS_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "relais-insecure-development-key-never-use-in-production"
    else:
        raise ImproperlyConfigured("RELAIS_SECRET_KEY must be set when RELAIS_DEBUG is off.")

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("RELAIS_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
if TESTING:
    ALLOWED_HOSTS += ["testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "simple_history",
    "relais.core",
    "relais.accounts",
    "relais.audit",
    "relais.access",
    "relais.cases",
    "relais.risk",
    "relais.intake",
    "relais.notifications",
    "relais.directory",
    "relais.referrals",
    "relais.followup",
    "relais.feedback",
    "relais.justice",
    "relais.measures",
    "relais.alarms",
    "relais.programmes",
    "relais.linkage",
    "relais.transfers",
    "relais.consultation",
    "relais.figures",
    "relais.helpline",
    "relais.femicide",
    "relais.crisis",
    "relais.redlist",
    "relais.safeguards",
    "relais.family",
    "relais.amendments",
    "relais.safetyplan",
    "relais.approvals",
    "relais.demo",  # the demo loaders: last, they import every app
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Sign-out after inactivity, recording activity at most once a minute (not every request).
    "relais.accounts.middleware.IdleSessionMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "relais.accounts.middleware.SecondFactorRequiredMiddleware",
    "relais.core.middleware.NoStoreMiddleware",
    # A 404 on an object that exists is a refused read, audited (relais/audit/denied.py).
    "relais.audit.middleware.DeniedReadMiddleware",
    "relais.core.links.RequestOriginMiddleware",
    # Last, so that a locked-out sign-in is answered before anything else runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "relais.urls"
WSGI_APPLICATION = "relais.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "relais" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "relais.core.context_processors.relais",
            ],
        },
    },
]

# --- Database --------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'relais.sqlite3'}", conn_max_age=60,
        # A connection kept across requests is checked before reuse: after a database restart
        # the first request of each worker would otherwise fail on the dead connection.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE: a transaction takes the write lock at BEGIN (waiting up to "timeout"), so
        # it never fails half-way when it first writes. WAL lets readers go on meanwhile.
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_flag(
        "RELAIS_DB_PREPARED", True):
    # psycopg 3: parameters bound by the server, and each statement a connection runs twice
    # is prepared, so it is planned once per connection instead of at every request (the
    # alarm's summary: bench/README.md). Behind PgBouncer in transaction mode, set
    # max_prepared_statements there (PgBouncer >= 1.21) or RELAIS_DB_PREPARED=0 here.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_flag(
        "RELAIS_DB_JIT", False):
    # PostgreSQL's JIT compiles any query its planner thinks costly: at 1,000,000 cases it
    # spent 20-410 ms compiling queries that run in less (bench/README.md, issue 14). Short
    # transactional queries never gain from it.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication --------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"  # the landing of her role (relais.access.landing)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Lockout after repeated failures (django-axes): per user name and address.
AXES_FAILURE_LIMIT = int(os.environ.get("RELAIS_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False

OTP_TOTP_ISSUER = "Relais"

# Sessions end after a period of inactivity (relais.accounts.middleware.IdleSessionMiddleware):
# activity pushes the expiry forward, saving the session at most once a minute.
SESSION_COOKIE_AGE = int(os.environ.get("RELAIS_SESSION_IDLE_MINUTES", "30")) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Security headers ------------------------------------------------------------------------
SECURE_COOKIES = env_flag("RELAIS_SECURE_COOKIES", not DEBUG and not TESTING)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_SAMESITE = "Lax"
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = env_flag("RELAIS_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("RELAIS_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Preloading is a one-way decision for the whole domain: the operator opts in.
    SECURE_HSTS_PRELOAD = env_flag("RELAIS_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("RELAIS_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

# The directory map is drawn from Relais's own data (relais/directory/basemap.py): no request
# leaves for another server. Tiles from a server the operator chooses are an option, with its
# privacy trade-off (docs/production.md, "Maps"); its origin is then added to the
# content-security policy.
RELAIS_MAP_TILES = os.environ.get("RELAIS_MAP_TILES", "").strip()
RELAIS_MAP_ATTRIBUTION = os.environ.get("RELAIS_MAP_ATTRIBUTION", "")
RELAIS_ALARM_RULES = os.environ.get("RELAIS_ALARM_RULES", "")
# A link to another map site for an alarm's location (clicked, never fetched by itself); by
# default none: the alarm's page draws the location on Relais's own map.
RELAIS_ALARM_MAP_URL = os.environ.get("RELAIS_ALARM_MAP_URL", "").strip()
_TILE_ORIGINS = ["/".join(RELAIS_MAP_TILES.split("/")[:3])] if RELAIS_MAP_TILES else []

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *_TILE_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Languages -------------------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("nl", "Nederlands"), ("de", "Deutsch"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "relais" / "locale"]
FORMAT_MODULE_PATH = ["relais.formats"]
USE_I18N = True
TIME_ZONE = "Europe/Brussels"
USE_TZ = True

# --- Static files ----------------------------------------------------------------------------
STATIC_URL = "/static/"
# Collected by `collectstatic` in production; in development WhiteNoise serves from the apps.
STATIC_ROOT = None if (DEBUG or TESTING) else BASE_DIR / "staticfiles"
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
WHITENOISE_USE_FINDERS = DEBUG or TESTING
# Leaflet for the directory map comes from its PyPI package (xstatic-leaflet), not a CDN.
STATICFILES_DIRS = [("leaflet", xstatic_leaflet.BASE_DIR)]

# --- API -------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "relais.accounts.authentication.ExpiringTokenAuthentication",
        "relais.core.api_auth.VerifiedSessionAuthentication",
    ],
    # A gateway token (the alarm platform) is refused everywhere but the activation endpoint.
    "DEFAULT_PERMISSION_CLASSES": ["relais.accounts.authentication.PersonalCredentials"],
    # JSON only: the browsable documentation is Swagger UI at /api/docs/ (CSP-clean).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "relais.core.api.exception_handler",
}
# Refused reads: one audit event per case tried, per user, kind and window; then one "scan"
# event; then only a count (relais/audit/denied.py).
DENIED_READ_WINDOW_MINUTES = int(os.environ.get("RELAIS_DENIED_READ_WINDOW_MINUTES", "60"))
DENIED_READ_EVENTS = int(os.environ.get("RELAIS_DENIED_READ_EVENTS", "20"))
API_TOKEN_DAYS = int(os.environ.get("RELAIS_API_TOKEN_DAYS", "90"))
GATEWAY_TOKEN_DAYS = int(os.environ.get("RELAIS_GATEWAY_TOKEN_DAYS", "365"))
# An API Idempotency-Key (and a form's submission token) is remembered this long; later, the
# same key is a new request (relais/core/submissions.py; purge: manage.py submissions_purge).
IDEMPOTENCY_KEY_HOURS = int(os.environ.get("RELAIS_IDEMPOTENCY_KEY_HOURS", "24"))
SPECTACULAR_SETTINGS = {
    "TITLE": "Relais API",
    "DESCRIPTION": (
        "The Relais case file, under the same access policy and audit trail as the screens. "
        "Authenticate with a token (Authorization: Token ...) or a verified session."
    ),
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs are for signed-in staff only (docs/audit.md).
    "SERVE_PERMISSIONS": ["relais.accounts.authentication.PersonalCredentials"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Every operation documents its 401 and 404 (and a POST its 400 and 422).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "relais.core.api.document_refusals"],
    # One name for a choice set used by several fields (issue 19 §4).
    "ENUM_NAME_OVERRIDES": {
        "YesNoUnknownEnum": "relais.cases.models.YesNoUnknown",
        "RecordKindEnum": "relais.intake.models.RecordKind",
        "ReferralStatusEnum": "relais.referrals.models.ReferralStatus",
        "TaskKindEnum": "relais.followup.models.TaskKind",
        "TaskStatusEnum": "relais.followup.models.TaskStatus",
        "BanStatusEnum": "relais.measures.models.BanStatus",
        "DetentionStatusEnum": "relais.measures.models.DetentionStatus",
        "ProgrammeFileStatusEnum": "relais.programmes.models.FileStatus",
    },
}

# --- Rules practitioners own (versioned data files, checked at start-up) --------------------
def _folders(variable: str, ours: Path) -> list[Path]:
    """An organisation replaces or adds rule files by listing its folders (ours included or not)."""
    listed = [Path(p) for p in os.environ.get(variable, "").split(":") if p]
    return listed or [ours]


RELAIS_INSTRUMENT_DIRS = _folders("RELAIS_INSTRUMENT_DIRS", BASE_DIR / "relais/risk/instruments")
RELAIS_LEXICON_DIRS = _folders("RELAIS_LEXICON_DIRS", BASE_DIR / "relais/intake/lexicons")
RELAIS_DIRECTORY_NEEDS = os.environ.get(
    "RELAIS_DIRECTORY_NEEDS", str(BASE_DIR / "relais/directory/data/needs.yaml"))
RELAIS_REFERRAL_RULES = os.environ.get(
    "RELAIS_REFERRAL_RULES", str(BASE_DIR / "relais/referrals/rules/referral-rules.v1.yaml"))
# A directory entry not checked for this long, or capacity not confirmed for this long, is
# flagged as stale.
RELAIS_DIRECTORY_STALE_DAYS = int(os.environ.get("RELAIS_DIRECTORY_STALE_DAYS", "180"))
RELAIS_CAPACITY_STALE_DAYS = int(os.environ.get("RELAIS_CAPACITY_STALE_DAYS", "7"))
# Figures: counts from 1 to this − 1 are suppressed, and secondarily suppressed with them.
FIGURES_SMALL_CELL = int(os.environ.get("RELAIS_FIGURES_SMALL_CELL", "5"))
# Where the public finder's quick-exit button leads (replacing the page in the history).
RELAIS_QUICK_EXIT_URL = os.environ.get("RELAIS_QUICK_EXIT_URL", "https://www.meteo.be/")
# Language names for the directory (codes as stored on services and persons).
RELAIS_LANGUAGE_NAMES = [
    ("fr", "Français"), ("nl", "Nederlands"), ("de", "Deutsch"), ("en", "English"),
    ("ar", "العربية"), ("tr", "Türkçe"), ("es", "Español"), ("pt", "Português"),
    ("it", "Italiano"), ("pl", "Polski"), ("ro", "Română"), ("ru", "Русский"),
    ("uk", "Українська"), ("fa", "فارسی"), ("ps", "پښتو"), ("so", "Soomaali"),
    ("ti", "ትግርኛ"), ("sgn", "Sign language / Langue des signes / Gebarentaal"),
]
# Where links in e-mails and QR codes point (relais/core/links.py): required in production;
# in the demo, unset, they follow the address of the request.
RELAIS_PUBLIC_URL = os.environ.get("RELAIS_PUBLIC_URL", "").rstrip("/")

# --- Audit -----------------------------------------------------------------------------------
AUDIT_KEY = os.environ.get("RELAIS_AUDIT_KEY", "") or f"audit:{SECRET_KEY}"
AUDIT_CHECKPOINT_FILE = Path(os.environ.get("RELAIS_AUDIT_CHECKPOINTS", "")
                             or VAR_DIR / "audit-checkpoints.jsonl")
AUDIT_SEAL_SECONDS = float(os.environ.get("RELAIS_AUDIT_SEAL_SECONDS", "1"))
# A checkpoint at least this often even when nothing new was sealed, so that a stale file shows.
AUDIT_CHECKPOINT_HEARTBEAT_SECONDS = 60

# --- Logging: never personal data; request paths carry only identifiers. ---------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "relais": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # The task library logs a failed task with its traceback, where an SMTP error can name
        # addresses: the mail worker logs each attempt itself, without them.
        "django_tasks": {"handlers": ["console"], "level": "CRITICAL", "propagate": False},
        "django_tasks_db": {"handlers": ["console"], "level": "CRITICAL", "propagate": False},
    },
}

# Demo accounts (agencies flagged is_demo) can sign in only when DEBUG is on.
DEMO_TOTP_SECRET = "RELAISDEMOTOTPKEYFORDEMOONLY2345"
DEMO_PASSWORD = "demo-relais-2026"

# E-mail: notices and follow-up reminders (a case reference and a link, never a person).
EMAIL_BACKEND = ("django.core.mail.backends.console.EmailBackend" if DEBUG
                 else "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("RELAIS_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("RELAIS_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("RELAIS_EMAIL_FROM", "relais@localhost")
# E-mails are queued in the transaction of the change and sent by the mail worker
# (relais/notifications/mail.py, manage.py mail_worker), never inside a request.
EMAIL_TIMEOUT = float(os.environ.get("RELAIS_EMAIL_TIMEOUT", "10"))
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                     "QUEUES": ["mail", "jobs"]}}  # jobs: relais/core/jobs.py
