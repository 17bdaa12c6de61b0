"""PDF benchmark (a script, not a test): `.venv/bin/python bench/pdf_bench.py`.

Prints the median time to render one typical PDF summary (a record that needs review, as
submitted) against the 150 ms target, its page count, the time WeasyPrint alone takes for the
same HTML with the same options, the ratio of the two, and the peak memory. The record is made
through the real services in a throwaway in-memory SQLite database. A missed time target is
reported, not failed, as in page_bench.py: it is WeasyPrint's time on this machine (the ratio
says how much of it is the app's), and respondents download a stored rendering (tasks_bench.py).
"""

from __future__ import annotations

import os
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
# Never touch a configured database: the bench makes its records in memory.
os.environ["DATABASE_URL"] = "sqlite://:memory:"
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from pypdf import PdfReader  # noqa: E402

TARGET_MS = 150.0
RUNS = 20


def interleaved_ms(*functions: Callable[[], object], runs: int = RUNS) -> list[list[float]]:
    """Each function's timings in ms, run in turn so that all see the same machine load."""
    timings: list[list[float]] = [[] for _ in functions]
    for _ in range(runs):
        for function, times in zip(functions, timings, strict=True):
            start = time.perf_counter()
            function()
            times.append((time.perf_counter() - start) * 1000)
    return timings


def main() -> int:
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)

    from io import BytesIO

    from assessment.pdf.render import (
        html_to_pdf,
        record_attachment,
        render_record_pdf,
        render_summary_html,
    )
    from assessment.pdf.summary import build_summary
    from tests.factories import make_record

    record = make_record(kind="review")
    # The first render loads fonts and parses the stylesheet once for the process.
    first_start = time.perf_counter()
    pdf = render_record_pdf(record)
    first_ms = (time.perf_counter() - first_start) * 1000
    pages = len(PdfReader(BytesIO(pdf)).pages)

    html = render_summary_html(build_summary(record))
    full, weasy, app = interleaved_ms(
        lambda: render_record_pdf(record),
        lambda: html_to_pdf(html, attachments=[record_attachment(record)]),
        lambda: render_summary_html(build_summary(record)),
    )
    full_ms, weasy_ms, app_ms = (statistics.median(times) for times in (full, weasy, app))

    tracemalloc.start()
    render_record_pdf(record)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    max_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    verdict = "OK" if full_ms < TARGET_MS else "OVER TARGET"
    print(f"PDF summary of {record.reference}: {pages} pages, {len(pdf) / 1024:.0f} KiB")
    print(f"  first render (fonts, CSS)     {first_ms:7.1f} ms")
    target = f"target < {TARGET_MS:.0f} ms: {verdict}"
    print(f"  median render, {RUNS} runs       {full_ms:7.1f} ms  ({target})")
    print(f"  fastest render                {min(full):7.1f} ms")
    print(f"  WeasyPrint alone, same HTML   {weasy_ms:7.1f} ms")
    print(f"  ratio render / WeasyPrint     {full_ms / weasy_ms:7.2f}")
    print(f"  app's own work (context+HTML) {app_ms:7.2f} ms")
    print(f"  peak Python memory per render {peak / 1024 / 1024:7.1f} MiB (tracemalloc)")
    print(f"  process peak RSS              {max_rss_mb:7.1f} MiB (ru_maxrss)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
