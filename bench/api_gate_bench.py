"""API gate bench: GET /api/v1/assessments/{reference} under `wrk`, against a minimal view.

    python bench/api_gate_bench.py [--db sqlite|postgres|both] [--seconds 3] [--rounds 3]
                                   [--connections 16]

Serves the app as production does (bench/server.py: gunicorn with 2 workers, DEBUG off, a fresh
database, workers never recycled mid-run), submits one assessment through the API's own service
with a read:own token and has a reviewer confirm it, so the gate answers "cleared" (the whole
path: token, record, seal and chain checks). Then `wrk` (bench/wrk/rotate.lua) alternates short
rounds on /bench/ping (a minimal view behind the full middleware stack, the yardstick) and on
the gate with the token, so background load weighs on both alike.

It prints per database the machine's load (`uptime`), then for the ping and the gate (the
table `page_bench.py` prints) requests/s, the ratio to the ping, p50 and p99 (medians over the
rounds), and the verdict against the target, p99 < 20 ms at 16 connections. A missed target is
reported, not failed (it depends on the machine and on what else runs on it); an error response
or a socket error fails the run.
"""

from __future__ import annotations

import argparse
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.page_bench import Target, report, run_wrk, warm_up, wrk_main
from bench.server import Skipped, analyze, served

TARGET_P99_MS = 20.0


def seed() -> tuple[str, str]:
    """A read:own token's secret and the reference of a confirmed, permitted assessment."""
    from django.contrib.auth import get_user_model

    from assessment.questionnaire import CURRENT_VERSION
    from assessment.services import answer_sets, review, tokens
    from assessment.services.accounts import create_reviewer
    from tests.factories import DETAILS, answers_for

    owner = get_user_model().objects.create_user("pipeline", password="bench password 42")
    new = tokens.create_token(user=owner, name="bench", scope="read:own", expires_at=None)
    record = answer_sets.submit_answer_set(
        client_address="127.0.0.1",
        version=CURRENT_VERSION,
        details=DETAILS,
        answers=answers_for("permitted"),
        user=owner,
        token=new.token,
    )
    reviewer, _ = create_reviewer(
        username="rita", email="rita@example.com", password="bench password 42", validate=False
    )
    review.confirm(record=record, user=reviewer, expected_revision=record.revision)
    return new.secret, record.reference


def run_one(database: str, args: argparse.Namespace) -> int:
    try:
        with served(database) as app:
            secret, reference = seed()
            analyze()
            path = f"/api/v1/assessments/{reference}"
            authorization = f"Bearer {secret}"
            check = urllib.request.Request(
                app.base_url + path, headers={"Authorization": authorization}
            )
            with urllib.request.urlopen(check, timeout=30) as response:
                if b'"cleared":true' not in response.read():
                    raise SystemExit("the seeded assessment should clear the gate")
            ping = Target("ping", ["/bench/ping"])
            gate = Target("gate", [path], authorization=authorization, p99_ms=TARGET_P99_MS)
            warm_up(app, [ping, gate])
            for _ in range(args.rounds):
                for target in (ping, gate):
                    run_wrk(app, target, args.seconds, args.connections)
    except Skipped as skipped:
        print(f"SKIPPED: the {database} run: {skipped}")
        return 0
    return report(database, args, [ping, gate])


def main() -> int:
    return wrk_main(__doc__.split("\n\n")[0], __file__, run_one)


if __name__ == "__main__":
    sys.exit(main())
