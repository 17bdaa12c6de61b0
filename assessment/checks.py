"""Placeholder: the questionnaire system check is being written."""
