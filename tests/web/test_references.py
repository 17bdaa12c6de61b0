"""The reference format, defined once: what submission issues, the database and the verify
form accept the same AS-YYYY-NNNNN."""

import pytest
from django.db import IntegrityError, transaction

from assessment.forms.verify import VerifyForm
from assessment.models import Record
from assessment.references import REFERENCE, format_reference
from tests.factories import make_record

pytestmark = pytest.mark.django_db


def test_references_have_five_digits_at_least_and_grow_past_them():
    assert format_reference(2026, 42) == "AS-2026-00042"
    assert format_reference(2026, 123456) == "AS-2026-123456"
    assert REFERENCE.match(format_reference(2026, 123456))


def test_an_issued_reference_is_accepted_by_the_verify_form():
    record = make_record(kind="permitted")
    assert REFERENCE.match(record.reference)
    form = VerifyForm({"reference": record.reference.lower(), "sha256": record.sha256})
    assert form.is_valid(), form.errors


def test_the_database_refuses_a_reference_of_another_format():
    record = make_record(kind="permitted")
    with pytest.raises(IntegrityError), transaction.atomic():
        Record.objects.filter(pk=record.pk).update(reference="AS-26-1")
