"""Web pages of early warning and correction, under /deadlines/ (casework/urls.py)."""

from django.urls import path

from . import views

app_name = "deadlines"

urlpatterns = [
    path("", views.MyDeadlinesView.as_view(), name="mine"),
    path("<int:pk>/explain/", views.ExplainView.as_view(), name="explain"),
    path("<int:pk>/extend/", views.ExtensionRequestView.as_view(), name="extend"),
    path("extensions/", views.ExtensionListView.as_view(), name="extensions"),
    path(
        "extensions/<int:pk>/decide/",
        views.ExtensionDecisionView.as_view(),
        name="extension-decide",
    ),
    path("board/", views.BoardView.as_view(), name="board"),
    path("investigations/", views.InvestigationListView.as_view(), name="investigations"),
    path(
        "investigations/<int:pk>/decide/",
        views.InvestigationDecisionView.as_view(),
        name="investigation-decide",
    ),
    path(
        "investigations/<int:pk>/conclude/",
        views.InvestigationConclusionView.as_view(),
        name="investigation-conclude",
    ),
    path("letters/", views.LetterListView.as_view(), name="letters"),
    path("letters/<int:pk>/report/", views.LetterReportView.as_view(), name="letter-report"),
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
    path(
        "notifications/read-all/",
        views.NotificationReadAllView.as_view(),
        name="notifications-read-all",
    ),
    path(
        "notifications/<int:pk>/read/",
        views.NotificationReadView.as_view(),
        name="notification-read",
    ),
]
