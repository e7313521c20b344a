import sys

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.urls import include, path
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.generic import RedirectView

from casework.api.errors import busy_message, database_busy, json_error
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
    path("meetings/", include("casework.meetings.urls")),
    path("evaluation/", include("casework.evaluation.urls")),
    path("supervision/", include("casework.supervision.urls")),
    path("documents/", include("casework.documents.urls")),
    path("workspace/", include("casework.workspace.urls")),
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
    # Called while the exception is handled: a transaction that lost a race for a lock is a
    # conflict to retry (409), on a page as in the API, not a server error.
    if database_busy(sys.exc_info()[1]):
        if request.path.startswith("/api/"):
            return json_error(request, 409, busy_message())
        return HttpResponse(busy_message(), status=409, content_type="text/plain; charset=utf-8")
    if request.path.startswith("/api/"):
        return json_error(request, 500, _("服务器内部错误，已记录，请稍后重试。"))
    return defaults.server_error(request)
