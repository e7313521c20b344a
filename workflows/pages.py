"""Pages outside viewflow's site (a procedure's case list, a case page) that still show the
workspace menu: inbox, queue, archive and the procedures' links."""

from django.contrib.auth.mixins import LoginRequiredMixin


class WorkspacePageMixin(LoginRequiredMixin):
    """Sets the site and the workspace app on the request's resolver match, as viewflow's
    SiteMiddleware does for its own URLs, so that ``viewflow/base_page.html`` draws the menu
    and the middleware adds the inbox and queue counts to a TemplateResponse."""

    def dispatch(self, request, *args, **kwargs):
        from viewflow.workflow.flow import WorkflowAppViewset

        from casework.site import site

        match = request.resolver_match
        match.site = site
        match.app = next(v for v in site.viewsets if isinstance(v, WorkflowAppViewset))
        return super().dispatch(request, *args, **kwargs)
