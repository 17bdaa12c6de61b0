"""The three outcomes an assessment can have, with the labels shown everywhere."""

OUTCOME_CHOICES = [
    ("permitted", "Permitted"),
    ("review", "Needs review"),
    ("prohibited", "Prohibited"),
]
OUTCOME_VALUES = [value for value, _ in OUTCOME_CHOICES]
OUTCOME_LABELS: dict[str, str] = dict(OUTCOME_CHOICES)
