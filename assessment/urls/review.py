from django.urls import path

from assessment.views import review

app_name = "review"
urlpatterns = [
    path("", review.queue, name="queue"),
    path("stats/", review.stats, name="stats"),
]
