from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from .site import auth, site

urlpatterns = [
    path("", RedirectView.as_view(url="/workflow/inbox/", permanent=False)),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", auth.urls),
    path("api/v1/", include("casework.api.urls")),
    path("accountability/", include("casework.accountability.urls")),
    path("complaints/", include("casework.complaints.urls")),
    path("deadlines/", include("casework.deadlines.urls")),
    path("", site.urls),
]


def handler403(request, exception=None):
    """A person who is not signed in is sent to the login page rather than refused."""
    from django.contrib.auth.views import redirect_to_login
    from django.views.defaults import permission_denied

    if not request.user.is_authenticated and not request.path.startswith("/api/"):
        return redirect_to_login(request.get_full_path())
    return permission_denied(request, exception)


def handler404(request, exception=None):
    if request.path.startswith("/api/"):
        from casework.api.errors import json_error

        return json_error(request, 404, "对象不存在。")
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def handler500(request):
    if request.path.startswith("/api/"):
        from casework.api.errors import json_error

        return json_error(request, 500, "服务器内部错误，已记录，请稍后重试。")
    from django.views.defaults import server_error

    return server_error(request)
