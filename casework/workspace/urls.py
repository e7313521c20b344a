"""The workspace's tools, under /workspace/ (casework/urls.py)."""

from django.urls import path

from .views import calendar, dashboard, search

app_name = "workspace"

urlpatterns = [
    path("search/", search.SearchView.as_view(), name="search"),
    path("dashboard/", dashboard.DashboardView.as_view(), name="dashboard"),
    path("calendar/", calendar.CalendarNoticeView.as_view(), name="calendar"),
]
