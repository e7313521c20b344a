from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.urls import include, path
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.generic import RedirectView

from casework.api.errors import json_error
from casework.operations.views import metrics
from workflows.site import auth, site

urlpatterns = [
    path("", RedirectView.as_view(url="/workflow/inbox/", permanent=False)),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", auth.urls),
    path("api/v1/", include("casework.api.urls")),
    # Prometheus (casework/operations): requests, queue, deliveries, deadlines by level.
    path("metrics", metrics, name="metrics"),
    path("accountability/", include("casework.accountability.urls")),
    path("complaints/", include("casework.complaints.urls")),
    path("deadlines/", include("casework.deadlines.urls")),
    path("", site.urls),
]


def handler403(request, exception=None):
    """A person who is not signed in is sent to the login page rather than refused."""
    if not request.user.is_authenticated and not request.path.startswith("/api/"):
        return redirect_to_login(request.get_full_path())
    return defaults.permission_denied(request, exception)


def handler404(request, exception=None):
    if request.path.startswith("/api/"):
        return json_error(request, 404, _("对象不存在。"))
    return defaults.page_not_found(request, exception)


def handler500(request):
    if request.path.startswith("/api/"):
        return json_error(request, 500, _("服务器内部错误，已记录，请稍后重试。"))
    return defaults.server_error(request)
