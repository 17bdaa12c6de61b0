"""The seal keys: `ASSESSMENT_SEAL_KEYS="k2026:<base64>,k2025:<base64>"`, the first one current.

A key id is stored beside everything sealed with it, so an old key can be kept (listed after the
current one) to verify what it sealed while the new one seals what comes next. This module is
imported by the settings, so it must not touch Django's settings at import time.
"""

from __future__ import annotations

import base64
import binascii
import re

KEY_ID_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")
MIN_KEY_BYTES = 32


class SealKeyError(ValueError):
    """ASSESSMENT_SEAL_KEYS is malformed; the message says how."""


def parse_seal_keys(value: str) -> dict[str, bytes]:
    """`id:base64,id:base64` -> {id: secret}, in the order given (the first is current)."""
    keys: dict[str, bytes] = {}
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        key_id, sep, encoded = item.partition(":")
        key_id = key_id.strip()
        if not sep or not KEY_ID_PATTERN.match(key_id):
            raise SealKeyError(
                "ASSESSMENT_SEAL_KEYS must be a comma-separated list of id:base64secret, with ids "
                "of letters, digits, '.', '_' or '-' (at most 32)."
            )
        if key_id in keys:
            raise SealKeyError(f"ASSESSMENT_SEAL_KEYS names the key id {key_id!r} twice.")
        try:
            secret = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError):
            raise SealKeyError(
                f"ASSESSMENT_SEAL_KEYS: the secret of {key_id!r} is not valid base64."
            ) from None
        if len(secret) < MIN_KEY_BYTES:
            raise SealKeyError(
                f"ASSESSMENT_SEAL_KEYS: the secret of {key_id!r} is shorter than {MIN_KEY_BYTES} "
                "bytes. Generate one with: python -c 'import base64, secrets; "
                "print(base64.b64encode(secrets.token_bytes(32)).decode())'"
            )
        keys[key_id] = secret
    return keys


def configured_keys() -> dict[str, bytes]:
    from django.conf import settings

    return settings.ASSESSMENT_SEAL_KEYS


def current_key() -> tuple[str, bytes]:
    """The key id and secret that seal and sign everything new."""
    key_id, secret = next(iter(configured_keys().items()))
    return key_id, secret


def key_for(key_id: str) -> bytes | None:
    """The secret of `key_id`, or None when it is not (or no longer) configured."""
    return configured_keys().get(key_id)
