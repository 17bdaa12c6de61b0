"""System check: every shipped questionnaire version must load and validate.

`manage.py check` (and so every deploy and test run) fails with one error per problem, each
naming the file and the question, rather than a respondent meeting a broken branch.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.checks import Error, register

from assessment.questionnaire import QuestionnaireError, available_versions, load

CHECK_ID = "assessment.E001"


def errors_for(problems: Iterable[str]) -> list[Error]:
    return [
        Error(problem, hint="Fix the questionnaire file named in the message.", id=CHECK_ID)
        for problem in problems
    ]


@register()
def questionnaire_versions_are_valid(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors: list[Error] = []
    versions = available_versions()
    if not versions:
        errors.append(
            Error("No questionnaire version found (assessment/questionnaire/v*.toml)", id=CHECK_ID)
        )
    for version in versions:
        try:
            load(version)
        except QuestionnaireError as error:
            errors.extend(errors_for(error.problems or (str(error),)))
    return errors
