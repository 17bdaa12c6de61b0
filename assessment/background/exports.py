"""ZIP exports of the filtered queue, built by a task: a PDF per record, the CSV and JSON
exports (the same functions as the direct downloads), and a README.

The ZIP is written to the worker's scratch space, then stored in the database in chunks, so
any app server can stream it back. Progress (done / total) is saved as it goes.
"""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from typing import IO, Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from assessment import exports
from assessment.background import outbox, renderings
from assessment.forms.queue import queue_filters
from assessment.models import Export, ExportChunk, Record
from assessment.pdf import pdf_filename
from assessment.selectors.queue import filter_queue

# Records are read (with their events) this many at a time: memory stays flat.
BATCH = 50
# The stored ZIP is split into pieces of this size (one row each).
CHUNK_BYTES = 1024 * 1024
# Progress is saved at most this often (records), so the status page moves without a write
# per PDF.
PROGRESS_EVERY = 10


def request_export(*, user: User, params: QueryDict) -> Export:
    """Create the export of the queue as `user` filtered it; a task builds it after commit."""
    from assessment import tasks

    export = Export.objects.create(
        requested_by=user,
        params=params.urlencode(),
        expires_at=timezone.now() + timedelta(hours=settings.ASSESSMENT_EXPORT_RETENTION_HOURS),
    )
    transaction.on_commit(lambda: tasks.build_export.enqueue(str(export.pk)))
    return export


def build(export_id: str) -> str:
    """Build the export's ZIP (again, from the start, if a previous attempt was cut short)."""
    claimed = Export.objects.filter(
        pk=export_id, state__in=[Export.State.QUEUED, Export.State.BUILDING]
    ).update(state=Export.State.BUILDING, attempts=F("attempts") + 1, done=0, error="")
    export = Export.objects.select_related("requested_by").get(pk=export_id)
    if not claimed:
        return export.state  # ready or failed already: nothing to do
    ExportChunk.objects.filter(export=export).delete()
    # Parsed again by the queue's one parser: a filter that became invalid since (a version
    # retired, say) is left out, as the queue page would leave it out.
    filters = queue_filters(QueryDict(export.params))
    records = filter_queue(user=export.requested_by, filters=filters)
    ids = list(records.values_list("pk", flat=True))
    Export.objects.filter(pk=export.pk).update(total=len(ids))
    now = timezone.now()
    filename = f"assessments-{now:%Y%m%d-%H%M%S}.zip"
    with tempfile.TemporaryFile() as spool:
        included = _write_zip(export, records, ids, spool, exported_at=now)
        size = spool.tell()
        spool.seek(0)
        _store(export, spool)
    Export.objects.filter(pk=export.pk).update(
        state=Export.State.READY,
        done=included,
        size=size,
        filename=filename,
        finished_at=timezone.now(),
    )
    _tell_requester(export)
    purge_expired()
    return Export.State.READY


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def _write_zip(
    export: Export, records: QuerySet[Record], ids: list[int], target: IO[bytes], **readme: Any
) -> int:
    included = 0
    # PDFs are already compressed: storing them is as small and much faster than deflating.
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:
        for batch in _batches(ids):
            # Records that stopped matching the filters since the export began are left out.
            for record in records.filter(pk__in=batch).prefetch_related("events"):
                archive.writestr(f"pdf/{pdf_filename(record)}", renderings.pdf_for_export(record))
                included += 1
                if included % PROGRESS_EVERY == 0:
                    Export.objects.filter(pk=export.pk).update(done=included)
        _add_text(
            archive,
            "assessments.csv",
            exports.csv_lines(
                _rows(records, ids, False), versions=exports.answer_versions(records)
            ),
        )
        _add_text(
            archive,
            "assessments.json",
            exports.json_chunks(_rows(records, ids, True), exported_at=readme["exported_at"]),
        )
        archive.writestr("README.txt", _readme(included, **readme))
    return included


def _rows(records: QuerySet[Record], ids: list[int], full_trail: bool) -> Iterator[dict]:
    for batch in _batches(ids):
        yield from exports.rows(records.filter(pk__in=batch), full_trail=full_trail)


def _add_text(archive: zipfile.ZipFile, name: str, parts: Iterator[str]) -> None:
    info = zipfile.ZipInfo(name, date_time=timezone.now().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w", force_zip64=True) as member:
        for part in parts:
            member.write(part.encode("utf-8"))


def _store(export: Export, spool: IO[bytes]) -> None:
    index = 0
    while piece := spool.read(CHUNK_BYTES):
        ExportChunk.objects.create(export=export, index=index, data=piece)
        index += 1


def _readme(included: int, *, exported_at: Any) -> str:
    return "\n".join(
        [
            f"Assessment records exported {exported_at:%Y-%m-%d %H:%M} UTC: {included} records.",
            "",
            "pdf/             one PDF summary per record (PDF/A-3b), named by reference; each",
            "                 carries its record's canonical JSON as an attachment, and the",
            "                 SHA-256 it prints can be checked on the service's verification page.",
            "assessments.csv  one row per record (the queue's CSV export): UTF-8 without a byte",
            "                 order mark, labels as on screen, codes in the *_code columns,",
            "                 then one column per question of each questionnaire version.",
            "assessments.json the same records with their full review trail (the JSON export).",
            "",
        ]
    )


def chunks(export: Export) -> Iterator[bytes]:
    """The stored ZIP, piece by piece, for a streaming download."""
    pieces = ExportChunk.objects.filter(export=export).order_by("index").values_list("data")
    for (data,) in pieces.iterator(chunk_size=1):
        yield bytes(data)


def fail(export_id: str, exc: BaseException) -> None:
    Export.objects.filter(pk=export_id).exclude(state=Export.State.READY).update(
        state=Export.State.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
    )
    ExportChunk.objects.filter(export_id=export_id).delete()


def _tell_requester(export: Export) -> None:
    user = export.requested_by
    if not user.email:
        return
    link = settings.ASSESSMENT_PUBLIC_URL + reverse("review:export", args=[export.pk])
    outbox.queue_email(
        key=f"export-{export.pk}",
        subject="Your export is ready",
        body=(
            "The ZIP export you asked for is ready to download (sign-in required):\n"
            f"{link}\n\nIt is deleted after "
            f"{settings.ASSESSMENT_EXPORT_RETENTION_HOURS} hours.\n"
        ),
        to=[user.email],
    )


def purge_expired() -> int:
    """Delete exports past their expiry (with their stored ZIPs); return how many."""
    expired = Export.objects.filter(expires_at__lt=timezone.now())
    ExportChunk.objects.filter(export__in=expired).delete()
    deleted, _ = expired.delete()
    return deleted
