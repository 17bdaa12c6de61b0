"""Gunicorn settings for `make serve`: `gunicorn config.wsgi -c config/gunicorn.py`.

The access log is the one place a request's path is written out, and a respondent's path holds
their private link (/a/<token>/...), which is as good as a password: the logger below masks it
everywhere it can appear (path, request line, referrer). The log line carries the request id
that the app echoes in X-Request-ID, so it can be matched with the app's own log lines; it
leaves out the client's address and the query string (a reviewer's search may hold a name).
"""

import os
import re
from typing import Any

from gunicorn.glogging import Logger

from assessment.middleware.logs import escape_control_characters

# The respondent's private link segment: /a/<token> up to the next slash, query or space.
PRIVATE_LINK = re.compile(r"/a/[^/?#\s]+")
MASKED = "/a/<token>"


def mask_private_links(text: str) -> str:
    return PRIVATE_LINK.sub(MASKED, text)


class PrivateLinkMaskingLogger(Logger):
    """Gunicorn's logger, with private links masked and control characters escaped in every
    access-log atom: the path is percent-decoded, so `%0a` would otherwise start a new line."""

    def atoms(self, resp: Any, req: Any, environ: dict, request_time: Any) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: mask_private_links(escape_control_characters(value))
            if isinstance(value, str)
            else value
            for key, value in atoms.items()
        }


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:" + os.environ.get("PORT", "8000"))
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# A worker is replaced after this many requests (with jitter), bounding any slow leak.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
# Headers beyond these are refused before Django sees them (bodies: DATA_UPLOAD_MAX_MEMORY_SIZE).
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

logger_class = PrivateLinkMaskingLogger
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
access_log_format = '"%(m)s %(U)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}o)s'
