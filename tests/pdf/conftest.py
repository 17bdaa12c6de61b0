"""Fixtures for the PDF tests: reviewers, and PDFs read back with pypdf."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Permission, User
from pypdf import PdfReader

from tests.review_support import sign_in


@pytest.fixture
def reviewer(db) -> User:
    user = User.objects.create_user("grace", password="pw", first_name="Grace", last_name="Hopper")
    user.user_permissions.add(Permission.objects.get(codename="review_record"))
    return user


@pytest.fixture
def signed_in_reviewer(client, reviewer):
    sign_in(client, reviewer)
    return client


def read_pdf(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-"), data[:40]
    return PdfReader(io.BytesIO(data))


def pdf_text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def squashed(text: str) -> str:
    """Text without whitespace: extraction breaks wrapped lines where the layout did."""
    return "".join(text.split())
