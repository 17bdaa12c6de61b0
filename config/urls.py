from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("assessment.urls.public")),
    path("", include("assessment.urls.respondent")),
    path("review/", include("assessment.urls.review")),
    path("", include("assessment.urls.pdf")),
    path("accounts/", include("assessment.urls.accounts")),
    path("api/v1/", include("assessment.api.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "assessment.views.errors.bad_request"
handler403 = "assessment.views.errors.permission_denied"
handler404 = "assessment.views.errors.page_not_found"
handler500 = "assessment.views.errors.server_error"
