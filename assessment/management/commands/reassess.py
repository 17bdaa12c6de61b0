"""`manage.py reassess --version vN`: which submitted records would get another outcome under vN.

Read only: it reports and changes nothing, so it can be run against production before a new
questionnaire version is released.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from assessment import engine
from assessment.questionnaire import CURRENT_VERSION, Questionnaire, QuestionnaireError, load


class Command(BaseCommand):
    help = "Report submitted records whose outcome would differ under a questionnaire version."

    def add_base_argument(self, parser: Any, *args: Any, **kwargs: Any) -> None:
        # Our --version names the questionnaire version, not Django's.
        if "--version" not in args:
            super().add_base_argument(parser, *args, **kwargs)

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--version", default=CURRENT_VERSION, help="questionnaire version, e.g. v2"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Imported here so the command module imports even where models are not ready.
        from assessment.models import Record

        version = options["version"]
        try:
            questionnaire = load(version)
        except QuestionnaireError as error:
            raise CommandError(str(error)) from error

        totals = {"checked": 0, "changed": 0, "incomplete": 0, "invalid": 0}
        records = (
            Record.objects.filter(outcome__in=engine.OUTCOME_KINDS)
            .only("reference", "questionnaire_version", "answers", "outcome")
            .order_by("pk")
            .iterator(chunk_size=500)
        )
        for record in records:
            totals["checked"] += 1
            line = self.compare(questionnaire, record, version)
            if line is not None:
                status, message = line
                totals[status] += 1
                self.stdout.write(f"{record.reference}: {message}")

        unchanged = totals["checked"] - totals["changed"] - totals["incomplete"] - totals["invalid"]
        self.stdout.write(
            f"Checked {totals['checked']} record(s) under {version}: {totals['changed']} would "
            f"change outcome, {totals['incomplete']} incomplete, {totals['invalid']} could not "
            f"be evaluated, {unchanged} unchanged. Nothing was modified."
        )

    def compare(
        self, questionnaire: Questionnaire, record: Any, version: str
    ) -> tuple[str, str] | None:
        """(status, message) when the record's outcome would not stay the same, else None."""
        try:
            evaluation = engine.evaluate(questionnaire, record.answers or {})
        except engine.AnswerError as error:
            where = f" (question {error.question_id})" if error.question_id else ""
            return "invalid", f"cannot be evaluated under {version}{where}: {error.message}"
        if not evaluation.complete or evaluation.result is None:
            needed = evaluation.next_question.id if evaluation.next_question else "?"
            return "incomplete", f"incomplete under {version} (needs answers to: {needed})"
        if evaluation.result.kind != record.outcome:
            categories = ", ".join(evaluation.result.categories)
            return "changed", (
                f"{record.outcome} → {evaluation.result.kind} under {version} "
                f"(was {record.questionnaire_version}; {categories})"
            )
        return None
