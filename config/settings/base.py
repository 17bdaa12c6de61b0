"""Settings read from the environment, 12-factor style.

Every variable is documented in the README ("Configuration"). Defaults are safe for
production: DEBUG is off unless DJANGO_DEBUG=1, and without DEBUG the app refuses to start
with a missing or placeholder secret key.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from assessment.integrity.keys import SealKeyError, parse_seal_keys

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


DEBUG = env_bool("DJANGO_DEBUG")

# Used only with DJANGO_DEBUG=1; production refuses any "django-insecure" key.
_DEV_SECRET_KEY = "django-insecure-local-development-key-never-use-in-production-0123456789"  # noqa: S105
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off. Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and (SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY is a placeholder or shorter than 50 characters.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Django's admin with its default site replaced by one that also requires a second factor.
    "assessment.admin_apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",  # django-bootstrap-static: Bootstrap's CSS/JS as static files, no CDN
    "axes",
    # The second factor of sign-in: TOTP authenticator apps and single-use recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Single sign-on with OpenID Connect (assessment/sso.py), when configured.
    "mozilla_django_oidc",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served as static files (no CDN)
    "assessment",
]

MIDDLEWARE = [
    "assessment.middleware.TrustedProxyMiddleware",
    "assessment.middleware.RequestIdMiddleware",
    # Every header-setting middleware sits above WhiteNoise, so static files carry them too.
    "django.middleware.security.SecurityMiddleware",
    "assessment.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "assessment.middleware.RejectNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session proved a second factor (django-otp).
    "django_otp.middleware.OTPMiddleware",
    # access.SecondFactorRequired (an account page before the second factor) becomes a redirect.
    "assessment.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes requires: it turns a lockout into the lockout page.
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "assessment.context_processors.product",
            ],
        },
    },
]

# SQLite is the zero-setup default; PostgreSQL comes through DATABASE_URL=postgres://...
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and IMMEDIATE transactions let concurrent gunicorn workers write without
    # "database is locked" errors; busy_timeout makes a writer wait instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with a health check that costs no round trip on an idle, healthy
    # connection (config/postgresql/base.py): SELECT 1 ran before every request (issue 15).
    DATABASES["default"]["ENGINE"] = "config.postgresql"
    # No JIT compilation: PostgreSQL compiles a query once its estimated cost is high, and the
    # dashboard's aggregates crossed that line at 100,000 records, each paying 30-100 ms of
    # compiling for a query that then ran in 10-40 ms.
    # Added to any `options` DATABASE_URL carries (?options=-c%20search_path%3D...).
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    # Prepared statements for the statements every respondent request runs, through the
    # backend's prepared_cursor() (config/postgresql/base.py); the ORM's other queries are not
    # prepared either way. Off (Django's default) for a pooler that cannot carry them, such as
    # PgBouncer in transaction mode before 1.21.
    if env_bool("DATABASE_PREPARED_STATEMENTS", True):
        options.setdefault("prepare_threshold", 5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Does nothing unless single sign-on is configured (OIDC_RP_CLIENT_ID).
    "assessment.sso.SSOBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "review:queue"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", "") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (respondents' attachments) go to the default storage: this folder unless
# STORAGES["default"] is changed (e.g. to an object store).
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", "") or BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: the console backend by default; SMTP when DJANGO_EMAIL_BACKEND says so.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "compliance@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. Cookies and headers are strict whenever DEBUG is off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies stand in front of the app (see TrustedProxyMiddleware); 0 trusts none.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Only for serving over plain HTTP on a trusted host (the load bench): never turn off in production.
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60  # a reviewer's working day
X_FRAME_OPTIONS = "DENY"
# Only features browsers recognise: an unknown one (e.g. FLoC's interest-cohort) is a console error.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# No inline scripts or styles anywhere: every page's CSS and JS come from static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Request size caps: a questionnaire answer is at most a few kilobytes.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

# django-axes: repeated failed sign-ins lock the username from that address for a while.
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Our page: the time left and a Retry-After; attempts while locked do not extend the lock.
AXES_LOCKOUT_CALLABLE = "assessment.views.lockout.locked_out"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Sign-in has two steps, and only the second one is a success: the failures (wrong passwords and
# wrong codes alike) are reset when the second factor is proved (services/second_factor.py), not
# after the password. Otherwise each right password would reset the count of wrong codes, and
# someone holding the password could guess codes forever.
AXES_RESET_ON_SUCCESS = False
AXES_VERBOSE = False
# The address every per-client limit uses (REMOTE_ADDR, after TrustedProxyMiddleware).
AXES_CLIENT_IP_CALLABLE = "assessment.middleware.client_address"

# django-otp: authenticator apps show the service's name beside the account. A wrong code makes
# the next attempt wait 1, 2, 4... seconds (django-otp's throttling), on top of django-axes.
OTP_TOTP_ISSUER = "Outputs Training Self-Assessment"
# The admin's device pages never show a secret (nor a QR code of it).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# How many single-use recovery codes a reviewer gets at set-up and at each renewal.
ASSESSMENT_RECOVERY_CODES = 10

# Single sign-on with OpenID Connect (README "Single sign-on"): off unless OIDC_RP_CLIENT_ID is
# set; then the provider's issuer, endpoints and the client's secret are required. Local
# password sign-in stays available either way.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "").strip()
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "").strip()
OIDC_OP_ISSUER = os.environ.get("OIDC_OP_ISSUER", "").strip()
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "").strip()
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "").strip()
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "").strip()
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "").strip()
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256").strip()
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile").strip()
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "sso_callback"
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sso=failed"
if OIDC_RP_CLIENT_ID:
    _missing = [
        name
        for name in (
            "OIDC_RP_CLIENT_SECRET",
            "OIDC_OP_ISSUER",
            "OIDC_OP_AUTHORIZATION_ENDPOINT",
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_USER_ENDPOINT",
            "OIDC_OP_JWKS_ENDPOINT",
        )
        if not globals()[name]
    ]
    if _missing:
        raise ImproperlyConfigured(
            "OIDC_RP_CLIENT_ID is set, so single sign-on also needs: " + ", ".join(_missing)
        )
# The ID token or userinfo claim that lists the provider's groups, and which of them map to the
# reviewers' and the approvers' groups. A user in none of them is refused.
ASSESSMENT_OIDC_GROUPS_CLAIM = os.environ.get("ASSESSMENT_OIDC_GROUPS_CLAIM", "groups").strip()
ASSESSMENT_OIDC_REVIEWER_GROUPS = env_list("ASSESSMENT_OIDC_REVIEWER_GROUPS")
ASSESSMENT_OIDC_APPROVER_GROUPS = env_list("ASSESSMENT_OIDC_APPROVER_GROUPS")
# `amr` / `acr` values of the ID token that mean the provider did multi-factor authentication,
# which then stands for the second factor. Empty (the default): SSO users prove ours as well.
ASSESSMENT_OIDC_TRUSTED_AMR = env_list("ASSESSMENT_OIDC_TRUSTED_AMR")
ASSESSMENT_OIDC_TRUSTED_ACR = env_list("ASSESSMENT_OIDC_TRUSTED_ACR")
# How the sign-in page names the provider's button ("Sign in with ...").
ASSESSMENT_OIDC_PROVIDER_NAME = os.environ.get(
    "ASSESSMENT_OIDC_PROVIDER_NAME", "your organisation's account"
).strip()

# The product's own settings.
ASSESSMENT_PRODUCT_NAME = "Outputs Training Self-Assessment"
ASSESSMENT_POLICY_NAME = "Using Claude's Outputs to train AI models"
ASSESSMENT_POLICY_URL = (
    "https://support.claude.com/en/articles/12326764-can-i-use-my-outputs-to-train-an-ai-model"
)
# Unsubmitted drafts older than this are purged by `manage.py purge_drafts`.
ASSESSMENT_DRAFT_RETENTION_DAYS = env_int("ASSESSMENT_DRAFT_RETENTION_DAYS", 30)
# How many drafts one client (IP address) may start per hour.
ASSESSMENT_DRAFTS_PER_HOUR = env_int("ASSESSMENT_DRAFTS_PER_HOUR", 30)
# Where new submissions are announced, in addition to members of the reviewers group.
ASSESSMENT_REVIEWER_EMAILS = env_list("ASSESSMENT_REVIEWER_EMAILS")
# Four eyes: a decision with one of these outcomes that differs from the automatic outcome takes
# effect only when a second reviewer (an approver) approves it. Every override of a definite
# automatic result, and every revision of a decision, needs approval whatever this says.
ASSESSMENT_APPROVAL_REQUIRED_FOR = env_list("ASSESSMENT_APPROVAL_REQUIRED_FOR") or ["permitted"]
# The shortest justification accepted for an override, in characters.
ASSESSMENT_OVERRIDE_MIN_JUSTIFICATION = env_int("ASSESSMENT_OVERRIDE_MIN_JUSTIFICATION", 20)
# The review SLA: an open record submitted more than this many days ago is marked overdue on
# the queue (and its "Overdue only" filter lists just those).
ASSESSMENT_REVIEW_SLA_DAYS = env_int("ASSESSMENT_REVIEW_SLA_DAYS", 5)
# The queue counts a search's (or a date or category filter's) matches up to this many; beyond,
# it says "more than" and lists the first ones (selectors/queue.py QueueCounts says why).
ASSESSMENT_QUEUE_COUNT_LIMIT = env_int("ASSESSMENT_QUEUE_COUNT_LIMIT", 1000)
# The largest file a respondent may attach to a message (PDF, PNG or JPEG), in bytes.
ASSESSMENT_ATTACHMENT_MAX_BYTES = env_int("ASSESSMENT_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024)
# The public base URL used in emails and PDFs (links to the verification page). Production
# refuses to start without it: a default would send every link to the wrong host.
ASSESSMENT_PUBLIC_URL = os.environ.get("ASSESSMENT_PUBLIC_URL", "").strip().rstrip("/")
if not ASSESSMENT_PUBLIC_URL:
    if not DEBUG:
        raise ImproperlyConfigured(
            "ASSESSMENT_PUBLIC_URL must be set when DJANGO_DEBUG is off: the address respondents "
            "and reviewers use, such as https://assess.example.com (emails and PDFs link to it)."
        )
    ASSESSMENT_PUBLIC_URL = "http://127.0.0.1:8000"
elif (
    urlsplit(ASSESSMENT_PUBLIC_URL).scheme not in ("http", "https")
    or not urlsplit(ASSESSMENT_PUBLIC_URL).netloc
):
    raise ImproperlyConfigured(
        "ASSESSMENT_PUBLIC_URL must be an http(s) URL, such as https://assess.example.com."
    )

# Keys of the records' seals and of the hash chain (see README, "Integrity"): HMAC keys apart
# from DJANGO_SECRET_KEY, as "id:base64secret,id:base64secret", the first one sealing what is
# new and the others kept to verify what they sealed. Development gets a fixed key; production
# refuses to start without real ones, as a database-only attacker must never hold the key.
_DEV_SEAL_KEYS = "dev:ZGV2ZWxvcG1lbnQtb25seS1zZWFsLWtleS1uZXZlci11c2UtaW4tcHJvZHVjdGlvbg=="
try:
    ASSESSMENT_SEAL_KEYS = parse_seal_keys(os.environ.get("ASSESSMENT_SEAL_KEYS", ""))
except SealKeyError as error:
    raise ImproperlyConfigured(str(error)) from None
if not ASSESSMENT_SEAL_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "ASSESSMENT_SEAL_KEYS must be set when DJANGO_DEBUG is off: id:base64secret (32 bytes "
            "or more), e.g. k2026:$(python -c 'import base64, secrets; "
            "print(base64.b64encode(secrets.token_bytes(32)).decode())')"
        )
    ASSESSMENT_SEAL_KEYS = parse_seal_keys(_DEV_SEAL_KEYS)
elif not DEBUG and set(ASSESSMENT_SEAL_KEYS.values()) & set(
    parse_seal_keys(_DEV_SEAL_KEYS).values()
):
    raise ImproperlyConfigured("ASSESSMENT_SEAL_KEYS holds the development key.")

# In the database, like sessions and django-axes' lockouts: every app server sees the same
# entries, so nothing a request relies on is held in one process (`createcachetable` makes it).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "assessment_cache",
    }
}

# Background tasks (django-tasks): queued in the app's database, run by `manage.py run_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A failing task runs again after each of these delays (seconds), then ends failed.
ASSESSMENT_TASK_RETRY_DELAYS = [
    int(d) for d in env_list("ASSESSMENT_TASK_RETRY_DELAYS", "10,60,300")
]
# A worker that has not reported for this long is taken as dead: its running task is requeued.
ASSESSMENT_WORKER_STALE_SECONDS = env_int("ASSESSMENT_WORKER_STALE_SECONDS", 60)
# An email being sent is another worker's for this long; after that it may be sent again.
ASSESSMENT_EMAIL_LEASE_SECONDS = env_int("ASSESSMENT_EMAIL_LEASE_SECONDS", 120)
# ZIP exports can be downloaded for this long, then `purge_exports` deletes them.
ASSESSMENT_EXPORT_RETENTION_HOURS = env_int("ASSESSMENT_EXPORT_RETENTION_HOURS", 24)

# The JSON API under /api/v1/ (assessment/api/): token authentication only, so no cookie (and no
# CSRF question) is ever involved; JSON in and out; errors as {"detail": ...} or per-field lists.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["assessment.api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Outputs Training Self-Assessment API",
    "DESCRIPTION": (
        "Submit a self-assessment and gate a training job on its outcome. Authenticate with "
        "`Authorization: Bearer <token>`; create tokens on the API tokens page of your account."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No badge from Swagger's public validator (an outside request the CSP would block).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "OutcomeEnum": "assessment.models.outcomes.OUTCOME_CHOICES",
        "StatusEnum": "assessment.models.records.Status",
    },
}
# How many assessments one page of GET /api/v1/assessments returns.
ASSESSMENT_API_PAGE_SIZE = env_int("ASSESSMENT_API_PAGE_SIZE", 50)


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "assessment.middleware.RequestIdFilter"},
        # Private links, tokens and email addresses are masked in every line.
        "private_data": {"()": "assessment.middleware.PrivateDataFilter"},
        # Control characters (from a path, a header) escaped: no request can forge a line.
        "control_characters": {"()": "assessment.middleware.ControlCharacterFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            # Escaping first: masking then sees the exceptions' messages as they were raised.
            "filters": ["request_id", "control_characters", "private_data"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Request lines carry paths with private links: keep them out of the logs.
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        # WeasyPrint narrates every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
