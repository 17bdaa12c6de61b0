"""Django's admin behind the same two-step sign-in as the reviewer pages.

The default admin site is replaced (`assessment.admin_apps.AdminConfig.default_site`) rather
than wrapped in urls.py, so every ModelAdmin registered with `admin.site` (ours and the
libraries') is behind it.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from assessment.access import ensure_signed_in


class VerifiedAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        try:
            ensure_signed_in(request.user)
        except PermissionDenied:
            return False
        return super().has_permission(request)

    def login(self, request: HttpRequest, extra_context: object = None) -> HttpResponse:
        """The service's sign-in (password, then second factor), never the admin's own form,
        which knows nothing of the second step."""
        after = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(
            after, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            after = reverse("admin:index")
        if not request.user.is_authenticated:
            return redirect_to_login(after)
        ensure_signed_in(request.user)  # no second factor yet: to the second step, then back
        if self.has_permission(request):
            return HttpResponseRedirect(after)
        raise PermissionDenied  # signed in with both factors, but not staff
