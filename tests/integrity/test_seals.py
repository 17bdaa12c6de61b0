"""Keyed seals: what a record carries, key rotation, legacy (unkeyed) records, and where the kind
of seal is said (record page, /verify/, PDF)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from assessment.canonical import payload_sha256
from assessment.integrity import hashing
from assessment.models import ChainEntry, Record
from assessment.pdf.summary import build_summary
from assessment.services import review
from tests.factories import insert_stored_record, make_record, stored_v1_records
from tests.integrity.conftest import first_failure, record_page, verify

pytestmark = pytest.mark.django_db

OLD = b"the-2025-seal-key-kept-to-verify-old-ones"
NEW = b"the-2026-seal-key-that-seals-everything-new"


def test_a_new_record_carries_an_hmac_of_its_canonical_payload_under_the_current_key():
    record = make_record(kind="review")
    assert record.seal_key_id == "test"
    key = settings.ASSESSMENT_SEAL_KEYS["test"]
    assert record.seal == hashing.seal(key, record.payload)
    assert record.seal != record.sha256 == payload_sha256(record.payload)
    assert record.integrity_problems() == []


def test_rotation_old_seals_still_verify_while_the_new_key_seals_new_records(rita):
    with override_settings(ASSESSMENT_SEAL_KEYS={"k2025": OLD}):
        old = make_record(kind="review")
    with override_settings(ASSESSMENT_SEAL_KEYS={"k2026": NEW, "k2025": OLD}):
        review.add_note(record=old, user=rita, note="After the rotation.", audience="internal")
        new = make_record(kind="permitted")
        assert (old.seal_key_id, new.seal_key_id) == ("k2025", "k2026")
        keys_used = list(ChainEntry.objects.order_by("position").values_list("key_id", flat=True))
        assert keys_used == ["k2025", "k2026", "k2026"]
        result = verify()
        assert result.ok, result.output
        assert Record.objects.get(pk=old.pk).integrity_problems() == []

    # Retiring the old key too early: what it sealed can no longer be verified, and says why.
    with override_settings(ASSESSMENT_SEAL_KEYS={"k2026": NEW}):
        failure = first_failure(verify())
        assert failure == f"{old.reference}: The record is sealed with an unknown key (k2025)."


def test_a_legacy_record_verifies_as_legacy_everywhere(client, signed_in):
    record = insert_stored_record(stored_v1_records()[0])
    assert (record.seal, record.seal_key_id) == ("", "")
    assert record.seal_label == "Legacy (unkeyed) seal: SHA-256 only"

    result = verify()
    assert result.ok, result.output

    body = record_page(signed_in, record)
    assert "this record may have been tampered with" not in body
    assert 'data-seal="legacy"' in body and "Legacy (unkeyed) seal" in body

    response = client.post(
        reverse("verify"), {"reference": record.reference, "sha256": record.sha256}
    )
    assert b'data-verdict="match"' in response.content
    assert b'data-seal="legacy"' in response.content
    assert b"Legacy (unkeyed) seal" in response.content

    assert build_summary(record).seal == "Legacy (unkeyed) seal: SHA-256 only"


def test_verify_names_the_keyed_seal_only_for_a_match(client):
    record = make_record(kind="permitted")
    match = client.post(reverse("verify"), {"reference": record.reference, "sha256": record.sha256})
    assert b'data-verdict="match"' in match.content
    assert b'data-seal="keyed"' in match.content and b"key test" in match.content

    wrong = client.post(reverse("verify"), {"reference": record.reference, "sha256": "0" * 64})
    unknown = client.post(reverse("verify"), {"reference": "AS-2026-99999", "sha256": "0" * 64})
    for response in (wrong, unknown):
        assert b'data-verdict="no-match"' in response.content
        assert b"data-seal" not in response.content and b"seal:" not in response.content.lower()


def test_verify_says_no_match_for_a_record_whose_chain_is_broken(client):
    record = make_record(kind="permitted")
    Record.objects.filter(pk=record.pk).update(seal="0" * 64)
    response = client.post(
        reverse("verify"), {"reference": record.reference, "sha256": record.sha256}
    )
    assert b'data-verdict="no-match"' in response.content


def test_the_pdf_says_which_seal_the_record_carries():
    record = make_record(kind="permitted")
    assert build_summary(record).seal == "Keyed seal (HMAC-SHA256, key test)"


def test_a_keyed_record_sealed_elsewhere_is_not_intact():
    with override_settings(ASSESSMENT_SEAL_KEYS={"test": b"another-installation-key-0123456789"}):
        record = make_record(kind="review")
    assert record.integrity_problems() == ["The keyed seal does not match the record's content."]
