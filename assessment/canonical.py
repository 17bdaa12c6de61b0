"""The canonical form of a record and its SHA-256: the same bytes on every machine, forever.

Changing this function changes every hash: it is versioned by the payload's "schema" key.
"""

import hashlib
import json
from typing import Any


def canonical_json(payload: Any) -> bytes:
    """Sorted keys, no whitespace, UTF-8: the form whose hash is stored and printed."""
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def payload_sha256(payload: Any) -> str:
    return hashlib.sha256(canonical_json(payload)).hexdigest()
