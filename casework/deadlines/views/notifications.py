"""The bell: one's own notices, and marking them read."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from .. import notifications
from .common import WorkspacePage, safe_next


class NotificationListView(WorkspacePage, TemplateView):
    template_name = "deadlines/notifications.html"

    def get_context_data(self, **kwargs):
        page = Paginator(notifications.own(self.request.user), 50).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(page=page, rows=list(page.object_list), **kwargs)


class NotificationReadView(WorkspacePage, View):
    """POST: mark one of one's own notices read, then go where it points (or back)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        notification = get_object_or_404(notifications.own(request.user), pk=pk)
        notifications.mark_read(notification)
        return HttpResponseRedirect(safe_next(request, reverse("deadlines:notifications")))


class NotificationReadAllView(WorkspacePage, View):
    http_method_names = ["post"]

    def post(self, request):
        marked = notifications.mark_all_read(request.user)
        messages.success(request, _("已将 %(n)s 条通知标为已读。") % {"n": marked})
        return HttpResponseRedirect(reverse("deadlines:notifications"))
