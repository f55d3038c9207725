"""Union Portal settings: one module, everything from environment variables with safe local defaults.

Local default: SQLite file, Celery eager, local-memory cache (``make run``).
Production: DATABASE_URL=postgres://..., REDIS_URL=redis://..., SECRET_KEY, DEBUG unset.
See README.md "Deploy" for every variable.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name) or default


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
TESTING = "pytest" in sys.modules or env_bool("TESTING", False)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-local-development-key-never-use-in-production"  # noqa: S105 - DEBUG/tests only
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

# Keys for personal-data encryption at rest and for the search HMAC. Comma-separated lists: the first key
# encrypts, all keys decrypt, so a key can be rotated. Derived from SECRET_KEY when unset (development only).
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS")
FIELD_HMAC_KEY = env("FIELD_HMAC_KEY")
if not DEBUG and not TESTING and (not FIELD_ENCRYPTION_KEYS or not FIELD_HMAC_KEY):
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS and FIELD_HMAC_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The address people's phones reach the portal at (the membership card's QR code, the join poster, the
# enrolment link). Required in production: `check --deploy` fails without it (union_portal/checks.py);
# `make run` sets it from PORT.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000" if DEBUG or TESTING else "")
# The site's ICP filing number (ICP备案号), shown in the footer of every page when set.
ICP_NUMBER = env("ICP_NUMBER")
# A form sent with a missing or stale CSRF token gets the portal's own page, not Django's bare English one.
CSRF_FAILURE_VIEW = "union_portal.views.csrf_failure"

# Our apps come first: their translations take precedence over third-party catalogues (django-celery-beat
# translates "Name" as 任务名, for instance). They are listed in the order of their dependencies (each app
# after the apps it reads): seed_demo runs their demo.py in this order, the menu shows them in it.
INSTALLED_APPS = [
    "union_portal",
    "members",
    "funds",
    "mutual_aid",
    "competitions",
    "labour",
    "awards",
    "assistance",
    "dashboard",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # third party
    "treebeard",
    "axes",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]
# The benchmark (bench/: Keqiao-scale data generator, `manage.py bench`) is a development tool: installed in
# development, in tests and for a benchmark run (BENCH=1), never in production.
BENCH = env_bool("BENCH", False)
if DEBUG or TESTING or BENCH:
    INSTALLED_APPS.insert(INSTALLED_APPS.index("dashboard") + 1, "bench")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "union_portal.middleware.RejectNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "union_portal.middleware.RequestContextMiddleware",
    "union_portal.security.PortalSecurityMiddleware",
    "union_portal.twofactor.RequireTwoFactorMiddleware",
    # AxesMiddleware last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "union_portal.urls"
WSGI_APPLICATION = "union_portal.wsgi.application"

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
                "union_portal.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
# Production runs with two PostgreSQL roles (deploy/db-roles.sql, docs/security.md): the application connects
# with DATABASE_URL as a role that owns nothing; migrations run as the owner: `manage.py migrate
# --database=owner`, then deploy/db-grants.sql. The alias exists only when MIGRATE_DATABASE_URL is set.
MIGRATE_DATABASE_URL = env("MIGRATE_DATABASE_URL")
if MIGRATE_DATABASE_URL:
    DATABASES["owner"] = dj_database_url.parse(MIGRATE_DATABASE_URL, conn_max_age=0)
    DATABASES["owner"]["TEST"] = {"MIRROR": "default"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache, Celery -------------------------------------------------------------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Fixed schedules; apps add theirs here (django-celery-beat copies them into its tables on start).
CELERY_BEAT_SCHEDULE: dict = {
    # SMS/e-mail whose enqueue failed (broker down) or whose task was lost are queued again.
    "notifications-requeue-pending": {
        "task": "union_portal.tasks.requeue_pending_deliveries_task",
        "schedule": 10 * 60,
    },
}

# --- Auth -----------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "union_portal.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "union_portal.passwords.CharacterClassValidator"},
]

# Lockout (docs/security.md, 等保 8.1.4.1 b): 5 failures for one account from one address within 15 minutes
# lock that account *from that address* for 30 minutes (failures older than 15 minutes are forgotten:
# union_portal.auth.WindowedAxesHandler), so a stranger's guesses cannot lock the real user out from her
# own office. A slower limit on the account from all addresses together stops guessing spread over many
# addresses: LOGIN_USER_FAILURE_LIMIT failures within LOGIN_USER_WINDOW lock the account everywhere until
# the window has passed. A failed current password on the password-change form counts as a failed log-in.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_FAILURE_WINDOW = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "union_portal.middleware.client_ip_from"
LOGIN_USER_FAILURE_LIMIT = int(env("LOGIN_USER_FAILURE_LIMIT", "50"))
LOGIN_USER_WINDOW = timedelta(hours=1)
LOGIN_KNOWN_ADDRESS_DAYS = 30
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_HANDLER = "union_portal.auth.WindowedAxesHandler"

# Two-factor authentication (TOTP, django-otp) for every account that can reach staff pages or the admin:
# any role assignment, is_staff or is_superuser. On by default; the local demo (`make run`, DEBUG=1) turns it
# off so a newcomer can log in without an authenticator app.
OTP_REQUIRED = env_bool("OTP_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = "柯桥区总工会工会服务平台"
# The admin never shows a device's key or recovery codes (union_portal.admin registers its own device pages).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# One-time codes by SMS and one-time links (union_portal.onetime): registration, password reset, 2FA enrolment,
# public objections and founding applications. A code has 6 digits, lives 10 minutes and allows 5 tries; a
# number receives at most 5 codes an hour (one a minute), an address asks for at most 20 an hour.
ONETIME_CODE_TTL = timedelta(minutes=int(env("ONETIME_CODE_TTL_MINUTES", "10")))
ONETIME_CODE_ATTEMPTS = 5
ONETIME_CODE_INTERVAL = timedelta(seconds=60)
ONETIME_CODES_PER_MOBILE_PER_HOUR = int(env("ONETIME_CODES_PER_MOBILE_PER_HOUR", "5"))
ONETIME_CODES_PER_ADDRESS_PER_HOUR = int(env("ONETIME_CODES_PER_ADDRESS_PER_HOUR", "20"))
# An enrolment link (new account, 2FA reset) is valid for 3 days; a user receives at most 3 links an hour.
ONETIME_LINK_TTL = timedelta(days=int(env("ONETIME_LINK_TTL_DAYS", "3")))
ONETIME_LINKS_PER_USER_PER_HOUR = 3
# A founding application left undecided this many days lapses: the enterprise may then be applied for again.
FOUNDING_PENDING_DAYS = int(env("FOUNDING_PENDING_DAYS", "30"))

# Segregation of duties: pairs of roles one account may not hold together (anywhere in the tree). A reviewer
# decides claims, finance pays them, an admin grants roles; by default no account does two of these.
SEGREGATED_ROLES = [
    ("reviewer", "finance"),
    ("reviewer", "district_admin"),
    ("reviewer", "city_admin"),
    ("finance", "district_admin"),
    ("finance", "city_admin"),
]

# --- p2-floor: sessions in Redis (issue 18) ---------------------------------------------------------------
# With Redis, sessions live in the cache (nothing on a web machine's disk, no query per request: the idle
# timeout's save on every request is a Redis write). Without Redis (`make run`, SQLite) they stay in the
# database. The test suite keeps database sessions unless SESSION_STORE=cache (the query counts it pins include
# them); tests/union_portal/test_cache_sessions.py runs the session rules against the cache store. No rule reads
# session rows: ending an account's sessions raises its session epoch (apitokens.user_end_sessions), the
# 12-hour limit is kept in the session itself (security.PortalSecurityMiddleware).
SESSION_STORE = env("SESSION_STORE", "cache" if REDIS_URL and not TESTING else "db")
if SESSION_STORE not in {"cache", "db"}:
    raise ImproperlyConfigured("SESSION_STORE is 'cache' (needs REDIS_URL) or 'db'.")
if SESSION_STORE == "cache" and not REDIS_URL and not TESTING:
    raise ImproperlyConfigured("SESSION_STORE=cache needs REDIS_URL: a local-memory cache forgets sessions.")
SESSION_ENGINE = f"django.contrib.sessions.backends.{SESSION_STORE}"
# --- end p2-floor ---------------------------------------------------------------------------------------

# Sessions end after 30 idle minutes (each request renews the cookie).
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Security (production) ------------------------------------------------------------------------------
SECURE_SSL = env_bool("SECURE_SSL", not DEBUG and not TESTING)
SESSION_COOKIE_SECURE = SECURE_SSL
CSRF_COOKIE_SECURE = SECURE_SSL
SECURE_SSL_REDIRECT = SECURE_SSL and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if SECURE_SSL else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_SSL
SECURE_HSTS_PRELOAD = SECURE_SSL
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# Addresses (or networks) of our own reverse proxies. X-Forwarded-For is believed only from these
# (union_portal.middleware.client_ip_from); by default from nobody. deploy/: TRUSTED_PROXIES=127.0.0.1.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts and styles only from our own origin, never inline; every script
# and style sheet lives in static/ (Bootstrap, htmx, ECharts are vendored). No template has a style attribute
# or a <style> element (issue 14 L2; tests/security/test_csp_styles.py); scripts set styles through the
# CSSOM, which the policy allows. No other origin is contacted.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# A session ends after 30 idle minutes (SESSION_COOKIE_AGE) and in any case 12 hours after login.
SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
# API tokens (union_portal.apitokens): staff tokens live like staff sessions; a worker's app gets a short-lived
# access token and a refresh token that is rotated on every use.
API_STAFF_TOKEN_IDLE_SECONDS = SESSION_COOKIE_AGE
API_STAFF_TOKEN_ABSOLUTE_SECONDS = SESSION_ABSOLUTE_SECONDS
API_ACCESS_TOKEN_SECONDS = int(env("API_ACCESS_TOKEN_MINUTES", "60")) * 60
API_REFRESH_TOKEN_SECONDS = int(env("API_REFRESH_TOKEN_DAYS", "30")) * 24 * 60 * 60
# Per-IP throttle of log-in attempts (on top of the per-account lockout): failures from one address.
LOGIN_IP_FAILURE_LIMIT = int(env("LOGIN_IP_FAILURE_LIMIT", "30"))
LOGIN_IP_WINDOW_SECONDS = 15 * 60

# --- I18N -----------------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Input formats with ISO first in every language: a date widget fills <input type="date"> with the first one,
# and Django's Chinese list starts with 2026/12/01, which the browser rejects (a blank field).
FORMAT_MODULE_PATH = ["union_portal.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES: dict[str, dict] = {
    # Uploaded files (claim documents, deeds) live outside the web root and are served only by views
    # that check permission; there is deliberately no MEDIA_URL route. They are encrypted at rest with the
    # field encryption keys (medical records, ID and bank cards); `manage.py encrypt_uploads` for older files.
    "default": {"BACKEND": "union_portal.uploads.EncryptedFileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and not TESTING
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "uploads")))
MEDIA_URL = "/protected-media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 15 * 1024 * 1024
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
# An uploaded .xlsx is a zip archive: every import refuses one whose parts would unpack to more than this in
# all, or a part (over 1 MB) packed more tightly than this ratio (zip bombs; union_portal.excel.check_zip_limits).
# A 100,000-row member import unpacks to about 56 MB at about 12 to 1.
EXCEL_MAX_UNCOMPRESSED_BYTES = int(env("EXCEL_MAX_UNCOMPRESSED_MB", "200")) * 1024 * 1024
EXCEL_MAX_COMPRESSION_RATIO = int(env("EXCEL_MAX_COMPRESSION_RATIO", "100"))

# --- Forms, API -----------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "union_portal.api.authentication.PortalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "union_portal.api.pagination.PortalPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Keyed on union_portal.middleware.client_ip_from, never on a client's own X-Forwarded-For.
    "DEFAULT_THROTTLE_CLASSES": [
        "union_portal.throttling.PortalAnonRateThrottle",
        "union_portal.throttling.PortalUserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", "60/minute"),
        "user": env("API_THROTTLE_USER", "600/minute"),
        "token": "10/minute",
        "estimate": env("API_THROTTLE_ESTIMATE", "30/minute"),  # the API and the web estimator together
        "objection": env("THROTTLE_OBJECTION", "10/hour"),  # the public objection form of awards
        "founding": env("THROTTLE_FOUNDING", "10/hour"),  # founding applications (建会申请)
        "sms_code": env("THROTTLE_SMS_CODE", "10/hour"),  # the form that sends a one-time code by SMS
        "wechat_bind": env("THROTTLE_WECHAT_BIND", "10/minute"),  # binding a WeChat account asks WeChat
    },
    "EXCEPTION_HANDLER": "union_portal.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Union Portal API",
    "DESCRIPTION": "柯桥区总工会 Union Portal REST API (v1) for the workers' mobile app and integrations.",
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # One request type per operation: JSON (an upload names multipart itself, with extend_schema). Generated
    # clients mishandle an operation offering one model as JSON, form and multipart (openapi-python-client 0.29
    # sends the last one listed and its module fails to import: issue #1451); the server still reads all three.
    "PARSER_WHITELIST": ["rest_framework.parsers.JSONParser"],
    # Request bodies get their own components (JoinApplicationRequest): a write-only field is required in
    # requests but never in answers, which one shared component could not say.
    "COMPONENT_SPLIT_REQUEST": True,
    # OpenAPI 3.1 leftovers of 3.0 (nullable) fixed, and the one error shape on every operation.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "union_portal.api.schema.nullable_for_oas31",
        "union_portal.api.schema.error_responses",
    ],
    # Several models have a "status" field with their own choices: name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "MemberStatusEnum": "members.models.Member.Status",
        "ClaimStatusEnum": "mutual_aid.models.Claim.Status",
        "ApplicationStatusEnum": "assistance.models.applications.ApplicationStatus",
        "ApplicationDocumentKindEnum": "assistance.models.applications.ApplicationDocument.Kind",
        "CaseStatusEnum": "labour.models.cases.CaseStatus",
        "ContractKindEnum": "labour.models.contracts.ContractKind",
    },
}

# --- Notifications: e-mail and SMS ----------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "noreply@union-portal.local")
# SMS adapter: the logging backend records messages; a real provider class is chosen by dotted path.
SMS_BACKEND = env("SMS_BACKEND", "union_portal.sms.LoggingSmsBackend")
SMS_API_URL = env("SMS_API_URL")
SMS_API_KEY = env("SMS_API_KEY")
SMS_SIGN_NAME = env("SMS_SIGN_NAME", "柯桥区总工会")
# WeChat mini-program subscription messages (docs/wechat.md): the logging backend records them; the real one
# is union_portal.wechat.HttpWechatBackend with the mini-program's appid and secret. A kind of notification
# with no template id sends no WeChat message; "fields" maps the template's keys to title/body/time.
WECHAT_BACKEND = env("WECHAT_BACKEND", "union_portal.wechat.LoggingWechatBackend")
WECHAT_APPID = env("WECHAT_APPID")
WECHAT_SECRET = env("WECHAT_SECRET")
WECHAT_MINIPROGRAM_STATE = env("WECHAT_MINIPROGRAM_STATE", "formal")  # or "developer", "trial"
WECHAT_TEMPLATES = {
    kind: {
        "id": env(f"WECHAT_TEMPLATE_{kind.upper()}"),
        "fields": {"thing1": "title", "thing2": "body", "time3": "time"},
    }
    for kind in ("claim", "membership", "general")
}

# Mutual aid's decision letters: the issuer's code in their document numbers (文号), e.g. 柯工互〔2026〕12号. The
# letterhead and the signature are the name of the district federation above the member's union.
MUTUAL_AID_DOCUMENT_PREFIX = env("MUTUAL_AID_DOCUMENT_PREFIX", "柯工互")

DEMO_PASSWORD = env("DEMO_PASSWORD", "Keqiao@2026!")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Mobiles, ID numbers and bank accounts (search terms in request lines) are masked in every line (M10).
    "filters": {"mask_personal_numbers": {"()": "union_portal.logmask.MaskPersonalNumbers"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["mask_personal_numbers"]}
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # Django's own handlers for these (runserver's request lines, request errors) would bypass the filter.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
ADMIN_URL = env("ADMIN_URL", "django-admin/")
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

# --- Members: transfers (会员关系接转) ----------------------------------------------------------------------
# A transfer asked by the receiving union waits for the releasing union's consent; left unanswered this many
# working days, it goes to the township above both (the district when none is), which decides. Checked hourly.
MEMBERS_TRANSFER_RELEASE_WORKDAYS = int(env("MEMBERS_TRANSFER_RELEASE_WORKDAYS", "10"))
CELERY_BEAT_SCHEDULE["members-escalate-unanswered-transfers"] = {
    "task": "members.tasks.transfers_escalate_task",
    "schedule": 60 * 60,
}

# --- Awards: public notices close by themselves after their last day ----------------------------------------
CELERY_BEAT_SCHEDULE["awards-close-due-notices"] = {
    "task": "awards.tasks.close_due_notices_task",
    "schedule": 60 * 60,  # hourly: a notice closes within the hour after its last day ends
}

# --- Labour: rights cases past a deadline are escalated to the district --------------------------------------
CELERY_BEAT_SCHEDULE["labour-escalate-overdue-cases"] = {
    "task": "labour.tasks.cases.escalate_overdue_cases_task",
    "schedule": 60 * 60,  # hourly: idempotent, an overdue case is escalated once, early on the day after its deadline
}

# --- Labour: harmonious-enterprise ratings (withdrawals the hook missed, terms ended, notices) ------------
CELERY_BEAT_SCHEDULE["labour-ratings-nightly"] = {
    "task": "labour.tasks.ratings.ratings_nightly_task",
    "schedule": 60 * 60 * 24,
}

# --- Assistance: applications whose notice at the unit has ended go to township review ----------------------
CELERY_BEAT_SCHEDULE["assistance-finish-due-notices"] = {
    "task": "assistance.tasks.applications.notices_finish_due_task",
    "schedule": 60 * 60,
}

# --- Members --------------------------------------------------------------------------------------------
from celery.schedules import crontab  # noqa: E402

# --- Labour: collective contracts take effect/expire, and their reminders (renewal, filing, objection window,
# enterprises without a wage contract this year), every morning.
CELERY_BEAT_SCHEDULE["labour-contract-reminders"] = {
    "task": "labour.tasks.contracts.contract_reminders_task",
    "schedule": crontab(hour=7, minute=10),
}

# Uploaded member-import spreadsheets hold ID numbers in clear: deleted once imported, and those of imports
# left unfinished this many days after upload (members.services.member_import_files_purge, nightly).
IMPORT_FILE_RETENTION_DAYS = int(env("IMPORT_FILE_RETENTION_DAYS", "7"))
CELERY_BEAT_SCHEDULE["members-import-files-purge"] = {
    "task": "members.tasks.member_import_files_purge_task",
    "schedule": crontab(hour=3, minute=15),
}

# A roll export of more members than this is built in the background (members.services.roll_export): a
# district's roll takes longer than gunicorn's 60-second timeout. Its file (personal data) is deleted this
# many hours after it was asked for (members.services.member_export_files_purge, hourly).
MEMBERS_EXPORT_INLINE_MAX_ROWS = int(env("MEMBERS_EXPORT_INLINE_MAX_ROWS", "2000"))
MEMBERS_EXPORT_RETENTION_HOURS = int(env("MEMBERS_EXPORT_RETENTION_HOURS", "24"))
CELERY_BEAT_SCHEDULE["members-export-files-purge"] = {
    "task": "members.tasks.member_export_files_purge_task",
    "schedule": crontab(minute=25),
}

# --- Union funds --------------------------------------------------------------------------------------------
# Hand over the founding reserve of enterprises whose union has been founded (idempotent), every night.
CELERY_BEAT_SCHEDULE["funds-founding-reserve-sweep"] = {
    "task": "funds.tasks.founding_reserve_sweep_task",
    "schedule": 24 * 60 * 60,
}

# --- Assistance: hardship files ------------------------------------------------------------------------
# Every morning: remind the worker and the staff of files due for their yearly review, and put to staff the
# open files whose member's roll status changed (both idempotent).
CELERY_BEAT_SCHEDULE["assistance-files-remind-due"] = {
    "task": "assistance.tasks.files.file_remind_due_task",
    "schedule": crontab(hour=7, minute=10),
}
CELERY_BEAT_SCHEDULE["assistance-files-sweep-roll"] = {
    "task": "assistance.tasks.files.file_sweep_roll_task",
    "schedule": crontab(hour=3, minute=40),
}

# --- Dashboard ------------------------------------------------------------------------------------------
# The figure store is recomputed every night (and on demand by an admin).
CELERY_BEAT_SCHEDULE["dashboard-refresh-figures"] = {
    "task": "dashboard.tasks.refresh_figures_task",
    "schedule": crontab(hour=2, minute=30),
}

# --- Mutual aid -----------------------------------------------------------------------------------------
# Re-queue automatic reviews lost with a crashed worker (claims still "submitted" after 10 minutes).
CELERY_BEAT_SCHEDULE["mutual-aid-requeue-stale-reviews"] = {
    "task": "mutual_aid.tasks.requeue_stale_reviews_task",
    "schedule": 300.0,
}
# Celery's Django fixup closes the database connection before and after EVERY task unless this is set, so
# each task paid for a new PostgreSQL connection (the automatic review ran ~10x slower). Reuse it for up to
# 2 x this many tasks; CONN_MAX_AGE still applies, and tasks close it themselves after a database error.
CELERY_DB_REUSE_MAX = int(env("CELERY_DB_REUSE_MAX", "500"))

# === Past one machine (issue 18, p2-scale): Celery queues, read replica, storage backend ===================
# Celery queues: each kind of work has its own queue, so that it can get its own workers on other machines
# (deploy/systemd/union-portal-worker-a.service, -worker-b.service). A worker started without -Q listens to
# every queue below (one machine); the beat schedule's entries go through the same routes. The automatic
# review's messages (one per claim) are reviewed several at a time by the worker (mutual_aid.tasks.ReviewBatches).
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_QUEUE_NAMES = ("default", "reviews", "notifications", "imports", "figures", "exports")
CELERY_TASK_QUEUES = [Queue(name, routing_key=name) for name in CELERY_QUEUE_NAMES]
CELERY_TASK_ROUTES = {
    "mutual_aid.tasks.auto_review_task": {"queue": "reviews"},
    "mutual_aid.tasks.auto_review_batch_task": {"queue": "reviews"},
    "mutual_aid.tasks.requeue_stale_reviews_task": {"queue": "reviews"},
    "union_portal.tasks.deliver_task": {"queue": "notifications"},
    "union_portal.tasks.requeue_pending_deliveries_task": {"queue": "notifications"},
    "members.tasks.member_import_check_task": {"queue": "imports"},
    "members.tasks.member_import_run_task": {"queue": "imports"},
    "members.tasks.member_import_files_purge_task": {"queue": "imports"},
    "dashboard.tasks.refresh_figures_task": {"queue": "figures"},
    "members.tasks.member_export_task": {"queue": "exports"},
    "members.tasks.member_export_files_purge_task": {"queue": "exports"},
    # The rest is small and rare: the default queue.
    "members.tasks.transfers_escalate_task": {"queue": "default"},
    "awards.tasks.close_due_notices_task": {"queue": "default"},
    "labour.tasks.contracts.contract_reminders_task": {"queue": "default"},
    "funds.tasks.founding_reserve_sweep_task": {"queue": "default"},
    "funds.tasks.founding_reserve_hand_over_task": {"queue": "default"},
    "labour.tasks.ratings.ratings_nightly_task": {"queue": "default"},
    "labour.tasks.ratings.titles_withdraw_for_case_task": {"queue": "default"},
    "labour.tasks.cases.escalate_overdue_cases_task": {"queue": "default"},
    "assistance.tasks.applications.notices_finish_due_task": {"queue": "default"},
    "assistance.tasks.files.file_remind_due_task": {"queue": "default"},
    "assistance.tasks.files.file_sweep_roll_task": {"queue": "default"},
}

# Read replica: with DATABASE_REPLICA_URL set, the alias "replica" exists and the few call sites that may read
# slightly stale data (the dashboard refresh, roll exports, funds reports) read from it inside
# union_portal.replica.replica_reads(); everything else, and every write or lock, stays on "default". Absent,
# there is no alias and nothing changes. Its connection is read-only, so a stray write is refused. The tests
# (PostgreSQL) get the alias as a TEST MIRROR of default with reads off (DATABASE_REPLICA_READS); the replica
# tests turn them on.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL")
DATABASE_REPLICA_READS = bool(DATABASE_REPLICA_URL)
if DATABASE_REPLICA_URL or (TESTING and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"):
    DATABASES["replica"] = (
        dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60, conn_health_checks=True)
        if DATABASE_REPLICA_URL
        else {**DATABASES["default"], "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {}))}
    )
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        options = DATABASES["replica"].setdefault("OPTIONS", {})
        options["options"] = (options.get("options", "") + " -c default_transaction_read_only=on").strip()
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["union_portal.replica.ReplicaRouter"]

# Uploads (claim documents, deeds, import spreadsheets, roll exports) in an S3-compatible object store when
# UPLOADS_S3_BUCKET is set (django-storages; union_portal.uploads_s3), encrypted like on disk; otherwise under
# MEDIA_ROOT. With the store, nothing but static files is kept on a web machine's disk.
UPLOADS_S3_BUCKET = env("UPLOADS_S3_BUCKET")
if UPLOADS_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "union_portal.uploads_s3.EncryptedS3Storage",
        "OPTIONS": {
            "bucket_name": UPLOADS_S3_BUCKET,
            "endpoint_url": env("UPLOADS_S3_ENDPOINT_URL") or None,  # None: AWS itself
            "region_name": env("UPLOADS_S3_REGION") or None,
            "access_key": env("UPLOADS_S3_ACCESS_KEY") or None,  # None: the machine's role / AWS_* variables
            "secret_key": env("UPLOADS_S3_SECRET_KEY") or None,
            "addressing_style": env("UPLOADS_S3_ADDRESSING_STYLE") or None,  # "path" for MinIO and the like
            "location": env("UPLOADS_S3_PREFIX"),  # a key prefix inside a shared bucket
            "default_acl": None,  # the bucket's own (private) policy
            "querystring_auth": True,
            "file_overwrite": False,  # names are random (RandomUploadTo); never replace another file
        },
    }
