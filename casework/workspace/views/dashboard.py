"""The dashboard of the mayor, the secretariat and the supervision bureau (docs/dashboard.md):
five figures, each a chart (Apache ECharts, static/vendor/echarts), its table beneath it and
its CSV and Excel exports — the same numbers three ways."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from casework.kernel.tables import EXPORT_FORMATS, csv_response, xlsx_response
from casework.kernel.views import WorkspacePage

from .. import dashboard
from ..rules import sees_dashboard


class DashboardView(WorkspacePage, TemplateView):
    template_name = "workspace/dashboard.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not sees_dashboard(request.user):
            raise PermissionDenied(_("统计看板仅供市长、市政府办公室和市监察局查看。"))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("format")
        if fmt in EXPORT_FORMATS:
            today = timezone.localdate()
            wanted = request.GET.get("figure")
            figure = next(
                (f for f in dashboard.figures(today, request.user) if f.key == wanted), None
            )
            if figure is None:
                raise Http404
            filename = f"dashboard-{figure.key}-{today.isoformat()}.{fmt}"
            if fmt == "csv":
                return csv_response(figure.columns, figure.rows, filename)
            return xlsx_response(figure.columns, figure.rows, filename, title=figure.key)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        figures = dashboard.figures(today, self.request.user)
        return super().get_context_data(
            today=today,
            figures=figures,
            charts=[figure.chart_data() for figure in figures],
            **kwargs,
        )
