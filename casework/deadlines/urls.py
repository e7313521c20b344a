"""Web pages of early warning and correction, under /deadlines/ (casework/urls.py)."""

from django.urls import path

from .views import board, extensions, investigations, letters, mine, notifications

app_name = "deadlines"

urlpatterns = [
    path("", mine.MyDeadlinesView.as_view(), name="mine"),
    path("<int:pk>/explain/", mine.ExplainView.as_view(), name="explain"),
    path("<int:pk>/extend/", extensions.ExtensionRequestView.as_view(), name="extend"),
    path("extensions/", extensions.ExtensionListView.as_view(), name="extensions"),
    path(
        "extensions/<int:pk>/decide/",
        extensions.ExtensionDecisionView.as_view(),
        name="extension-decide",
    ),
    path("board/", board.BoardView.as_view(), name="board"),
    path("investigations/", investigations.InvestigationListView.as_view(), name="investigations"),
    path(
        "investigations/<int:pk>/decide/",
        investigations.InvestigationDecisionView.as_view(),
        name="investigation-decide",
    ),
    path(
        "investigations/<int:pk>/conclude/",
        investigations.InvestigationConclusionView.as_view(),
        name="investigation-conclude",
    ),
    path("letters/", letters.LetterListView.as_view(), name="letters"),
    path("letters/<int:pk>/report/", letters.LetterReportView.as_view(), name="letter-report"),
    path("notifications/", notifications.NotificationListView.as_view(), name="notifications"),
    path(
        "notifications/read-all/",
        notifications.NotificationReadAllView.as_view(),
        name="notifications-read-all",
    ),
    path(
        "notifications/<int:pk>/read/",
        notifications.NotificationReadView.as_view(),
        name="notification-read",
    ),
]
