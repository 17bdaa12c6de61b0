"""The versioned questionnaire: data files (`vN.toml`), their schema, loader and validator.

Pure Python (no Django), so the engine and its tests run without a project set up.
"""

from assessment.questionnaire.loader import (
    CURRENT_VERSION,
    available_versions,
    clause_paraphrases,
    load,
)
from assessment.questionnaire.schema import (
    Option,
    Outcome,
    Question,
    Questionnaire,
    QuestionnaireError,
    Route,
    Statement,
)

__all__ = [
    "CURRENT_VERSION",
    "Option",
    "Outcome",
    "Question",
    "Questionnaire",
    "QuestionnaireError",
    "Route",
    "Statement",
    "available_versions",
    "clause_paraphrases",
    "load",
]
