"""Settings for the test suite: the environment's, with fast hashing and no HTTPS redirect."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-" + "x" * 60)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ASSESSMENT_PUBLIC_URL", "http://127.0.0.1:8000")
# A fixed seal key, so seals and the chain are the same from run to run (never the dev key).
os.environ.setdefault(
    "ASSESSMENT_SEAL_KEYS", "test:dGVzdC1zdWl0ZS1vbmx5LXNlYWwta2V5LW5ldmVyLXVzZS1pbi1wcm9kdWN0aW9u"
)

from config.settings.base import *  # noqa: F403
from config.settings.base import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests serve static files from the finders; no collectstatic step needed.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The browser talks to live_server over plain HTTP.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# Tasks run at once, inside the call that enqueues them; tests that need the real queue and
# worker override TASKS with the database backend (tests/background/).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ASSESSMENT_TASK_RETRY_DELAYS = [0, 0]
