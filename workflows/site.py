"""The workspace: viewflow's Site with the workflow app (inbox, queue, archive)."""

from django.conf import settings
from viewflow.contrib.auth import AuthViewset
from viewflow.urls import Site
from viewflow.workflow.flow.viewset import WorkflowAppViewset

from casework.org.forms import LoginForm

from . import lists
from .registry import FLOW_VIEWSETS


class Workspace(WorkflowAppViewset):
    """Inbox, queue and archive over every procedure's flow.

    viewflow shows the workflow app only to someone who may view one of its flows; every
    signed-in person has a workspace here, even before any flow concerns them.
    """

    title = settings.CASEWORK_SITE_TITLE
    # The lists and the menu's counts query by node and index (workflows/lists.py).
    inbox_view_class = lists.InboxView
    queue_view_class = lists.QueueView
    archive_view_class = lists.ArchiveView

    def has_view_permission(self, user, obj=None):
        return user.is_authenticated

    def get_context_data(self, request):
        return lists.menu_counts(self.flow_classes, request.user)


site = Site(
    title=settings.CASEWORK_SITE_TITLE,
    viewsets=[Workspace(flow_viewsets=FLOW_VIEWSETS)],
)


class Accounts(AuthViewset):
    """Login, logout, password change; personal accounts only (Liupanshui art. 11)."""

    def get_login_view_kwargs(self, **kwargs):
        return super().get_login_view_kwargs(form_class=LoginForm, **kwargs)


auth = Accounts(with_profile_view=True)
