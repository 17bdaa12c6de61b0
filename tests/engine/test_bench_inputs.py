"""`make bench` runs no tests, so a questionnaire change that leaves a bench's fixed answers
incomplete would only show when someone runs it (the engine bench's path lacked v4's closing
question for a whole version)."""

from __future__ import annotations

from assessment import engine
from assessment.questionnaire import CURRENT_VERSION, load
from bench.engine_bench import LONG_PATH


def test_the_engine_bench_times_a_complete_assessment_of_the_current_version() -> None:
    evaluation = engine.evaluate(load(CURRENT_VERSION), LONG_PATH)
    assert evaluation.complete
    assert evaluation.answers == LONG_PATH  # nothing pruned: every answer is on the path
