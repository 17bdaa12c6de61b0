"""The respondent's journey: start, details, one question per page, check, submit, result.

Every view loads the draft or record through `assessment.access`, so a guessed or altered
private link is a 404 in one place.
"""

from assessment.views.respondent.check import check
from assessment.views.respondent.journey import details, resume, start
from assessment.views.respondent.questions import question
from assessment.views.respondent.result import reply, result
from assessment.views.respondent.revise import revise

__all__ = ["check", "details", "question", "reply", "result", "resume", "revise", "start"]
