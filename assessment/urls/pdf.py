from django.urls import path

from assessment.views import pdf

urlpatterns = [
    path("a/<str:token>/summary.pdf", pdf.respondent_pdf, name="respondent_pdf"),
    path("review/records/<str:reference>/summary.pdf", pdf.review_pdf, name="review_pdf"),
]
