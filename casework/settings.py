"""Settings for casework.

Every deployment choice comes from the environment (12-factor) with a safe default for a
developer's machine. See README.md, "Deploying for real", for the variables.
"""

import base64
import hashlib
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
_DEV_SECRET = "casework-development-only-not-a-secret"
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", "")

# Complainants' identities are encrypted at rest (Xinxiang complaints art. 8) with
# Fernet keys derived from SECRET_KEY and this key; a database dump without both reveals
# nothing. Several comma-separated keys: the first encrypts, all decrypt (rotation).
_DEV_IDENTITY_KEY = "casework-development-identity-key"
SALT_KEY = env_list("COMPLAINT_IDENTITY_KEY", _DEV_IDENTITY_KEY if DEBUG else "")
if not SALT_KEY:
    raise RuntimeError("COMPLAINT_IDENTITY_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "csp",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "viewflow",
    "viewflow.workflow",
    # The append-only, hash-chained record: PostgreSQL triggers (django-pgtrigger) and the
    # chain (casework/audit).
    "pgtrigger",
    "casework.audit",
    "casework.kernel",
    "casework.workcalendar",
    "casework.accountability",
    "casework.complaints",
    "casework.deadlines",
    "casework.documents",
    "casework.meetings",
    # Supervision of assigned matters (docs/supervision.md).
    "casework.supervision",
    "casework.api",
    "workflows",
    # Search, dashboard and the calendar import (docs/search.md, docs/dashboard.md,
    # docs/calendar-import.md).
    "casework.workspace",
    # Last: its post_migrate hook grants the roles the permissions of every app above.
    "casework.org",
]

AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    # viewflow asks who may see and claim the tasks of a queue: the declarations' actors.
    "workflows.permissions.TaskPermissionBackend",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "viewflow.middleware.SiteMiddleware",
    "workflows.pages.WorkspaceMiddleware",
    "viewflow.middleware.HotwireTurboMiddleware",
    # Turns a blocked request into RATELIMIT_VIEW's 429 page.
    "django_ratelimit.middleware.RatelimitMiddleware",
]

# --- Content-Security-Policy (django-csp) ------------------------------------------------------
# On every response. Scripts: this site's files, and an inline script only with the response's
# nonce (the pages have none; Turbo reads the nonce from <meta name="csp-nonce"> for what it
# injects). No inline event handlers, except the "back" buttons of viewflow's task
# assign, unassign and delete pages, allowed by the hash of their code ('unsafe-hashes'). Styles:
# this site's files and nonce'd <style> elements; viewflow's templates and its Material
# components set style="" attributes, so inline style *attributes* are allowed
# (style-src-attr), never inline <style> elements. Nothing may frame the site.
MIDDLEWARE.append("csp.middleware.CSPMiddleware")


def _csp_hash(code: str) -> str:
    digest = base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
    return f"'sha256-{digest}'"


VIEWFLOW_INLINE_HANDLERS = [
    # viewflow/templates/viewflow/workflow/tasks_assign.html and tasks_unassign.html
    _csp_hash("window.history.back(-1);setTimeout(()=>Turbo.visit('.'), 100)"),
    # viewflow/templates/viewflow/views/delete_action.html
    _csp_hash("window.history.back(-1)"),
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "script-src-attr": ["'unsafe-hashes'", *VIEWFLOW_INLINE_HANDLERS],
        "style-src": [SELF, NONCE],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

ROOT_URLCONF = "casework.urls"
WSGI_APPLICATION = "casework.wsgi.application"

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
                "casework.org.context_processors.site",
            ],
        },
    },
]

# SQLite under var/ is the zero-setup default; production and CI use PostgreSQL:
# DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'casework.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a writer instead of failing at once when two requests write together.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # A file (not memory) so that the browser tests' live server shares it; beside the
    # database it tests, so that two checkouts or runs with different DATABASE_URLs don't clash.
    _sqlite_path = Path(DATABASES["default"]["NAME"])
    _sqlite_path.parent.mkdir(parents=True, exist_ok=True)  # var/ on a fresh clone
    DATABASES["default"]["TEST"] = {
        "NAME": str(_sqlite_path.with_name(_sqlite_path.stem + "-test.sqlite3"))
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The public complaint portal (Xinxiang complaints art. 2): abuse is contained per address.
RATELIMIT_VIEW = "casework.complaints.portal.rate_limited"
COMPLAINT_SUBMISSION_RATE = os.environ.get("COMPLAINT_SUBMISSION_RATE", "5/h")
COMPLAINT_TRACKING_MISS_RATE = os.environ.get("COMPLAINT_TRACKING_MISS_RATE", "20/h")
COMPLAINT_ATTACHMENT_MAX_BYTES = int(
    os.environ.get("COMPLAINT_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024)
)
COMPLAINT_CONTENT_MAX_CHARS = 5000
# A request body above this is refused with 413 before it is read into memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# locale/: our catalogs (msgids are Chinese; en is the translation). locale/vendor/: Chinese
# for viewflow's workspace strings that its own catalog leaves untranslated.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "vendor"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# static/: the project's own files (static/casework/casework.css), beside the apps' static/.
STATICFILES_DIRS = [BASE_DIR / "static"]
# The apps' files without the npm sources viewflow carries (workflows/staticfiles.py).
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "workflows.staticfiles.WorkspaceAppDirectoriesFinder",
]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/workflow/inbox/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "casework@localhost")

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Deployment: HTTPS only ---------------------------------------------------------------
# With DEBUG=0 the site is served over HTTPS behind the reverse proxy (README, "Deploying for
# real"): plain HTTP is redirected and browsers are told to use HTTPS only (HSTS). Each is
# configurable for a deployment that must differ; `manage.py check --deploy` is clean with the
# defaults. SECURE_COOKIES=0 (plain HTTP, not recommended) turns the defaults off.
if not DEBUG:
    _https = env_bool("SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _https)
    # The proxy's or load balancer's health check may come over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^api/v1/health$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000 if _https else 0))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", _https)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", _https)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Tokens that expire when idle and can be revoked (casework/api/authentication.py).
        "casework.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON with a depth limit and no NUL characters (casework/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": ["casework.api.parsers.StrictJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "casework.api.errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DATE_FORMAT": "%Y-%m-%d",
    "DATE_INPUT_FORMATS": ["%Y-%m-%d"],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "casework API",
    "DESCRIPTION": "问责、投诉与预警纠错 — HTTP API v1 (docs/api.md)",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets shared by several components get a stable name of their own.
    "ENUM_NAME_OVERRIDES": {
        "DeadlineKindEnum": "casework.deadlines.models.Kind",
        "ExtensionStatusEnum": "casework.deadlines.models.Extension.Status",
        "SupervisionStateEnum": "casework.supervision.models.State",
    },
    # Every refusal with the error shape; a complaint's fields by caller (casework/api/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "casework.api.schema.document_errors",
    ],
}

SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

VIEWFLOW = {}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint (the documents' PDFs) reports each step of each rendering at INFO and each
    # CSS rule of the workspace it does not draw at WARNING.
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "WARNING"}},
}

# Site title shown in the workspace and the login page.
CASEWORK_SITE_TITLE = _("问责与效能监察系统")

# --- Hostile input: strict bodies, NUL characters --------------------------------------------
# JSON bodies are parsed with a depth limit and without NUL characters (REST_FRAMEWORK above);
# a NUL in the address, a query parameter or a cookie is refused before any view runs.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "casework.api.middleware.RefuseNulMiddleware",
)

# --- SQLite under contention -----------------------------------------------------------------
# Two requests that change the same object must end as on PostgreSQL: one succeeds, the other
# gets 409. WAL lets readers run beside the writer; IMMEDIATE takes the write lock when a
# transaction begins (Django 5.1+), so a transaction never has to upgrade a read lock, which
# SQLite refuses at once ("database is locked"); the timeout above is how long a writer waits.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )

# --- A cache shared by every worker ----------------------------------------------------------
# The portal's limits (django-ratelimit) count in the "limits" cache, which every worker and
# server shares, with atomic increments: Redis (django-redis) when REDIS_URL is set, else the
# database (casework/kernel/cache.py; its table is created by ``migrate``). Without Redis the
# default cache, which holds nothing that must be shared, stays in each process's memory.
# django-ratelimit is an installed app so that its system checks run: with the database cache
# they warn (W001) that the backend is not one they know; its increments are atomic (tested).
if os.environ.get("REDIS_URL"):
    _SHARED_CACHE = {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }
    CACHES = {"default": _SHARED_CACHE, "limits": _SHARED_CACHE}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "limits": {
            "BACKEND": "casework.kernel.cache.DatabaseCache",
            "LOCATION": "casework_cache",
            # Culling drops counters: keep room for many addresses.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
    }
RATELIMIT_USE_CACHE = "limits"
INSTALLED_APPS.append("django_ratelimit")

# --- Login throttling (django-axes) and API tokens --------------------------------------------
# casework/api/lockout.py and casework/api/authentication.py. Failed logins are counted per user
# name and address, on the API's token endpoint, the workspace login and the admin login alike;
# after LOGIN_FAILURE_LIMIT of them the pair is locked out for LOGIN_LOCKOUT_MINUTES (429, in
# Chinese), unless an administrator lifts it (admin → 访问尝试); every attempt is logged. An API
# token not used for API_TOKEN_IDLE_HOURS expires; its last use is written at most once a minute.
from datetime import timedelta  # noqa: E402

INSTALLED_APPS.append("axes")
AUTHENTICATION_BACKENDS.insert(0, "casework.api.lockout.LoginThrottle")
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "casework.api.lockout.lockout_response"
API_TOKEN_IDLE_TIMEOUT = timedelta(hours=float(os.environ.get("API_TOKEN_IDLE_HOURS", "12")))
API_TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)

# --- The client's address behind a reverse proxy ---------------------------------------------
# The per-address limits (portal, logins) count the address casework.api.middleware.client_address
# gives: the header the proxy sets, named by CLIENT_IP_HEADER (e.g. X-Real-IP with nginx's
# ``proxy_set_header X-Real-IP $remote_addr;``), else the peer's address.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")
RATELIMIT_IP_META_KEY = "casework.api.middleware.client_address"
AXES_CLIENT_IP_CALLABLE = "casework.api.middleware.client_address"

# ---------------------------------------------------------------------------------------
# Background work, operations and the data interface for other systems (docs/interface.md).
# One block, so that it stays apart from the other settings.
# ---------------------------------------------------------------------------------------

# Before casework.org, whose post_migrate hook grants the roles the permissions of the apps
# above it.
INSTALLED_APPS[INSTALLED_APPS.index("casework.org") : INSTALLED_APPS.index("casework.org")] = [
    "django_tasks",
    "django_tasks_db",
    "django_prometheus",
    "casework.interface",
    "casework.operations",
    "casework.evaluation",
]
# Request counts and latencies for /metrics: the first and the last middleware.
MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    *MIDDLEWARE,
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

# django-tasks. "database": the queue is a table of the application's database (PostgreSQL
# in production), shared by every worker on every machine (`python manage.py worker`);
# "immediate": a task runs in the process that enqueued it, once the act commits (no worker).
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS = {
    "default": {
        "BACKEND": TASK_BACKENDS[os.environ.get("TASKS_BACKEND", "database")],
        "QUEUES": ["default", "webhooks"],
    }
}
# Work the workers enqueue by themselves (casework.operations): name → task, period in
# seconds. Each runs once per period however many workers there are.
PERIODIC_TASKS = {
    # Xinxiang warning art. 5–8: the early-warning scan (also `manage.py scan_deadlines`).
    "scan_deadlines": (
        "casework.deadlines.tasks.scan_deadlines",
        int(os.environ.get("SCAN_EVERY_SECONDS", "900")),
    ),
    # Webhook deliveries left behind by a worker that died, and retries that are due.
    "webhook_sweep": ("casework.interface.tasks.sweep_deliveries", 60),
    # Finished task results older than TASK_RESULTS_KEEP_DAYS are forgotten, and so are the
    # interface's old call log rows and delivered deliveries.
    "prune_task_results": ("casework.operations.tasks.prune_task_results", 86400),
    "prune_interface_logs": ("casework.interface.tasks.prune_interface_logs", 86400),
    # Xinxiang performance art. 9: the draft of the month just ended (also `manage.py
    # evaluate_month`); asked daily, computed once.
    "evaluate_previous_month": ("casework.evaluation.tasks.evaluate_previous_month", 86400),
}
TASK_RESULTS_KEEP_DAYS = int(os.environ.get("TASK_RESULTS_KEEP_DAYS", "14"))
# A failed e-mail is sent again after 1, 2, 4, 8 minutes, then given up (the notice stays in
# the bell; the failures are in the admin's task results and in /metrics).
EMAIL_ATTEMPTS = int(os.environ.get("EMAIL_ATTEMPTS", "5"))
EMAIL_RETRY_SECONDS = int(os.environ.get("EMAIL_RETRY_SECONDS", "60"))

# The data interface: client systems (registered in the admin) and their webhooks.
INTERFACE_BATCH_MAX = 1000
INTERFACE_CLIENT_RATE = os.environ.get("INTERFACE_CLIENT_RATE", "120/min")
INTERFACE_FEED_PAGE = 200
INTERFACE_CALLS_KEEP_DAYS = int(os.environ.get("INTERFACE_CALLS_KEEP_DAYS", "365"))
WEBHOOK_DELIVERED_KEEP_DAYS = int(os.environ.get("WEBHOOK_DELIVERED_KEEP_DAYS", "30"))
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "10"))
WEBHOOK_ATTEMPTS = int(os.environ.get("WEBHOOK_ATTEMPTS", "12"))
WEBHOOK_RETRY_SECONDS = int(os.environ.get("WEBHOOK_RETRY_SECONDS", "30"))
WEBHOOK_RETRY_MAX_SECONDS = int(os.environ.get("WEBHOOK_RETRY_MAX_SECONDS", "3600"))
# How long a delivery being sent is left to its worker before another may send it again
# (a worker killed mid-delivery): longer than the timeout.
WEBHOOK_LEASE_SECONDS = int(os.environ.get("WEBHOOK_LEASE_SECONDS", "60"))

# /metrics (Prometheus) answers these addresses only (the scraper's), comma-separated.
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", "127.0.0.1,::1")
# Seconds the database-derived metrics (queue depth, deadlines by level) are cached.
METRICS_CACHE_SECONDS = int(os.environ.get("METRICS_CACHE_SECONDS", "30"))
