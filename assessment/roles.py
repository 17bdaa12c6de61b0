"""Who may do what on the reviewer side: group and permission names, defined once.

Reviewers triage, request information, assign and decide. Approvers are reviewers who may also
approve (or send back) another reviewer's decision that needs a second person (four eyes).
Migrations 0002 and 0007 create the two groups with these permissions; code finds them by name.

Reviewer administrators (a group made by migration 0014, or any superuser) manage the accounts
of reviewers and approvers on /review/accounts/: invite, set the role, deactivate, reactivate.
Administering accounts is its own permission, not part of reviewing: an administrator need not
review, and a reviewer cannot make themselves an approver.
"""

from __future__ import annotations

REVIEWERS_GROUP = "Compliance reviewers"
APPROVERS_GROUP = "Compliance approvers"
ACCOUNT_ADMINS_GROUP = "Reviewer administrators"

# Codenames on the assessment app's models, as granted to each group.
REVIEWER_PERMISSIONS = ("review_record", "view_record", "view_event")
APPROVER_PERMISSIONS = (*REVIEWER_PERMISSIONS, "approve_decision")
ACCOUNT_ADMIN_PERMISSIONS = ("manage_reviewers",)

# As checked with `user.has_perm`.
REVIEW_PERMISSION = "assessment.review_record"
APPROVE_PERMISSION = "assessment.approve_decision"
MANAGE_REVIEWERS_PERMISSION = "assessment.manage_reviewers"

# The roles an administrator gives a reviewer account on /review/accounts/.
REVIEWER = "reviewer"
APPROVER = "approver"
ROLE_CHOICES = [
    (REVIEWER, "Reviewer: triages, requests information, decides"),
    (APPROVER, "Approver: a reviewer who also approves other reviewers' decisions (four eyes)"),
]
ROLE_LABELS = {REVIEWER: "Reviewer", APPROVER: "Approver"}
