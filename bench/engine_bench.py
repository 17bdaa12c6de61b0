"""Engine benchmark (a script, not a test): `.venv/bin/python bench/engine_bench.py`.

Prints the median time to evaluate one complete assessment against the 50 µs target, and the
time to enumerate every path of the current questionnaire. Pure engine: no Django setup.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessment import engine
from assessment.questionnaire import CURRENT_VERSION, Questionnaire, load

TARGET_US = 50.0
RUNS, LOOPS = 200, 100

# A longest path: a model for a client, several capabilities including a narrow summarizer,
# the facts asked directly (v4: "No" to each statement), a claimed written agreement.
LONG_PATH: dict[str, str | list[str]] = {
    "training_use": "yes",
    "describe_model": "Ticket classifier for a retailer, trained on labels written by Claude.",
    "model_facts": [
        f"{statement}:no"
        for statement in (
            "writes_words",
            "picks_messages",
            "about_people",
            "decides_for_people",
            "predicts_people",
            "claude_prefers",
            "agent_actions",
            "predicts_claude",
            "chatbot_part",
            "data_handed_over",
            "feeds_other_model",
            "on_devices",
        )
    ],
    "capabilities": ["sentiment", "categorization", "extraction", "summarization"],
    "summary_scope": "narrow",
    "outputs_role": ["labels", "judgments"],
    "serves": ["client_product"],
    "recipients": ["client"],
    "agreement": "yes",
    "agreement_ref": "AGR-2024-0173",
}


def bench_evaluate(questionnaire: Questionnaire) -> list[float]:
    evaluation = engine.evaluate(questionnaire, LONG_PATH)
    if not evaluation.complete:
        asked = evaluation.next_question.id if evaluation.next_question else "?"
        raise SystemExit(f"the benchmark path is not a complete assessment: {asked} is unanswered")
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        for _ in range(LOOPS):
            engine.evaluate(questionnaire, LONG_PATH)
        timings.append((time.perf_counter() - start) / LOOPS * 1e6)
    return timings


def main() -> int:
    questionnaire = load(CURRENT_VERSION)
    timings = bench_evaluate(questionnaire)
    median = statistics.median(timings)
    verdict = "OK" if median <= TARGET_US else "OVER TARGET"
    print(
        f"evaluate (complete, {len(LONG_PATH)} answers): median {median:.1f} µs, "
        f"p95 {statistics.quantiles(timings, n=20)[-1]:.1f} µs over {RUNS}×{LOOPS} runs "
        f"(target {TARGET_US:.0f} µs: {verdict})"
    )

    start = time.perf_counter()
    # Every option of each multiple choice on its own (v2 has ~5 x 10^10 combinations; the
    # tests check that the combinations follow from these), then every path counted.
    paths = engine.enumerate_paths(questionnaire, combinations=False)
    kinds = Counter(e.result.kind for e in paths if e.result)
    elapsed = time.perf_counter() - start
    total = sum(kinds.values())
    by_kind = ", ".join(f"{kind} {kinds[kind]}" for kind in engine.OUTCOME_KINDS)
    print(
        f"enumerate_paths ({questionnaire.version}, one option per question): {total} paths "
        f"in {elapsed:.2f} s ({elapsed / total * 1e6:.1f} µs per path; {by_kind})"
    )
    start = time.perf_counter()
    counted = engine.count_paths(questionnaire)
    print(
        f"count_paths ({questionnaire.version}): {sum(counted.values())} paths counted in "
        f"{time.perf_counter() - start:.2f} s"
    )
    return 0 if median <= TARGET_US else 1


if __name__ == "__main__":
    sys.exit(main())
