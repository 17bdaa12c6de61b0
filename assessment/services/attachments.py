"""Checking and storing a file a respondent attaches to a message.

The type is decided by the file's content (its first bytes), not by its name or the browser's
Content-Type; only PDF, PNG and JPEG are accepted, up to ASSESSMENT_ATTACHMENT_MAX_BYTES. The
file is stored through Django's default storage under a random name, and only ever served to
reviewers, as a download (views/review/attachments.py).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile

from assessment.models import Attachment, Event, Record

# The signature each accepted type starts with, its content type and the stored extension.
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)
NAME_MAX = 200


class AttachmentRejected(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content: bytes
    content_type: str
    extension: str


def max_size_label() -> str:
    return f"{settings.ASSESSMENT_ATTACHMENT_MAX_BYTES // (1024 * 1024)} MB"


def check_file(upload: UploadedFile) -> CheckedFile:
    """The file's bytes and its type by content; AttachmentRejected says what is wrong."""
    limit = settings.ASSESSMENT_ATTACHMENT_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise AttachmentRejected(f"The file must be {max_size_label()} or smaller")
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise AttachmentRejected(f"The file must be {max_size_label()} or smaller")
    if not content:
        raise AttachmentRejected("The file is empty")
    for signature, content_type, extension in SIGNATURES:
        if content.startswith(signature):
            name = _clean_name(upload.name or "", extension)
            return CheckedFile(name, content, content_type, extension)
    raise AttachmentRejected("The file must be a PDF, PNG or JPEG")


def _clean_name(name: str, extension: str) -> str:
    # Only for display and the download's filename: no path, no control characters.
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip() or f"attachment.{extension}"
    return name[-NAME_MAX:]


def store(*, record: Record, event: Event, checked: CheckedFile) -> Attachment:
    """Save the file under a random name and record it against the message's event."""
    path = f"attachments/{record.reference}/{secrets.token_hex(16)}.{checked.extension}"
    saved = default_storage.save(path, ContentFile(checked.content))
    return Attachment.objects.create(
        record=record,
        event=event,
        file=saved,
        name=checked.name,
        content_type=checked.content_type,
        size=len(checked.content),
        sha256=hashlib.sha256(checked.content).hexdigest(),
    )
