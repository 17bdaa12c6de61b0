"""PDF summaries of submitted records: PDF/A-3b, tagged, with the canonical JSON attached."""

from assessment.pdf.render import pdf_filename, render_record_pdf

__all__ = ["pdf_filename", "render_record_pdf"]
