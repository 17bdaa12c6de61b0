"""Seals, chain entries and signatures: HMAC-SHA256 over canonical JSON. Pure functions.

Changing what goes into an entry's content changes every entry hash: the content carries a
version ("v") so a later form can be told apart.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

from assessment.canonical import canonical_json

GENESIS = "0" * 64
ENTRY_VERSION = 1

# What an entry covers: the event row as written (the actor's id is left out: it is set to
# NULL when a user is deleted, which is not tampering; `actor_label` keeps who it was) and the
# record it belongs to, as sealed. A change to any of these, in either table, breaks the entry.
EVENT_FIELDS = (
    "id",
    "record_id",
    "created_at",
    "actor_label",
    "action",
    "from_status",
    "to_status",
    "from_outcome",
    "to_outcome",
    "note",
    "audience",
    "decision",
    "record_sha256",
)
RECORD_FIELDS = ("reference", "sha256", "seal_key_id", "seal")


def hmac_hex(key: bytes, message: bytes) -> str:
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def seal(key: bytes, payload: Any) -> str:
    """A record's keyed seal: HMAC-SHA256 over the same canonical bytes its SHA-256 covers."""
    return hmac_hex(key, canonical_json(payload))


def timestamp(value: datetime.datetime) -> str:
    """UTC with microseconds: what both SQLite and PostgreSQL give back as stored."""
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_content(
    *,
    position: int,
    record_seq: int,
    key_id: str,
    legacy: bool,
    event: Mapping[str, Any],
    record: Mapping[str, Any],
) -> bytes:
    """The canonical bytes of one chain entry: its place in the chain and in its record's
    trail, the key that signs it, whether the upgrade chained it (an event written before the
    chain existed), the event and the record's seal."""
    # Strings (a TextChoices member is one) and numbers go in as they are; the time as text.
    fields = {name: event[name] for name in EVENT_FIELDS}
    fields["created_at"] = timestamp(fields["created_at"])
    return canonical_json(
        {
            "v": ENTRY_VERSION,
            "position": position,
            "record_seq": record_seq,
            "key_id": key_id,
            "legacy": legacy,
            "event": fields,
            "record": {name: record[name] for name in RECORD_FIELDS},
        }
    )


def entry_hash(key: bytes, prev_hash: str, content: bytes) -> str:
    """An entry's own hash: HMAC over the previous entry's hash, then its content."""
    return hmac_hex(key, prev_hash.encode("ascii") + b"\n" + content)


def head_signature(key: bytes, *, length: int, head_hash: str, key_id: str) -> str:
    return hmac_hex(
        key, canonical_json({"kind": "head", "length": length, "head": head_hash, "key": key_id})
    )


def checkpoint_signature(
    key: bytes, *, length: int, head_hash: str, created_at: str, key_id: str
) -> str:
    return hmac_hex(
        key,
        canonical_json(
            {
                "kind": "checkpoint",
                "length": length,
                "head": head_hash,
                "created_at": created_at,
                "key": key_id,
            }
        ),
    )


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
