from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

from assessment.api import views

app_name = "api"
urlpatterns = [
    path("questionnaire", views.QuestionnaireView.as_view(), name="questionnaire"),
    path("assessments", views.AssessmentsView.as_view(), name="assessments"),
    path("assessments/<str:reference>", views.AssessmentView.as_view(), name="assessment"),
    path(
        "assessments/<str:reference>/events",
        views.AssessmentEventsView.as_view(),
        name="assessment-events",
    ),
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    # Swagger UI from drf-spectacular-sidecar's files; its start-up script is a separate
    # request (the "split" view), so the page runs under the strict CSP without inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:openapi"), name="docs"),
]
