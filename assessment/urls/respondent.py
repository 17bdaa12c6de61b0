from django.urls import path

from assessment.views import respondent

urlpatterns = [
    path("start/", respondent.start, name="start"),
]
