"""The workspace around the pages of the procedure apps and the task screens.

A page marked ``workspace_page`` (``casework.kernel.views.WorkspacePage``, and the task
screens of ``task_nodes``) gets the site and the workspace app on its resolver match, as
viewflow's SiteMiddleware does for viewflow's own URLs, so that ``viewflow/base_page.html``
draws the menu and the middleware adds the inbox and queue counts to its TemplateResponse."""

from viewflow.workflow.flow import WorkflowAppViewset

from .site import site


class WorkspaceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, callback, callback_args, callback_kwargs):
        view_class = getattr(callback, "view_class", None)
        marked = getattr(callback, "workspace_page", False) or getattr(
            view_class, "workspace_page", False
        )
        if not marked or request.resolver_match is None:
            return None
        match = request.resolver_match
        match.site = site
        match.app = next(v for v in site.viewsets if isinstance(v, WorkflowAppViewset))
        return None
