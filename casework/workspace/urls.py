"""The workspace's tools, under /workspace/ (casework/urls.py)."""

from django.urls import path

from .views import calendar

app_name = "workspace"

urlpatterns = [
    path("calendar/", calendar.CalendarNoticeView.as_view(), name="calendar"),
]
