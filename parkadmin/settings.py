"""ParkAdmin settings, read from the environment (see README "Configuration").

Defaults suit a developer checkout: SQLite in the project folder, DEBUG off unless DJANGO_DEBUG=1.
Production sets DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DJANGO_CSRF_TRUSTED_ORIGINS and DATABASE_URL.
"""

from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)


def _local_secret_key() -> str:
    """With DEBUG on: a key kept beside the checkout, so a developer run needs no setup and keeps its sessions."""
    path = BASE_DIR / ".secret_key"
    if not path.exists():
        from django.core.management.utils import get_random_secret_key

        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (a long random string) when DJANGO_DEBUG is off.")
    SECRET_KEY = _local_secret_key()
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# HTTPS hardening is on by default in production; DJANGO_HTTPS=0 allows a plain-HTTP trial on loopback.
HTTPS = env.bool("DJANGO_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# A sign-in lasts at most SESSION_COOKIE_AGE (absolute, however busy the user) and ends after PARKADMIN_IDLE_MINUTES
# without a request (parkadmin.middleware). Saving the session on every request would push the cookie's expiry on
# and is left off; the absolute limit is fixed at login.
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_AGE", default=12 * 3600)
SESSION_SAVE_EVERY_REQUEST = False
PARKADMIN_IDLE_MINUTES = env.int("PARKADMIN_IDLE_MINUTES", default=120)
PARKADMIN_IDLE_TOUCH_SECONDS = 60

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    # Background jobs and their schedules (parkadmin.jobs).
    "django_q",
    # django-axes, under a translated name.
    "parkadmin.axes_config.AxesConfig",
    "csp",
    "parks",
    "enterprises",
    "projects",
    "indicators",
    "dashboard",
    "reports",
    "demo",
    "bench",
    # Last, so its post_migrate role sync sees every other app's permissions.
    "parkadmin",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything that reads the database: a NUL byte in the URL is a 400, a database restart a 503, not 500s.
    "parkadmin.middleware.NulByteMiddleware",
    "parkadmin.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Answers to a signed-in user or API client are stored by no cache.
    "parkadmin.middleware.NoStoreMiddleware",
    # Deny by default; DRF views opt out and answer 401/403 themselves (token auth is read by DRF).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute session limits: acts before LoginRequiredMiddleware, which acts only in process_view.
    "parkadmin.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "parkadmin.urls"
WSGI_APPLICATION = "parkadmin.wsgi.application"

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
                "csp.context_processors.nonce",
                "parkadmin.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Reuse connections, but check them first so a database restart costs one failed check, not an error page.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed logins: lock a username from one address after 5 failures for 30 minutes.
# The empty choice of a list's filter selects: "All" (全部), not django-filter's "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("All")

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "parkadmin.views.locked_out"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Dates read 2020-03-28 in every language.
DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
FORMAT_MODULE_PATH = ["parkadmin.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "parkadmin.staticfinders.PlotlyFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or env.bool("DJANGO_PLAIN_STATIC", default=False)
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Imports (pages and `import_data`): file size, data rows, and what an XLSX (a zip) may unpack to.
IMPORT_MAX_BYTES = env.int("PARKADMIN_IMPORT_MAX_MB", default=10) * 1024 * 1024
IMPORT_MAX_ROWS = env.int("PARKADMIN_IMPORT_MAX_ROWS", default=50_000)
IMPORT_MAX_UNCOMPRESSED_BYTES = env.int("PARKADMIN_IMPORT_MAX_UNCOMPRESSED_MB", default=200) * 1024 * 1024
IMPORT_MAX_ZIP_ENTRIES = env.int("PARKADMIN_IMPORT_MAX_ZIP_ENTRIES", default=1000)
# Bounds checked while a file is parsed, so that a small upload cannot take a worker's memory or minutes: rows of the
# sheet blank ones included, cells in a row (Excel's widest) and in the sheet, characters in a cell (Excel's most),
# and an XLSX's table of shared strings (how many, and their characters together).
IMPORT_MAX_SHEET_ROWS = env.int("PARKADMIN_IMPORT_MAX_SHEET_ROWS", default=2 * IMPORT_MAX_ROWS)
IMPORT_MAX_ROW_CELLS = env.int("PARKADMIN_IMPORT_MAX_ROW_CELLS", default=16_384)
IMPORT_MAX_CELLS = env.int("PARKADMIN_IMPORT_MAX_CELLS", default=2_000_000)
IMPORT_MAX_CELL_CHARS = env.int("PARKADMIN_IMPORT_MAX_CELL_CHARS", default=32_767)
IMPORT_MAX_SHARED_STRINGS = env.int("PARKADMIN_IMPORT_MAX_SHARED_STRINGS", default=500_000)
IMPORT_MAX_SHARED_STRINGS_CHARS = env.int("PARKADMIN_IMPORT_MAX_SHARED_STRINGS_CHARS", default=20_000_000)

# A previewed upload waits for its confirmation in the database. Per user at most this many wait, of at most this
# many MB together (never less than one file of IMPORT_MAX_BYTES): a new preview beyond either replaces the user's
# oldest. After this many hours a waiting upload is removed (`manage.py clear_pending_imports`, and every preview).
IMPORT_PENDING_MAX_COUNT = env.int("PARKADMIN_IMPORT_PENDING_MAX", default=5)
IMPORT_PENDING_MAX_BYTES = env.int("PARKADMIN_IMPORT_PENDING_MAX_MB", default=50) * 1024 * 1024
IMPORT_PENDING_HOURS = env.int("PARKADMIN_IMPORT_PENDING_HOURS", default=24)

# A request's form fields over 12 MB are refused (400). An uploaded file is held in memory up to 12 MB, or up to
# the import limit where that is higher, so an import's upload never touches the disk (nothing is left behind
# when a worker dies); a larger file is spooled to a temporary file, and the import pages refuse it themselves.
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = max(12 * 1024 * 1024, IMPORT_MAX_BYTES + 64 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
DATA_UPLOAD_MAX_NUMBER_FILES = 5

# plotly.js injects two <style> elements: an empty one it fills through the CSSOM, and the map library's CSS it
# bundles. Exactly those are allowed, by hash (plotly 7.1.0; the browser tests fail if an upgrade changes them).
PLOTLY_STYLE_HASHES = [
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
    "'sha256-ji27qzEtxXZW+7dun6UwjHXJ18e6WAin1VvNtkzIE/o='",
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, *PLOTLY_STYLE_HASHES],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an unauthenticated call gets 401 with `WWW-Authenticate: Token`.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["parkadmin.api.ModelPermissions"],
    # The API reads JSON bodies only, so the schema offers one request body per operation (generated clients
    # break on a body offered as JSON, form and multipart at once). The browsable API keeps its raw JSON form.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "parkadmin.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "parkadmin.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ParkAdmin API",
    "DESCRIPTION": _("Records and statistics of the high-tech zone."),
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # In English for every reader: stable ASCII names for the clients generated from it.
    "DEFAULT_GENERATOR_CLASS": "parkadmin.api_schema.EnglishSchemaGenerator",
    # Several models have a `status`, `kind` or `level`: name each choice set after its own enum.
    "ENUM_NAME_OVERRIDES": {
        "EnterpriseStatusEnum": "enterprises.choices.EnterpriseStatus",
        "IncubationStatusEnum": "enterprises.choices.IncubationStatus",
        "ProblemStatusEnum": "enterprises.choices.ProblemStatus",
        "ParkKindEnum": "parks.choices.ParkKind",
        "QualificationKindEnum": "enterprises.choices.QualificationKind",
        "PlatformKindEnum": "enterprises.choices.PlatformKind",
        "LevelEnum": "enterprises.choices.Level",
        "StageEnum": "projects.choices.Stage",
        "KeyLevelEnum": "projects.choices.KeyLevel",
        "ValueStatusEnum": "indicators.choices.ValueStatus",
        "IndicatorKindEnum": "indicators.choices.Kind",
        "IndicatorCategoryEnum": "indicators.choices.Category",
        "ProblemCategoryEnum": "enterprises.choices.ProblemCategory",
    },
}

SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False
SIMPLE_HISTORY_REVERT_DISABLED = True

# A live project with no stage move, progress note or money for this many days is flagged as stalled.
PROJECT_STALLED_DAYS = env.int("PARKADMIN_STALLED_DAYS", default=90)

# The zone this installation serves (shown in the top bar).
ZONE_NAME = env.str("PARKADMIN_ZONE_NAME", default="怀化高新区")
# The zone's name in the English interface (empty: the Chinese name there too).
ZONE_NAME_EN = env.str("PARKADMIN_ZONE_NAME_EN", default="Huaihua High-Tech Zone")
# Notifications (parkadmin.notifications). Mail goes through Django's settings, read from the environment: EMAIL_URL
# (smtp://user:password@host:587, smtp+tls://…; default: mails are written to the log, none is sent) and
# DEFAULT_FROM_EMAIL. PARKADMIN_SITE_URL starts the links in mails (https://parkadmin.example.gov.cn).
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="parkadmin@localhost")
PARKADMIN_SITE_URL = env.str("PARKADMIN_SITE_URL", default="").rstrip("/")
# Background jobs (django-q2): its broker is the project's own database unless REDIS_URL names a Redis server, which
# several machines' workers can then share. `manage.py qcluster` is the worker (`make run` starts one beside the
# development server). PARKADMIN_JOBS_SYNC=1 runs every job at once in the process that asks (tests, a trial).
Q_CLUSTER = {
    "name": "parkadmin",
    "workers": env.int("PARKADMIN_JOB_WORKERS", default=2),
    "timeout": 1800,  # a job may run half an hour (a large import or report)
    "retry": 1900,  # seconds before an unfinished job is handed to another worker; more than `timeout`
    "max_attempts": 1,  # a job that failed is reported, not repeated: reminders and imports are not blind to retry
    "catch_up": False,  # a schedule missed while no worker ran runs once, not once per missed time
    "save_limit": 1000,
    "sync": env.bool("PARKADMIN_JOBS_SYNC", default=False),
    "label": _("Background jobs"),
}
if REDIS_URL:
    Q_CLUSTER["django_redis"] = "default"
else:
    Q_CLUSTER["orm"] = "default"

# Chat-group robots (企业微信, 钉钉) that receive notifications, as JSON (parkadmin.webhooks):
# [{"name": "企业服务群", "url": "https://…", "secret": "SEC…" (钉钉 only), "kinds": ["problem_overdue", …]}]
PARKADMIN_WEBHOOKS = env.json("PARKADMIN_WEBHOOKS", default=[])
# The reminders' days: certificates this many days before they lapse, problems this many days before their due date,
# values waiting for review longer than this many days.
REMINDER_EXPIRY_DAYS = env.list("PARKADMIN_REMINDER_EXPIRY_DAYS", cast=int, default=[90, 30, 7])
REMINDER_PROBLEM_DUE_DAYS = env.int("PARKADMIN_REMINDER_PROBLEM_DUE_DAYS", default=2)
REMINDER_REVIEW_WAITING_DAYS = env.int("PARKADMIN_REMINDER_REVIEW_WAITING_DAYS", default=3)

# The TrueType Chinese font the annual report's PDF embeds (a subset of it): a .ttf, or a .ttc (its first face).
PDF_FONT = env.str("PARKADMIN_PDF_FONT", default="/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="WARNING")},
}
