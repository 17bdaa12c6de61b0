"""Who may do what on the reviewer side: group and permission names, defined once.

Reviewers triage, request information, assign and decide. Approvers are reviewers who may also
approve (or send back) another reviewer's decision that needs a second person (four eyes).
Migrations 0002 and 0007 create the two groups with these permissions; code finds them by name.
"""

from __future__ import annotations

REVIEWERS_GROUP = "Compliance reviewers"
APPROVERS_GROUP = "Compliance approvers"

# Codenames on the assessment app's models, as granted to each group.
REVIEWER_PERMISSIONS = ("review_record", "view_record", "view_event")
APPROVER_PERMISSIONS = (*REVIEWER_PERMISSIONS, "approve_decision")

# As checked with `user.has_perm`.
REVIEW_PERMISSION = "assessment.review_record"
APPROVE_PERMISSION = "assessment.approve_decision"
