from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control

from assessment.access import ensure_reviewer

View = Callable[..., HttpResponseBase]


def reviewer_required(view: View) -> View:
    """Anonymous: to the sign-in page. Signed in without the permission: 403 (PermissionDenied).

    Every reviewer response is `Cache-Control: private, no-store`: respondents' details and
    answers must not stay in a browser's or a proxy's cache (a shared computer, the Back
    button after signing out). Here, so that no reviewer view can forget it."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        ensure_reviewer(request.user)
        response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapper
