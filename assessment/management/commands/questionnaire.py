"""`manage.py questionnaire`: show a questionnaire version as an outline, a graph or counts.

manage.py questionnaire                 # readable outline of the current version
manage.py questionnaire --version v1 --graph   # Mermaid flowchart
manage.py questionnaire --json          # questions and path counts by outcome kind
manage.py questionnaire --diff v1 v2    # what changed between two versions, in words
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandError

from assessment import engine
from assessment.management.versioned import VersionedCommand
from assessment.questionnaire import (
    Questionnaire,
    QuestionnaireError,
    load,
)
from assessment.questionnaire.compare import compare

END = "(end)"


class Command(VersionedCommand):
    help = "Print a questionnaire version as an outline, a Mermaid graph (--graph) or JSON counts."

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)  # --version
        output = parser.add_mutually_exclusive_group()
        output.add_argument("--graph", action="store_true", help="print a Mermaid flowchart")
        output.add_argument("--json", action="store_true", help="print path counts as JSON")
        output.add_argument(
            "--diff",
            nargs=2,
            metavar=("OLD", "NEW"),
            help="print what changed between two versions: questions, options, routes, outcomes",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["diff"]:
                old, new = (load(version) for version in options["diff"])
                self.stdout.write(compare(old, new).as_text())
                return
            questionnaire = load(options["version"])
        except QuestionnaireError as error:
            raise CommandError(str(error)) from error
        if options["graph"]:
            self.stdout.write(mermaid(questionnaire))
        elif options["json"]:
            self.stdout.write(json.dumps(counts(questionnaire), indent=2))
        else:
            self.stdout.write(outline(questionnaire))


def outline(questionnaire: Questionnaire) -> str:
    lines = [f"{questionnaire.title} ({questionnaire.version}), first: {questionnaire.first}", ""]
    for question in questionnaire.questions.values():
        lines.append(f"[{question.id}] ({question.kind}) {question.text}")
        for option in question.options:
            found = questionnaire.outcomes.get(option.outcome or "")
            finding = f"  => {found.kind}: {found.id}" if found else ""
            exclusive = " (on its own)" if option.exclusive else ""
            target = option.next or question.next if question.kind != "multiple" else None
            arrow = f" -> {target or END}" if question.kind != "multiple" else ""
            lines.append(f"    - {option.value}: {option.label}{exclusive}{arrow}{finding}")
        for route in question.routes:
            lines.append(f"    if any of {', '.join(sorted(route.when_any))} -> {route.next}")
        if question.kind == "multiple" or question.is_text:
            lines.append(f"    then -> {question.next or END}")
        lines.append("")
    lines.append("Outcomes")
    for outcome in questionnaire.outcomes.values():
        clauses = ", ".join(outcome.clauses)
        lines.append(f"  {outcome.id}: {outcome.kind}, {outcome.category} [{clauses}]")
    return "\n".join(lines)


def mermaid(questionnaire: Questionnaire) -> str:
    lines = ["flowchart TD"]
    for question in questionnaire.questions.values():
        lines.append(f'    {question.id}["{_quote(question.text)}"]')
    lines.append("    END((end))")
    for oid, outcome in questionnaire.outcomes.items():
        lines.append(f'    {oid}{{{{"{outcome.kind}: {_quote(outcome.category)}"}}}}')
    for question in questionnaire.questions.values():
        if question.is_text:
            lines.append(f"    {question.id} --> {question.next or 'END'}")
            continue
        for option in question.options:
            label = _quote(option.label)
            if question.kind == "multiple":
                target = question.next_after((option.value,))
            else:
                target = option.next or question.next
            lines.append(f'    {question.id} -->|"{label}"| {target or "END"}')
            if option.outcome:
                lines.append(f'    {question.id} -.->|"{label}"| {option.outcome}')
    return "\n".join(lines)


def _quote(text: str) -> str:
    return text.replace('"', "#quot;")


def counts(questionnaire: Questionnaire) -> dict[str, Any]:
    # Counted, not listed: v2's multiple choices make about 5 x 10^10 paths.
    kinds = engine.count_paths(questionnaire)
    return {
        "version": questionnaire.version,
        "questions": list(questionnaire.questions),
        "paths": sum(kinds.values()),
        "outcomes": {kind: kinds[kind] for kind in sorted(engine.OUTCOME_KINDS)},
    }
