from django.urls import path

from assessment.views import public, verify

urlpatterns = [
    path("", public.home, name="home"),
    path("healthz", public.healthz, name="healthz"),
    path("verify/", verify.verify, name="verify"),
]
