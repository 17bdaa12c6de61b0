"""`manage.py reassess --version vN`: which submitted records would get another outcome under vN.

Read only: it reports and changes nothing, so it can be run against production before a new
questionnaire version is released. Records answered under another version have their answers
carried over (`assessment.reassessment`); those that cannot be complete under vN "need
re-answer". `--json` prints `{"from", "to", "records", "changed", "unmappable"}` for scripts.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandError

from assessment import reassessment
from assessment.management.versioned import VersionedCommand
from assessment.questionnaire import QuestionnaireError, load


class Command(VersionedCommand):
    help = "Report submitted records whose outcome would differ under a questionnaire version."

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)  # --version
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        # Imported here so the command module imports even where models are not ready.
        from assessment.selectors.rollout import stored_answers

        version = options["version"]
        try:
            questionnaire = load(version)
        except QuestionnaireError as error:
            raise CommandError(str(error)) from error

        results = reassessment.reassess_all(stored_answers(), questionnaire)
        if options["json"]:
            report = reassessment.impact_report(results, questionnaire)
            self.stdout.write(json.dumps(report, indent=2))
            return
        for result in results:
            if result.status == reassessment.CHANGED:
                self.stdout.write(
                    f"{result.reference}: {result.from_outcome} → {result.to_outcome} under "
                    f"{version} (was {result.from_version})"
                )
            elif result.status == reassessment.NEEDS_REANSWER:
                self.stdout.write(
                    f"{result.reference}: needs re-answer under {version} (was "
                    f"{result.from_version}; first question to answer: {result.needs})"
                )
        changed = sum(r.status == reassessment.CHANGED for r in results)
        unmappable = sum(r.status == reassessment.NEEDS_REANSWER for r in results)
        self.stdout.write(
            f"Checked {len(results)} record(s) answered under other versions against {version}: "
            f"{changed} would change outcome, {unmappable} need re-answer, "
            f"{len(results) - changed - unmappable} unchanged. Nothing was modified."
        )
