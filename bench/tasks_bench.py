"""Background-work benchmark (a script, not a test): `.venv/bin/python bench/tasks_bench.py`.

Prints, on a throwaway in-memory SQLite database, through the real services and views:
- the PDF download of a record whose rendering is stored (p50, against the 10 ms target), next
  to rendering that PDF (p50), and the ratio (target: at least 15x);
- the submission's latency with its email and PDF deferred to tasks (queued in the database),
  next to doing both inside the request, as before;
- a ZIP export's records per second, rendering every PDF, then from stored renderings.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
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
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

DOWNLOAD_TARGET_MS = 10.0
SPEEDUP_TARGET = 15.0
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def p50(times: list[float]) -> float:
    return statistics.median(times)


def timed_ms(function: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--export-records", type=int, default=100)
    args = parser.parse_args()
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    # Figures mean little without the machine's load.
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())

    from assessment.background import exports, renderings
    from assessment.models import Export
    from assessment.pdf import render_record_pdf
    from assessment.services import submission
    from tests.factories import answers_for, make_draft, make_record
    from tests.review_support import make_reviewer

    make_reviewer("bench", "bench@example.com")  # new submissions email one reviewer
    failed = False

    # 1. Download of an already-rendered PDF, through the whole view stack.
    record = make_record(kind="review")
    renderings.render_and_store(record.pk, for_reviewers=False)
    client = Client()
    url = reverse("respondent_pdf", args=[record.token])
    assert client.get(url).status_code == 200
    download = timed_ms(lambda: client.get(url), args.runs)
    render = timed_ms(lambda: render_record_pdf(record), max(5, args.runs // 3))
    ratio = p50(render) / p50(download)
    print(
        f"pdf download (stored rendering): p50 {p50(download):.1f} ms "
        f"(target < {DOWNLOAD_TARGET_MS:.0f} ms); rendering it: p50 {p50(render):.0f} ms; "
        f"{ratio:.0f}x faster (target >= {SPEEDUP_TARGET:.0f}x)"
    )
    failed |= p50(download) >= DOWNLOAD_TARGET_MS or ratio < SPEEDUP_TARGET

    # 2. Submission: email and PDF queued as tasks, against both done in the request.
    def submit_one() -> None:
        draft = make_draft(answers=answers_for("review"))
        submission.submit(draft=draft)  # autocommit: on_commit hooks run here

    with override_settings(TASKS=DATABASE_QUEUE):
        deferred = timed_ms(submit_one, args.runs)
    with override_settings(TASKS=IMMEDIATE):
        inline = timed_ms(submit_one, max(5, args.runs // 3))
    print(
        f"submission, email and PDF deferred: p50 {p50(deferred):.1f} ms; "
        f"with both in the request: p50 {p50(inline):.0f} ms"
    )

    # 3. Export: records per second, rendering each PDF, then from stored renderings.
    user = make_reviewer("exporter", "exporter@example.com")
    for _ in range(args.export_records):
        make_record(kind="review")
    from django.http import QueryDict

    from assessment.models import Record, Rendering

    Rendering.objects.all().delete()
    total = Record.objects.count()
    for label in ("rendering every PDF", "from stored renderings"):
        with override_settings(TASKS=DATABASE_QUEUE):
            export = exports.request_export(user=user, params=QueryDict(""))
        start = time.perf_counter()
        exports.build(str(export.pk))
        seconds = time.perf_counter() - start
        export.refresh_from_db()
        assert export.state == Export.State.READY and export.done == total, export.state
        print(
            f"export of {total} records ({label}): {seconds:.1f} s, "
            f"{total / seconds:.1f} records/s, ZIP {export.size / 1e6:.1f} MB"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
