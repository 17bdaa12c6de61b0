from django.urls import path

from assessment.views import review

app_name = "review"
urlpatterns = [
    path("", review.queue, name="queue"),
    path("records/<str:reference>/", review.record, name="record"),
    path("records/<str:reference>/action/", review.action, name="action"),
    path(
        "records/<str:reference>/attachments/<int:attachment_id>/",
        review.attachment,
        name="attachment",
    ),
    path("stats/", review.stats, name="stats"),
    path("export.csv", review.export_csv, name="export_csv"),
    path("export.json", review.export_json, name="export_json"),
]
