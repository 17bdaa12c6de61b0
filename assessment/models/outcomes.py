"""The three outcomes an assessment can have, and the decisions a reviewer can make, with the
labels shown everywhere."""

OUTCOME_CHOICES = [
    ("permitted", "Permitted"),
    ("review", "Needs review"),
    ("prohibited", "Prohibited"),
]
OUTCOME_VALUES = [value for value, _ in OUTCOME_CHOICES]
OUTCOME_LABELS: dict[str, str] = dict(OUTCOME_CHOICES)

# What a reviewer's decision can be: never "review" (a decision settles the case), either way
# on the policy, or one of two named endings that are never counted as permitted.
PERMITTED = "permitted"
PROHIBITED = "prohibited"
WITHDRAWN = "withdrawn"
NOT_ASSESSABLE = "not_assessable"
DECISION_CHOICES = [
    (PERMITTED, "Permitted"),
    (PROHIBITED, "Prohibited"),
    (WITHDRAWN, "Withdrawn by the respondent"),
    (NOT_ASSESSABLE, "Not assessable"),
]
DECISION_VALUES = [value for value, _ in DECISION_CHOICES]
DECISION_LABELS: dict[str, str] = dict(DECISION_CHOICES)
# The decisions that answer the policy question; the endings close a case without answering it.
VERDICTS = (PERMITTED, PROHIBITED)
ENDINGS = (WITHDRAWN, NOT_ASSESSABLE)
ENDING_CHOICES = [(value, label) for value, label in DECISION_CHOICES if value in ENDINGS]
# Every value `Record.effective_outcome` can take, with its label (exports, pages, PDFs).
EFFECTIVE_LABELS: dict[str, str] = {**OUTCOME_LABELS, **DECISION_LABELS}
EFFECTIVE_CHOICES = list(EFFECTIVE_LABELS.items())

# What the respondent should do next under each decision: shown on their page, in their email
# and in their PDF once the decision is in effect (replacing the automatic result's steps).
DECISION_NEXT_STEPS: dict[str, tuple[str, ...]] = {
    PERMITTED: (
        "You may go ahead with the use you described, within what you told us.",
        "If your plans change, start a new assessment before you train the model.",
    ),
    PROHIBITED: (
        "Do not train the model as described.",
        "If you change your plans, start a new assessment; for questions, contact the "
        "compliance team quoting your reference.",
    ),
    WITHDRAWN: (
        "Nothing was decided: this assessment was withdrawn.",
        "Start a new assessment if you still intend to train a model.",
    ),
    NOT_ASSESSABLE: (
        "The reviewers could not assess this use from what was given: do not train the model "
        "on the strength of this assessment.",
        "Start a new assessment with more detail, or contact the compliance team quoting your "
        "reference.",
    ),
}
