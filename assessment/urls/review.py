from django.urls import include, path

from assessment.views import review

app_name = "review"

# One record, one reviewer account, one questionnaire version: each prefix written once.
RECORD = [
    path("", review.record, name="record"),
    path("action/", review.action, name="action"),
    path("attachments/<int:attachment_id>/", review.attachment, name="attachment"),
]
ACCOUNT = [
    path("role/", review.account_role, name="account_role"),
    path("deactivate/", review.account_deactivate, name="account_deactivate"),
    path("reactivate/", review.account_reactivate, name="account_reactivate"),
    path("resend/", review.account_resend, name="account_resend"),
]
VERSION = [
    path("impact/", review.impact, name="version_impact"),
    path("impact.csv", review.impact_csv, name="version_impact_csv"),
    path("rereview/", review.open_rereview, name="version_rereview"),
    path("invite/", review.invite, name="version_invite"),
]

urlpatterns = [
    path("", review.queue, name="queue"),
    path("records/<str:reference>/", include(RECORD)),
    path("assign/", review.bulk_assign, name="bulk_assign"),
    path("saved-filters/", review.save_filter, name="save_filter"),
    path("saved-filters/<int:filter_id>/delete/", review.delete_filter, name="delete_filter"),
    path("stats/", review.stats, name="stats"),
    path("export.csv", review.export_csv, name="export_csv"),
    path("export.json", review.export_json, name="export_json"),
    path("exports/", review.export_zip, name="export_zip"),
    path("exports/<str:export_id>/", review.export_status, name="export"),
    path("exports/<str:export_id>/download", review.export_download, name="export_download"),
    path("background/", review.background, name="background"),
    path("accounts/", review.accounts_page, name="accounts"),
    path("accounts/<int:account_id>/", include(ACCOUNT)),
    path("integrity/checkpoint.json", review.integrity_checkpoint, name="integrity_checkpoint"),
    path("versions/", review.versions, name="versions"),
    path("versions/compare/", review.comparison, name="version_compare"),
    path("versions/<str:version>/", include(VERSION)),
]
