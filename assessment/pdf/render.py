"""Turning a record into PDF/A-3b bytes with WeasyPrint.

The stylesheet and font configuration are built once per process and reused by every
render: parsing the CSS and setting up fonts would otherwise cost more than the app's
own work per PDF.
"""

from __future__ import annotations

from datetime import UTC
from functools import cache
from pathlib import Path

import pydyf
from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML, Attachment, Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from assessment.canonical import canonical_json
from assessment.models import Record
from assessment.pdf.summary import Summary, attachment_name, build_summary

TEMPLATE = "pdf/summary.html"
STYLESHEET = Path(settings.BASE_DIR) / "templates" / "pdf" / "summary.css"
# PDF/A-3 is the archival profile that allows embedded files (the record's JSON); "b" asks
# for visual fidelity. Tags are added on top (WeasyPrint supports them with any variant) so
# screen readers get headings, lists and tables.
PDF_OPTIONS = {"pdf_variant": "pdf/a-3b", "pdf_tags": True}


@cache
def _font_config() -> FontConfiguration:
    return FontConfiguration()


@cache
def _stylesheet() -> CSS:
    # The product name is the same on every page of every PDF: it goes in the cached CSS.
    product = _css_string(settings.ASSESSMENT_PRODUCT_NAME)
    source = STYLESHEET.read_text(encoding="utf-8")
    source += f"\n@page {{ @top-left {{ content: {product}; }} }}\n"
    return CSS(string=source, font_config=_font_config(), url_fetcher=_no_fetch())


def _css_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'


@cache
def _no_fetch() -> URLFetcher:
    # Nothing in a summary is fetched: no images, no remote CSS, whatever a respondent typed.
    return URLFetcher(allowed_protocols=())


def render_summary_html(summary: Summary) -> str:
    return render_to_string(TEMPLATE, {"s": summary})


def html_to_pdf(html: str, *, attachments: list[Attachment] | None = None) -> bytes:
    """WeasyPrint alone, with the cached stylesheet and fonts (the bench times this too)."""
    return HTML(string=html, url_fetcher=_no_fetch()).write_pdf(
        stylesheets=[_stylesheet()],
        font_config=_font_config(),
        attachments=attachments or [],
        finisher=_list_associated_files_once,
        **PDF_OPTIONS,
    )


def _list_associated_files_once(document: Document, pdf: pydyf.PDF) -> None:
    # WeasyPrint 70 adds each attachment twice to the catalog's /AF array (once from the
    # EmbeddedFiles name tree, once from the file specification): PDF/A-3 expects it once.
    associated = pdf.catalog.get("AF")
    if associated:
        pdf.catalog["AF"] = pydyf.Array(dict.fromkeys(associated))


def record_attachment(record: Record) -> Attachment:
    """The canonical JSON whose SHA-256 is printed, so a program can read the answers back."""
    submitted = record.submitted_at.astimezone(UTC)
    return Attachment(
        string=canonical_json(record.payload),
        url_fetcher=_no_fetch(),
        name=attachment_name(record),
        description=(
            f"Canonical JSON of assessment record {record.reference}; SHA-256 {record.sha256}"
        ),
        created=submitted,
        modified=submitted,
        # PDF/A-3 requires a relationship for each associated file: the record is the
        # source data this summary was rendered from.
        relationship="Source",
    )


def render_record_pdf(record: Record, *, for_reviewers: bool = False) -> bytes:
    """The PDF summary of one record, as PDF/A-3b with its canonical JSON attached: the
    respondent's by default, the reviewers' (whole trail, internal notes) on request."""
    html = render_summary_html(build_summary(record, for_reviewers=for_reviewers))
    return html_to_pdf(html, attachments=[record_attachment(record)])


def pdf_filename(record: Record) -> str:
    # References are constrained to AS-YYYY-NNNNN by the model, so this is header-safe.
    return f"{record.reference}.pdf"
