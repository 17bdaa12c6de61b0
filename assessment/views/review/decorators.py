from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from assessment.access import ensure_account_admin, ensure_reviewer

View = Callable[..., HttpResponseBase]


def reviewer_required(view: View) -> View:
    """Anonymous: to the sign-in page. Signed in without the permission: 403 (PermissionDenied)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        ensure_reviewer(request.user)
        return view(request, *args, **kwargs)

    return wrapper


def account_admin_required(view: View) -> View:
    """Anonymous: to the sign-in page. Signed in without the permission to manage reviewer
    accounts (a reviewer, an approver): 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        ensure_account_admin(request.user)
        return view(request, *args, **kwargs)

    return wrapper
