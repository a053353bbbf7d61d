"""Settings, all read from the environment (django-environ). See README "Configuration"."""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# Demo accounts and data are only ever created in a debug/demo configuration.
DEMO = env.bool("DEMO", default=False) and DEBUG

SECRET_KEY = env.str(
    "SECRET_KEY", default="insecure-dev-key-do-not-use-in-production" if DEBUG else ""
)
if not SECRET_KEY:
    raise environ.ImproperlyConfigured(
        "SECRET_KEY is not set. Set it in the environment or in .env "
        "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))'), or set DEBUG=true."
    )

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Addresses or networks of the reverse proxies in front (docker-compose: its internal network).
# Forwarded headers (client address, https) count only from them; empty: no proxy, ignored.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
# A refused form gets our bilingual page with the navigation, not Django's English one.
CSRF_FAILURE_VIEW = "readiness.errors.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "treebeard",
    "simple_history",
    "axes",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "readiness",
    "organisations",
    "surveys",
    "reports",
]

MIDDLEWARE = [
    "readiness.proxies.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "readiness.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "readiness.middleware.IdleSessionMiddleware",
    "readiness.middleware.LaoFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "readiness.urls"
WSGI_APPLICATION = "readiness.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "readiness.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default="postgres://127.0.0.1:5432/readiness")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A kept connection is checked before a request uses it: after a PostgreSQL restart only the
# requests made during the restart fail, not the first one of every worker afterwards.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A runaway query is stopped rather than left to fill the server's disk with temporary files;
# the slowest legitimate statements (a national round's scoring COPY) take a few seconds.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
    f"-c statement_timeout={env.int('DB_STATEMENT_TIMEOUT_MS', default=120_000)}"
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")

# The web tier never depends on Redis: a Redis outage must not lose a submission, so the cache
# (used by rate limits) lives in PostgreSQL.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "readiness_cache",
    }
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Repeated failed logins are throttled (django-axes): after AXES_FAILURE_LIMIT failures for one
# username from one address, that pair is locked out for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_MINUTES", default=15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The address TrustedProxyMiddleware established (a forged X-Forwarded-For never counts).
AXES_CLIENT_IP_CALLABLE = "readiness.proxies.client_ip"

# Offices share computers: a session ends when the browser closes, or after this many idle
# minutes: a request moves the expiry when the last move is a minute old or more
# (readiness.middleware.IdleSessionMiddleware; not SESSION_SAVE_EVERY_REQUEST, which writes the
# session on every autosave).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=60) * 60
SESSION_TOUCH_SECONDS = 60

# Languages: Lao first. Django has no Lao, so we add its language info here and its formats in
# readiness/formats/lo; the Django strings users meet are translated in our own catalog.
LANG_INFO["lo"] = {"bidi": False, "code": "lo", "name": "Lao", "name_local": "ພາສາລາວ"}
LANGUAGE_CODE = "lo"
LANGUAGES = [("lo", _("Lao")), ("en", _("English"))]
CONTENT_LANGUAGES = ["lo", "en"]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["readiness.formats"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Vientiane")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/plotly", NODE_MODULES / "plotly.js-cartesian-dist-min"),
    ("vendor/noto-sans-lao", NODE_MODULES / "@fontsource" / "noto-sans-lao" / "files"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded and generated files are private: never served as static files, only through
# permission-checked views.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="readiness@localhost")
# Without it Django's SMTP backend waits for ever on a mail server that does not answer.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# The absolute address e-mails link to. In development it follows the port the product runs on
# (`make run PORT=8001`); a server must set it to its https address (readiness/checks.py).
# Behind the compose stack's proxy it is derived from SERVER_NAME and HTTPS_PORT unless set.
_HTTPS_PORT = env.int("HTTPS_PORT", default=443)
_SERVER_SITE_URL = (
    f"https://{env.str('SERVER_NAME')}{'' if _HTTPS_PORT == 443 else f':{_HTTPS_PORT}'}"
    if env.str("SERVER_NAME", default="")
    else ""
)
SITE_URL = env.str("SITE_URL", default="") or (
    f"http://127.0.0.1:{env.int('PORT', default=8000)}" if DEBUG else _SERVER_SITE_URL
)
# Focal points of unsubmitted responses are reminded this many days before a round closes.
REMINDER_DAYS_BEFORE_CLOSE = env.list("REMINDER_DAYS_BEFORE_CLOSE", cast=int, default=[7, 1])
# Anonymous answers to an individual questionnaire: at most this many per hour per address and link.
INDIVIDUAL_SUBMISSIONS_PER_HOUR = env.int("INDIVIDUAL_SUBMISSIONS_PER_HOUR", default=20)
# Scores of women or of men respondents (individual questionnaires) are shown only for groups of
# at least this many respondents, so that no respondent can be recognised (DESIGN, Scoring 6).
MIN_GROUP_SIZE = env.int("MIN_GROUP_SIZE", default=5)

# The read-only API (/api/v1/, README "API"): browser session or personal token, throttled per
# token (or per signed-in user), cursor pages of a fixed size (readiness/api/pagination.py).
API_THROTTLE_RATE = env.str("API_THROTTLE_RATE", default="600/minute")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "organisations.api_auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["organisations.api_auth.PerTokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": API_THROTTLE_RATE},
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Lao PDR digital readiness assessment: read-only API",
    "DESCRIPTION": "See README.md, section API.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "RoundStatusEnum": "surveys.models.RoundStatus",
        "VersionStatusEnum": "surveys.models.VersionStatus",
        "OrganisationKindEnum": "organisations.models.OrganisationKind",
        "QuestionKindEnum": "surveys.models.QuestionKind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "reports.api.schema.describe_answer_columns",
    ],
}

# Celery. Tasks acknowledge late so a worker killed mid-task leaves the message to be redelivered.
CELERY_BROKER_URL = REDIS_URL
# No task result is ever read (the database holds every outcome), so no task stores one and
# publishing never waits on a result backend; readiness.ping alone keeps its result (worker test).
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must not hang a web request when Redis is down: fail fast, the periodic sweep
# catches up later.
# A message a dead worker held (acks late) is delivered again after the visibility timeout; the
# sweeps below redo lost scoring and exports within minutes in any case.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "socket_connect_timeout": 1,
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT_SECONDS", default=600),
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Celery's default publish policy retries three times, 0.6 s in all, on every submit or approve
# while Redis is down: one immediate retry (a pooled connection gone stale), then the sweep.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(
    env.path("CELERY_BEAT_SCHEDULE", default=BASE_DIR / "var" / "celerybeat-schedule")
)
CELERY_BEAT_SCHEDULE = {
    # Scores anything a lost message left unscored (e.g. Redis was down at submission).
    "sweep-unscored": {
        "task": "reports.sweep_unscored",
        "schedule": env.float("SWEEP_UNSCORED_SECONDS", default=300),
    },
    # Reminds focal points of unsubmitted responses before a round closes (08:00 Vientiane).
    "send-reminders": {"task": "surveys.send_reminders", "schedule": crontab(hour=8, minute=0)},
    # Exports: fails jobs whose worker died or ran too long, resends never-sent ones, expires files.
    "sweep-report-jobs": {"task": "reports.sweep_report_jobs", "schedule": 120.0},
}

# Exports (reports/exports): how long a file is kept, when a silent worker counts as dead, the
# longest an export may run, and how long a queued export may wait for a worker.
EXPORT_FILE_DAYS = env.int("EXPORT_FILE_DAYS", default=7)
EXPORT_HEARTBEAT_TIMEOUT_SECONDS = env.int("EXPORT_HEARTBEAT_TIMEOUT_SECONDS", default=300)
EXPORT_TIME_LIMIT_SECONDS = env.int("EXPORT_TIME_LIMIT_SECONDS", default=1800)
EXPORT_QUEUE_TIMEOUT_SECONDS = env.int("EXPORT_QUEUE_TIMEOUT_SECONDS", default=3600)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The PDF exports' font subsetting and chart renderer chatter at INFO on every file.
        "fontTools": {"level": "WARNING"},
        "kaleido": {"level": "WARNING"},
        "choreographer": {"level": "WARNING"},
        "logistro": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
    },
}

# Production hardening; `manage.py check --deploy` passes with DEBUG=false.
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    # Container health checks ask gunicorn directly over HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Scripts only from our own static files ('self'): no inline <script>, no on*= attribute, no
# eval (readiness/security.py sends it). Styles allow 'unsafe-inline' because Plotly and htmx set
# style attributes at run time; a style cannot run code. Bootstrap's icons are data: SVGs.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
