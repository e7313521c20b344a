from django.urls import path, register_converter

from . import views


class MonthConverter:
    regex = r"\d{4}-\d{2}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(MonthConverter, "month")

app_name = "evaluation"

urlpatterns = [
    path("", views.MonthListView.as_view(), name="months"),
    # The complainant's rating from the portal's tracking page (no login).
    path("rate/", views.PortalRatingView.as_view(), name="rate"),
    path("scheme/", views.SchemeView.as_view(), name="scheme"),
    path("scheme/<int:pk>/", views.SchemeItemView.as_view(), name="scheme-item"),
    path("trends/", views.TrendsView.as_view(), name="trends"),
    path("lines/<int:pk>/", views.LineView.as_view(), name="line"),
    path("<month:month>/", views.MonthView.as_view(), name="month"),
    path("<month:month>/act/", views.EvaluationActScreen.as_view(), name="act"),
    path("<month:month>/export.csv", views.ExportView.as_view(), {"fmt": "csv"}, name="csv"),
    path("<month:month>/export.xlsx", views.ExportView.as_view(), {"fmt": "xlsx"}, name="xlsx"),
]
