"""The reviewers' dashboard: queue, record page and actions, statistics, exports.

Every view goes through `assessment.access` (via `reviewer_required`, then
`record_for_reviewer` for a record), so an anonymous visitor is sent to sign in and a signed-in
user without the review permission gets a 403.
"""

from assessment.views.review.accounts import (
    account_deactivate,
    account_reactivate,
    account_resend,
    account_role,
    accounts_page,
)
from assessment.views.review.attachments import attachment
from assessment.views.review.background import background
from assessment.views.review.exports import (
    export_csv,
    export_download,
    export_json,
    export_status,
    export_zip,
)
from assessment.views.review.integrity import checkpoint as integrity_checkpoint
from assessment.views.review.queue import queue
from assessment.views.review.record import action, record
from assessment.views.review.stats import stats
from assessment.views.review.triage import bulk_assign, delete_filter, save_filter
from assessment.views.review.versions import (
    comparison,
    impact,
    impact_csv,
    invite,
    open_rereview,
    versions,
)

__all__ = [
    "account_deactivate",
    "account_reactivate",
    "account_resend",
    "account_role",
    "accounts_page",
    "action",
    "attachment",
    "background",
    "bulk_assign",
    "comparison",
    "delete_filter",
    "export_csv",
    "export_download",
    "export_json",
    "export_status",
    "export_zip",
    "impact",
    "impact_csv",
    "integrity_checkpoint",
    "invite",
    "open_rereview",
    "queue",
    "record",
    "save_filter",
    "stats",
    "versions",
]
