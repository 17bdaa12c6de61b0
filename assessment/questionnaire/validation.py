"""Checks a raw questionnaire (the dict read from TOML) before anything is built from it.

`validate` takes plain data, not a file, so tests can feed it small broken questionnaires and
`manage.py check` can report every problem at once. Each problem names the file and the question
(or outcome) it is about, because the person fixing it is editing that file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from assessment.questionnaire.schema import (
    NOT_SURE,
    OUTCOME_KINDS,
    QUESTION_KINDS,
    TEXT_KINDS,
    YES_NO_LABELS,
)

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_CLAUSE_ID = re.compile(r"^C[1-9][0-9]*[a-z]?$")
END = None  # successor of an answer that ends the assessment


def validate(raw_data: dict[str, Any], source: str) -> list[str]:
    """Every problem in `raw_data`, each a sentence naming `source` and the question or outcome."""
    return _Validator(raw_data, source).run()


class _Validator:
    def __init__(self, data: Any, source: str) -> None:
        self.data = data if isinstance(data, dict) else {}
        self.source = source
        self.problems: list[str] = []
        if not isinstance(data, dict):
            self.problems.append(f"{source}: the file must be a TOML table")

    # -- reporting -------------------------------------------------------------------------------

    def at_file(self, message: str) -> None:
        self.problems.append(f"{self.source}: {message}")

    def at_question(self, qid: str, message: str) -> None:
        self.problems.append(f"{self.source}: question {qid!r}: {message}")

    def at_outcome(self, oid: str, message: str) -> None:
        users = sorted(self.outcome_users.get(oid, ()))
        used_by = f" (used by question {', '.join(map(repr, users))})" if users else ""
        self.problems.append(f"{self.source}: outcome {oid!r}{used_by}: {message}")

    # -- the checks, in an order where later ones can rely on earlier ones -------------------------

    def run(self) -> list[str]:
        self.check_header()
        self.clauses = self.check_clauses()
        self.questions = self.check_questions()
        self.outcome_users = self.collect_outcome_users()
        self.outcomes = self.check_outcomes()
        self.check_references()
        self.check_not_sure()
        # The graph checks need every reference to resolve; stop at the first layer of problems
        # rather than report confusing consequences of them.
        if not self.problems:
            self.check_reachability()
            self.check_cycles()
        if not self.problems:
            self.check_paths_have_findings()
        return self.problems

    def check_header(self) -> None:
        for key in ("version", "title", "first"):
            if not isinstance(self.data.get(key), str) or not self.data[key].strip():
                self.at_file(f"`{key}` must be a non-empty string")

    def check_clauses(self) -> dict[str, str]:
        clauses = self.data.get("clauses")
        if not isinstance(clauses, dict) or not clauses:
            self.at_file("`[clauses]` must map clause ids (C1, C7a, ...) to a paraphrase")
            return {}
        for cid, text in clauses.items():
            if not _CLAUSE_ID.match(cid):
                self.at_file(f"clause id {cid!r} is not of the form C1, C7a")
            if not isinstance(text, str) or not text.strip():
                self.at_file(f"clause {cid!r} needs a paraphrase")
        return clauses

    def check_questions(self) -> dict[str, dict[str, Any]]:
        raw = self.data.get("questions")
        if not isinstance(raw, list) or not raw:
            self.at_file("`[[questions]]` must list at least one question")
            return {}
        questions: dict[str, dict[str, Any]] = {}
        for position, question in enumerate(raw, start=1):
            if not isinstance(question, dict) or not isinstance(question.get("id"), str):
                self.at_file(f"question number {position} has no `id`")
                continue
            qid = question["id"]
            if qid in questions:
                # TOML arrays of tables happily repeat an id, so the check has to be explicit.
                self.at_question(qid, "duplicate question id")
                continue
            if not _ID.match(qid):
                self.at_question(qid, "ids are lower_snake_case")
            questions[qid] = question
            self.check_question(qid, question)
        return questions

    def check_question(self, qid: str, question: dict[str, Any]) -> None:
        kind = question.get("kind")
        if kind not in QUESTION_KINDS:
            self.at_question(qid, f"kind {kind!r} is not one of {', '.join(QUESTION_KINDS)}")
            return
        for key in ("text", "hint", "section"):
            if not isinstance(question.get(key), str) or not question[key].strip():
                self.at_question(qid, f"`{key}` must be a non-empty string")
        self.check_examples(question, lambda message: self.at_question(qid, message))
        carry_from = question.get("carry_from", [])
        if not isinstance(carry_from, list) or not all(
            isinstance(item, str) and _ID.match(item) for item in carry_from
        ):
            self.at_question(qid, "`carry_from` must list question ids of older versions")
        if "next" in question and not isinstance(question["next"], str):
            self.at_question(qid, "`next` must be a question id")
        options = question.get("options", [])
        if kind in TEXT_KINDS:
            if options:
                self.at_question(qid, "a text question has no options")
            max_length = question.get("max_length")
            if max_length is not None and (
                not isinstance(max_length, int) or isinstance(max_length, bool) or max_length < 1
            ):
                self.at_question(qid, "`max_length` must be a positive integer")
            if not isinstance(question.get("required", True), bool):
                self.at_question(qid, "`required` must be true or false")
        else:
            self.check_options(qid, kind, options)
        if kind == "facts" and not isinstance(question.get("not_sure_outcome"), str):
            self.at_question(
                qid, "a facts question needs `not_sure_outcome`, the finding of “Not sure”"
            )
        elif kind != "facts" and "not_sure_outcome" in question:
            self.at_question(qid, "only a facts question has `not_sure_outcome`")
        if question.get("routes") and kind != "multiple":
            self.at_question(qid, "only a `multiple` question can have `routes`")
        elif kind == "multiple":
            self.check_routes(qid, question)

    def check_examples(self, item: dict[str, Any], report: Any) -> None:
        examples = item.get("examples", [])
        if not isinstance(examples, list) or not all(isinstance(e, str) for e in examples):
            report("`examples` must be a list of strings")

    def check_options(self, qid: str, kind: str, options: Any) -> None:
        if not isinstance(options, list) or not options:
            self.at_question(qid, "dead end: a choice question needs options to go on")
            return
        seen: set[str] = set()
        for option in options:
            value = option.get("value") if isinstance(option, dict) else None
            if not isinstance(value, str) or not value:
                self.at_question(qid, "an option has no `value`")
                continue
            if value in seen:
                self.at_question(qid, f"duplicate option value {value!r}")
            seen.add(value)

            def report(message: str, value: str = value) -> None:
                self.at_question(qid, f"option {value!r}: {message}")

            if kind == "facts":
                self.check_statement(option, report)
            label = option.get("label")
            if kind == "yes_no":
                if label is not None and label != YES_NO_LABELS.get(value):
                    report(f"a yes/no option is labelled {YES_NO_LABELS.get(value)!r}")
            elif not isinstance(label, str) or not label.strip():
                report("needs a `label`")
            if not isinstance(option.get("hint", ""), str):
                report("`hint` must be a string")
            self.check_examples(option, report)
            for key in ("next", "outcome"):
                if key in option and not isinstance(option[key], str):
                    report(f"`{key}` must be a string id")
            if option.get("exclusive") and kind != "multiple":
                report("only options of a `multiple` question can be exclusive")
        if kind == "facts" and len(seen) < 2:
            self.at_question(qid, "a facts question needs at least two statements")
        if kind == "yes_no" and seen != set(YES_NO_LABELS):
            self.at_question(qid, "a yes_no question offers exactly yes, no and not_sure")
        elif kind == "single" and len(seen) < 2:
            self.at_question(qid, "a single-choice question needs at least two options")

    def check_statement(self, statement: dict[str, Any], report: Any) -> None:
        # A statement answered "Yes" adds its finding; "No" must be a real answer, not a way on.
        if not _ID.match(statement["value"]):
            report("a statement's value is lower_snake_case (it becomes “value:yes”)")
        if not isinstance(statement.get("outcome"), str):
            report("a statement needs the `outcome` its “Yes” adds")
        for key in ("next", "exclusive"):
            if key in statement:
                report(f"a statement has no `{key}`: the question's `next` applies")

    def check_routes(self, qid: str, question: dict[str, Any]) -> None:
        routes = question.get("routes", [])
        if not isinstance(routes, list):
            self.at_question(qid, "`routes` must be a list of {when_any, next}")
            return
        values = {o.get("value") for o in question.get("options", []) if isinstance(o, dict)}
        for route in routes:
            when_any = route.get("when_any") if isinstance(route, dict) else None
            if not isinstance(when_any, list) or not when_any:
                self.at_question(qid, "a route routes nowhere: `when_any` lists no option")
                continue
            unknown = [v for v in when_any if v not in values]
            if unknown:
                self.at_question(
                    qid, f"a route routes nowhere: {', '.join(map(repr, unknown))} is no option"
                )
            if not isinstance(route.get("next"), str) or not route["next"]:
                self.at_question(qid, "a route routes nowhere: it has no `next`")

    def collect_outcome_users(self) -> dict[str, set[str]]:
        users: dict[str, set[str]] = {}
        for qid, _question, option in self.iter_options():
            if isinstance(option.get("outcome"), str):
                users.setdefault(option["outcome"], set()).add(qid)
        for qid, question in self.questions.items():
            if isinstance(question.get("not_sure_outcome"), str):
                users.setdefault(question["not_sure_outcome"], set()).add(qid)
        return users

    def check_outcomes(self) -> dict[str, dict[str, Any]]:
        outcomes = self.data.get("outcomes")
        if not isinstance(outcomes, dict) or not outcomes:
            self.at_file("`[outcomes]` must define at least one outcome")
            return {}
        for oid, outcome in outcomes.items():
            if not isinstance(outcome, dict):
                self.at_outcome(oid, "must be a table")
                continue
            if outcome.get("kind") not in OUTCOME_KINDS:
                self.at_outcome(oid, f"`kind` must be one of {', '.join(OUTCOME_KINDS)}")
            for key in ("category", "title", "explanation"):
                if not isinstance(outcome.get(key), str) or not outcome[key].strip():
                    self.at_outcome(oid, f"`{key}` must be a non-empty string")
            steps = outcome.get("next_steps")
            if (
                not isinstance(steps, list)
                or not steps
                or not all(isinstance(s, str) for s in steps)
            ):
                self.at_outcome(oid, "`next_steps` must list at least one step")
            clauses = outcome.get("clauses")
            if not isinstance(clauses, list) or not clauses:
                self.at_outcome(oid, "has no clause: every outcome cites at least one clause")
                continue
            for cid in clauses:
                if cid not in self.clauses:
                    self.at_outcome(oid, f"unknown clause id {cid!r}")
        return outcomes

    def check_references(self) -> None:
        first = self.data.get("first")
        if isinstance(first, str) and first and first not in self.questions:
            self.at_file(f"`first` names unknown question {first!r}")
        for qid, question in self.questions.items():
            target = question.get("next")
            if isinstance(target, str) and target and target not in self.questions:
                self.at_question(qid, f"routes to unknown question {target!r}")
            for route in question.get("routes", []) if isinstance(question, dict) else []:
                target = route.get("next") if isinstance(route, dict) else None
                if isinstance(target, str) and target and target not in self.questions:
                    self.at_question(qid, f"a route goes to unknown question {target!r}")
        for qid, _question, option in self.iter_options():
            target, oid = option.get("next"), option.get("outcome")
            if isinstance(target, str) and target and target not in self.questions:
                self.at_question(
                    qid, f"option {option['value']!r} routes to unknown question {target!r}"
                )
            if isinstance(oid, str) and oid not in self.outcomes:
                self.at_question(qid, f"option {option['value']!r} names unknown outcome {oid!r}")

    def check_not_sure(self) -> None:
        # "Not sure" must never be guessed into permitted, so it has to carry a finding that is
        # at least a review; a later answer can only make the result worse, never better.
        for qid, question in self.questions.items():
            oid = question.get("not_sure_outcome")
            if not isinstance(oid, str):
                continue
            outcome = self.outcomes.get(oid)
            if outcome is None:
                self.at_question(qid, f"`not_sure_outcome` names unknown outcome {oid!r}")
            elif not isinstance(outcome, dict) or outcome.get("kind") not in (
                "review",
                "prohibited",
            ):
                self.at_question(qid, "`not_sure_outcome` must be a review finding")
        for qid, _question, option in self.iter_options():
            if option.get("value") != NOT_SURE:
                continue
            outcome = self.outcomes.get(option.get("outcome") or "")
            if not isinstance(outcome, dict) or outcome.get("kind") not in ("review", "prohibited"):
                self.at_question(qid, "option 'not_sure' must contribute a review finding")

    # -- the graph ----------------------------------------------------------------------------

    def successors(self, qid: str, *, finding_free: bool = False) -> dict[str | None, str]:
        """Where answers to `qid` lead: successor id (None = end) -> an answer that gets there.

        With `finding_free`, only answers that add no finding. For a `multiple` question any
        subset leads where its first-routed option leads, so single options cover every subset.
        """
        question = self.questions[qid]
        default = question.get("next") or END
        if question["kind"] in TEXT_KINDS:
            return {default: "(text)"}
        if question["kind"] == "facts":
            # Every answer goes on to `next`; "No" to every statement adds no finding.
            return {default: "(no to every statement)"}
        leads: dict[str | None, str] = {}
        routes = question.get("routes", [])
        for option in question.get("options", []):
            if finding_free and option.get("outcome"):
                continue
            value = option["value"]
            if question["kind"] == "multiple":
                target = next((r["next"] for r in routes if value in r["when_any"]), default)
            else:
                target = option.get("next") or default
            leads.setdefault(target, value)
        return leads

    def check_reachability(self) -> None:
        reached, todo = set(), [self.data["first"]]
        while todo:
            qid = todo.pop()
            if qid in reached:
                continue
            reached.add(qid)
            todo.extend(t for t in self.successors(qid) if t is not END)
        for qid in self.questions:
            if qid not in reached:
                self.at_question(qid, f"unreachable from the first question {self.data['first']!r}")

    def check_cycles(self) -> None:
        done: set[str] = set()

        def visit(qid: str, trail: list[str]) -> None:
            if qid in done:
                return
            for target in self.successors(qid):
                if target is END:
                    continue
                if target in trail:
                    loop = " → ".join([*trail[trail.index(target) :], qid, target])
                    self.at_question(qid, f"cycle: {loop}")
                    continue
                visit(target, [*trail, qid])
            done.add(qid)

        visit(self.data["first"], [])

    def check_paths_have_findings(self) -> None:
        # Findings only accumulate along a path, so a path without any is one made entirely of
        # answers that add none: follow only those and see whether one reaches the end.
        reported: set[str] = set()
        explored: set[str] = set()

        def walk(qid: str, trail: tuple[str, ...]) -> None:
            if qid in explored:
                return
            explored.add(qid)
            for target, value in self.successors(qid, finding_free=True).items():
                step = f"{qid}={value}"
                if target is END:
                    if qid not in reported:
                        reported.add(qid)
                        path = ", ".join([*trail, step])
                        self.at_question(qid, f"a path ends with no finding ({path})")
                else:
                    walk(target, (*trail, step))

        walk(self.data["first"], ())

    def iter_options(self) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
        for qid, question in self.questions.items():
            options = question.get("options", [])
            if not isinstance(options, list):
                continue
            for option in options:
                if isinstance(option, dict) and isinstance(option.get("value"), str):
                    yield qid, question, option
