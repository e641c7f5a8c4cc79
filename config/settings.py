"""Casefile settings: one module, driven by environment variables (see README)."""

import base64
import binascii
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (DEBUG=true allows a dev key)."
        )
    SECRET_KEY = "insecure-dev-key-never-use-in-production"  # noqa: S105

# How many proxies of ours stand in front of the app (nginx in docker-compose: 1). The client
# address used by the lockout, the throttles and the audit trail is the one the outermost of
# them saw; X-Forwarded-For entries before it are the client's own claim and ignored.
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    # allauth's passkey pages use its template tags.
    "django.contrib.humanize",
    "django_countries",
    "django_filters",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rules",
    "simple_history",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "casefile",
    "casefile.audit",
    "accounts",
    "organizations",
    "incidents",
    "appeals",
    "backups",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses pages, API bodies and exports (text only, not PDFs: casefile/compression.py);
    # below WhiteNoise, which serves its own pre-compressed static files, and above everything
    # that writes the body. BREACH: Django's gzip pads each response with up to 100 random
    # bytes ("Heal The Breach") and masks the CSRF token afresh per response, and the secrets
    # we hold (session, CSRF cookie) travel in headers, which gzip leaves alone; so
    # compression stays on for signed-in pages too.
    "casefile.compression.TextGZipMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "casefile.api.language.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every view needs a login unless it is marked public with @login_not_required:
    # forgetting a decorator must expose nothing.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Session timeouts, and staff without a second factor sent to enrol (accounts/).
    "accounts.middleware.AccountProtectionMiddleware",
    # Last: turns a lockout noticed during the request into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "casefile.context_processors.site",
            ],
        },
    },
]

VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'casefile.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username and address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "incidents:dashboard"
LOGOUT_REDIRECT_URL = "incidents:home"

# Staff accounts (accounts/, README "Staff accounts"). Logins go through django-allauth: a
# password, then a second factor (TOTP, a passkey or a recovery code) for whoever enrolled
# one; staff must enrol before anything else opens. No sign-up, no e-mail.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Confirming a sensitive change (a new factor, a new password): password or second factor,
# never a code by e-mail.
ACCOUNT_REAUTHENTICATION_METHODS = ("password", "mfa")
# Failed logins are counted and locked out by django-axes (below), the second factor's
# wrong codes included; allauth's own counter would lock out sooner, for another time. Wrong
# codes are also limited per account from any address (accounts.lockout).
ACCOUNT_RATE_LIMITS = {"login_failed": None}
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("SITE_NAME", default="Casefile")
# One 30-second step either side: a phone clock a little off still works.
MFA_TOTP_TOLERANCE = 1
MFA_FORMS = {
    "authenticate": "accounts.forms.AuthenticateForm",
    "reauthenticate": "accounts.forms.ReauthenticateForm",
}
# Passkeys need HTTPS, except on http://localhost in development.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG

# Lockout (django-axes): 5 failures for one username from one client address lock that pair
# for 30 minutes. The address is the one our proxies saw (casefile.client_address), so an
# attacker cannot rotate X-Forwarded-For, and cannot lock the real user out from elsewhere.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", default=30)
if LOGIN_FAILURE_LIMIT < 1 or LOGIN_LOCKOUT_MINUTES < 1:
    raise ImproperlyConfigured("LOGIN_FAILURE_LIMIT and LOGIN_LOCKOUT_MINUTES must be at least 1.")
AXES_VERBOSE = False
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "casefile.client_address.client_address"
AXES_USERNAME_CALLABLE = "accounts.lockout.attempted_username"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
# 30 minutes from the fifth failure: attempts refused during the lock do not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The audit trail records logins; axes keeps the failures only.
AXES_DISABLE_ACCESS_LOG = True
AXES_SENSITIVE_PARAMETERS = ["code", "csrfmiddlewaretoken"]

# Sessions end after SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS in all
# (accounts.middleware), and when the browser closes; a new key at every login.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_MAX_HOURS = env.int("SESSION_MAX_HOURS", default=12)
if SESSION_IDLE_MINUTES < 1 or SESSION_MAX_HOURS < 1:
    raise ImproperlyConfigured("SESSION_IDLE_MINUTES and SESSION_MAX_HOURS must be at least 1.")
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600

# Internationalisation: English is the source language; catalogues for the others
# arrive with the translation work. Arabic is listed so right-to-left is exercised early.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("ar", _("Arabic")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Rendered appeals: every version in a private location; versions of published appeals are
# copied, under content-hashed names, to a public location a web server serves directly
# (nginx in docker-compose.yml). Point either at S3-compatible storage by swapping the
# backend here (django-storages); the code only uses Django's storage API.
PUBLIC_APPEALS_URL = env.str("PUBLIC_APPEALS_URL", default=f"{MEDIA_URL}public/appeals/")
STORAGES["appeals"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": MEDIA_ROOT / "private" / "appeals", "base_url": None},
}
STORAGES["public_appeals"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": MEDIA_ROOT / "public" / "appeals", "base_url": PUBLIC_APPEALS_URL},
}
# Without a web server in front (the zero-setup run), Django serves the public location itself.
SERVE_PUBLIC_APPEALS = env.bool("SERVE_PUBLIC_APPEALS", default=True)
# Large exports written by the worker (incidents/export_jobs.py): private, handed out by the
# app only, to whoever holds the job's token (or owns it). Files are written under a
# temporary name and moved into place, so this must be a local filesystem.
STORAGES["exports"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": MEDIA_ROOT / "private" / "exports", "base_url": None},
}

# Backups (`manage.py backup` / `restore`, README "Backups"): archives are encrypted with this
# key, 32 random bytes in URL-safe base64 (`manage.py backup --generate-key`). Keep it apart
# from the archives: without it they cannot be read. Only the backup commands need it.
BACKUP_ENCRYPTION_KEY = env.str("BACKUP_ENCRYPTION_KEY", default="")
if BACKUP_ENCRYPTION_KEY:
    try:
        _backup_key_size = len(
            base64.b64decode(BACKUP_ENCRYPTION_KEY.encode(), altchars=b"-_", validate=True)
        )
    except (binascii.Error, ValueError):
        _backup_key_size = 0
    if _backup_key_size != 32:
        raise ImproperlyConfigured(
            "BACKUP_ENCRYPTION_KEY must be 32 bytes in URL-safe base64: "
            "make one with `manage.py backup --generate-key`."
        )

# Content Security Policy: no inline script, no third-party origin anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
# HTTPS only, unless DEBUG. Behind a proxy that terminates TLS, set
# SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto (and make the proxy overwrite that header), or
# every request looks like plain HTTP and is redirected forever.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
# includeSubDomains covers the names below the site's own host only (x.cases.example.org);
# "preload" does nothing until someone submits the domain to the browsers' preload list.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
_proxy_ssl_header = env.str("SECURE_PROXY_SSL_HEADER", default="")
if _proxy_ssl_header:
    # "X-Forwarded-Proto" -> ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https")

# Celery: with no broker configured, tasks run in-process (the zero-setup run).
# The status vocabulary (incidents.vocabulary) and API rate limits. Not REDIS_URL's
# database: clearing the cache must never drop queued tasks.
# Without CACHE_URL: per process in development; otherwise files shared by every process of
# the machine, so a second-factor code is used once (not once per gunicorn worker) and rate
# limits count every worker's requests (accounts.W001 warns about a per-process cache).
_default_cache = "locmemcache://" if DEBUG else f"filecache://{VAR_DIR / 'cache'}"
CACHES = {"default": env.cache("CACHE_URL", default=_default_cache)}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # While Redis is down, pages are served uncached instead of failing (casefile/cache.py).
    CACHES["default"]["BACKEND"] = "casefile.cache.ForgivingRedisCache"
# Rendered fragments of public pages (the case cards, incidents/templatetags/incidents.py):
# kept in each process, apart from the default cache, so thousands of them never push out
# a used second-factor code or a rate-limit count. Their keys name everything they show, so
# a kept fragment is never out of date and no process needs another's.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "TIMEOUT": 24 * 60 * 60,
    "OPTIONS": {"MAX_ENTRIES": 5000},
}

REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request that queues a task must not hang while the broker is down: one short retry,
# then casefile.queue tells the user the job waits (its row stays queued, the sweeper sends it).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    "socket_timeout": 1,
    # Put before every key and channel Celery uses in Redis (queues, bindings, worker control),
    # so sites, or the processes of a parallel test run (tests/conftest.py), can share one
    # Redis database without taking each other's tasks. Empty: plain names.
    "global_keyprefix": env.str("CELERY_BROKER_KEY_PREFIX", default=""),
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0.2,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# Celery's prefork pool, but a child killed while the worker starts is replaced instead of
# stopping the worker (appeals/worker.py).
CELERY_WORKER_POOL = "appeals.worker:RenderPool"
# Each child warms WeasyPrint up before it reports ready (2-3 s, more on a busy machine):
# Celery's default of 4 s would kill slow starters mid-warm-up, again and again.
CELERY_WORKER_PROC_ALIVE_TIMEOUT = 60
# PDF renders get their own queue and workers: `celery -A config worker -Q appeals`.
CELERY_TASK_ROUTES = {"appeals.tasks.render_appeal": {"queue": "appeals"}}
# WeasyPrint's memory grows with each render: recycle a worker child past this (KiB).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=600_000)
CELERY_BEAT_SCHEDULE = {
    "sweep-stuck-appeal-renders": {"task": "appeals.tasks.sweep_render_jobs", "schedule": 60.0},
    "refresh-facet-counts": {"task": "incidents.tasks.refresh_all_facet_counts", "schedule": 600.0},
    # Cases whose embargo just lapsed: facet counts, statistics and their appeals' files.
    "count-lapsed-embargoes": {"task": "incidents.tasks.count_lapsed_embargoes", "schedule": 60.0},
    "sweep-export-jobs": {"task": "incidents.tasks.sweep_export_jobs", "schedule": 300.0},
    # Copies out the PDFs of appeals whose embargo (or their incident's) lapsed: no request does.
    "publish-lapsed-appeal-embargoes": {
        "task": "appeals.tasks.publish_lapsed_embargoes",
        "schedule": 60.0,
    },
}

# Appeal rendering bounds. A render past the soft limit fails with a message; past the hard
# limit its worker child is killed. APPEAL_RENDER_MAX_ATTEMPTS is the one retry limit: a job
# whose worker died, or that met storage trouble, is tried again until it has had that many
# attempts, then failed for good (Celery's retries derive from it, appeals/tasks.py). The
# memory limit applies to each worker child (address space, MiB).
APPEAL_RENDER_SOFT_TIME_LIMIT = env.int("APPEAL_RENDER_SOFT_TIME_LIMIT", default=60)
APPEAL_RENDER_HARD_TIME_LIMIT = env.int("APPEAL_RENDER_HARD_TIME_LIMIT", default=90)
APPEAL_RENDER_MAX_ATTEMPTS = env.int("APPEAL_RENDER_MAX_ATTEMPTS", default=3)
APPEAL_RENDER_MEMORY_LIMIT_MB = env.int("APPEAL_RENDER_MEMORY_LIMIT_MB", default=2048)
# A job queued or rendering for longer than this is presumed lost and re-queued.
APPEAL_RENDER_STALE_AFTER = env.int("APPEAL_RENDER_STALE_AFTER", default=120)

# Exports (README "Settings"): past EXPORT_BACKGROUND_ROWS matching cases, an export is a job
# for the worker (a progress page, then a file kept EXPORT_EXPIRY_HOURS) instead of a stream
# that the web server's timeout would cut. A job whose worker has not reported for
# EXPORT_STALE_AFTER seconds is presumed lost: the sweeper queues it again.
EXPORT_BACKGROUND_ROWS = env.int("EXPORT_BACKGROUND_ROWS", default=50_000)
EXPORT_EXPIRY_HOURS = env.int("EXPORT_EXPIRY_HOURS", default=24)
EXPORT_STALE_AFTER = env.int("EXPORT_STALE_AFTER", default=300)
if EXPORT_BACKGROUND_ROWS < 0 or EXPORT_EXPIRY_HOURS < 1 or EXPORT_STALE_AFTER < 10:
    raise ImproperlyConfigured(
        "EXPORT_BACKGROUND_ROWS must be at least 0, EXPORT_EXPIRY_HOURS at least 1 and "
        "EXPORT_STALE_AFTER at least 10 (seconds)."
    )

# The API (/api/v1/, see README "API"). Each endpoint sets its own permissions; what a
# client sees comes from the visibility querysets. Tokens first, so a request without
# credentials that needs them gets 401 with a WWW-Authenticate header.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api_auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "casefile.api.pagination.KeysetPagination",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "casefile.api.responses.ContentNegotiation",
    "EXCEPTION_HANDLER": "casefile.api.responses.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"token": env.str("API_TOKEN_RATE", default="10/minute")},
    # Throttles count the address our proxies saw, never the client's X-Forwarded-For.
    "NUM_PROXIES": TRUSTED_PROXIES,
}
# API tokens (django-rest-knox): only a hash is stored; each expires after this long.
API_TOKEN_TTL_HOURS = env.int("API_TOKEN_TTL_HOURS", default=24 * 7)
if API_TOKEN_TTL_HOURS < 1:
    raise ImproperlyConfigured("API_TOKEN_TTL_HOURS must be at least 1.")
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=API_TOKEN_TTL_HOURS),
    "TOKEN_LIMIT_PER_USER": 20,
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Casefile API",
    "DESCRIPTION": (
        "Documented attacks on human rights defenders. Anonymous clients see published "
        "cases only; staff authenticate with a session or a token from /api/v1/auth/token/."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI's files come from drf-spectacular-sidecar, served with our static files.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "PublicationStateEnum": "casefile.publication.PublicationState",
        "OrganizationKindEnum": "organizations.models.Organization.Kind",
        "PerpetratorKindEnum": "organizations.models.PerpetratorGroup.Kind",
        "AppealKindEnum": "appeals.models.Appeal.Kind",
    },
    # Error answers and ?lang= on every operation; the live status vocabulary as an enum.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "casefile.api.schema.document_errors",
        "incidents.api.filters.document_status_vocabulary",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint narrates every step of every render at INFO.
    "loggers": {
        # Django's own default gives "django" a console handler too: every line of it
        # ("Not Found: ...", "Watching for file changes") would be printed twice.
        "django": {"handlers": [], "level": env.str("LOG_LEVEL", default="INFO")},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Shown on the case pages and, later, in appeal letterheads.
SITE_NAME = env.str("SITE_NAME", default="Casefile")
# The public address of the site, printed in appeals next to the case ("see the case page").
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
