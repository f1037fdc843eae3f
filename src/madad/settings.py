"""Madad's one settings module, configured from the environment.

Three modes, chosen with MADAD_MODE:

- ``development`` (the default): explicit, insecure-but-harmless defaults so that a fresh
  clone runs; secrets are generated once into ``var/dev-secrets.json``.
- ``demo``: development plus the synthetic demo organisation (``madad demo``); two-factor
  sign-in is optional unless MADAD_REQUIRE_MFA says otherwise.
- ``production``: every secret must come from the environment; a missing one stops start-up
  with a message naming it. The demo data cannot be loaded.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from madad.core import secret_keys

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("MADAD_VAR_DIR", PROJECT_DIR / "var"))


def private_directory(path: Path) -> None:
    """Creates the directory readable by Madad's own user only (0700), and narrows one that
    is ours but open to others. Everything in var/ (the database, evidence, secrets) is
    Madad's alone."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(OSError):  # another owner's directory: theirs to set
        if path.stat().st_mode & 0o077:
            path.chmod(0o700)


def private_sqlite_file(name: str) -> None:
    """Creates the SQLite database file readable by Madad's own user only (0600) before SQLite
    opens it (an empty file is an empty database), and narrows an existing one and its -wal
    and -shm files. SQLite gives the -wal and -shm files the database file's permissions."""
    path = Path(name)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    for file in (path, Path(f"{name}-wal"), Path(f"{name}-shm")):
        with contextlib.suppress(OSError):  # missing, or another owner's
            if file.stat().st_mode & 0o077:
                file.chmod(0o600)


private_directory(VAR_DIR)

MODES = ("development", "demo", "production")
MODE = os.environ.get("MADAD_MODE", "development").strip().lower()
if MODE not in MODES:
    raise ImproperlyConfigured(f"MADAD_MODE must be one of {', '.join(MODES)}; got {MODE!r}.")
PRODUCTION = MODE == "production"
DEMO_MODE = MODE == "demo"


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false; got {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}.") from None


def _development_secrets() -> dict[str, str]:
    """Secrets for development and demo, generated once and kept under var/."""
    path = VAR_DIR / "dev-secrets.json"
    try:
        kept: dict[str, str] = json.loads(path.read_text())
        return kept
    except FileNotFoundError:
        pass
    values = secret_keys.generate()
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(values))
    os.chmod(tmp, 0o600)
    with contextlib.suppress(FileExistsError):
        os.link(tmp, path)  # the first of several processes starting at once wins
    tmp.unlink(missing_ok=True)
    kept = json.loads(path.read_text())
    return kept


def required(name: str) -> str:
    """A setting production cannot run without; development falls back to var/dev-secrets.json."""
    value = os.environ.get(name, "").strip()
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(
            f"{name} is not set. Production mode (MADAD_MODE=production) needs it; "
            "see README.md, 'Configuration'."
        )
    return _development_secrets()[name]


SECRET_KEY = required("MADAD_SECRET_KEY")
# Field encryption: comma-separated Fernet keys, newest first. Older keys still decrypt until
# `madad keys rotate` has re-encrypted everything with the first one.
FIELD_ENCRYPTION_KEYS = [k.strip() for k in required("MADAD_FIELD_KEYS").split(",") if k.strip()]
# Keyed blind index (HMAC-SHA256) for exact lookup of national ID and phone numbers.
BLIND_INDEX_KEY = required("MADAD_BLIND_INDEX_KEY")
if PRODUCTION:
    # A key that cannot protect anything stops start-up, naming the variable; development's
    # generated secrets are sound by construction.
    _weak = secret_keys.problems(
        secret_key=SECRET_KEY, field_keys=FIELD_ENCRYPTION_KEYS, blind_index_key=BLIND_INDEX_KEY
    )
    if _weak:
        raise ImproperlyConfigured(" ".join([*_weak, "Generate new ones: madad keys generate."]))

DEBUG = env_bool("MADAD_DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("MADAD_DEBUG cannot be true in production: debug pages leak data.")

_hosts = os.environ.get("MADAD_ALLOWED_HOSTS", "").strip()
if PRODUCTION and not _hosts:
    raise ImproperlyConfigured(
        "MADAD_ALLOWED_HOSTS is not set. Production mode needs the host names Madad answers to, "
        "comma-separated (for example madad.example.org)."
    )
ALLOWED_HOSTS = [h.strip() for h in _hosts.split(",") if h.strip()] or [
    "127.0.0.1",
    "localhost",
    "[::1]",
    "testserver",
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("MADAD_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

# Two-factor sign-in is required for every staff user. Only demo mode may turn it off.
REQUIRE_MFA = env_bool("MADAD_REQUIRE_MFA", not DEMO_MODE)
if not REQUIRE_MFA and not DEMO_MODE:
    raise ImproperlyConfigured(
        "MADAD_REQUIRE_MFA=false is only allowed in demo mode (MADAD_MODE=demo)."
    )

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, for the renderer below
    "django_htmx",
    "ninja",  # serves Swagger UI from static files, not a CDN
    "leaflet",  # serves Leaflet for the public map from static files, not a CDN
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "madad.core",
    "madad.accounts",
    "madad.places",
    "madad.people",
    "madad.incidents",
    "madad.testimonies",
    "madad.evidence",
    "madad.households",
    "madad.cases",
    "madad.assistance",
    "madad.referrals",
    "madad.claims",
    "madad.public",
    "madad.fund",
    "madad.linkage",
    "madad.sharing",
    "madad.intake",
    "madad.audit",
    "madad.backup",
    "madad.home",
]

MIDDLEWARE = [
    "madad.core.request_context.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "madad.api.middleware.ApiErrorShapeMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "madad.accounts.middleware.RequireTwoFactorMiddleware",
    "madad.core.middleware.NoStoreForSignedInMiddleware",
    "madad.home.middleware.MethodNotAllowedPageMiddleware",
]

ROOT_URLCONF = "madad.urls"
# Widgets render through the site's templates, so that templates/django/forms/ can set what
# every form shares (typed text takes its direction from what is typed: dir="auto").
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "madad.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "madad.home.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite by default: WAL, IMMEDIATE transactions and a 20 s busy timeout, so that concurrent
# writers queue instead of failing with "database is locked" (MEASURED.md). DATABASE_URL
# selects PostgreSQL for production.
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip()
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("MADAD_DB_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("MADAD_SQLITE_PATH", str(VAR_DIR / "madad.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
    if not DATABASES["default"]["NAME"].startswith(":"):
        private_directory(Path(DATABASES["default"]["NAME"]).parent)
        private_sqlite_file(DATABASES["default"]["NAME"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
# The database cache is shared by every app server and worker, so rate limits hold across
# processes without another service to run. MADAD_REDIS_URL may replace it.
CACHES: dict[str, dict[str, Any]]
if os.environ.get("MADAD_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["MADAD_REDIS_URL"],
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "madad_cache",
            # Rate limits, lockouts and spent proofs of work live here. Django's default (300
            # entries, then a third deleted) let a flood of posts wipe them; expired entries
            # are deleted first when this is reached.
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        }
    }

# --- Accounts and sign-in -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
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
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# Failed sign-ins in a row before an account is locked, and for how long.
LOCKOUT_ATTEMPTS = env_int("MADAD_LOCKOUT_ATTEMPTS", 6)
LOCKOUT_MINUTES = env_int("MADAD_LOCKOUT_MINUTES", 30)

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "madad.accounts.adapter.MadadAccountAdapter"
# Madad's own labels and messages on allauth's forms (allauth ships no Urdu).
ACCOUNT_FORMS = {
    "login": "madad.accounts.forms.SignInForm",
    "change_password": "madad.accounts.forms.PasswordChangeForm",
    "reauthenticate": "madad.accounts.forms.PasswordReauthenticateForm",
}
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
# Madad's own lockout (above) counts failures per account; this only damps floods per address.
ACCOUNT_RATE_LIMITS = {"login_failed": "30/m/ip", "login": "60/m/ip"}
MFA_ADAPTER = "madad.accounts.adapter.MadadMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_FORMS = {
    "authenticate": "madad.accounts.forms.TwoFactorAuthenticateForm",
    "reauthenticate": "madad.accounts.forms.TwoFactorReauthenticateForm",
    "activate_totp": "madad.accounts.forms.TotpActivateForm",
}
MFA_TOTP_ISSUER = os.environ.get("MADAD_TOTP_ISSUER", "Madad")
# A code is also accepted in the 30 s step before or after its own (RFC 6238's one step of
# drift): a code typed as the step ends, or read from a phone whose clock is a little off, still
# works. Each code is still accepted only once.
MFA_TOTP_TOLERANCE = 1

# An idle session ends after an hour; every request renews it.
SESSION_COOKIE_AGE = env_int("MADAD_SESSION_IDLE_SECONDS", 3600)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# API bearer tokens.
API_TOKEN_HOURS = env_int("MADAD_API_TOKEN_HOURS", 12)
# How long an invitation link (with which an invited user sets their own password) works.
INVITATION_HOURS = env_int("MADAD_INVITATION_HOURS", 72)
# Lists in the API page with bounded limit/offset (madad.api.pagination).
NINJA_PAGINATION_CLASS = "madad.api.pagination.Pagination"

# How many reverse proxies stand in front of the app servers (0: clients connect directly).
# With N, the client's address is the N-th from the right in X-Forwarded-For: the audit trail
# and the rate limits see the client, not the proxy (madad.core.request_context).
TRUSTED_PROXY_HOPS = env_int("MADAD_TRUSTED_PROXY_HOPS", 0)
if not 0 <= TRUSTED_PROXY_HOPS <= 10:
    raise ImproperlyConfigured("MADAD_TRUSTED_PROXY_HOPS must be a number from 0 to 10.")

# --- Security headers -----------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    # Production is served over TLS only (README: a TLS proxy in front, its internal CA on a
    # private network); there is no plain-http production mode. The health check is exempt:
    # the proxy asks each app server directly, over the private hop.
    if os.environ.get("MADAD_SSL_REDIRECT", "").strip():
        raise ImproperlyConfigured(
            "MADAD_SSL_REDIRECT is no longer read: production is served over https only. "
            "Remove it; on a private network use the proxy's own certificate authority "
            "(README.md, 'Deploying')."
        )
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("MADAD_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Every asset is served by Madad itself: the policy allows nothing from another origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Public site (madad.public) -------------------------------------------------------------
# A public count of victims by sex or age group below this shows as "fewer than N".
MADAD_PUBLIC_MIN_COUNT = env_int("MADAD_PUBLIC_MIN_COUNT", 5)
if MADAD_PUBLIC_MIN_COUNT < 2:
    raise ImproperlyConfigured("MADAD_PUBLIC_MIN_COUNT must be at least 2.")
# How long public figures, map points and pages may be kept (server cache and browsers).
MADAD_PUBLIC_CACHE_SECONDS = env_int("MADAD_PUBLIC_CACHE_SECONDS", 300)
# Requests per minute one address may make to the public site (an export counts as ten).
MADAD_PUBLIC_RATE_LIMIT = env_int("MADAD_PUBLIC_RATE_LIMIT", 120)
# Map tiles, e.g. https://tiles.example.org/{z}/{x}/{y}.png (an operator's own tile server).
# Empty: no tiles; the map still shows districts, towns and their counts.
MADAD_MAP_TILE_URL = os.environ.get("MADAD_MAP_TILE_URL", "").strip()
MADAD_MAP_TILE_ATTRIBUTION = os.environ.get("MADAD_MAP_TILE_ATTRIBUTION", "").strip()
if MADAD_MAP_TILE_URL:
    from urllib.parse import urlsplit as _urlsplit

    _tiles = _urlsplit(MADAD_MAP_TILE_URL.replace("{s}", "a"))
    if _tiles.scheme not in ("https", "http") or not _tiles.netloc:
        raise ImproperlyConfigured(
            "MADAD_MAP_TILE_URL must be an http(s) address with {z}, {x} and {y} in it."
        )
    # the one other origin the policy then allows, for images only
    _origin = f"{_tiles.scheme}://{MADAD_MAP_TILE_URL.split('/')[2].replace('{s}', '*')}"
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(_origin)

# --- Languages ------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ur", _("Urdu"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as Pakistan reads them, day first, in English and Urdu (madad/formats/).
FORMAT_MODULE_PATH = ["madad.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("MADAD_TIME_ZONE", "Asia/Karachi")

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "files"  # never served directly: evidence leaves only through views
# The largest evidence file accepted, in megabytes (MiB).
MADAD_EVIDENCE_MAX_MB = env_int("MADAD_EVIDENCE_MAX_MB", 25)
# Stored files readable by Madad's own user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
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
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    # WhiteNoise warns (an error under the tests) when STATIC_ROOT is missing; development
    # serves from the finders and only needs the directory to exist.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# --- Cases ----------------------------------------------------------------------------------
# Which cases a caseworker sees: "own" (assigned to them) or "team" (assigned to anybody in one
# of their case teams, see madad.cases.models.Team). Coordinators see every case either way.
CASE_VISIBILITY = os.environ.get("MADAD_CASE_VISIBILITY", "own").strip().lower() or "own"
if CASE_VISIBILITY not in ("own", "team"):
    raise ImproperlyConfigured(
        f"MADAD_CASE_VISIBILITY must be 'own' or 'team'; got {CASE_VISIBILITY!r}."
    )
# Cases with no recorded contact for this many days are shown to coordinators.
CASE_NO_CONTACT_DAYS = env_int("MADAD_CASE_NO_CONTACT_DAYS", 30)

# --- Relief fund ----------------------------------------------------------------------------
# The currency the books are kept in and assistance is paid in (assistance amounts are in it).
MADAD_FUND_CURRENCY = os.environ.get("MADAD_FUND_CURRENCY", "PKR").strip().upper() or "PKR"
# The public account shows only months that ended at least this many days ago.
MADAD_FUND_PUBLIC_DELAY_DAYS = env_int("MADAD_FUND_PUBLIC_DELAY_DAYS", 60)
# ... and a monthly total of assistance only if it adds up at least this many payments, so that
# no single family's payment can be read from it.
MADAD_FUND_PUBLIC_MIN_PAYMENTS = env_int("MADAD_FUND_PUBLIC_MIN_PAYMENTS", 5)
# A donation without an entered rate takes the stored rate of its day or of up to this many
# days before.
MADAD_FUND_RATE_MAX_AGE_DAYS = env_int("MADAD_FUND_RATE_MAX_AGE_DAYS", 7)

# --- Background tasks -----------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Intake from the field and the public (madad.intake) ---------------------------------------
# The organisation's private key for submissions encrypted on the phone (a PEM file, mode 0600,
# outside the database; `madad intake keys generate` makes it). Outside production one is made
# here the first time it is needed.
MADAD_INTAKE_KEY_FILE = Path(
    os.environ.get("MADAD_INTAKE_KEY_FILE", "").strip() or str(VAR_DIR / "intake-key.pem")
)
# The largest submission a device may send in one request (its XML and attachments together);
# Collect splits a bigger one into several requests of at most this size.
MADAD_INTAKE_MAX_BYTES = env_int("MADAD_INTAKE_MAX_BYTES", 10 * 1024 * 1024)
# The public report form: reports one address may send per hour, reports all addresses together
# may send per hour, and the work its page must prove (leading zero bits of a SHA-256).
MADAD_PUBLIC_REPORTS_PER_ADDRESS = env_int("MADAD_PUBLIC_REPORTS_PER_ADDRESS", 5)
MADAD_PUBLIC_REPORTS_PER_HOUR = env_int("MADAD_PUBLIC_REPORTS_PER_HOUR", 200)
MADAD_PUBLIC_REPORT_WORK_BITS = env_int("MADAD_PUBLIC_REPORT_WORK_BITS", 16)
if not 0 <= MADAD_PUBLIC_REPORT_WORK_BITS <= 28:
    raise ImproperlyConfigured("MADAD_PUBLIC_REPORT_WORK_BITS must be between 0 and 28.")

# --- Backups (madad.backup) -----------------------------------------------------------------
# Encrypted to every age public key listed (an office key and an offline recovery key);
# production refuses to back up without them. The identity (secret key) opens backups for
# drills and restores; in development and demo mode a key pair is made under var/backup-keys/.
BACKUP_DIR = Path(os.environ.get("MADAD_BACKUP_DIR", str(VAR_DIR / "backups")))
BACKUP_RECIPIENTS = [
    r for r in os.environ.get("MADAD_BACKUP_RECIPIENTS", "").replace(",", " ").split() if r
]
BACKUP_IDENTITY = os.environ.get("MADAD_BACKUP_IDENTITY", "").strip()
BACKUP_KEEP_DAILY = env_int("MADAD_BACKUP_KEEP_DAILY", 7)
BACKUP_KEEP_WEEKLY = env_int("MADAD_BACKUP_KEEP_WEEKLY", 8)
BACKUP_EVERY_HOURS = env_int("MADAD_BACKUP_EVERY_HOURS", 24)
BACKUP_DRILL_EVERY_DAYS = env_int("MADAD_BACKUP_DRILL_EVERY_DAYS", 7)

# --- Logging: never personal data -----------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "madad.core.logging.RedactSensitive"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("MADAD_LOG_LEVEL", "INFO")},
    "loggers": {
        # request logs carry POST bodies in some error paths; keep them at warnings
        "django.request": {"level": "WARNING"},
        "django.db.backends": {"level": "WARNING"},
    },
}

ADMINS: list[tuple[str, str]] = []
