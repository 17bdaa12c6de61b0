"""Reads: the reviewers' queue and its filters (`queue`), statistics (`stats`), and what a
respondent's result page shows (`respondent`)."""
