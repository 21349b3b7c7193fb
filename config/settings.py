"""Settings for the peer-mentoring platform.

Everything a deployment changes comes from the environment (see README "Configuration").
The defaults run the whole platform on one machine with no servers: SQLite under var/,
kombu's filesystem transport as the Celery broker, and mails written to var/mail/.
"""

from pathlib import Path

import environ

from config.sso import socialaccount_providers

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# ---------------------------------------------------------------------------
# Core
# ---------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
_DEV_SECRET_KEY = "dev-only-insecure-secret-key-change-me"  # noqa: S105 - refused when DEBUG is off
# Without a key, commands that sign nothing (makemigrations, collectstatic) still run; the web
# server and Celery refuse to start (config.startup), and `check --deploy` reports it.
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else "")
if not DEBUG and SECRET_KEY == _DEV_SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("The development SECRET_KEY cannot be used with DEBUG off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")

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
    "allauth.socialaccount",
    "allauth.socialaccount.providers.saml",
    "allauth.socialaccount.providers.openid_connect",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "csp",
    "bootstrap",
    "accounts",
    "subjects",
    "core",
    "mentorship",
    "sessions.apps.ReviewSessionsConfig",
    "notifications",
    "audit",
    "reports",
    "roster",
    "program",
    "teaching",
    "feedback",
    "checkin",
    "ninja",  # its templates and static files: the API docs page loads nothing from a CDN
    "api",
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
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
    "accounts.middleware.AccountGateMiddleware",
    "accounts.sso.middleware.IdentityProviderFormActionMiddleware",
    # Last, so the 413 page gets the headers above; nothing above reads the body.
    "config.middleware.RequestSizeLimitMiddleware",
]

# Request size: a body over MAX_REQUEST_BYTES is refused (413) before it is read; the reverse proxy
# should refuse it even earlier (docs/deploy.md, nginx client_max_body_size). Exam files are 2 MB at most.
MAX_REQUEST_BYTES = env.int("MAX_REQUEST_BYTES", default=3 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024  # form fields other than files
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES  # an accepted upload stays in memory, never in a temp file

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "config.context_processors.program",
            ],
        },
    },
]

# ---------------------------------------------------------------------------
# Database: SQLite under var/ by default, PostgreSQL in production
# ---------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share the file: WAL lets readers run beside one writer, and
    # IMMEDIATE transactions make writers queue instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 20}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# Rate limits (allauth's failed sign-ins, TOTP codes, account deletion) count in the cache, so every
# web process must share it: the database by default (table created by migrate, see
# mentorship/migrations/0002_platform_cache_table.py), Redis in production (CACHE_URL=redis://host:6379/1).
# A per-process cache (locmem) would give each gunicorn worker its own count.
CACHE_TABLE = "platform_cache"
CACHES = {"default": env.cache_url("CACHE_URL", default=f"dbcache://{CACHE_TABLE}")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "core.cache.RedisCache"  # the same, with one client per pool

# ---------------------------------------------------------------------------
# Authentication (django-allauth): email is the login, verified before use
# ---------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Peer Mentoring] "
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.SchoolLoginForm"}  # SSO_ONLY: no password login for students
# A duplicate sign-up is told so on the form (the issue asks for a clear message); sign-up
# rate limits keep probing slow. Set PREVENT_EMAIL_ENUMERATION=1 to hide it instead.
ACCOUNT_PREVENT_ENUMERATION = env.bool("PREVENT_EMAIL_ENUMERATION", default=False)
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env.str("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http" if DEBUG else "https")
# Deleting one's account asks for the password: as guarded as a sign-in (allauth's rate limiter).
ACCOUNT_RATE_LIMITS = {"delete_account": "5/5m/user,10/m/ip"}
# Behind a reverse proxy set ALLAUTH_TRUSTED_PROXY_COUNT to the number of proxies you run (docs/deploy.md):
# only then are X-Forwarded-For (client address for rate limits) and X-Forwarded-Proto believed.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_TOLERANCE = 1  # accept the neighbouring 30-second code: phone clocks drift
MFA_TOTP_ISSUER = env.str("PROGRAM_NAME", default="Peer Mentoring Program")

# Roster import (roster app): email each student the roster creates an invitation to choose a
# password. Set ROSTER_SEND_INVITATIONS=0 when students sign in through the school's SSO.
ROSTER_SEND_INVITATIONS = env.bool("ROSTER_SEND_INVITATIONS", default=True)

# School email domains allowed to sign up (empty: any domain), e.g. "bcm.edu,tmc.edu".
SCHOOL_EMAIL_DOMAINS = [d.lower().lstrip("@") for d in env.list("SCHOOL_EMAIL_DOMAINS", default=[])]

# ---------------------------------------------------------------------------
# Single sign-on through the school's identity provider (django-allauth socialaccount; docs/sso.md)
# ---------------------------------------------------------------------------
SOCIALACCOUNT_ADAPTER = "accounts.sso.adapter.SchoolSocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True  # the IdP vouches for the person: no second form
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"  # ...and for the address (see the adapter)
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True  # an existing account with the same verified email is the one
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True  # ...and is linked to the IdP from then on
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False  # the sign-in page posts to the provider (no login CSRF)
# The name on the button, "Sign in with <SSO_SCHOOL_NAME>".
SSO_SCHOOL_NAME = env.str("SSO_SCHOOL_NAME", default="your school")
# Who a person refused by the school's sign-in should contact.
SSO_HELP_CONTACT = env.str("SSO_HELP_CONTACT", default="the program office")
# 1: students can only sign in through SSO (no password sign-up or login); program admins and
# staff keep their password (the break-glass account for when the IdP is down).
SSO_ONLY = env.bool("SSO_ONLY", default=False)
# 1: a program admin whose IdP asserts multi-factor sign-in needs no TOTP here (else TOTP always).
SSO_TRUST_IDP_MFA = env.bool("SSO_TRUST_IDP_MFA", default=False)
# What counts as "the IdP did MFA": SAML AuthnContextClassRef values, OIDC amr and acr values.
SSO_MFA_AUTHN_CONTEXTS = env.list("SSO_MFA_AUTHN_CONTEXTS", default=[
    "https://refeds.org/profile/mfa",
    "http://schemas.microsoft.com/claims/multipleauthn",
    "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract",
    "urn:oasis:names:tc:SAML:2.0:ac:classes:TimeSyncToken",
])
SSO_MFA_AMR = env.list("SSO_MFA_AMR", default=["mfa", "otp", "hwk"])
SSO_MFA_ACR = env.list("SSO_MFA_ACR", default=["https://refeds.org/profile/mfa", "mfa"])
# Origins the sign-in form may be redirected to besides the IdPs' own (CSP form-action), for an IdP
# that sends the browser on to another host (e.g. Entra ID federated to ADFS).
SSO_FORM_ACTION_ORIGINS = env.list("SSO_FORM_ACTION_ORIGINS", default=[])
SSO_SAML_SLUG = env.str("SSO_SAML_SLUG", default="school")  # in the SP URLs: /accounts/saml/<slug>/...
SSO_OIDC_PROVIDER_ID = env.str("SSO_OIDC_PROVIDER_ID", default="school")  # /accounts/oidc/<id>/...


# The IdPs themselves (SAML metadata, OpenID issuer and client) come from the environment: config/sso.py.
SOCIALACCOUNT_PROVIDERS = socialaccount_providers(
    env, saml_slug=SSO_SAML_SLUG, oidc_provider_id=SSO_OIDC_PROVIDER_ID, school_name=SSO_SCHOOL_NAME
)

# ---------------------------------------------------------------------------
# The program
# ---------------------------------------------------------------------------
PROGRAM_NAME = env.str("PROGRAM_NAME", default="Peer Mentoring Program")
TIME_ZONE = env.str("PROGRAM_TIME_ZONE", default="America/Chicago")
# Class years roll over on this day each year (month, day); most schools use 1 July.
ACADEMIC_YEAR_START = tuple(int(p) for p in env.str("ACADEMIC_YEAR_START", default="07-01").split("-"))
MENTOR_ELIGIBLE_YEARS = env.list("MENTOR_ELIGIBLE_YEARS", cast=int, default=[3, 4])
MATCHING_MIN_YEAR_GAP = env.int("MATCHING_MIN_YEAR_GAP", default=2)
MENTORSHIP_REQUEST_EXPIRY_DAYS = env.int("MENTORSHIP_REQUEST_EXPIRY_DAYS", default=7)
BOOKING_CANCEL_CUTOFF_HOURS = env.int("BOOKING_CANCEL_CUTOFF_HOURS", default=2)
# Whom a mentee refused for no-shows is told to contact (default: the From address's mailbox).
PROGRAM_CONTACT_EMAIL = env.str("PROGRAM_CONTACT_EMAIL", default="")
# Waitlist offers (ProgramRules.waitlist_mode "offer"): a hold never runs later than this many
# minutes before the start; a seat freed later is offered for at least WAITLIST_OFFER_MIN_MINUTES
# (never past the start). See docs/waitlists.md.
WAITLIST_OFFER_CLOSES_MINUTES = env.int("WAITLIST_OFFER_CLOSES_MINUTES", default=30)
WAITLIST_OFFER_MIN_MINUTES = env.int("WAITLIST_OFFER_MIN_MINUTES", default=15)
REMINDER_OFFSETS_HOURS = env.list("REMINDER_OFFSETS_HOURS", cast=int, default=[24, 1])
NOTES_EDITABLE_DAYS = env.int("NOTES_EDITABLE_DAYS", default=7)
# Teaching record (docs/teaching-record.md): recognition thresholds in verified teaching hours, emailed
# once each when reached; and how often one address may open certificate verification links.
TEACHING_MILESTONE_HOURS = env.list("TEACHING_MILESTONE_HOURS", cast=int, default=[20, 50])
TEACHING_VERIFY_RATE_LIMIT = env.str("TEACHING_VERIFY_RATE_LIMIT", default="30/m")
REPORT_MIN_GROUP_SIZE = env.int("REPORT_MIN_GROUP_SIZE", default=5)
# The session survey (feedback): mentors see a series' answers only once this many mentees answered;
# a survey can be first answered until FEEDBACK_OPEN_DAYS after the session and edited for
# FEEDBACK_EDITABLE_DAYS after it was first sent.
FEEDBACK_MIN_ANSWERS = env.int("FEEDBACK_MIN_ANSWERS", default=3)
FEEDBACK_EDITABLE_DAYS = env.int("FEEDBACK_EDITABLE_DAYS", default=7)
FEEDBACK_OPEN_DAYS = env.int("FEEDBACK_OPEN_DAYS", default=14)
# Check-in (checkin): the short code shown by the mentor changes every this many seconds.
CHECKIN_CODE_SECONDS = env.int("CHECKIN_CODE_SECONDS", default=300)
# Check-in attempts per mentee (right or wrong), so the six-digit code cannot be guessed by trying.
CHECKIN_ATTEMPT_RATE = env.str("CHECKIN_ATTEMPT_RATE", default="10/5m")
# Attendance bands of the exam estimates (docs/impact.md): "0,1-3,4+", or "0-6,7-15,16-24" as in the
# published study; the report's filter can switch between the two.
REPORT_ATTENDANCE_BANDS = env.str("REPORT_ATTENDANCE_BANDS", default="0,1-3,4+")
# Outreach: a score below this percent of the exam's scale counts as struggling (a fail always does).
REPORT_OUTREACH_THRESHOLD_PERCENT = env.int("REPORT_OUTREACH_THRESHOLD_PERCENT", default=70)
# The impact report is computed once per filter set for this long (0: every time); see reports.tables.
REPORT_CACHE_SECONDS = env.int("REPORT_CACHE_SECONDS", default=120)
# The summary's previous period, once it is over, is cached this long (0, or REPORT_CACHE_SECONDS=0: not).
REPORT_PAST_PERIOD_CACHE_SECONDS = env.int("REPORT_PAST_PERIOD_CACHE_SECONDS", default=6 * 3600)
# The busiest list pages keep their content until any write to the data under them, and at most this
# long (0: never kept); see core.page_cache.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)

LANGUAGE_CODE = "en-us"
USE_I18N = True
USE_TZ = True

# API for the school's systems (docs/api.md): requests per token, and failed authentications per
# client address, counted in the shared cache above. "120/m" = at most 120 a minute; "1000/h", "10/30s".
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="120/m")
API_FAILED_AUTH_RATE_LIMIT = env.str("API_FAILED_AUTH_RATE_LIMIT", default="30/m")

# ---------------------------------------------------------------------------
# Static files: served by whitenoise, Bootstrap and htmx come from PyPI packages
# ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# ---------------------------------------------------------------------------
# Email: written to var/mail/ unless EMAIL_URL names a real server (smtp://...)
# ---------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Peer Mentoring <mentoring@example.edu>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if "EMAIL_URL" in env:
    _email = env.email_url("EMAIL_URL")
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
    EMAIL_PORT = _email.get("EMAIL_PORT", 25)
    EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
else:
    EMAIL_BACKEND = "notifications.backends.EmailBackend"  # one file per mail, named time_kind_to_subject
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))

# ---------------------------------------------------------------------------
# Celery: kombu's filesystem transport under var/ by default, Redis in production
# ---------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(VAR_DIR / "broker"),
        "data_folder_out": str(VAR_DIR / "broker"),
        "processed_folder": str(VAR_DIR / "broker-processed"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    else {"visibility_timeout": 3600}
)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
# A task is acknowledged after it ran, so a worker killed mid-task leaves it to be redelivered;
# services make that safe by claiming their rows before acting.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Celery's Django fix-up closes the database connection around every task unless this is set,
# which made each task open a new PostgreSQL connection. With it set,
# config/celery.py applies Django's own rules instead: CONN_MAX_AGE and health checks.
CELERY_DB_REUSE_MAX = 1_000_000
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker that lost the broker retries for ever (Celery's default gives up after 100 tries,
# about 50 minutes), at most 30 s apart; back, it republishes what the outage lost.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict = {}
# Matching: unanswered mentorship requests expire after MENTORSHIP_REQUEST_EXPIRY_DAYS.
CELERY_BEAT_SCHEDULE["expire-mentorship-requests"] = {
    "task": "mentorship.tasks.expire_mentorship_requests",
    "schedule": 15 * 60,
}

# Reminders (notifications): the dispatcher records and sends due reminders every minute; an
# expired run is dropped rather than piling up while no worker is there. The weekly digest task
# runs hourly and sends once per admin and week, from Monday 07:00 in the program's zone.
CELERY_BEAT_SCHEDULE["sessions-dispatch-reminders"] = {
    "task": "sessions.tasks.dispatch_reminders", "schedule": 60.0, "options": {"expires": 55},
}
# Waitlist offers whose hold ran out pass to the next in line (safe to run twice at once).
CELERY_BEAT_SCHEDULE["sessions-expire-waitlist-offers"] = {
    "task": "sessions.tasks.expire_waitlist_offers", "schedule": 60.0, "options": {"expires": 55},
}
# Teaching record: milestones reached since the last sweep are recorded and emailed (once each).
CELERY_BEAT_SCHEDULE["teaching-milestones"] = {
    "task": "teaching.tasks.award_teaching_milestones", "schedule": 3600.0, "options": {"expires": 3000},
}
CELERY_BEAT_SCHEDULE["reports-weekly-digest"] = {
    "task": "reports.tasks.send_weekly_digests", "schedule": 3600.0, "options": {"expires": 3000},
}
# An email claimed by a worker that died before handing it to the mail server is re-taken after this.
EMAIL_STALE_CLAIM_SECONDS = env.int("EMAIL_STALE_CLAIM_SECONDS", default=120)
# A failed send is retried after EMAIL_RETRY_FIRST_SECONDS, doubling up to EMAIL_RETRY_MAX_SECONDS
# (30 s, 1, 2, 4, 8 min, then every 15 min); tests compress the schedule with these.
EMAIL_RETRY_FIRST_SECONDS = env.float("EMAIL_RETRY_FIRST_SECONDS", default=30.0)
EMAIL_RETRY_MAX_SECONDS = env.float("EMAIL_RETRY_MAX_SECONDS", default=900.0)

# ---------------------------------------------------------------------------
# Security: strict by default once DEBUG is off
# ---------------------------------------------------------------------------
# A client can send X-Forwarded-Proto itself: it means HTTPS only when our own proxy sets it.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if ALLAUTH_TRUSTED_PROXY_COUNT else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
# Sessions are written to the database and read through the cache (Redis in production,
# docs/deploy.md): a signed-in page costs one cache read instead of a database query for them.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
X_FRAME_OPTIONS = "DENY"
# Scripts only from our own origin: no inline scripts, no eval, no CDN. Inline style attributes
# stay allowed (Bootstrap utilities and server-drawn charts use them; they cannot run code).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
SILENCED_SYSTEM_CHECKS: list[str] = []

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Named so Django's default console and mail handlers on it go: its records reach the root
    # handler once (they were printed twice, "Watching for file changes with StatReloader").
    "loggers": {"django": {"handlers": [], "propagate": True}},
}
