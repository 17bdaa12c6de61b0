from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control

from assessment.access import ensure_account_admin, ensure_reviewer, ensure_signed_in

View = Callable[..., HttpResponseBase]


def reviewer_required(view: View) -> View:
    """Anonymous: to the sign-in page. Signed in without the second factor: to the second step
    (access.SecondFactorRequired). Signed in without the permission: 403 (PermissionDenied)."""
    return _signed_in_and(ensure_reviewer)(view)


def account_required(view: View) -> View:
    """Any account's own pages (API tokens): signed in with both factors, no permission needed."""
    return _signed_in_and(ensure_signed_in)(view)


def account_admin_required(view: View) -> View:
    """The reviewer accounts pages: signed in with both factors, with the permission to manage
    reviewer accounts (a reviewer or approver without it: 403)."""
    return _signed_in_and(ensure_account_admin)(view)


def _signed_in_and(ensure: Callable[..., None]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            ensure(request.user)
            response = view(request, *args, **kwargs)
            # Reviewer and account pages are private (respondents' details and answers, one's
            # own tokens): no browser or proxy cache may keep them (a shared computer, the Back
            # button after signing out). Here, so that no such view can forget it.
            patch_cache_control(response, private=True, no_store=True)
            return response

        return wrapper

    return decorator
