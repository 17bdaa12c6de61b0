"""`make bench`: every bench script in bench/, at the sizes the issues set, one after another.

Each script runs in its own process and prints its own figures; a missing script is skipped
with a note. The exit status is non-zero when any script failed (each says why: errors, lost
records, a missed target where the script treats it as a failure).
The review bench seeds 1,000,000 assessments on PostgreSQL and 100,000 on SQLite (minutes);
`--quick` (`make bench-quick`) runs every script with modest sizes instead.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent

# (script, arguments of a quick run: a couple of minutes in all on a small machine)
SCRIPTS: list[tuple[str, list[str]]] = [
    ("engine_bench.py", []),
    ("pdf_bench.py", []),
    ("tasks_bench.py", ["--runs", "15", "--export-records", "30"]),
    ("page_bench.py", ["--seconds", "2", "--rounds", "2"]),
    ("journey_bench.py", ["--users", "8", "--seconds", "10"]),
    ("api_gate_bench.py", ["--seconds", "4"]),
    ("integrity_bench.py", ["--entries", "10000", "--submissions", "50"]),
    # Last: seeding a million records is most of the run, and every figure before it is in.
    ("review_bench.py", ["--assessments", "5000", "--sqlite-assessments", "5000", "--runs", "5"]),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="modest sizes (make bench-quick)")
    parser.add_argument(
        "--skip", action="append", default=[], metavar="SCRIPT", help="e.g. review_bench.py"
    )
    args = parser.parse_args()
    quick = args.quick
    outcomes: list[tuple[str, str]] = []
    for script, modest in SCRIPTS:
        if script in args.skip:
            outcomes.append((script, "skipped (--skip)"))
            continue
        path = BENCH / script
        print(f"\n{'=' * 20} {script} {'=' * 20}", flush=True)
        if not path.exists():
            print(f"SKIPPED: {script} is not in bench/ yet")
            outcomes.append((script, "skipped (missing)"))
            continue
        started = time.perf_counter()
        # Output goes straight to the terminal, so a long run shows progress as it goes.
        status = subprocess.run(
            [sys.executable, str(path), *(modest if quick else [])], cwd=ROOT
        ).returncode
        seconds = time.perf_counter() - started
        outcomes.append(
            (script, f"{'ok' if status == 0 else f'FAILED (exit {status})'}, {seconds:.0f}s")
        )
    print(f"\n{'=' * 20} summary {'=' * 20}")
    for script, outcome in outcomes:
        print(f"{script:20} {outcome}")
    return 1 if any("FAILED" in outcome for _, outcome in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
