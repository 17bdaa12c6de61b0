"""A ZIP of PDF summaries for a filtered queue, written to a file rather than held in memory."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import IO

from django.db.models import QuerySet
from django.utils import timezone

from assessment.models import Record
from assessment.pdf.render import pdf_filename, render_record_pdf

# Each PDF takes ~0.13 s to render, and the request is rendered in one worker: 100 PDFs stay
# well inside a 30-second worker timeout. Narrower filters give the rest.
MAX_PDFS_PER_ZIP = 100
# Records are read in chunks with their events, so memory stays flat whatever the filter.
CHUNK_SIZE = 25


@dataclass(frozen=True)
class ArchiveContents:
    included: int
    matching: int

    @property
    def truncated(self) -> bool:
        return self.matching > self.included


def write_pdf_zip(records: QuerySet[Record], target: IO[bytes]) -> ArchiveContents:
    """Write one PDF per record (at most MAX_PDFS_PER_ZIP, in the queryset's order)."""
    matching = records.count()
    selected = records.select_related("decided_by", "approved_by").prefetch_related("events")[
        :MAX_PDFS_PER_ZIP
    ]
    included = 0
    # PDFs are already compressed: storing them is as small and much faster than deflating.
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:
        for record in selected.iterator(chunk_size=CHUNK_SIZE):
            archive.writestr(pdf_filename(record), render_record_pdf(record, for_reviewers=True))
            included += 1
        contents = ArchiveContents(included=included, matching=matching)
        archive.writestr("README.txt", _readme(contents))
    return contents


def _readme(contents: ArchiveContents) -> str:
    lines = [
        f"PDF summaries exported {timezone.now():%Y-%m-%d %H:%M} UTC.",
        f"{contents.included} of the {contents.matching} records matching the filters.",
        "Each PDF is PDF/A-3b and carries its record's canonical JSON as an attachment;",
        "the SHA-256 printed in each PDF can be checked on the service's verification page.",
    ]
    if contents.truncated:
        lines.append(
            f"An export holds at most {MAX_PDFS_PER_ZIP} PDFs: narrow the filters (for example"
            " by submission date) to export the rest."
        )
    return "\n".join(lines) + "\n"
