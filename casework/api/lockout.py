"""Login throttling (django-axes), for the API's token endpoint and the pages alike.

The failed logins of one user name from one address are counted on the API's token endpoint,
the workspace login and the admin login together; after ``AXES_FAILURE_LIMIT`` of them that
pair is locked out for ``AXES_COOLOFF_TIME`` (an administrator may lift it earlier in the
admin, 访问尝试). Every attempt is logged. The lockout answers 429, in the API's error shape
on ``/api/`` and as a page elsewhere, in Chinese.
"""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .errors import error_body


class LoginThrottle(AxesStandaloneBackend):
    """django-axes' backend, first of ``AUTHENTICATION_BACKENDS``: it refuses a locked-out
    user name and address before any password is checked. An authentication without a
    request (a management command, a test's ``client.login``) has no address to count and
    is let through to the other backends, which decide."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _(
        "登录失败次数过多，该用户名在此地址已被锁定 %(minutes)s 分钟；"
        "如需提前解锁，请联系系统管理员。"
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: what a locked-out login gets (429)."""
    message = lockout_message()
    retry = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    if request.path.startswith("/api/"):
        response = JsonResponse(
            error_body(429, message, code="throttled"),
            status=429,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        response = render(
            request,
            "registration/locked_out.html",
            {"message": message, "login_url": request.path},
            status=429,
        )
    response["Retry-After"] = retry
    return response
